//! How long an answer may be: a check answer over a mebibyte, an API answer
//! over the client's `max_answer_bytes` (16 MiB by default), whether sent
//! whole or in chunks, is a decode error quoting its start, not a buffer;
//! one exactly at the limit passes. Against an `httpmock` server and an
//! `axum` one for chunked answers.

use authorized_api::runtime::{Error, Stage};
use authorized_api::server;
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::{ID, SECRET, server_client, server_token};

#[tokio::test]
async fn a_check_answer_over_a_mebibyte_is_a_decode_error_not_a_buffer() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_big").await;
    let body = format!(
        r#"{{"access_token":"sat_big","pad":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    mock.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens/check");
        then.status(200).body(body);
    })
    .await;
    let client = server_client(&mock).await;
    match client.check_token().await.unwrap_err() {
        Error::Decode {
            stage,
            reason,
            body,
            ..
        } => {
            assert_eq!(stage, Stage::TokenCheck);
            assert_eq!(reason, "the answer is longer than 1048576 bytes");
            let quoted = body.to_string();
            assert!(quoted.starts_with(r#"{"access_token":"#), "{quoted}");
            assert!(!quoted.contains("sat_big"), "{quoted}");
        }
        other => panic!("{other:?}"),
    }
}

/// `{"pad":"xxx…"}`, exactly `len` bytes long.
fn json_of_len(len: usize) -> String {
    format!(r#"{{"pad":"{}"}}"#, "x".repeat(len - 10))
}

#[tokio::test]
async fn an_api_answer_over_the_clients_limit_fails_quoting_its_start_and_one_at_it_passes() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_lim").await;
    mock.mock_async(|when, then| {
        when.path("/api/at");
        then.status(200).body(json_of_len(64));
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/api/over");
        // The token, echoed at the start: the excerpt must hide it.
        then.status(200)
            .body(format!(r#"{{"t":"sat_lim","pad":"{}"}}"#, "x".repeat(60)));
    })
    .await;
    let client = server::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .share_cache(false)
        .max_answer_bytes(64)
        .build()
        .unwrap();
    let at: Value = client.get("/api/at").send().await.unwrap();
    assert_eq!(at["pad"].as_str().unwrap().len(), 54);
    match client.get("/api/over").send::<Value>().await.unwrap_err() {
        Error::Decode {
            stage,
            reason,
            body,
            ..
        } => {
            assert_eq!(stage, Stage::ApiCall);
            assert!(
                reason.starts_with("the answer is longer than 64 bytes"),
                "{reason}"
            );
            assert!(reason.contains("max_answer_bytes"), "{reason}");
            let quoted = body.to_string();
            assert!(quoted.starts_with(r#"{"t":"#), "{quoted}");
            assert!(!quoted.contains("sat_lim"), "{quoted}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_default_limit_on_api_answers_is_16_mib() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_def").await;
    mock.mock_async(|when, then| {
        when.path("/api/huge");
        then.status(200).body(json_of_len((16 << 20) + 1));
    })
    .await;
    let client = server_client(&mock).await;
    match client.get("/api/huge").send::<Value>().await.unwrap_err() {
        Error::Decode { reason, .. } => {
            assert!(
                reason.starts_with("the answer is longer than 16777216 bytes"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A loopback server provider whose `/api/chunked` answers `pieces` as
/// separate chunks, with no `Content-Length`.
async fn chunked_server(pieces: Vec<String>) -> String {
    use axum::body::Body;
    use axum::routing::get;
    use std::convert::Infallible;
    let token = get(|| async {
        axum::Json(json!({"access_token": "sat_ch", "token_type": "bearer", "expires_in": 3600}))
    });
    let chunked = get(move || {
        let pieces = pieces.clone().into_iter().map(Ok::<_, Infallible>);
        async move { Body::from_stream(futures::stream::iter(pieces)) }
    });
    let app = axum::Router::new()
        .route("/api/oauth2/server/tokens", token)
        .route("/api/chunked", chunked);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base_url
}

#[tokio::test]
async fn a_chunked_api_answer_is_read_whole_up_to_the_limit_and_refused_past_it() {
    // 3 × 30 bytes: {"pad":"xxx…xxx"} cut in three.
    let whole = json_of_len(90);
    let pieces = vec![
        whole[..30].to_owned(),
        whole[30..60].to_owned(),
        whole[60..].to_owned(),
    ];
    let base_url = chunked_server(pieces).await;
    let client = |limit| {
        server::Client::builder()
            .base_url(&base_url)
            .client_id(ID)
            .client_secret(SECRET)
            .share_cache(false)
            .max_answer_bytes(limit)
            .build()
            .unwrap()
    };
    let read: Value = client(90).get("/api/chunked").send().await.unwrap();
    assert_eq!(read, serde_json::from_str::<Value>(&whole).unwrap());
    match client(89)
        .get("/api/chunked")
        .send::<Value>()
        .await
        .unwrap_err()
    {
        Error::Decode { reason, body, .. } => {
            assert!(
                reason.starts_with("the answer is longer than 89 bytes"),
                "{reason}"
            );
            assert!(body.to_string().starts_with(r#"{"pad":"xxx"#), "{body}");
        }
        other => panic!("{other:?}"),
    }
}
