//! Ten thousand authorized calls at once on a client that has no token yet
//! cost exactly one token request, and every one of them succeeds.
//!
//! Each call in flight holds a connection, which costs a descriptor at both
//! ends in this one process: where the open-file limit is low, calls in
//! flight are capped below it by a semaphore (as the CLI's demo does). The
//! token answer is held for 200 ms so that every call in flight meets the
//! cold cache; the calls waiting for a permit meet the cached token.

use std::sync::Arc;
use std::time::Duration;

use authorized_api::server;
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox, SandboxConfig};
use serde_json::Value;
use tokio::sync::Semaphore;

const CALLS: usize = 10_000;

/// Calls in flight at most: all of them unless the soft open-file limit is
/// low (two descriptors per connection, and a finished connection may not
/// be back in the pool before a new one opens: a quarter of what is left).
fn connection_budget() -> usize {
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
            match line.split_whitespace().nth(3)? {
                "unlimited" => Some(usize::MAX),
                soft => soft.parse::<usize>().ok(),
            }
        });
    soft.map_or(64, |soft| soft.saturating_sub(128) / 4)
        .clamp(16, CALLS)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_on_a_cold_cache_cost_one_token_request() {
    let sandbox = Sandbox::new(SandboxConfig::default())
        .start()
        .await
        .unwrap();
    sandbox.set_token_latency(Duration::from_millis(200));
    let api = server::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .share_cache(false)
        .build()
        .unwrap();
    let in_flight = connection_budget();
    let gate = Arc::new(Semaphore::new(in_flight));
    let started = std::time::Instant::now();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..CALLS {
        let (api, gate) = (api.clone(), Arc::clone(&gate));
        calls.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            api.get("/api/me").send::<Value>().await
        });
    }
    let mut answered = 0;
    while let Some(call) = calls.join_next().await {
        let answer = call
            .expect("no call panicked")
            .expect("every call succeeds");
        assert_eq!(answer["actor"], "app");
        answered += 1;
    }
    let elapsed = started.elapsed();
    let stats = sandbox.stats().server;
    assert_eq!(answered, CALLS);
    assert_eq!(stats.token_client_credentials, 1, "one token request");
    assert_eq!(
        (stats.api_calls, api.stats().requests, api.stats().replays),
        (CALLS as u64, CALLS as u64, 0),
        "each call sent once"
    );
    eprintln!(
        "{CALLS} calls, at most {in_flight} in flight: {:.2} s, 1 token request",
        elapsed.as_secs_f64()
    );
    assert!(
        elapsed < Duration::from_secs(60),
        "took {elapsed:?}, over the minute CI allows"
    );
}
