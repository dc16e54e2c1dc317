//! `POST /oauth2/token`: the client credentials grant (RFC 6749 §4.4).
//!
//! No refresh tokens: §4.4.3 says a refresh token SHOULD NOT be included
//! for this grant, so `grant_type=refresh_token` is `unsupported_grant_type`
//! like any grant other than `client_credentials`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::answer::{OAuthError, forbid_caching};
use super::client_auth::{AuthMethod, authenticate};
use super::form::Form;
use super::scope;
use crate::Sandbox;
use crate::state::State;
use crate::state::stats::Counter;
use crate::state::tokens::{TokenKind, whole_secs};

/// A successful answer (§5.1). `scope` is always there, asked for or not.
#[derive(Debug, Serialize)]
struct TokenAnswer {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
    scope: String,
}

pub(crate) async fn token(
    AxumState(sandbox): AxumState<Sandbox>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let state = sandbox.state();
    let form = Form::read(&headers, &body);
    let method = AuthMethod::of(&headers, form.as_ref().ok());
    state.counters.bump(method.token_counter());
    let failure = state.faults.take_failure();
    state.faults.token_delay().await;
    let answer = match failure {
        Some(failure) => {
            let cut = || serde_json::to_vec(&dead_answer(state)).unwrap_or_default();
            Err(failure.render(OAuthError::injected_body, cut))
        }
        None => form
            .and_then(|form| grant(state, &headers, &uri, &form))
            .map_err(IntoResponse::into_response),
    };
    match answer {
        Ok(answer) => {
            state.counters.bump(Counter::OAuth2TokenIssued);
            let mut response = Json(answer).into_response();
            forbid_caching(response.headers_mut());
            response
        }
        Err(rejection) => {
            state.counters.bump(Counter::OAuth2TokenRejected);
            rejection
        }
    }
}

/// Checks the request in this order: its parameters, the client, the grant
/// type, the scope.
fn grant(
    state: &State,
    headers: &HeaderMap,
    uri: &Uri,
    form: &Form,
) -> Result<TokenAnswer, OAuthError> {
    let grant_type = form.require("grant_type")?;
    let requested = form.get("scope")?;
    let client_id = authenticate(state, headers, uri, form)?;
    match grant_type {
        "client_credentials" => {}
        "refresh_token" => {
            return Err(OAuthError::unsupported_grant_type(
                "this server issues no refresh tokens for client credentials \
                 (RFC 6749 section 4.4.3): ask for a new token with client_credentials",
            ));
        }
        _ => {
            return Err(OAuthError::unsupported_grant_type(
                "only grant_type=client_credentials is supported",
            ));
        }
    }
    let scope = scope::grant(requested)?;
    let lifetime = state.config.oauth2_token_lifetime;
    let access_token = state.issue_access(TokenKind::OAuth2Access, &client_id, &scope, lifetime);
    Ok(TokenAnswer {
        access_token,
        token_type: "Bearer",
        expires_in: whole_secs(lifetime),
        scope,
    })
}

/// An answer that is cut short on purpose: its token is recorded, never good.
fn dead_answer(state: &State) -> TokenAnswer {
    TokenAnswer {
        access_token: state.tokens.issue_dead(TokenKind::OAuth2Access),
        token_type: "Bearer",
        expires_in: whole_secs(state.config.oauth2_token_lifetime),
        scope: scope::KNOWN.join(" "),
    }
}
