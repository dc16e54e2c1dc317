//! The fault scenarios. Each asserts that every call issued came back (none
//! lost), that each reached the provider at most once plus one replay per
//! refused token (none sent twice), and how many token requests the faults
//! cost; each keeps what it saw in a [`Seen`].
//!
//! Scenarios marked *paused* run on tokio's paused clock: backoff,
//! `Retry-After`, timeouts and expiry pass in virtual time, the sandbox's
//! latency and token lifetimes too, and nothing sleeps for real.
//!
//! By topic: [`token_endpoint`] (the endpoint down, slow, unavailable,
//! undecodable or refusing), [`tokens_gone_bad`] (revoked, a refresh token
//! used up, expiry under a crowd) and [`connections_cut`] (answers cut
//! mid-body). Each scenario is re-exported here, so callers name it
//! `scenarios::…`; what several topics use is below.

mod connections_cut;
mod token_endpoint;
mod tokens_gone_bad;

// Each test binary runs its own share of the scenarios (see `mod.rs`).
#[allow(unused_imports)]
pub use self::{
    connections_cut::connections_cut_mid_body,
    token_endpoint::{
        refusals_with_fields_never_seen_before, token_endpoint_down_then_back,
        token_endpoint_slower_than_the_timeout, unavailable_token_endpoint_is_retried_as_told,
        undecodable_token_answers_cost_one_request,
    },
    tokens_gone_bad::{
        a_rejected_refresh_token_falls_back_to_the_client_credentials,
        hotel_tokens_revoked_behind_the_clients_back, many_callers_as_the_token_expires,
    },
};

use authorized_api::Error;

const HOTEL_TOKEN_PATH: &str = "/api/v1.0/invoke/open-ability/method/oauth2/token";

fn unavailable(error: &Error) -> (u32, &Error) {
    match error {
        Error::TokenUnavailable { attempts, last, .. } => (*attempts, last),
        other => panic!("expected TokenUnavailable, got {other:?}"),
    }
}

fn errors<T: std::fmt::Debug>(results: &[authorized_api::Result<T>]) -> Vec<&Error> {
    results
        .iter()
        .map(|r| r.as_ref().expect_err("every call fails"))
        .collect()
}
