//! Where the token goes on an API call: in the bearer header by default, in
//! the query when the client or the call asks, and never in both; against an
//! `httpmock` server.

use authorized_api::{TokenIn, server};
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::{ID, SECRET, server_client, server_token};

#[tokio::test]
async fn the_token_goes_in_the_bearer_header_by_default_and_never_also_in_the_query() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_one").await;
    let api = mock
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/me")
                .header("authorization", "Bearer sat_one")
                .query_param_missing("access_token");
            then.status(200).json_body(json!({"actor": "app"}));
        })
        .await;
    let client = server_client(&mock).await;
    let me: Value = client.get("/api/me").send().await.unwrap();
    assert_eq!(me["actor"], "app");
    let _: Value = client.get("/api/me").send().await.unwrap();
    assert_eq!(api.calls_async().await, 2);
    assert_eq!(token.calls_async().await, 1, "the token is cached");
}

#[tokio::test]
async fn the_token_goes_in_the_query_per_client_or_per_call_and_never_also_in_the_header() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_q").await;
    let api = mock
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/me")
                .query_param("access_token", "sat_q")
                .header_missing("authorization");
            then.status(200).json_body(json!({}));
        })
        .await;
    let per_call = server_client(&mock).await;
    let _: Value = per_call
        .get("/api/me")
        .token_in(TokenIn::Query)
        .send()
        .await
        .unwrap();
    let per_client = server::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .token_in(TokenIn::Query)
        .share_cache(false)
        .build()
        .unwrap();
    let _: Value = per_client.get("/api/me").send().await.unwrap();
    assert_eq!(api.calls_async().await, 2);
}
