//! `POST /api/v1.0/invoke/open-ability/method/oauth2/token`: client
//! credentials and refresh (with rotation) on one form-encoded endpoint.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::envelope::{HotelError, success, success_body};
use crate::Sandbox;
use crate::request::{Pairs, content_type_is, decimal, decode_pairs, single};
use crate::state::State;
use crate::state::stats::Counter;
use crate::state::tokens::{Redeem, TokenKind, whole_secs};

const FORM: &str = "application/x-www-form-urlencoded";

/// The `result` of a successful token answer.
#[derive(Debug, Serialize)]
struct Tokens {
    access_token: String,
    refresh_token: String,
    token_type: &'static str,
    expires_in: u64,
}

pub(crate) async fn token(
    AxumState(sandbox): AxumState<Sandbox>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let state = sandbox.state();
    let form = read_form(&headers, &body);
    match form
        .as_ref()
        .ok()
        .and_then(|f| single(f, "grant_type").ok().flatten())
    {
        Some("client_credentials") => state.counters.bump(Counter::HotelTokenClientCredentials),
        Some("refresh_token") => state.counters.bump(Counter::HotelTokenRefresh),
        _ => {}
    }
    let failure = state.faults.take_failure();
    state.faults.token_delay().await;
    let answer = match failure {
        Some(failure) => {
            let cut = || success_body(dead_tokens(state));
            Err(failure.render(HotelError::injected_body, cut))
        }
        None => form
            .and_then(|f| grant(state, &f))
            .map_err(IntoResponse::into_response),
    };
    answer.map(success).unwrap_or_else(|rejection| {
        state.counters.bump(Counter::HotelTokenRejected);
        rejection
    })
}

fn read_form(headers: &HeaderMap, body: &[u8]) -> Result<Pairs, HotelError> {
    if content_type_is(headers, FORM) {
        Ok(decode_pairs(body))
    } else {
        Err(HotelError::invalid_request(format!(
            "Content-Type must be {FORM}"
        )))
    }
}

fn grant(state: &State, form: &Pairs) -> Result<Tokens, HotelError> {
    match required(form, "grant_type")? {
        "client_credentials" => client_credentials(state, form),
        "refresh_token" => refresh(state, form),
        _ => Err(HotelError::unsupported_grant_type()),
    }
}

fn client_credentials(state: &State, form: &Pairs) -> Result<Tokens, HotelError> {
    let (client_id, client_secret) = (
        required(form, "client_id")?,
        required(form, "client_secret")?,
    );
    let scope = required(form, "scope")?;
    let lifetime = lifetime(state, form)?;
    if !state.config.authenticates(client_id, client_secret) {
        return Err(HotelError::invalid_client());
    }
    if scope != "hotel" {
        return Err(HotelError::invalid_scope());
    }
    Ok(issue(state, client_id, lifetime))
}

fn refresh(state: &State, form: &Pairs) -> Result<Tokens, HotelError> {
    let (client_id, client_secret) = (
        required(form, "client_id")?,
        required(form, "client_secret")?,
    );
    let refresh_token = required(form, "refresh_token")?;
    let lifetime = lifetime(state, form)?;
    if !state.config.authenticates(client_id, client_secret) {
        return Err(HotelError::invalid_client());
    }
    // A used refresh token gets the same answer as an unknown one; only the
    // counters tell them apart.
    match state.tokens.redeem_refresh(refresh_token, client_id) {
        Redeem::Redeemed => Ok(issue(state, client_id, lifetime)),
        Redeem::Reused => {
            state.counters.bump(Counter::HotelRefreshTokenReused);
            Err(HotelError::invalid_grant())
        }
        Redeem::Invalid => {
            state.counters.bump(Counter::HotelRefreshTokenInvalid);
            Err(HotelError::invalid_grant())
        }
    }
}

/// The value of a field that must be sent once, not empty.
fn required<'a>(form: &'a Pairs, name: &'static str) -> Result<&'a str, HotelError> {
    match single(form, name) {
        Ok(Some(value)) if !value.is_empty() => Ok(value),
        Ok(_) => Err(HotelError::invalid_request(format!(
            "missing parameter {name}"
        ))),
        Err(_) => Err(HotelError::invalid_request(format!(
            "parameter {name} sent more than once"
        ))),
    }
}

/// The lifetime granted: the configured one, or less if `expires_in` asks.
fn lifetime(state: &State, form: &Pairs) -> Result<Duration, HotelError> {
    let most = state.config.hotel_token_lifetime;
    let invalid =
        || HotelError::invalid_request("expires_in must be a positive integer of seconds");
    match single(form, "expires_in").map_err(|_| invalid())? {
        None => Ok(most),
        Some(secs) => match decimal(secs) {
            Some(secs) if secs > 0 => Ok(most.min(Duration::from_secs(secs))),
            _ => Err(invalid()),
        },
    }
}

fn issue(state: &State, client_id: &str, lifetime: Duration) -> Tokens {
    Tokens {
        access_token: state.issue_access(TokenKind::HotelAccess, client_id, "", lifetime),
        refresh_token: state.tokens.issue_refresh(client_id),
        token_type: "bearer",
        expires_in: whole_secs(lifetime),
    }
}

/// Tokens for an answer that is cut short on purpose: recorded, never good.
fn dead_tokens(state: &State) -> Tokens {
    Tokens {
        access_token: state.tokens.issue_dead(TokenKind::HotelAccess),
        refresh_token: state.tokens.issue_dead(TokenKind::HotelRefresh),
        token_type: "bearer",
        expires_in: whole_secs(state.config.hotel_token_lifetime),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SandboxConfig;

    fn lifetime_for(expires_in: &str) -> Result<Duration, HotelError> {
        let state = State::new(SandboxConfig::default());
        lifetime(
            &state,
            &decode_pairs(format!("expires_in={expires_in}").as_bytes()),
        )
    }

    #[test]
    fn expires_in_can_only_shorten_the_lifetime() {
        assert_eq!(lifetime_for("60"), Ok(Duration::from_secs(60)));
        assert_eq!(lifetime_for("999999"), Ok(Duration::from_secs(7200)));
        for bad in ["0", "-5", "+5", "1.5", "abc", "", "99999999999999999999999"] {
            assert!(lifetime_for(bad).is_err(), "{bad}");
        }
    }
}
