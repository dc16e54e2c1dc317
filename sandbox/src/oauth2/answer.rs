//! What the authorization server's endpoints answer with: the caching
//! headers of RFC 6749 §5.1 and the error answer of §5.2, which RFC 7009
//! §2.2.1 and RFC 7662 §2.3 reuse.

use std::fmt::Display;

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The realm of every `WWW-Authenticate` challenge.
pub(crate) const REALM: &str = "sandbox";

/// `text` made fit for `error_description` (RFC 6749 §5.2) and for a quoted
/// attribute of `WWW-Authenticate` (RFC 6750 §3): printable ASCII without
/// `"` and `\`. Anything else, user input included, becomes `?`.
pub(crate) fn error_text(text: impl Display) -> String {
    let fits = |c: char| matches!(c, ' '..='~') && c != '"' && c != '\\';
    let text = text.to_string();
    text.chars()
        .map(|c| if fits(c) { c } else { '?' })
        .collect()
}

/// Adds `Cache-Control: no-store` and `Pragma: no-cache`, which RFC 6749
/// §5.1 and §5.2 ask of every token endpoint answer.
pub(crate) fn forbid_caching(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// An error of the token, introspection or revocation endpoint.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    /// Whether to add `WWW-Authenticate: Basic realm="sandbox"`.
    challenge: bool,
}

/// The body of an error answer.
#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Display) -> Self {
        Self {
            status,
            error,
            description: error_text(description),
            challenge: false,
        }
    }

    /// 400: a parameter missing or repeated, two authentication methods,
    /// or otherwise malformed.
    pub fn invalid_request(description: impl Display) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// Client authentication failed. With `challenge` (the client tried the
    /// `Authorization` header, or sent no credentials at all) it is 401
    /// with a Basic challenge, as §5.2 asks; else 400.
    pub fn invalid_client(description: impl Display, challenge: bool) -> Self {
        let status = if challenge {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        Self {
            challenge,
            ..Self::new(status, "invalid_client", description)
        }
    }

    /// 400: a grant type this server does not support.
    pub fn unsupported_grant_type(description: impl Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description,
        )
    }

    /// 400: a scope that is unknown or malformed.
    pub fn invalid_scope(description: impl Display) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description)
    }

    /// The `error` code.
    #[cfg(test)]
    pub fn error(&self) -> &'static str {
        self.error
    }

    /// The body of an injected failure answered with `status`.
    pub fn injected_body(status: StatusCode) -> Vec<u8> {
        let error = match status.as_u16() {
            429 | 503 => "temporarily_unavailable",
            _ => "server_error",
        };
        let description = status.canonical_reason().unwrap_or("error").to_lowercase();
        let body = ErrorBody {
            error,
            error_description: &description,
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.error,
            error_description: &self.description,
        };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        forbid_caching(headers);
        if self.challenge {
            let challenge = format!(r#"Basic realm="{REALM}""#);
            if let Ok(value) = HeaderValue::from_str(&challenge) {
                headers.insert(header::WWW_AUTHENTICATE, value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_keeps_only_what_the_rfc_allows() {
        assert_eq!(error_text("scope \"x\" \\ ok"), "scope ?x? ? ok");
        assert_eq!(error_text("é华\n"), "???");
        assert_eq!(error_text("a-z ~ !#[]"), "a-z ~ !#[]");
    }

    #[test]
    fn only_a_challenged_invalid_client_is_401() {
        let basic = OAuthError::invalid_client("x", true).into_response();
        assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            basic.headers()[header::WWW_AUTHENTICATE],
            r#"Basic realm="sandbox""#
        );
        let post = OAuthError::invalid_client("x", false).into_response();
        assert_eq!(post.status(), StatusCode::BAD_REQUEST);
        assert!(post.headers().get(header::WWW_AUTHENTICATE).is_none());
        assert_eq!(post.headers()[header::CACHE_CONTROL], "no-store");
        assert_eq!(post.headers()[header::PRAGMA], "no-cache");
    }
}
