//! A soak: 60,000 authorized calls while server tokens live one second.
//! No call fails, the token requests follow the lifetime closely, and
//! neither the runtime's tasks nor the process-wide registry of token caches
//! grow however long it runs.
//!
//! ## How many token requests
//!
//! A token living `L` = 1 s is renewed in the background from its refresh
//! window on, the last 20 % of its lifetime: at `0.8 L` after the request
//! that got it started (`obtained_at`). The renewal starts at the first call
//! after that instant, and callers never wait for it before `0.9 L` (the
//! safety window, the last 10 %). With calls arriving every millisecond or
//! so, consecutive tokens are thus obtained `0.8 L` to `0.9 L + ε` apart,
//! `ε` the time to the next call plus the renewal itself (a few ms here;
//! 50 ms is allowed for a loaded CI machine). Over a run of `T` seconds,
//! the first token at 0, the count of token requests `n` is therefore
//! bounded by
//!
//! ```text
//! 1 + floor(T / (0.9 L + 50 ms))  ≤  n  ≤  1 + ceil(T / 0.8 L)
//! ```
//!
//! plus one per token the server refused (a call that reaches the server
//! after its token expired there is replayed once with a new one; with a
//! 100 ms safety window it should not happen, and the count is shown).
//!
//! Every worker builds its client anew from the builder every 1,000 calls,
//! as a careless service might per request: clients with the same
//! credentials share one cache, so that costs no token request and leaves
//! one registry entry.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use authorized_api::runtime::__private::shared_token_caches;
use authorized_api::server;
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox, SandboxConfig};
use serde_json::Value;

const CALLS: usize = 60_000;
const WORKERS: usize = 32;
const LIFETIME: Duration = Duration::from_secs(1);
/// What the renewal may lag behind the start of the safety window.
const SLACK: Duration = Duration::from_millis(50);

fn client(base_url: &str) -> server::Client {
    server::Client::builder()
        .base_url(base_url)
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .build()
        .unwrap()
}

/// One sample, every 1,000 calls.
#[derive(Debug, Clone, Copy)]
struct Sample {
    alive_tasks: usize,
    shared_caches: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_thousand_calls_with_one_second_tokens() {
    let config = SandboxConfig {
        server_token_lifetime: LIFETIME,
        ..SandboxConfig::default()
    };
    let sandbox = Sandbox::new(config).start().await.unwrap();
    let base_url = sandbox.base_url();
    let issued = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(std::sync::Mutex::new(Vec::new()));
    let started = std::time::Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..WORKERS {
        let (base_url, issued, samples) = (base_url.clone(), issued.clone(), samples.clone());
        workers.spawn(async move {
            let mut api = client(&base_url);
            let mut failures = Vec::new();
            loop {
                let n = issued.fetch_add(1, Ordering::Relaxed);
                if n >= CALLS {
                    break;
                }
                if n % 1000 == 0 {
                    api = client(&base_url);
                    samples.lock().unwrap().push(Sample {
                        alive_tasks: tokio::runtime::Handle::current()
                            .metrics()
                            .num_alive_tasks(),
                        shared_caches: shared_token_caches(),
                    });
                }
                if let Err(error) = api.get("/api/me").send::<Value>().await {
                    failures.push(error.to_string());
                }
            }
            (failures, api.stats())
        });
    }
    let mut failures = Vec::new();
    while let Some(worker) = workers.join_next().await {
        let (failed, _) = worker.unwrap();
        failures.extend(failed);
    }
    let elapsed = started.elapsed();
    let stats = sandbox.stats().server;
    let samples = samples.lock().unwrap().clone();

    assert!(
        failures.is_empty(),
        "{} failed calls, the first: {:?}",
        failures.len(),
        failures.first()
    );
    assert_eq!(
        stats.api_calls,
        CALLS as u64 + stats.api_unauthorized,
        "each call sent once, plus one replay per refused token"
    );

    let tokens = stats.token_client_credentials;
    let secs = elapsed.as_secs_f64();
    let fastest = (LIFETIME.as_secs_f64() * 0.8).max(f64::MIN_POSITIVE);
    let slowest = LIFETIME.as_secs_f64() * 0.9 + SLACK.as_secs_f64();
    let low = 1 + (secs / slowest).floor() as u64;
    let high = 1 + (secs / fastest).ceil() as u64 + stats.api_unauthorized;
    let alive: Vec<usize> = samples.iter().map(|s| s.alive_tasks).collect();
    eprintln!(
        "{CALLS} calls in {secs:.2} s ({:.0}/s): {tokens} token requests (bounds {low}..={high}), {} refused and replayed; live tasks from {:?} to at most {:?}",
        CALLS as f64 / secs,
        stats.api_unauthorized,
        alive.first(),
        alive.iter().max(),
    );
    assert!(
        (low..=high).contains(&tokens),
        "{tokens} token requests in {secs:.2} s, outside {low}..={high}"
    );
    assert!(
        stats.api_unauthorized <= 2,
        "{} calls met an expired token",
        stats.api_unauthorized
    );

    // Nothing grows: after the first samples (connections opening), the
    // live tasks stay where they were, and the registry holds one cache.
    assert!(samples.len() >= CALLS / 1000);
    let settled = samples.len() / 5;
    let early = samples[..settled.max(1)]
        .iter()
        .map(|s| s.alive_tasks)
        .max()
        .unwrap();
    let late = samples[settled..]
        .iter()
        .map(|s| s.alive_tasks)
        .max()
        .unwrap();
    // Per worker: itself, its client's connection task and connection-pool
    // timer, the server's task for that connection; then the server's
    // accept loop and a renewal. Nothing that depends on the calls made.
    let ceiling = WORKERS * 4 + 16;
    // A few may come and go (a renewal, a connection being replaced); a
    // leak of one per call or per renewal would add thousands or dozens.
    assert!(late <= early + 4, "live tasks grew from {early} to {late}");
    assert!(
        samples.iter().all(|s| s.alive_tasks <= ceiling),
        "{samples:?}"
    );
    assert!(
        samples.iter().all(|s| s.shared_caches == 1),
        "one shared cache for every client built: {samples:?}"
    );
    assert!(
        elapsed < Duration::from_secs(60),
        "took {elapsed:?}, over the minute CI allows"
    );
}
