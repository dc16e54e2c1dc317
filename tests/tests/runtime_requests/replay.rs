//! A token the API refuses: the call is replayed once with a new token (not
//! a body that can be read only once), many callers meeting a token revoked
//! behind the client's back share one renewal, and calls refused for another
//! reason do not turn into a token request each. Against an `httpmock`
//! server and the sandbox.

use authorized_api::runtime::Error;
use authorized_api::server;
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::{server_client, server_token};

#[tokio::test]
async fn a_request_refused_twice_is_replayed_once_then_returned_as_unauthorized() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_r").await;
    let api = mock
        .mock_async(|when, then| {
            when.path("/api/me");
            then.status(401)
                .json_body(json!({"code": 40100, "msg": "invalid token"}));
        })
        .await;
    let client = server_client(&mock).await;
    let err = client.get("/api/me").send::<Value>().await.unwrap_err();
    assert!(
        matches!(err, Error::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
    assert_eq!(api.calls_async().await, 2, "one replay, not more");
    assert_eq!(token.calls_async().await, 2, "a new token for the replay");
    assert_eq!(client.stats().replays, 1);
    assert!(!err.to_string().contains("sat_r"));

    // A body that can be read only once is not replayed.
    let err = client
        .post("/api/me")
        .body_once(reqwest::Body::from("once"))
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(api.calls_async().await, 3);
    assert_eq!(client.stats().replays, 1);
}

#[tokio::test]
async fn a_token_revoked_behind_the_clients_back_is_replaced_after_one_replay() {
    let sandbox = authorized_sandbox::Sandbox::default()
        .start()
        .await
        .unwrap();
    let client = server::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(authorized_sandbox::DEMO_CLIENT_ID)
        .client_secret(authorized_sandbox::DEMO_CLIENT_SECRET)
        .share_cache(false)
        .build()
        .unwrap();
    let _: Value = client.get("/api/me").send().await.unwrap();
    sandbox.revoke_all_tokens();
    // Many callers meet the refused token at once: one renewal for all.
    let calls = (0..50).map(|_| client.get("/api/me").send::<Value>());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    let stats = sandbox.stats();
    assert_eq!(stats.server.token_client_credentials, 2);
    assert!(stats.server.api_unauthorized >= 1);
    assert_eq!(client.stats().replays, stats.server.api_unauthorized);
}

#[tokio::test]
async fn calls_refused_for_another_reason_do_not_turn_into_token_requests() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_p").await;
    mock.mock_async(|when, then| {
        when.path("/api/me");
        then.status(200).json_body(json!({}));
    })
    .await;
    let forbidden = mock
        .mock_async(|when, then| {
            when.path("/api/admin");
            then.status(401)
                .json_body(json!({"code": 40100, "msg": "sudo user lacks permission"}));
        })
        .await;
    let client = server_client(&mock).await;
    let _: Value = client.get("/api/me").send().await.unwrap();
    for _ in 0..20 {
        let err = client.get("/api/admin").send::<Value>().await.unwrap_err();
        assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    }
    // The first refusal of a token that had worked drops it and replays with
    // a new one; that one is refused too, so it is kept, and later refusals
    // are returned without asking for more tokens.
    assert_eq!(
        token.calls_async().await,
        2,
        "not one token request per refused call"
    );
    assert_eq!(forbidden.calls_async().await, 21, "one replay in all");
    assert_eq!(client.stats().replays, 1);
    let _: Value = client.get("/api/me").send().await.unwrap();
    assert_eq!(token.calls_async().await, 2);
}
