//! The hotel envelope: `{"success":true,"timestamp":…,"result":…}` or
//! `{"success":false,"timestamp":…,"errorCode":…,"errorMsg":…}`.

use std::fmt::Display;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::request::epoch_millis;

/// A successful answer, fields in the document's order.
#[derive(Debug, Serialize)]
struct Success<T> {
    success: bool,
    timestamp: u64,
    result: T,
}

/// A failed answer, fields in the same order as a successful one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Failure<'a> {
    success: bool,
    timestamp: u64,
    error_code: &'a str,
    error_msg: &'a str,
}

/// A successful answer holding `result`.
pub(crate) fn success<T: Serialize>(result: T) -> Response {
    Json(Success {
        success: true,
        timestamp: epoch_millis(),
        result,
    })
    .into_response()
}

/// The body of a successful answer holding `result`.
pub(crate) fn success_body<T: Serialize>(result: T) -> Vec<u8> {
    let body = Success {
        success: true,
        timestamp: epoch_millis(),
        result,
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

/// A failed answer: an HTTP status, an `errorCode` and an `errorMsg` in
/// Chinese then English, as the vendor writes them.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct HotelError {
    status: StatusCode,
    code: &'static str,
    msg: String,
}

impl HotelError {
    fn new(status: StatusCode, code: &'static str, msg: impl Into<String>) -> Self {
        Self {
            status,
            code,
            msg: msg.into(),
        }
    }

    /// A malformed token request (HTTP 200, as the token endpoint answers).
    pub fn invalid_request(detail: impl Display) -> Self {
        Self::new(
            StatusCode::OK,
            "invalid_request",
            format!("请求参数错误 (invalid request: {detail})"),
        )
    }

    /// A malformed call to a protected resource (HTTP 400).
    pub fn bad_request(detail: impl Display) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            ..Self::invalid_request(detail)
        }
    }

    pub fn invalid_client() -> Self {
        Self::new(
            StatusCode::OK,
            "invalid_client",
            "客户端认证失败 (client authentication failed)",
        )
    }

    pub fn invalid_scope() -> Self {
        Self::new(
            StatusCode::OK,
            "invalid_scope",
            "授权范围无效 (invalid scope: the scope must be hotel)",
        )
    }

    pub fn invalid_grant() -> Self {
        let msg = "刷新令牌无效或已使用 (refresh token is invalid, revoked or already used)";
        Self::new(StatusCode::OK, "invalid_grant", msg)
    }

    pub fn unsupported_grant_type() -> Self {
        let msg =
            "不支持的授权类型 (unsupported grant type: use client_credentials or refresh_token)";
        Self::new(StatusCode::OK, "unsupported_grant_type", msg)
    }

    /// A missing, unknown, expired or revoked access token (HTTP 401).
    pub fn invalid_token() -> Self {
        let msg = "访问令牌无效或已过期 (access token is missing, invalid or expired)";
        Self::new(StatusCode::UNAUTHORIZED, "invalid_token", msg)
    }

    pub fn not_found(what: impl Display) -> Self {
        Self::new(
            StatusCode::OK,
            "not_found",
            format!("资源不存在 (not found: {what})"),
        )
    }

    /// The body of an injected failure answered with `status`.
    pub fn injected_body(status: StatusCode) -> Vec<u8> {
        let (code, zh) = match status.as_u16() {
            429 => ("too_many_requests", "请求过于频繁"),
            503 => ("temporarily_unavailable", "服务暂时不可用"),
            _ => ("server_error", "系统错误"),
        };
        let en = status.canonical_reason().unwrap_or("error").to_lowercase();
        let error = Self::new(status, code, format!("{zh} ({en})"));
        serde_json::to_vec(&error.body()).unwrap_or_default()
    }

    fn body(&self) -> Failure<'_> {
        Failure {
            success: false,
            timestamp: epoch_millis(),
            error_code: self.code,
            error_msg: &self.msg,
        }
    }
}

impl IntoResponse for HotelError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            let challenge = HeaderValue::from_static(r#"Bearer error="invalid_token""#);
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_code_and_bilingual_message() {
        let error = HotelError::invalid_client();
        let text = serde_json::to_string(&error.body()).unwrap();
        assert!(
            text.starts_with(r#"{"success":false,"timestamp":"#),
            "{text}"
        );
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["errorCode"], "invalid_client");
        assert_eq!(
            body["errorMsg"],
            "客户端认证失败 (client authentication failed)"
        );
        assert!(body["timestamp"].as_u64().unwrap() > 1_500_000_000_000);
    }

    #[test]
    fn injected_failures_read_like_the_vendor() {
        let body = HotelError::injected_body(StatusCode::SERVICE_UNAVAILABLE);
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["errorCode"], "temporarily_unavailable");
        assert_eq!(body["errorMsg"], "服务暂时不可用 (service unavailable)");
    }
}
