//! `POST /oauth2/revoke` (RFC 7009): a client gives up one of its tokens.
//!
//! The answer is 200 with an empty body whether or not there was anything
//! to revoke (§2.2). A good token of another client is left alone and still
//! answered 200, counted as `revoke_foreign`: to the caller it is not a
//! token of its own, and an error would tell it that the string is live.

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::answer::OAuthError;
use super::client_auth::authenticate;
use super::form::Form;
use crate::Sandbox;
use crate::state::State;
use crate::state::stats::Counter;
use crate::state::tokens::{Revocation, TokenKind};

pub(crate) async fn revoke(
    AxumState(sandbox): AxumState<Sandbox>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let state = sandbox.state();
    state.counters.bump(Counter::OAuth2Revoke);
    match answer(state, &headers, &uri, &body) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => {
            state.counters.bump(Counter::OAuth2RevokeRejected);
            error.into_response()
        }
    }
}

fn answer(state: &State, headers: &HeaderMap, uri: &Uri, body: &[u8]) -> Result<(), OAuthError> {
    let form = Form::read(headers, body)?;
    let token = form.require("token")?;
    // Any hint is accepted and ignored (§2.1 allows it): the sandbox finds
    // the token without one, so it never answers unsupported_token_type.
    form.get("token_type_hint")?;
    let client_id = authenticate(state, headers, uri, &form)?;
    let revoked = state
        .tokens
        .revoke_owned(token, TokenKind::OAuth2Access, &client_id);
    if revoked == Revocation::NotOwner {
        state.counters.bump(Counter::OAuth2RevokeForeign);
    }
    Ok(())
}
