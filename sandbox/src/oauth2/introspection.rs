//! `POST /oauth2/introspect` (RFC 7662): whether an access token is active,
//! and what it grants.
//!
//! Any authenticated client may introspect any token, as a resource server
//! would; a token that is unknown, expired, revoked or not an OAuth 2.0
//! access token of this sandbox is `{"active": false}` and nothing more
//! (§2.2), never an error.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use tokio::time::Instant;

use super::answer::OAuthError;
use super::client_auth::authenticate;
use super::form::Form;
use crate::Sandbox;
use crate::state::State;
use crate::state::stats::Counter;
use crate::state::tokens::{TokenKind, whole_secs};

/// The answer for an active token (§2.2). `exp` is `iat` plus the lifetime
/// announced at issue, in seconds since the Unix epoch on tokio's clock.
#[derive(Debug, Serialize)]
struct Active<'a> {
    active: bool,
    scope: &'a str,
    client_id: &'a str,
    token_type: &'static str,
    exp: u64,
    iat: u64,
}

pub(crate) async fn introspect(
    AxumState(sandbox): AxumState<Sandbox>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let state = sandbox.state();
    state.counters.bump(Counter::OAuth2Introspect);
    answer(state, &headers, &uri, &body).unwrap_or_else(|error| {
        state.counters.bump(Counter::OAuth2IntrospectRejected);
        error.into_response()
    })
}

fn answer(
    state: &State,
    headers: &HeaderMap,
    uri: &Uri,
    body: &[u8],
) -> Result<Response, OAuthError> {
    let form = Form::read(headers, body)?;
    let token = form.require("token")?;
    // The hint only speeds up a lookup (§2.1); there is one kind to look in.
    form.get("token_type_hint")?;
    authenticate(state, headers, uri, &form)?;
    let grant = state
        .tokens
        .lookup(token, TokenKind::OAuth2Access, Instant::now());
    let Ok(grant) = grant else {
        return Ok(Json(json!({ "active": false })).into_response());
    };
    state.counters.bump(Counter::OAuth2IntrospectActive);
    let iat = state.clock.epoch_secs(grant.issued_at);
    let active = Active {
        active: true,
        scope: &grant.scope,
        client_id: &grant.client_id,
        token_type: "Bearer",
        exp: iat + whole_secs(grant.expires_at - grant.issued_at),
        iat,
    };
    Ok(Json(active).into_response())
}
