//! The middleware and the client it is made from share one token cache
//! and one count: a token the client fetched is the one the middleware
//! sends, a token the middleware renewed is the one the client uses next,
//! and `Client::stats` counts both.

use serde_json::Value;

use crate::support::{Recorder, sandbox, server_client, stack};

#[tokio::test]
async fn a_token_fetched_by_the_client_is_the_one_the_middleware_sends() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let token = api.token().await.unwrap();
    let recorder = Recorder::default();
    let http = stack(&api, &recorder);
    let answer = http.get(api.url("/api/me").unwrap()).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        recorder.last().authorization().unwrap().to_str().unwrap(),
        format!("Bearer {}", token.expose())
    );
    assert_eq!(
        sandbox.stats().server.token_client_credentials,
        1,
        "no second token request"
    );
}

#[tokio::test]
async fn clones_and_the_client_share_one_cache_and_one_count() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let middleware = api.middleware();
    let one = authorized_api::reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(middleware.clone())
        .build();
    let other = authorized_api::reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(middleware)
        .build();
    let url = api.url("/api/me").unwrap();
    assert_eq!(one.get(url.clone()).send().await.unwrap().status(), 200);
    assert_eq!(other.get(url.clone()).send().await.unwrap().status(), 200);
    let _: Value = api.get("/api/me").send().await.unwrap();
    assert_eq!(sandbox.stats().server.token_client_credentials, 1);
    assert_eq!(api.stats().requests, 3);

    // The middleware renews a revoked token; the client then uses it.
    sandbox.revoke_all_tokens();
    assert_eq!(other.get(url).send().await.unwrap().status(), 200);
    let _: Value = api.get("/api/me").send().await.unwrap();
    let stats = sandbox.stats();
    assert_eq!(stats.server.token_client_credentials, 2);
    assert_eq!(stats.server.api_unauthorized, 1);
    assert_eq!(api.stats().requests, 6);
    assert_eq!(api.stats().replays, 1);
}
