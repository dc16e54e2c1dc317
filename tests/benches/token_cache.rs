//! Cache-hit token acquisition, ns per call: `Client::token()` against the
//! two caches people write by hand, a `tokio::sync::Mutex<Option<Token>>` and
//! a `tokio::sync::RwLock<Option<Token>>` (check expiry, clone the token out),
//! on one task and with 2, 8 and 64 tasks calling at once on a multi-thread
//! runtime. With several tasks the figure is wall time divided by all the
//! calls made, so two worker threads could at best halve it.
//!
//! `cargo bench -p authorized-tests --bench token_cache`

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use tokio::sync::{Mutex, RwLock};

// Shared by the benches, each of which uses only part of it.
#[allow(dead_code)]
#[path = "support/clients.rs"]
mod clients;
// Shared by the benches, each of which uses only part of it.
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

/// What a hand-written cache holds.
#[derive(Clone)]
struct Token {
    access_token: String,
    expires_at: Instant,
}

/// Fetches a token the way a hand-written cache does on a miss.
async fn fetch(http: &reqwest::Client, base_url: &str) -> Token {
    #[derive(serde::Deserialize)]
    struct Granted {
        access_token: String,
        expires_in: String,
    }
    let granted: Granted = http
        .get(format!("{base_url}api/oauth2/server/tokens"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", server::CLIENT_ID),
            ("client_secret", server::CLIENT_SECRET),
        ])
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token");
    let lifetime = granted.expires_in.parse().expect("seconds");
    Token {
        access_token: granted.access_token,
        expires_at: Instant::now() + Duration::from_secs(lifetime),
    }
}

/// The usual `Mutex<Option<Token>>` cache.
struct MutexCache {
    token: Mutex<Option<Token>>,
    http: reqwest::Client,
    base_url: String,
}

impl MutexCache {
    async fn get(&self) -> Token {
        let mut token = self.token.lock().await;
        if let Some(token) = &*token
            && Instant::now() < token.expires_at
        {
            return token.clone();
        }
        let fresh = fetch(&self.http, &self.base_url).await;
        *token = Some(fresh.clone());
        fresh
    }
}

/// The usual `RwLock<Option<Token>>` cache: read, and on a miss write and
/// check again.
struct RwLockCache {
    token: RwLock<Option<Token>>,
    http: reqwest::Client,
    base_url: String,
}

impl RwLockCache {
    async fn get(&self) -> Token {
        if let Some(token) = &*self.token.read().await
            && Instant::now() < token.expires_at
        {
            return token.clone();
        }
        let mut token = self.token.write().await;
        if let Some(token) = &*token
            && Instant::now() < token.expires_at
        {
            return token.clone();
        }
        let fresh = fetch(&self.http, &self.base_url).await;
        *token = Some(fresh.clone());
        fresh
    }
}

/// A token source under test.
trait Source: Send + Sync + 'static {
    /// One acquisition; returns the token's length (so nothing is optimised away).
    fn call(&self) -> impl Future<Output = usize> + Send;
}

impl Source for authorized_api::server::Client {
    async fn call(&self) -> usize {
        self.token().await.expect("token").expose().len()
    }
}

impl Source for MutexCache {
    async fn call(&self) -> usize {
        self.get().await.access_token.len()
    }
}

impl Source for RwLockCache {
    async fn call(&self) -> usize {
        self.get().await.access_token.len()
    }
}

/// Runs `iters` calls spread over `tasks` tasks started together; returns
/// the wall time, scaled to exactly `iters` calls.
fn contend<S: Source>(
    rt: &tokio::runtime::Runtime,
    tasks: u64,
    iters: u64,
    source: &Arc<S>,
) -> Duration {
    let per_task = iters.div_ceil(tasks);
    let elapsed = rt.block_on(async {
        let start = Arc::new(tokio::sync::Barrier::new(tasks as usize + 1));
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                let source = Arc::clone(source);
                let start = Arc::clone(&start);
                tokio::spawn(async move {
                    start.wait().await;
                    for _ in 0..per_task {
                        black_box(source.call().await);
                    }
                })
            })
            .collect();
        start.wait().await;
        let started = Instant::now();
        for handle in handles {
            handle.await.expect("bench task");
        }
        started.elapsed()
    });
    elapsed.mul_f64(iters as f64 / (per_task * tasks) as f64)
}

fn bench(c: &mut Criterion) {
    let server = server::BenchServer::start();
    let rt = clients::runtime();
    let base_url = server.base_url().to_owned();
    let ours = Arc::new(clients::ours(&base_url, None));
    let mutex = Arc::new(MutexCache {
        token: Mutex::new(None),
        http: clients::reqwest_client(),
        base_url: base_url.clone(),
    });
    let rwlock = Arc::new(RwLockCache {
        token: RwLock::new(None),
        http: clients::reqwest_client(),
        base_url: base_url.clone(),
    });
    // Fill all three caches: from here on every call is a hit.
    rt.block_on(async {
        ours.token().await.expect("first token");
        mutex.get().await;
        rwlock.get().await;
        server.reset(Duration::ZERO).await;
    });

    let mut group = c.benchmark_group("token_cache");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for tasks in [1u64, 2, 8, 64] {
        group.bench_with_input(BenchmarkId::new("ours", tasks), &tasks, |b, &tasks| {
            b.iter_custom(|iters| contend(&rt, tasks, iters, &ours));
        });
        group.bench_with_input(BenchmarkId::new("rwlock", tasks), &tasks, |b, &tasks| {
            b.iter_custom(|iters| contend(&rt, tasks, iters, &rwlock));
        });
        group.bench_with_input(BenchmarkId::new("mutex", tasks), &tasks, |b, &tasks| {
            b.iter_custom(|iters| contend(&rt, tasks, iters, &mutex));
        });
    }
    group.finish();

    let fetched = rt.block_on(server.tokens());
    assert_eq!(fetched, 0, "every call was meant to be a cache hit");
}

fn main() {
    server::serve_if_child();
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
