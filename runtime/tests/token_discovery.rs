//! The token endpoint an issuer's metadata names (RFC 8414): a metadata
//! read that fails for now is retried as a token request is; metadata that
//! cannot be used is an error at once, asked for once.

mod common;

use std::time::Duration;

use authorized_runtime::{Client, Error, RetryPolicy};
use common::*;
use serde_json::json;

/// The issuer's metadata, naming `issuer` and its token endpoint below `base`.
fn metadata(base: &str, issuer: &str) -> Reply {
    Reply::json(
        200,
        json!({"issuer": issuer, "token_endpoint": format!("{base}/moved/token")}),
    )
}

fn discovered_client(mock: &Scripted) -> Client<Discovered> {
    let base = mock.server.base_url();
    Client::<Discovered>::builder()
        .base_url(format!("{base}/nowhere/"))
        .issuer(base)
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .allow_insecure_http(true)
        .share_cache(false)
        .retry_policy(RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(1),
            jitter: false,
        })
        .build()
        .unwrap()
}

fn paths(mock: &Scripted) -> Vec<String> {
    mock.requests().into_iter().map(|r| r.path).collect()
}

const WELL_KNOWN: &str = "/.well-known/oauth-authorization-server";

// A real clock: the client's timeouts would fire at once on a paused one
// while the mock server answers, so the retries wait a millisecond instead.
#[tokio::test]
async fn a_metadata_read_that_fails_for_now_is_retried_like_a_token_request() {
    let mock = Scripted::start_for(|base| {
        vec![
            Reply::text(503, "busy"),
            metadata(base, base),
            server_ok(json!("60")),
        ]
    })
    .await;
    let token = discovered_client(&mock).token().await.unwrap();
    assert_eq!(token.expose(), SERVER_TOKEN);
    assert_eq!(paths(&mock), [WELL_KNOWN, WELL_KNOWN, "/moved/token"]);
}

#[tokio::test]
async fn metadata_naming_another_issuer_is_an_error_at_once() {
    let mock = Scripted::start_for(|base| vec![metadata(base, "https://other.example")]).await;
    let error = discovered_client(&mock).token().await.unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("`issuer`"), "{error}");
    assert_eq!(paths(&mock), [WELL_KNOWN], "asked once, not retried");
    assert_clean(&error, &[]);
}
