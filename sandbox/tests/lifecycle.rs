//! Starting, embedding, stopping, and load.

mod common;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use authorized_sandbox::{DEMO_CLIENT_SECRET, Sandbox, SandboxConfig};
use common::start;
use reqwest::StatusCode;

#[tokio::test]
async fn base_url_is_loopback_and_the_port_without_a_slash() {
    let f = start().await;
    let addr = f.sandbox.addr();
    assert!(addr.ip().is_loopback() && addr.port() != 0);
    assert_eq!(
        f.sandbox.base_url(),
        format!("http://127.0.0.1:{}", addr.port())
    );
}

#[tokio::test]
async fn start_on_an_unspecified_address_still_shows_loopback() {
    let sandbox = Sandbox::default();
    let running = sandbox
        .start_on(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))
        .await
        .unwrap();
    let base = running.base_url();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let response = reqwest::get(format!("{base}/__sandbox/stats"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    running.shutdown().await;
}

#[tokio::test]
async fn shutdown_waits_until_nothing_listens() {
    let f = start().await;
    let url = f.url("/__sandbox/stats");
    assert_eq!(
        f.http.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    f.sandbox.shutdown().await;
    let error = reqwest::Client::new().get(&url).send().await.unwrap_err();
    assert!(error.is_connect(), "{error}");
}

#[tokio::test]
async fn dropping_it_stops_the_server() {
    let running = Sandbox::default().start().await.unwrap();
    let addr = running.addr();
    drop(running);
    // The server task notices the drop when it next runs; let it run.
    let mut refused = false;
    for _ in 0..1000 {
        tokio::task::yield_now().await;
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused, "still listening on {addr}");
}

#[tokio::test]
async fn the_router_embeds_and_shares_the_state() {
    let sandbox = Sandbox::default();
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(axum::serve(listener, sandbox.router()).into_future());
    let url = format!(
        "http://{addr}/api/oauth2/server/tokens?grant_type=client_credentials&client_id=demo-client&client_secret={DEMO_CLIENT_SECRET}"
    );
    assert_eq!(reqwest::get(url).await.unwrap().status(), StatusCode::OK);
    assert_eq!(sandbox.stats().server.token_client_credentials, 1);
    assert_eq!(sandbox.issued_tokens().len(), 1);
    server.abort();
}

#[tokio::test]
async fn issued_tokens_lists_every_access_and_refresh_token() {
    let f = start().await;
    let (access, refresh) = f.hotel_tokens().await;
    let server = f.server_token().await;
    let mut issued = f.sandbox.issued_tokens();
    issued.sort();
    let mut want = vec![access, refresh, server];
    want.sort();
    assert_eq!(issued, want);
}

#[tokio::test]
async fn debug_output_hides_the_secret() {
    let f = start().await;
    let shown = format!("{:?} {:?}", f.sandbox, SandboxConfig::default());
    assert!(
        shown.contains("demo-client") && !shown.contains(DEMO_CLIENT_SECRET),
        "{shown}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_concurrent_calls_are_each_counted_once() {
    const CALLS: usize = 10_000;
    let f = start().await;
    let token = f.server_token().await;
    // Bounded in-flight requests keep the open sockets well below the fd limit.
    let permits = Arc::new(tokio::sync::Semaphore::new(128));
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..CALLS {
        let (http, permits, token) = (f.http.clone(), permits.clone(), token.clone());
        let url = if i % 2 == 0 {
            f.url("/api/me?sudo=uid:1002")
        } else {
            f.url("/api/v1.0/hotels")
        };
        calls.spawn(async move {
            let _permit = permits.acquire().await.unwrap();
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        });
    }
    let mut statuses = Vec::with_capacity(CALLS);
    while let Some(status) = calls.join_next().await {
        statuses.push(status.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        CALLS / 2
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count(),
        CALLS / 2
    );
    let stats = f.sandbox.stats();
    assert_eq!(
        (stats.server.api_calls, stats.server.sudo_calls),
        (CALLS as u64 / 2, CALLS as u64 / 2)
    );
    assert_eq!(
        (stats.hotel.api_calls, stats.hotel.api_unauthorized),
        (CALLS as u64 / 2, CALLS as u64 / 2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_token_requests_get_distinct_tokens() {
    let f = Arc::new(start().await);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let f = f.clone();
        calls.spawn(async move { f.server_token().await });
    }
    let mut tokens = std::collections::HashSet::new();
    while let Some(token) = calls.join_next().await {
        assert!(tokens.insert(token.unwrap()));
    }
    assert_eq!(f.sandbox.stats().server.token_client_credentials, 200);
}
