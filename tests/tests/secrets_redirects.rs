//! A provider (or whatever answers in its name) that redirects elsewhere
//! never gets the client secret, a token or a request body sent on: the
//! client follows redirects only within the origin it was pointed at.
//!
//! Found by this test: the client used reqwest's default policy (follow up
//! to 10 redirects anywhere), so a 307 from the hotel token endpoint resent
//! the form body, client secret included, to any host the `Location` named,
//! `http://` too, and the token that host answered was cached and used.

use authorized_api::runtime::Error;
use authorized_api::{TokenIn, hotel, server};
use httpmock::prelude::*;
use serde_json::{Value, json};

const SECRET: &str = "cs_redirect_5e6f7a8b";
const TOKEN: &str = "sat_redirect_1a2b3c4d";

/// A server that answers anything, and counts what it got.
async fn elsewhere() -> (MockServer, usize) {
    let thief = MockServer::start_async().await;
    let id = thief
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({
                "success": true, "timestamp": 1,
                "result": {"access_token": "hat_stolen", "expires_in": 7200},
                "access_token": "sat_stolen", "expires_in": "7200"
            }));
        })
        .await
        .id();
    (thief, id)
}

async fn calls(server: &MockServer, id: usize) -> usize {
    httpmock::Mock::new(id, server).calls_async().await
}

fn hotel_client(base: &str) -> hotel::Client {
    hotel::Client::builder()
        .base_url(base)
        .client_id("client-r")
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

fn server_client(base: &str) -> server::Client {
    server::Client::builder()
        .base_url(base)
        .client_id("client-r")
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

fn assert_clean(error: &Error) {
    let shown = format!("{error} {error:?}");
    for secret in [SECRET, TOKEN] {
        assert!(!shown.contains(secret), "`{secret}` in {shown}");
    }
}

#[tokio::test]
async fn a_token_endpoint_redirecting_elsewhere_gets_nothing_sent_on() {
    let (thief, stolen) = elsewhere().await;
    let vendor = MockServer::start_async().await;
    for status in [301, 302, 303, 307, 308] {
        let redirect = vendor
            .mock_async(|when, then| {
                when.any_request();
                then.status(status)
                    .header("Location", format!("{}/collect", thief.base_url()));
            })
            .await;
        // Hotel: POST, the secret in the form body (a 307/308 would resend it).
        let error = hotel_client(&vendor.base_url()).token().await.unwrap_err();
        assert!(
            matches!(&error, Error::Config(m) if m.contains("redirect")),
            "{status}: {error:?}"
        );
        assert_clean(&error);
        // Server: GET, the secret in the query.
        let error = server_client(&vendor.base_url()).token().await.unwrap_err();
        assert!(
            matches!(&error, Error::Config(m) if m.contains("redirect")),
            "{status}: {error:?}"
        );
        assert_clean(&error);
        assert_eq!(
            redirect.calls_async().await,
            2,
            "{status}: one request each, no retry"
        );
        redirect.delete_async().await;
    }
    assert_eq!(
        calls(&thief, stolen).await,
        0,
        "nothing reached the other host"
    );
}

#[tokio::test]
async fn api_calls_are_not_followed_elsewhere_either() {
    let (thief, stolen) = elsewhere().await;
    let vendor = MockServer::start_async().await;
    vendor
        .mock_async(|when, then| {
            when.path("/api/oauth2/server/tokens");
            then.status(200).json_body(json!({
                "access_token": TOKEN, "token_type": "bearer", "expires_in": "7200"
            }));
        })
        .await;
    let moved = vendor
        .mock_async(|when, then| {
            when.path("/api/moved");
            then.status(307)
                .header("Location", format!("{}/collect", thief.base_url()));
        })
        .await;
    let client = server_client(&vendor.base_url());
    for token_in in [TokenIn::Header, TokenIn::Query] {
        let raw = client
            .post("/api/moved")
            .token_in(token_in)
            .json(&json!({"card": "4111 1111 1111 1111"}))
            .send_raw()
            .await
            .unwrap();
        assert_eq!(raw.status(), 307, "the redirect itself is the answer");
        let error = client
            .get("/api/moved")
            .token_in(token_in)
            .send::<Value>()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Api { status: 307, .. }), "{error:?}");
        assert_clean(&error);
    }
    assert_eq!(moved.calls_async().await, 4);
    assert_eq!(calls(&thief, stolen).await, 0);
}

#[tokio::test]
async fn redirects_within_the_same_origin_are_still_followed() {
    let vendor = MockServer::start_async().await;
    let old = vendor
        .mock_async(|when, then| {
            when.path("/api/oauth2/server/tokens");
            then.status(307)
                .header("Location", "/v2/oauth2/server/tokens?moved=1");
        })
        .await;
    let new = vendor
        .mock_async(|when, then| {
            when.path("/v2/oauth2/server/tokens");
            then.status(200).json_body(json!({
                "access_token": TOKEN, "token_type": "bearer", "expires_in": "7200"
            }));
        })
        .await;
    let token = server_client(&vendor.base_url()).token().await.unwrap();
    assert_eq!(token.expose(), TOKEN);
    assert_eq!((old.calls_async().await, new.calls_async().await), (1, 1));
}
