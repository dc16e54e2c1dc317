//! Bearer tokens at the protected resources (RFC 6750): where a request
//! carries its token (§2.1 header, §2.3 query; the §2.2 form body is not
//! supported), the caller it names, and the errors of §3 with their
//! `WWW-Authenticate` challenges.
//!
//! Stricter than the hotel and server providers, which follow their vendor
//! documents: here a `Bearer` header without a token, or with one that is
//! not a `b64token`, is a malformed request (400), not a missing token.

use std::fmt::Write;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::time::Instant;

use super::answer::{REALM, error_text};
use super::scope;
use crate::Sandbox;
use crate::request::{Pairs, TokenIn, decode_pairs, single};
use crate::state::stats::Counter;
use crate::state::tokens::{Refusal, TokenKind};

/// A call with a good OAuth 2.0 access token.
///
/// Extracting it waits the API latency, then refuses a malformed request
/// (400), a request without a bearer token (401, no `error`), or one whose
/// token is not good (401 `invalid_token`).
#[derive(Debug)]
pub(crate) struct Caller {
    pub client_id: String,
    pub scope: String,
    pub token_in: TokenIn,
}

impl FromRequestParts<Sandbox> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, sandbox: &Sandbox) -> Result<Self, ApiError> {
        let state = sandbox.state();
        state.faults.api_delay().await;
        let query = decode_pairs(parts.uri.query().unwrap_or_default().as_bytes());
        let (token, token_in) = find(&parts.headers, &query)?.ok_or(ApiError::NoToken)?;
        let grant = state
            .tokens
            .lookup(&token, TokenKind::OAuth2Access, Instant::now())
            .map_err(ApiError::InvalidToken)?;
        Ok(Self {
            client_id: grant.client_id,
            scope: grant.scope,
            token_in,
        })
    }
}

impl Caller {
    /// Refuses the call (403) unless the token grants `needed`.
    pub fn require(&self, needed: &'static str) -> Result<(), ApiError> {
        if scope::holds(&self.scope, needed) {
            Ok(())
        } else {
            Err(ApiError::InsufficientScope(needed))
        }
    }

    /// A successful answer. One to a token sent in the query says
    /// `Cache-Control: private`, as §2.3 asks.
    pub fn reply(&self, status: StatusCode, body: impl Serialize) -> Response {
        let mut response = (status, Json(body)).into_response();
        if self.token_in == TokenIn::Query {
            let private = HeaderValue::from_static("private");
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, private);
        }
        response.extensions_mut().insert(Outcome::Ok);
        response
    }
}

/// The bearer token of a request and where it was, if any.
fn find(headers: &HeaderMap, query: &Pairs) -> Result<Option<(String, TokenIn)>, ApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (first, second) = (values.next(), values.next());
    if second.is_some() {
        return Err(ApiError::Malformed("more than one Authorization header"));
    }
    let in_header = first.map(bearer).transpose()?.flatten();
    let in_query = single(query, "access_token")
        .map_err(|_| ApiError::Malformed("the access_token parameter was sent more than once"))?
        .filter(|token| !token.is_empty());
    match (in_header, in_query) {
        (Some(_), Some(_)) => Err(ApiError::Malformed(
            "the access token was sent in the Authorization header and in the access_token \
             parameter: use one method (RFC 6750 section 2)",
        )),
        (Some(token), None) => Ok(Some((token, TokenIn::Header))),
        (None, Some(token)) => Ok(Some((token.to_owned(), TokenIn::Query))),
        (None, None) => Ok(None),
    }
}

/// The token of an `Authorization: Bearer …` header; `None` for another
/// scheme, which is no bearer token at all.
fn bearer(value: &HeaderValue) -> Result<Option<String>, ApiError> {
    let text = value
        .to_str()
        .map_err(|_| ApiError::Malformed("the Authorization header is not ASCII"))?;
    let (scheme, rest) = text.split_once(' ').unwrap_or((text, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Ok(None);
    }
    let token = rest.trim_start_matches(' ');
    if token.is_empty() {
        return Err(ApiError::Malformed(
            "the Authorization header says Bearer but holds no token",
        ));
    }
    if !is_b64token(token) {
        return Err(ApiError::Malformed(
            "the bearer token is not a b64token (RFC 6750 section 2.1)",
        ));
    }
    Ok(Some(token.to_owned()))
}

/// `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

/// How a call to a protected resource ended, put on its answer for the
/// counters (see [`count_calls`](super::resources::count_calls)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Ok,
    NoToken,
    InvalidToken { superseded: bool },
    InsufficientScope,
    InvalidRequest,
}

impl Outcome {
    /// The counters this outcome adds one to, besides `api_calls`.
    pub fn counters(self) -> &'static [Counter] {
        match self {
            Self::Ok => &[Counter::OAuth2ApiOk],
            Self::NoToken => &[Counter::OAuth2ApiNoToken],
            Self::InvalidToken { superseded: false } => &[Counter::OAuth2ApiInvalidToken],
            Self::InvalidToken { superseded: true } => {
                &[Counter::OAuth2ApiInvalidToken, Counter::OAuth2ApiSuperseded]
            }
            Self::InsufficientScope => &[Counter::OAuth2ApiInsufficientScope],
            Self::InvalidRequest => &[Counter::OAuth2ApiInvalidRequest],
        }
    }
}

