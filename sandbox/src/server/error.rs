//! The server's failure answer: an HTTP status and `{"code":…,"msg":…}`.

use std::fmt::Display;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A failed answer. Codes are the HTTP status times 100 plus a detail digit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ServerError {
    status: StatusCode,
    code: u32,
    msg: String,
}

impl ServerError {
    fn new(status: StatusCode, code: u32, msg: impl Into<String>) -> Self {
        Self {
            status,
            code,
            msg: msg.into(),
        }
    }

    /// 400 / 40000: a parameter is missing, repeated or malformed.
    pub fn bad_request(detail: impl Display) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 40000, detail.to_string())
    }

    /// 400 / 40000 for a parameter that must be sent once and was not.
    pub fn missing_or_repeated(name: &str) -> Self {
        Self::bad_request(format!(
            "parameter {name} must be sent exactly once, not empty"
        ))
    }

    /// 401 / 40001 from the token endpoint.
    pub fn invalid_client() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            40001,
            "invalid client credentials",
        )
    }

    /// 400 / 40003: a `sudo` value that is not `<form>:<value>`.
    pub fn bad_sudo(detail: impl Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            40003,
            format!("invalid sudo: {detail}"),
        )
    }

    /// 400 / 40004: both tenant parameters.
    pub fn two_tenants() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            40004,
            "tenantId and tenantCode are mutually exclusive",
        )
    }

    /// 400 / 40005: the access token in the header and the query.
    pub fn two_tokens() -> Self {
        let msg =
            "send the access token once: Authorization header or access_token parameter, not both";
        Self::new(StatusCode::BAD_REQUEST, 40005, msg)
    }

    /// 400 / 40006: the call acts for a user and none was named.
    pub fn sudo_required() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            40006,
            "this call needs sudo: act as a user",
        )
    }

    /// 401 / 40100: a protected resource without a good token.
    pub fn invalid_token() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 40100, "invalid token")
    }

    /// 401 / 40101: the check endpoint's answer for a bad token.
    pub fn check_failed() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            40101,
            "token is invalid or expired",
        )
    }

    /// 403 / 40300: the sudo user is not a member of the tenant.
    pub fn not_a_member(uid: u64, tenant_code: &str) -> Self {
        let msg = format!("user {uid} is not a member of tenant {tenant_code:?}");
        Self::new(StatusCode::FORBIDDEN, 40300, msg)
    }

    /// 404 / 40400: no route.
    pub fn no_such_endpoint(method: impl Display, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            40400,
            format!("no such endpoint: {method} {path}"),
        )
    }

    /// 404 / 40401: nobody matches the sudo value.
    pub fn no_such_user(form: &str, value: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            40401,
            format!("no such user: {form} = {value:?}"),
        )
    }

    /// 404 / 40402: no tenant with this id or code.
    pub fn no_such_tenant(what: impl Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            40402,
            format!("no such tenant: {what}"),
        )
    }

    /// The `code` of the answer.
    #[cfg(test)]
    pub fn code(&self) -> u32 {
        self.code
    }

    /// The body of an injected failure answered with `status`.
    pub fn injected_body(status: StatusCode) -> Vec<u8> {
        let msg = status.canonical_reason().unwrap_or("error").to_lowercase();
        let body = json!({ "code": u32::from(status.as_u16()) * 100, "msg": msg });
        body.to_string().into_bytes()
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let body = json!({ "code": self.code, "msg": self.msg });
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED && self.code == 40100 {
            let challenge = HeaderValue::from_static(r#"Bearer error="invalid_token""#);
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}
