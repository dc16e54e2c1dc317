//! Metadata (RFC 8414): `GET /.well-known/oauth-authorization-server/oauth2`
//! for the issuer `<base>/oauth2` (§3: the well-known path goes between the
//! host and the issuer's path), and the same document at
//! `GET /oauth2/.well-known/openid-configuration` for clients that look
//! there (a stand-in: no id tokens, no keys).
//!
//! The base is `http://` and the request's `Host`, so the document is right
//! on whatever address and port the sandbox serves.

use std::str::FromStr;

use axum::Json;
use axum::http::uri::Authority;
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::answer::OAuthError;
use super::scope;

/// The authorization server's metadata (§2), in the fields this server has.
#[derive(Debug, Serialize)]
struct Metadata {
    issuer: String,
    token_endpoint: String,
    introspection_endpoint: String,
    revocation_endpoint: String,
    token_endpoint_auth_methods_supported: [&'static str; 2],
    introspection_endpoint_auth_methods_supported: [&'static str; 2],
    revocation_endpoint_auth_methods_supported: [&'static str; 2],
    grant_types_supported: [&'static str; 1],
    /// REQUIRED by §2 even for a server without an authorization endpoint:
    /// empty, there is no response type to name.
    response_types_supported: [&'static str; 0],
    scopes_supported: [&'static str; 2],
}

const AUTH_METHODS: [&str; 2] = ["client_secret_basic", "client_secret_post"];

pub(crate) async fn authorization_server(headers: HeaderMap, uri: Uri) -> Response {
    metadata(&headers, &uri)
}

pub(crate) async fn openid_configuration(headers: HeaderMap, uri: Uri) -> Response {
    metadata(&headers, &uri)
}

fn metadata(headers: &HeaderMap, uri: &Uri) -> Response {
    let issuer = match issuer(headers, uri) {
        Ok(issuer) => issuer,
        Err(error) => return error.into_response(),
    };
    let endpoint = |path: &str| format!("{issuer}/{path}");
    let metadata = Metadata {
        token_endpoint: endpoint("token"),
        introspection_endpoint: endpoint("introspect"),
        revocation_endpoint: endpoint("revoke"),
        token_endpoint_auth_methods_supported: AUTH_METHODS,
        introspection_endpoint_auth_methods_supported: AUTH_METHODS,
        revocation_endpoint_auth_methods_supported: AUTH_METHODS,
        grant_types_supported: ["client_credentials"],
        response_types_supported: [],
        scopes_supported: scope::KNOWN,
        issuer,
    };
    Json(metadata).into_response()
}

/// `http://<host>/oauth2`, the host from the `Host` header (or the request
/// target, if absolute). A request without one is 400, as HTTP/1.1 asks.
fn issuer(headers: &HeaderMap, uri: &Uri) -> Result<String, OAuthError> {
    let host = match headers.get(header::HOST) {
        Some(value) => {
            let text = value.to_str().ok();
            text.and_then(|t| Authority::from_str(t).ok())
        }
        None => uri.authority().cloned(),
    };
    let host = host
        .filter(|authority| !authority.as_str().contains('@'))
        .ok_or_else(|| OAuthError::invalid_request("the request has no valid Host header"))?;
    Ok(format!("http://{host}/oauth2"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_host(host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        headers
    }

    #[test]
    fn the_issuer_follows_the_host() {
        let path = Uri::from_static("/.well-known/oauth-authorization-server/oauth2");
        let v4 = issuer(&with_host("127.0.0.1:4321"), &path).unwrap();
        assert_eq!(v4, "http://127.0.0.1:4321/oauth2");
        let v6 = issuer(&with_host("[::1]:80"), &path).unwrap();
        assert_eq!(v6, "http://[::1]:80/oauth2");
        let absolute = Uri::from_static("http://example.test:8080/x");
        assert_eq!(
            issuer(&HeaderMap::new(), &absolute).unwrap(),
            "http://example.test:8080/oauth2"
        );
    }

    #[test]
    fn no_host_or_a_strange_one_is_refused() {
        let path = Uri::from_static("/x");
        assert!(issuer(&HeaderMap::new(), &path).is_err());
        for bad in ["user@host", "a b", "host/path", ""] {
            assert!(issuer(&with_host(bad), &path).is_err(), "{bad:?}");
        }
    }
}
