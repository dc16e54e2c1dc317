//! Cold-start stampede: N = 100, 1,000, 10,000 and 100,000 concurrent first
//! calls on a client with an empty token cache, against a naive client that
//! fetches a token for every call (N up to 10,000). Each task reads the
//! token (all N at once, on the cold cache) and makes the authorized GET of
//! `e2e`. Measures the time until all calls are done; counts the token
//! requests the server saw.
//!
//! Each (client, N) runs in a fresh process (the bench binary run again,
//! see `support/child.rs`), whose peak resident set is read at the end, so
//! one N's peak does not hide another's. Counts and peaks are written to
//! `<target>/criterion/authorized-extra/stampede.json`.
//!
//! The token endpoint answers after 5 ms, a stand-in for a real provider.
//! Both clients share one reqwest client in their process, whose connection
//! pool stays warm between iterations (a first, untimed stampede opens the
//! connections): what is measured is the token traffic, not TCP handshakes.
//! At most [`MAX_IN_FLIGHT`] API calls are in flight at once: a process may
//! open 20,000 file descriptors here (`ulimit -n`, also the hard limit) and
//! one server address leaves 28,232 ephemeral ports, so 100,000 connections
//! cannot be open at once; at N = 100,000 ten calls share each connection,
//! one after another. Below that the limit never holds a call back.
//!
//! `cargo bench -p authorized-tests --bench stampede`

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode};
use tokio::sync::Semaphore;

#[path = "support/child.rs"]
mod child;
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

/// API calls in flight at most, so connections at most (see the top).
const MAX_IN_FLIGHT: usize = 10_000;

/// Each run in a process of its own. The naive client stops at 10,000: at
/// 100,000 it would make 100,000 token requests through 10,000 connections,
/// about 3 s per iteration, for a line the smaller N already draw.
const CASES: [(&str, u64); 7] = [
    ("ours", 100),
    ("naive", 100),
    ("ours", 1_000),
    ("naive", 1_000),
    ("ours", 10_000),
    ("naive", 10_000),
    ("ours", 100_000),
];

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

/// A client under test, sending through `http`.
struct Side {
    naive: bool,
    server: server::BenchServer,
    http: reqwest::Client,
    base_url: Arc<str>,
    gate: Arc<Semaphore>,
}

impl Side {
    /// One stampede of `n` calls on a cold client; the wall time and the
    /// token requests the server saw.
    fn once(&self, rt: &tokio::runtime::Runtime, n: u64) -> (Duration, u64) {
        rt.block_on(self.server.reset(TOKEN_LATENCY));
        let elapsed = if self.naive {
            rt.block_on(stampede(n, || {
                let (http, base_url) = (self.http.clone(), Arc::clone(&self.base_url));
                let gate = Arc::clone(&self.gate);
                async move {
                    let _permit = gate.acquire().await.expect("gate");
                    clients::naive_call(&http, &base_url).await
                }
            }))
        } else {
            // A new client: an empty token cache, the warm pool.
            let api = clients::ours(&self.base_url, Some(self.http.clone()));
            rt.block_on(stampede(n, || {
                let (api, gate) = (api.clone(), Arc::clone(&self.gate));
                async move {
                    // The first call, on the cold cache, where all n wait.
                    black_box(api.token().await.expect("token"));
                    let _permit = gate.acquire().await.expect("gate");
                    clients::ours_call(&api).await
                }
            }))
        };
        (elapsed, rt.block_on(self.server.tokens()))
    }
}

/// In a child: measures `client` at `n` and reports the token requests and
/// the process's memory.
fn measure(client: &str, n: u64) {
    let rt = clients::runtime();
    let server = server::BenchServer::start();
    let side = Side {
        naive: client == "naive",
        base_url: server.base_url().into(),
        server,
        http: clients::reqwest_client(),
        gate: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
    };
    let start_kib = child::status_kib("VmHWM");
    // Untimed: opens the connections, and says how long one takes.
    let (first, tokens) = side.once(&rt, n);
    let mut seen = vec![tokens];

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("stampede");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(if n > 10_000 {
            Duration::from_millis(1)
        } else {
            Duration::from_secs(1)
        })
        // One iteration a sample once they take long (the first, opening
        // the connections, takes longer than the rest); no less than 2 s.
        .measurement_time(first.mul_f64(5.0).max(Duration::from_secs(2)));
    let mut ran = false;
    group.bench_with_input(BenchmarkId::new(client, n), &n, |b, &n| {
        ran = true;
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (elapsed, tokens) = side.once(&rt, n);
                total += elapsed;
                seen.push(tokens);
            }
            total
        });
    });
    group.finish();
    c.final_summary();
    if !ran {
        return;
    }
    let peak_kib = child::status_kib("VmHWM");
    let (min, max) = (seen.iter().min().copied(), seen.iter().max().copied());
    let (min, max) = (min.unwrap_or_default(), max.unwrap_or_default());
    println!(
        "stampede/{client}/{n}: {min}..={max} token requests over {} runs; peak resident set {:.1} MiB (before the first run {:.1} MiB)",
        seen.len(),
        peak_kib as f64 / 1024.0,
        start_kib as f64 / 1024.0,
    );
    if client == "ours" && (min, max) != (1, 1) {
        eprintln!("warning: stampede/{client}/{n} made {min}..={max} token requests, not 1");
    }
    child::report(&serde_json::json!({
        "min": min,
        "max": max,
        "runs": seen.len(),
        "start_kib": start_kib,
        "peak_kib": peak_kib,
        "max_in_flight": MAX_IN_FLIGHT,
    }));
}

fn main() {
    server::serve_if_child();
    if let Some(case) = child::case() {
        let (client, n) = case.split_once('/').expect("client/N");
        measure(client, n.parse().expect("a number of calls"));
        return;
    }
    let cases = CASES.map(|(client, n)| format!("{client}/{n}"));
    let results = child::run_each(cases, &extra::dir());
    extra::update("stampede", |report| {
        for (case, result) in results {
            let (client, n) = case.split_once('/').expect("client/N");
            let entry = report
                .entry(client.to_owned())
                .or_insert_with(|| serde_json::json!({}));
            entry[n] = result;
        }
    });
}
