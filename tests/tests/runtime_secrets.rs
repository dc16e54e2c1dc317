//! Nothing observable ever shows the client secret, an access token or a
//! refresh token: `Debug` and `Display` of every public type that holds one,
//! every error the failure paths produce, and all tracing output at TRACE.
//!
//! Alone in its binary: it installs a global tracing subscriber.

use std::time::Duration;

use authorized_api::runtime::{RefreshMargins, RetryPolicy};
use authorized_api::{Sudo, hotel, server};
use authorized_tests::CapturedLogs;
use httpmock::prelude::*;
use serde_json::{Value, json};
use tracing_subscriber::EnvFilter;

const SECRET: &str = "cs_9f8e7d6c5b4a3921";
const ACCESS: &str = "sat_aa11bb22cc33dd44";
const ACCESS_2: &str = "sat_ee55ff66aa77bb88";
const HOTEL_ACCESS: &str = "hat_1029384756abcdef";
const HOTEL_REFRESH: &str = "hrt_fedcba6574839201";

fn builder(base: &str) -> authorized_api::ClientBuilder<server::Provider> {
    server::Client::builder()
        .base_url(base)
        .client_id("client-s")
        .client_secret(SECRET)
        .share_cache(false)
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            jitter: false,
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_is_ever_shown() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(
            "trace,httpmock=off,hyper=off,hyper_util=off",
        ))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let mut seen: Vec<String> = Vec::new();
    let mock = MockServer::start_async().await;

    // A server token endpoint that hands out ACCESS, then ACCESS_2.
    let first = mock
        .mock_async(|when, then| {
            when.path("/api/oauth2/server/tokens");
            then.status(200).json_body(json!({
                "access_token": ACCESS, "token_type": "bearer", "expires_in": "7200", "scope": "sudo"
            }));
        })
        .await;
    let client = builder(&mock.base_url()).build().unwrap();
    seen.push(format!("{client:?}"));
    seen.push(format!("{:?}", builder(&mock.base_url())));
    let token = client.token().await.unwrap();
    seen.push(format!("{token:?} {token}"));
    first.delete_async().await;
    mock.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens");
        then.status(200).json_body(json!({
            "access_token": ACCESS_2, "token_type": "bearer", "expires_in": "7200"
        }));
    })
    .await;

    // An API error that echoes the token; a call refused twice (replayed).
    mock.mock_async(|when, then| {
        when.path("/api/echoes");
        then.status(400).json_body(
            json!({"code": 1, "msg": format!("token {ACCESS} is odd; secret={SECRET}")}),
        );
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/api/refused");
        then.status(401)
            .body(format!("<html>bad token {ACCESS} / {ACCESS_2}</html>"));
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/api/garbage");
        then.status(200)
            .body(format!("{{\"access_token\":\"{ACCESS}\", \"cut"));
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens/check");
        then.status(200).json_body(json!({
            "access_token": ACCESS, "token_type": "bearer", "expires_in": "7100"
        }));
    })
    .await;
    let err = client
        .get("/api/echoes")
        .sudo(Sudo::uid(1))
        .send::<Value>()
        .await
        .unwrap_err();
    seen.push(format!("{err} {err:?}"));
    let err = client
        .get("/api/refused")
        .send::<Value>()
        .await
        .unwrap_err();
    seen.push(format!("{err} {err:?}"));
    let err = client
        .get("/api/garbage")
        .send::<Value>()
        .await
        .unwrap_err();
    seen.push(format!("{err} {err:?}"));
    let raw = client.get("/api/garbage").send_raw().await.unwrap();
    seen.push(format!("{raw:?}"));
    let checked = client.check_token().await.unwrap();
    seen.push(format!("{checked:?}"));
    let revoke = mock
        .mock_async(|when, then| {
            when.path("/api/oauth2/server/tokens/revoke");
            then.status(200)
                .json_body(json!({"code": 7, "msg": format!("cannot revoke {ACCESS_2}")}));
        })
        .await;
    let err = client.revoke_token().await.unwrap_err();
    seen.push(format!("{err} {err:?}"));
    assert_eq!(revoke.calls_async().await, 1);

    // Token endpoint failures: a rejection echoing the secret, a lifetime
    // that is not a number, a 500, and a timeout.
    for (status, body) in [
        (
            401,
            json!({"code": 40001, "msg": format!("bad client_secret {SECRET}")}).to_string(),
        ),
        (
            200,
            json!({"access_token": ACCESS, "expires_in": "soon"}).to_string(),
        ),
        (500, format!("<h1>error for client_secret={SECRET}</h1>")),
    ] {
        let m = MockServer::start_async().await;
        m.mock_async(|when, then| {
            when.path("/api/oauth2/server/tokens");
            then.status(status).body(body.clone());
        })
        .await;
        let err = builder(&m.base_url())
            .build()
            .unwrap()
            .token()
            .await
            .unwrap_err();
        seen.push(format!("{err} {err:?}"));
    }
    let slow = MockServer::start_async().await;
    slow.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens");
        then.status(200)
            .delay(Duration::from_secs(5))
            .json_body(json!({"access_token": ACCESS}));
    })
    .await;
    let err = builder(&slow.base_url())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap()
        .token()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    seen.push(format!("{err} {err:?}"));

    // Transport error: nothing listens; the URL carries the secret in its query.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let err = builder(&format!("http://{closed}"))
        .build()
        .unwrap()
        .token()
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    seen.push(format!("{err} {err:?}"));
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        seen.push(format!("{cause} {cause:?}"));
        source = cause.source();
    }

    // Hotel: access and refresh tokens, refresh grant.
    let hm = MockServer::start_async().await;
    hm.mock_async(|when, then| {
        when.path("/api/v1.0/invoke/open-ability/method/oauth2/token");
        then.status(200).json_body(json!({"success": true, "timestamp": 1, "result": {
            "access_token": HOTEL_ACCESS, "refresh_token": HOTEL_REFRESH, "token_type": "bearer", "expires_in": 100
        }}));
    })
    .await;
    let hotel_client = hotel::Client::builder()
        .base_url(hm.base_url())
        .client_id("client-h")
        .client_secret(SECRET)
        .share_cache(false)
        .refresh_margins(RefreshMargins {
            refresh_fraction: 1.0,
            refresh_max: Duration::from_secs(1000),
            safety_fraction: 1.0,
            safety_max: Duration::from_secs(1000),
        })
        .build()
        .unwrap();
    hotel_client.token().await.unwrap();
    // Inside the safety window from the start: the next call renews with the refresh grant.
    hotel_client.token().await.unwrap();
    seen.push(format!("{hotel_client:?}"));

    let logs = logs.text();
    // What is logged: fetches with provider, grant, attempt, outcome and the
    // lifetime granted; replays.
    for expected in [
        "provider=\"server\"",
        "provider=\"hotel\"",
        "grant=\"client_credentials\"",
        "grant=\"refresh_token\"",
        "attempt=",
        "lifetime",
        "replaying once with a new token",
    ] {
        assert!(
            logs.contains(expected),
            "`{expected}` is not in the logs:\n{logs}"
        );
    }
    seen.push(logs);
    for text in &seen {
        for secret in [SECRET, ACCESS, ACCESS_2, HOTEL_ACCESS, HOTEL_REFRESH] {
            assert!(!text.contains(secret), "`{secret}` leaked in:\n{text}");
        }
    }
}
