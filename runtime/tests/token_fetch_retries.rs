//! Unavailable token endpoints (429, 5xx, refused or cut connections,
//! timeouts) are retried with backoff.

mod common;

use std::time::Duration;

use authorized_runtime::Error;
use common::providers::{HOTEL, SERVER};
use common::*;
use httpmock::MockServer;
use serde_json::json;
use tokio::time::Instant;

// ---- Retries ---------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_503_then_200_takes_two_calls() {
    let mock = Scripted::start(vec![Reply::text(503, "busy"), server_ok(json!("60"))]).await;
    let token = mock.fetcher(&SERVER).fetch(None).await.unwrap();
    assert_eq!(token.access_token.expose(), SERVER_TOKEN);
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_on_429_and_capped() {
    let mock = Scripted::start(vec![
        Reply::text(429, "slow down").header("Retry-After", "7"),
        server_ok(json!(60)),
    ])
    .await;
    let started = Instant::now();
    mock.fetcher(&SERVER).fetch(None).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(7),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(mock.requests().len(), 2);

    let mock = Scripted::start(vec![
        Reply::text(503, "").header("Retry-After", "86400"),
        server_ok(json!(60)),
    ])
    .await;
    let started = Instant::now();
    mock.fetcher(&SERVER).fetch(None).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(10) && waited < Duration::from_secs(86_400),
        "waited {waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn three_500s_make_the_endpoint_unavailable() {
    let mock = Scripted::start(vec![Reply::json(
        500,
        json!({"code": "E500", "msg": "oops"}),
    )])
    .await;
    let error = mock.fetcher(&HOTEL).fetch(None).await.unwrap_err();
    let Error::TokenUnavailable {
        provider: "hotel",
        attempts: 3,
        last,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(last.status(), Some(500));
    assert_eq!(last.code(), Some("E500"));
    assert!(error.is_retryable());
    assert_eq!(mock.requests().len(), 3);
    assert_clean(&error, &[]);
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_retried_and_never_shows_the_url() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let fetcher = common::fetcher(&SERVER, &format!("http://127.0.0.1:{port}/"));
    let error = fetcher.fetch(None).await.unwrap_err();
    let Error::TokenUnavailable {
        attempts: 3, last, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(matches!(**last, Error::Transport { .. }), "{last:?}");
    assert_clean(&error, &[]);
}

#[tokio::test(start_paused = true)]
async fn timeouts_are_retried() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).delay(Duration::from_secs(1)).body("{}");
        })
        .await;
    let mut fetcher = common::fetcher(&SERVER, &server.base_url());
    fetcher.http = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = fetcher.fetch(None).await.unwrap_err();
    assert!(
        matches!(&error, Error::TokenUnavailable { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(error.is_timeout(), "{error:?}");
    assert_clean(&error, &[]);
}

/// A server that cuts the first `broken` answers in the middle of the body,
/// then answers properly.
async fn cutting_server(broken: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for n in 0..=broken {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => request.extend_from_slice(&buffer[..read]),
                }
            }
            let body = format!(r#"{{"access_token":"{SERVER_TOKEN}","expires_in":"60"}}"#);
            let answer = if n < broken {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{}",
                    body.len() + 50,
                    &body[..20]
                )
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            };
            let _ = socket.write_all(answer.as_bytes()).await;
            // Dropping the socket cuts the answer short.
        }
    });
    format!("http://{address}/")
}

#[tokio::test]
async fn a_body_cut_mid_way_is_a_transport_error_and_retried() {
    let base = cutting_server(2).await;
    let mut fetcher = common::fetcher(&SERVER, &base);
    fetcher.retry.base_delay = Duration::from_millis(1);
    let token = fetcher.fetch(None).await.unwrap();
    assert_eq!(token.access_token.expose(), SERVER_TOKEN);

    let base = cutting_server(3).await;
    let mut fetcher = common::fetcher(&SERVER, &base);
    fetcher.retry.base_delay = Duration::from_millis(1);
    let error = fetcher.fetch(None).await.unwrap_err();
    let Error::TokenUnavailable {
        attempts: 3, last, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(matches!(**last, Error::Transport { .. }), "{last:?}");
    assert_clean(&error, &[SERVER_TOKEN]);
}
