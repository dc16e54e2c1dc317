//! Cold-start stampede: N = 100, 1,000 and 10,000 concurrent first calls
//! (the authorized GET of `e2e`) on a client with an empty token cache,
//! against a naive client that fetches a token for every call. Measures the
//! time until all calls are done; counts the token requests the server saw
//! (written to `<target>/criterion/authorized-extra/stampede.json`).
//!
//! The token endpoint answers after 5 ms, a stand-in for a real provider.
//! Both clients share one reqwest client, whose connection pool stays warm
//! between iterations: what is measured is the token traffic, not TCP
//! handshakes.
//!
//! `cargo bench -p authorized-tests --bench stampede`

use std::collections::BTreeMap;
use std::future::Future;
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode};

// Shared by the benches, each of which uses only part of it.
#[allow(dead_code)]
#[path = "support/clients.rs"]
mod clients;
#[path = "support/extra.rs"]
mod extra;
// Shared by the benches, each of which uses only part of it.
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

/// How long the bench server's token endpoint takes to answer.
const TOKEN_LATENCY: Duration = Duration::from_millis(5);

/// Token requests seen per (client, N), one entry per iteration.
type Counts = Arc<Mutex<BTreeMap<(&'static str, u64), Vec<u64>>>>;

/// Runs `n` concurrent `call`s and returns the wall time until all are done.
async fn stampede<F, Fut>(n: u64, call: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = usize> + Send + 'static,
{
    let started = Instant::now();
    let calls: Vec<_> = (0..n).map(|_| tokio::spawn(call())).collect();
    for call in calls {
        black_box(call.await.expect("call task"));
    }
    started.elapsed()
}

fn bench(c: &mut Criterion) {
    let server = Arc::new(server::BenchServer::start());
    let rt = clients::runtime();
    let http = clients::reqwest_client();
    let base_url: Arc<str> = server.base_url().into();
    let counts = Counts::default();

    let mut group = c.benchmark_group("stampede");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for n in [100u64, 1_000, 10_000] {
        group.bench_with_input(BenchmarkId::new("ours", n), &n, |b, &n| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    rt.block_on(server.reset(TOKEN_LATENCY));
                    // A new client: an empty token cache, the warm pool.
                    let api = clients::ours(&base_url, Some(http.clone()));
                    total += rt.block_on(stampede(n, || {
                        let api = api.clone();
                        async move { clients::ours_call(&api).await }
                    }));
                    let tokens = rt.block_on(server.tokens());
                    counts
                        .lock()
                        .unwrap()
                        .entry(("ours", n))
                        .or_default()
                        .push(tokens);
                }
                total
            });
        });
        group.bench_with_input(BenchmarkId::new("naive", n), &n, |b, &n| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    rt.block_on(server.reset(TOKEN_LATENCY));
                    total += rt.block_on(stampede(n, || {
                        let http = http.clone();
                        let base_url = Arc::clone(&base_url);
                        async move { clients::naive_call(&http, &base_url).await }
                    }));
                    let tokens = rt.block_on(server.tokens());
                    counts
                        .lock()
                        .unwrap()
                        .entry(("naive", n))
                        .or_default()
                        .push(tokens);
                }
                total
            });
        });
    }
    group.finish();

    let counts = counts.lock().unwrap();
    let mut report = serde_json::Map::new();
    for ((client, n), seen) in counts.iter() {
        let min = seen.iter().min().copied().unwrap_or_default();
        let max = seen.iter().max().copied().unwrap_or_default();
        println!(
            "stampede/{client}/{n}: {min}..={max} token requests over {} runs",
            seen.len()
        );
        if *client == "ours" && (min, max) != (1, 1) {
            eprintln!("warning: stampede/{client}/{n} made {min}..={max} token requests, not 1");
        }
        let entry = report
            .entry(client.to_string())
            .or_insert_with(|| serde_json::json!({}));
        entry[n.to_string()] = serde_json::json!({ "min": min, "max": max, "runs": seen.len() });
    }
    extra::record("stampede", &serde_json::Value::Object(report));
}

fn main() {
    server::serve_if_child();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
