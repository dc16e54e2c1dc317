//! The token endpoint misbehaves (down, slow, unavailable, undecodable,
//! refusing in ways no spec names) and tokens go bad behind the client's
//! back (revoked, a refresh token used up, expiry under a crowd): every
//! call comes back, none is sent twice, and the token requests are counted.
//!
//! The scenarios live in `fault_support/scenarios.rs`, where
//! `secrets_everything.rs` runs them again to check their errors and logs.

mod fault_support;

use fault_support::{Seen, scenarios};

#[tokio::test(start_paused = true)]
async fn token_endpoint_down_then_back() {
    scenarios::token_endpoint_down_then_back(&mut Seen::default()).await;
}

#[tokio::test(start_paused = true)]
async fn token_endpoint_slower_than_the_timeout() {
    scenarios::token_endpoint_slower_than_the_timeout(&mut Seen::default()).await;
}

#[tokio::test(start_paused = true)]
async fn unavailable_token_endpoint_is_retried_as_told() {
    scenarios::unavailable_token_endpoint_is_retried_as_told(&mut Seen::default()).await;
}

#[tokio::test(start_paused = true)]
async fn undecodable_token_answers_cost_one_request() {
    scenarios::undecodable_token_answers_cost_one_request(&mut Seen::default()).await;
}

#[tokio::test]
async fn refusals_with_fields_never_seen_before() {
    scenarios::refusals_with_fields_never_seen_before(&mut Seen::default()).await;
}

#[tokio::test(start_paused = true)]
async fn hotel_tokens_revoked_behind_the_clients_back() {
    scenarios::hotel_tokens_revoked_behind_the_clients_back(&mut Seen::default()).await;
}

#[tokio::test(start_paused = true)]
async fn a_rejected_refresh_token_falls_back_to_the_client_credentials() {
    scenarios::a_rejected_refresh_token_falls_back_to_the_client_credentials(&mut Seen::default())
        .await;
}

#[tokio::test(start_paused = true)]
async fn many_callers_as_the_token_expires() {
    scenarios::many_callers_as_the_token_expires(&mut Seen::default()).await;
}
