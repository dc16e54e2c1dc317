//! An authorized GET on loopback, requests per second: our client (server
//! provider, sudo and tenant from `#[authorized]`, the token in the header)
//! against reqwest alone sending a fixed `Authorization` header and the same
//! query, to the same trivial axum handler, one request at a time and 64 in
//! flight.
//!
//! Two separate criterion runs make a noisy ratio on a shared machine, so the
//! ratio is also measured paired: rounds of a batch of ours then a batch of
//! raw (alternating which goes first), the ratio taken per round, of wall
//! time and of CPU time (client and server processes together, from
//! `/proc`), which other load on the machine disturbs less. A control pairs
//! raw with itself the same way: how far a ratio strays with nothing to
//! find, the bench's resolution on this machine today. Medians and
//! quartiles go to `<target>/criterion/authorized-extra/e2e.json`.
//!
//! `cargo bench -p authorized-tests --bench e2e`

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use authorized_api::server::Client;
use criterion::{BenchmarkId, Criterion, Throughput};

// Shared by the benches, each of which uses only part of it.
#[allow(dead_code)]
#[path = "support/clients.rs"]
mod clients;
#[path = "support/extra.rs"]
mod extra;
#[path = "support/server.rs"]
mod server;

/// Paired rounds per in-flight setting (`AUTHORIZED_E2E_ROUNDS` sets
/// another number, for a finer median on a noisy machine)…
fn rounds() -> usize {
    std::env::var("AUTHORIZED_E2E_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(31)
}
/// …of this many requests per client.
const BATCH: u64 = 3_000;

/// One API call of a client under test.
trait Caller: Send + Sync + 'static {
    fn call(&self) -> impl Future<Output = usize> + Send;
}

impl Caller for Client {
    async fn call(&self) -> usize {
        clients::ours_call(self).await
    }
}

/// reqwest alone, with the token our client was granted.
struct Raw {
    http: reqwest::Client,
    url: String,
    authorization: String,
}

impl Caller for Raw {
    async fn call(&self) -> usize {
        clients::raw_call(&self.http, &self.url, &self.authorization).await
    }
}

/// Makes `iters` calls, at most `in_flight` at a time; returns the wall time.
fn run<C: Caller>(
    rt: &tokio::runtime::Runtime,
    in_flight: u64,
    iters: u64,
    caller: &Arc<C>,
) -> Duration {
    rt.block_on(async {
        let left = Arc::new(AtomicU64::new(iters));
        let started = Instant::now();
        let workers: Vec<_> = (0..in_flight.min(iters))
            .map(|_| {
                let caller = Arc::clone(caller);
                let left = Arc::clone(&left);
                tokio::spawn(async move {
                    while left
                        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                        .is_ok()
                    {
                        black_box(caller.call().await);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("bench task");
        }
        started.elapsed()
    })
}

/// One batch: wall time and the CPU time of both processes.
struct Batch {
    wall: Duration,
    cpu: Duration,
}

fn batch<C: Caller>(
    rt: &tokio::runtime::Runtime,
    pid: &str,
    in_flight: u64,
    caller: &Arc<C>,
) -> Batch {
    let cpu = || server::cpu_time("self") + server::cpu_time(pid);
    let before = cpu();
    let wall = run(rt, in_flight, BATCH, caller);
    Batch {
        wall,
        cpu: cpu().saturating_sub(before),
    }
}

/// Per paired round, ours over raw's: throughput (wall time) and CPU cost
/// (CPU time of client and server together), each sorted. (With raw in
/// both places, the control: how far the ratio wanders with no difference.)
fn paired<A: Caller, B: Caller>(
    rt: &tokio::runtime::Runtime,
    pid: &str,
    in_flight: u64,
    ours: &Arc<A>,
    raw: &Arc<B>,
) -> (Vec<f64>, Vec<f64>) {
    let (mut wall, mut cpu): (Vec<f64>, Vec<f64>) = (0..rounds())
        .map(|round| {
            let (o, r) = if round % 2 == 0 {
                let o = batch(rt, pid, in_flight, ours);
                (o, batch(rt, pid, in_flight, raw))
            } else {
                let r = batch(rt, pid, in_flight, raw);
                (batch(rt, pid, in_flight, ours), r)
            };
            (
                r.wall.as_secs_f64() / o.wall.as_secs_f64(),
                r.cpu.as_secs_f64() / o.cpu.as_secs_f64().max(1e-9),
            )
        })
        .unzip();
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    (wall, cpu)
}

/// The median of sorted `values` and its quartiles, as the report prints them.
fn spread(values: &[f64]) -> String {
    let q = |q| at(values, q);
    format!("{:.3} (quartiles {:.3}..{:.3})", q(0.5), q(0.25), q(0.75))
}

/// The value at quantile `q` of sorted `values`.
fn at(values: &[f64], q: f64) -> f64 {
    values[((values.len() - 1) as f64 * q).round() as usize]
}

fn bench(c: &mut Criterion) {
    let server = server::BenchServer::start();
    let rt = clients::runtime();
    let ours = Arc::new(clients::ours(server.base_url(), None));
    let token = rt.block_on(ours.token()).expect("first token");
    let raw = Arc::new(Raw {
        http: clients::reqwest_client(),
        url: format!("{}api/me", server.base_url()),
        authorization: format!("Bearer {}", token.expose()),
    });
    rt.block_on(server.reset(Duration::ZERO));

    let mut group = c.benchmark_group("e2e");
    group
        .throughput(Throughput::Elements(1))
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for in_flight in [1u64, 64] {
        group.bench_with_input(BenchmarkId::new("ours", in_flight), &in_flight, |b, &n| {
            b.iter_custom(|iters| run(&rt, n, iters, &ours));
        });
        group.bench_with_input(BenchmarkId::new("raw", in_flight), &in_flight, |b, &n| {
            b.iter_custom(|iters| run(&rt, n, iters, &raw));
        });
    }
    group.finish();

    let mut report = serde_json::Map::new();
    let pid = server.pid().to_string();
    for in_flight in [1u64, 64] {
        let (wall, cpu) = paired(&rt, &pid, in_flight, &ours, &raw);
        let (control, control_cpu) = paired(&rt, &pid, in_flight, &raw, &raw);
        println!(
            "e2e/ratio/{in_flight}: ours/raw throughput {}; CPU cost raw/ours {}; {} paired rounds of {BATCH} requests",
            spread(&wall),
            spread(&cpu),
            rounds(),
        );
        println!(
            "e2e/control/{in_flight}: raw/raw throughput {}; CPU cost {}",
            spread(&control),
            spread(&control_cpu),
        );
        report.insert(
            in_flight.to_string(),
            serde_json::json!({
                "median": at(&wall, 0.5),
                "p25": at(&wall, 0.25),
                "p75": at(&wall, 0.75),
                "cpu_median": at(&cpu, 0.5),
                "cpu_p25": at(&cpu, 0.25),
                "cpu_p75": at(&cpu, 0.75),
                "control_median": at(&control, 0.5),
                "control_p25": at(&control, 0.25),
                "control_p75": at(&control, 0.75),
                "control_cpu_median": at(&control_cpu, 0.5),
                "rounds": rounds(),
                "batch": BATCH,
            }),
        );
    }
    extra::record("e2e", &serde_json::Value::Object(report));

    let fetched = rt.block_on(server.tokens());
    assert_eq!(fetched, 0, "the token was meant to stay cached");
}

fn main() {
    server::serve_if_child();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
