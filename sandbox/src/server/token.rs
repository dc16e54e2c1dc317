//! `GET /api/oauth2/server/tokens` and its `check` and `revoke` siblings.

use axum::Json;
use axum::extract::State as AxumState;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use tokio::time::Instant;

use super::ServerError;
use crate::Sandbox;
use crate::request::{Pairs, decode_pairs, single};
use crate::state::State;
use crate::state::stats::Counter;
use crate::state::tokens::{TokenKind, whole_secs};

/// A token answer, from the token and check endpoints alike.
#[derive(Debug, Serialize)]
struct TokenAnswer {
    access_token: String,
    token_type: &'static str,
    /// Seconds, as a string: the document types it STRING.
    expires_in: String,
    scope: &'static str,
}

impl TokenAnswer {
    fn new(access_token: String, expires_in: u64) -> Self {
        Self {
            access_token,
            token_type: "bearer",
            expires_in: expires_in.to_string(),
            scope: "sudo",
        }
    }
}

fn query(uri: &Uri) -> Pairs {
    decode_pairs(uri.query().unwrap_or_default().as_bytes())
}

/// A parameter that must be sent exactly once, not empty.
fn required<'a>(query: &'a Pairs, name: &'static str) -> Result<&'a str, ServerError> {
    match single(query, name) {
        Ok(Some(value)) if !value.is_empty() => Ok(value),
        _ => Err(ServerError::missing_or_repeated(name)),
    }
}

pub(crate) async fn token(AxumState(sandbox): AxumState<Sandbox>, uri: Uri) -> Response {
    let state = sandbox.state();
    let query = query(&uri);
    if single(&query, "grant_type") == Ok(Some("client_credentials")) {
        state.counters.bump(Counter::ServerTokenClientCredentials);
    }
    let failure = state.faults.take_failure();
    state.faults.token_delay().await;
    let answer = match failure {
        Some(failure) => {
            let lifetime = whole_secs(state.config.server_token_lifetime);
            let cut = || {
                let dead =
                    TokenAnswer::new(state.tokens.issue_dead(TokenKind::ServerAccess), lifetime);
                serde_json::to_vec(&dead).unwrap_or_default()
            };
            Err(failure.render(ServerError::injected_body, cut))
        }
        None => issue(state, &query).map_err(IntoResponse::into_response),
    };
    answer
        .map(|a| Json(a).into_response())
        .unwrap_or_else(|rejection| {
            state.counters.bump(Counter::ServerTokenRejected);
            rejection
        })
}

fn issue(state: &State, query: &Pairs) -> Result<TokenAnswer, ServerError> {
    if required(query, "grant_type")? != "client_credentials" {
        return Err(ServerError::bad_request(
            "unsupported grant_type: only client_credentials",
        ));
    }
    let (client_id, client_secret) = (
        required(query, "client_id")?,
        required(query, "client_secret")?,
    );
    if !state.config.authenticates(client_id, client_secret) {
        return Err(ServerError::invalid_client());
    }
    let lifetime = state.config.server_token_lifetime;
    let token = state.issue_access(TokenKind::ServerAccess, client_id, "", lifetime);
    Ok(TokenAnswer::new(token, whole_secs(lifetime)))
}

/// `GET /api/oauth2/server/tokens/check?token=…`: the four token fields with
/// the seconds left, or 401.
pub(crate) async fn check(
    AxumState(sandbox): AxumState<Sandbox>,
    uri: Uri,
) -> Result<Response, ServerError> {
    let state = sandbox.state();
    state.counters.bump(Counter::ServerCheck);
    let query = query(&uri);
    let token = required(&query, "token")?;
    let now = Instant::now();
    let grant = state.tokens.access(token, TokenKind::ServerAccess, now);
    let grant = grant.ok_or_else(ServerError::check_failed)?;
    let left = whole_secs(grant.expires_at - now);
    Ok(Json(TokenAnswer::new(token.to_owned(), left)).into_response())
}

/// `GET /api/oauth2/server/tokens/revoke?token=…`: `code` 0, or 40102 when
/// there was nothing to revoke. Both in a 200.
pub(crate) async fn revoke(
    AxumState(sandbox): AxumState<Sandbox>,
    uri: Uri,
) -> Result<Response, ServerError> {
    let state = sandbox.state();
    state.counters.bump(Counter::ServerRevoke);
    let query = query(&uri);
    let token = required(&query, "token")?;
    let body = if state.tokens.revoke(token, TokenKind::ServerAccess) {
        json!({ "code": 0, "msg": "success" })
    } else {
        json!({ "code": 40102, "msg": "token not found" })
    };
    Ok((StatusCode::OK, Json(body)).into_response())
}