/// A refused call to a protected resource.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ApiError {
    /// 400 `invalid_request`: the token is malformed or sent two ways.
    Malformed(&'static str),
    /// 401 without an `error` (§3.1): the request carries no bearer token.
    NoToken,
    /// 401 `invalid_token`.
    InvalidToken(Refusal),
    /// 403 `insufficient_scope`, with the scope needed.
    InsufficientScope(&'static str),
    /// 400 `invalid_request` about the body, not the token: no challenge.
    BadBody(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::Malformed(_) | Self::BadBody(_) => StatusCode::BAD_REQUEST,
            Self::NoToken | Self::InvalidToken(_) => StatusCode::UNAUTHORIZED,
            Self::InsufficientScope(_) => StatusCode::FORBIDDEN,
        }
    }

    fn outcome(&self) -> Outcome {
        match self {
            Self::Malformed(_) | Self::BadBody(_) => Outcome::InvalidRequest,
            Self::NoToken => Outcome::NoToken,
            Self::InvalidToken(refusal) => Outcome::InvalidToken {
                superseded: *refusal == Refusal::Superseded,
            },
            Self::InsufficientScope(_) => Outcome::InsufficientScope,
        }
    }

    /// The `error` code and its description, if the answer has one.
    fn error(&self) -> Option<(&'static str, String)> {
        match self {
            Self::Malformed(why) => Some(("invalid_request", error_text(why))),
            Self::BadBody(why) => Some(("invalid_request", error_text(why))),
            Self::NoToken => None,
            Self::InvalidToken(refusal) => {
                let why = match refusal {
                    Refusal::Unknown => "the access token is unknown",
                    Refusal::Expired => "the access token expired",
                    Refusal::Revoked => "the access token was revoked",
                    Refusal::Superseded => {
                        "the access token was revoked when a newer one was issued to this client"
                    }
                };
                Some(("invalid_token", why.to_owned()))
            }
            Self::InsufficientScope(needed) => Some((
                "insufficient_scope",
                format!("this call needs scope {needed}"),
            )),
        }
    }

    /// The `WWW-Authenticate` value (§3), if the answer carries one.
    fn challenge(&self) -> Option<String> {
        if matches!(self, Self::BadBody(_)) {
            return None;
        }
        let mut challenge = format!(r#"Bearer realm="{REALM}""#);
        if let Some((error, description)) = self.error() {
            let _ = write!(
                challenge,
                r#", error="{error}", error_description="{description}""#
            );
        }
        if let Self::InsufficientScope(needed) = self {
            let _ = write!(challenge, r#", scope="{needed}""#);
        }
        Some(challenge)
    }
}

/// The body of an error answer.
#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    error_description: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = match self.error() {
            Some((error, description)) => {
                let body = ErrorBody {
                    error,
                    error_description: &description,
                };
                (self.status(), Json(body)).into_response()
            }
            None => self.status().into_response(),
        };
        if let Some(value) = self
            .challenge()
            .and_then(|c| HeaderValue::from_str(&c).ok())
        {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response.extensions_mut().insert(self.outcome());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(auth: &[&str], query: &str) -> Result<Option<(String, TokenIn)>, ApiError> {
        let mut headers = HeaderMap::new();
        for value in auth {
            headers.append(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        }
        find(&headers, &decode_pairs(query.as_bytes()))
    }

    fn token(token: &str, token_in: TokenIn) -> Result<Option<(String, TokenIn)>, ApiError> {
        Ok(Some((token.to_owned(), token_in)))
    }

    #[test]
    fn a_token_comes_from_the_header_or_the_query() {
        assert_eq!(
            found(&["Bearer oat_1"], ""),
            token("oat_1", TokenIn::Header)
        );
        assert_eq!(
            found(&["bearer   a.b-c~d+e/f=="], ""),
            token("a.b-c~d+e/f==", TokenIn::Header)
        );
        assert_eq!(
            found(&[], "access_token=oat_2"),
            token("oat_2", TokenIn::Query)
        );
        assert_eq!(
            found(&["Basic eDp5"], "access_token=q"),
            token("q", TokenIn::Query)
        );
    }

    #[test]
    fn no_bearer_token_is_no_token() {
        assert_eq!(found(&[], ""), Ok(None));
        assert_eq!(found(&["Basic eDp5"], ""), Ok(None));
        assert_eq!(found(&[], "access_token="), Ok(None));
    }

    #[test]
    fn a_malformed_or_doubled_token_is_malformed() {
        let malformed =
            |auth: &[&str], query: &str| matches!(found(auth, query), Err(ApiError::Malformed(_)));
        assert!(malformed(&["Bearer a"], "access_token=a"));
        assert!(malformed(&[], "access_token=a&access_token=b"));
        assert!(malformed(&["Bearer a", "Bearer b"], ""));
        assert!(malformed(&["Bearer"], ""));
        assert!(malformed(&["Bearer a b"], ""));
        assert!(malformed(&["Bearer a=b"], ""));
        assert!(malformed(&["Bearer ==="], ""));
    }

    #[test]
    fn challenges_follow_rfc_6750_section_3() {
        assert_eq!(
            ApiError::NoToken.challenge().unwrap(),
            r#"Bearer realm="sandbox""#
        );
        assert_eq!(
            ApiError::InvalidToken(Refusal::Expired)
                .challenge()
                .unwrap(),
            r#"Bearer realm="sandbox", error="invalid_token", error_description="the access token expired""#
        );
        assert_eq!(
            ApiError::InsufficientScope("write").challenge().unwrap(),
            r#"Bearer realm="sandbox", error="insufficient_scope", error_description="this call needs scope write", scope="write""#
        );
        assert_eq!(ApiError::BadBody("x".into()).challenge(), None);
    }
}
