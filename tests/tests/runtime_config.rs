//! Client configuration: what `build()` accepts and refuses, where
//! credentials come from, and which clients share a token cache.

use std::process::Command;

use authorized_api::runtime::Error;
use authorized_api::{hotel, server};
use httpmock::prelude::*;
use serde_json::json;

async fn server_token(mock: &MockServer) -> httpmock::Mock<'_> {
    mock.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens");
        then.status(200).json_body(
            json!({"access_token": "sat_cfg", "token_type": "bearer", "expires_in": "7200"}),
        );
    })
    .await
}

fn config_error(result: authorized_api::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn build_refuses_cleartext_and_missing_credentials_with_what_to_do() {
    let base = || {
        server::Client::builder()
            .client_id("id")
            .client_secret("secret-1234")
    };
    assert_eq!(
        config_error(base().base_url("http://vendor.example.com").build()),
        "refusing plain http to `vendor.example.com`: the client secret would travel in cleartext; use https, or `allow_insecure_http(true)` on a network you trust"
    );
    base()
        .base_url("http://vendor.example.com")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    base().base_url("http://127.0.0.1:9").build().unwrap();
    base()
        .base_url("https://vendor.example.com/gateway")
        .build()
        .unwrap();
    assert_eq!(
        config_error(
            server::Client::builder()
                .base_url("https://v.example")
                .client_secret("s")
                .build()
        ),
        "no client id for `server`: call `.client_id(…)` or set AUTHORIZED_SERVER_CLIENT_ID"
    );
    assert_eq!(
        config_error(
            server::Client::builder()
                .base_url("https://v.example")
                .client_id("id")
                .build()
        ),
        "no client secret for `server`: call `.client_secret(…)` or set AUTHORIZED_SERVER_CLIENT_SECRET"
    );
    assert_eq!(
        config_error(base().build()),
        "no base url for `server`: call `.base_url(…)` or set AUTHORIZED_SERVER_BASE_URL"
    );
}

#[test]
fn token_parameters_are_checked_against_the_spec() {
    let hotel = || {
        hotel::Client::builder()
            .base_url("https://h.example")
            .client_id("id")
            .client_secret("secret-1234")
    };
    hotel().token_param("expires_in", 7200).build().unwrap();
    assert_eq!(
        config_error(hotel().token_param("expires_in", "soon").build()),
        "the token parameter `expires_in` takes an integer, not `soon`"
    );
    assert_eq!(
        config_error(hotel().token_param("scope", "all").build()),
        "`hotel` takes no token parameter `scope`; it takes: expires_in"
    );
    assert_eq!(
        config_error(
            server::Client::builder()
                .base_url("https://s.example")
                .client_id("id")
                .client_secret("secret-1234")
                .token_param("expires_in", 1)
                .build()
        ),
        "`server` takes no token parameter `expires_in`; it takes: none"
    );
}

#[test]
fn defaults_are_five_seconds_to_connect_and_thirty_per_request() {
    let shown = format!("{:?}", server::Client::builder());
    assert!(shown.contains("connect_timeout: 5s"), "{shown}");
    assert!(shown.contains("timeout: 30s"), "{shown}");
}

#[tokio::test]
async fn hotel_sends_the_expires_in_the_client_asked_for() {
    let mock = MockServer::start_async().await;
    let token = mock
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v1.0/invoke/open-ability/method/oauth2/token")
                .form_urlencoded_tuple("expires_in", "7200");
            then.status(200).json_body(json!({"success": true, "timestamp": 1, "result": {
                "access_token": "hat_x", "refresh_token": "hrt_x", "token_type": "bearer", "expires_in": 7200
            }}));
        })
        .await;
    let client = hotel::Client::builder()
        .base_url(mock.base_url())
        .client_id("id")
        .client_secret("secret-1234")
        .token_param("expires_in", 7200)
        .share_cache(false)
        .build()
        .unwrap();
    client.token().await.unwrap();
    assert_eq!(token.calls_async().await, 1);
}

#[tokio::test]
async fn clones_and_clients_for_the_same_account_share_one_cache() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock).await;
    let build = |share| {
        server::Client::builder()
            .base_url(mock.base_url())
            .client_id("shared-id")
            .client_secret("secret-1234")
            .share_cache(share)
            .build()
            .unwrap()
    };
    let a = build(true);
    let b = build(true);
    let a2 = a.clone();
    a.token().await.unwrap();
    a2.token().await.unwrap();
    b.token().await.unwrap();
    assert_eq!(token.calls_async().await, 1, "one account, one token");
    build(false).token().await.unwrap();
    assert_eq!(
        token.calls_async().await,
        2,
        "an unshared cache fetches its own"
    );
}

#[tokio::test]
async fn a_user_supplied_reqwest_client_is_used() {
    let mock = MockServer::start_async().await;
    let token = mock
        .mock_async(|when, then| {
            when.path("/api/oauth2/server/tokens")
                .header("x-probe", "mine");
            then.status(200).json_body(
                json!({"access_token": "sat_u", "token_type": "bearer", "expires_in": "60"}),
            );
        })
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-probe", "mine".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = server::Client::builder()
        .base_url(mock.base_url())
        .client_id("id")
        .client_secret("secret-1234")
        .http_client(http)
        .share_cache(false)
        .build()
        .unwrap();
    client.token().await.unwrap();
    assert_eq!(token.calls_async().await, 1);
}

/// Runs in a child process with the variables set (changing the
/// environment of a running test binary is unsound).
#[test]
fn credentials_come_from_the_environment() {
    if std::env::var_os("AUTHORIZED_TEST_CHILD").is_some() {
        let client = server::Client::builder().from_env().build().unwrap();
        assert_eq!(client.base_url().as_str(), "https://env.example/gw/");
        let explicit = server::Client::builder()
            .base_url("https://code.example")
            .from_env()
            .build()
            .unwrap();
        assert_eq!(
            explicit.base_url().as_str(),
            "https://code.example/",
            "code wins over the environment"
        );
        return;
    }
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "credentials_come_from_the_environment",
            "--nocapture",
        ])
        .env("AUTHORIZED_TEST_CHILD", "1")
        .env("AUTHORIZED_SERVER_BASE_URL", "https://env.example/gw")
        .env("AUTHORIZED_SERVER_CLIENT_ID", "env-id")
        .env("AUTHORIZED_SERVER_CLIENT_SECRET", "env-secret-1234")
        .status()
        .unwrap();
    assert!(status.success());
}
