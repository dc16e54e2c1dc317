//! Cache-hit token acquisition, ns per call: `Client::token()` against the
//! two caches people write by hand (`support/handmade.rs`), a
//! `tokio::sync::Mutex<Option<Token>>` and a `tokio::sync::RwLock<Option<Token>>`
//! (check expiry, clone the token out), on one task and with 2, 8, 64 and
//! 1,024 tasks calling at once on a multi-thread runtime. With several tasks
//! the figure is wall time divided by all the calls made, so two worker
//! threads could at best halve it.
//!
//! `ours_store` is our client with a token store configured (an in-process
//! `MemoryStore`, as a fleet would configure Redis): a cache hit must cost
//! the same, since the hot path never consults the store.
//!
//! `request_path`: the token as a request gets it, through the public API:
//! a request through a `reqwest_middleware` stack that answers it itself
//! (`support/request_path.rs`), with our `AuthorizedMiddleware`, with a
//! hand-written one reading the `RwLock` cache (`rwlock`; `rwlock_replay`
//! also keeps a copy of the request for a replay, as ours does), and with
//! neither (`bare`, the stack's own cost, to subtract).
//!
//! `cargo bench -p authorized-tests --bench token_cache`

use std::future::Future;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, BenchmarkId, Criterion, measurement::WallTime};
use handmade::{MutexCache, RwLockCache};
use request_path::Stack;

// Shared by the benches, each of which uses only part of it.
#[allow(dead_code)]
#[path = "support/clients.rs"]
mod clients;
#[path = "support/handmade.rs"]
mod handmade;
#[path = "support/request_path.rs"]
mod request_path;
// Shared by the benches, each of which uses only part of it.
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

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

impl Source for Stack {
    async fn call(&self) -> usize {
        Stack::call(self).await
    }
}

/// The contention levels: tasks calling at once.
const TASKS: [u64; 5] = [1, 2, 8, 64, 1_024];

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

/// Adds `name` with `tasks` calling at once to `group`.
fn at<S: Source>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    rt: &tokio::runtime::Runtime,
    name: &str,
    tasks: u64,
    source: &Arc<S>,
) {
    group.bench_with_input(BenchmarkId::new(name, tasks), &tasks, |b, &tasks| {
        b.iter_custom(|iters| contend(rt, tasks, iters, source));
    });
}

fn bench(c: &mut Criterion) {
    let server = server::BenchServer::start();
    let rt = clients::runtime();
    let base_url = server.base_url().to_owned();
    let ours = Arc::new(clients::ours(&base_url, None));
    let ours_store = Arc::new(
        authorized_api::server::Client::builder()
            .base_url(&base_url)
            .client_id(server::CLIENT_ID)
            .client_secret(server::CLIENT_SECRET)
            .share_cache(false)
            .token_store(authorized_api::runtime::MemoryStore::new())
            .build()
            .expect("our client with a store"),
    );
    let mutex = Arc::new(MutexCache::new(clients::reqwest_client(), &base_url));
    let rwlock = Arc::new(RwLockCache::new(clients::reqwest_client(), &base_url));
    let url = ours.url("/api/me").expect("the API's URL");
    let http = clients::reqwest_client();
    let via_ours = Arc::new(Stack::ours(&ours, http.clone()));
    let via_rwlock = Arc::new(Stack::rwlock(
        Arc::clone(&rwlock),
        http.clone(),
        url.clone(),
        false,
    ));
    let via_rwlock_replay = Arc::new(Stack::rwlock(
        Arc::clone(&rwlock),
        http.clone(),
        url.clone(),
        true,
    ));
    let bare = Arc::new(Stack::bare(http, url));
    // Fill all the caches: from here on every call is a hit.
    rt.block_on(async {
        ours.token().await.expect("first token");
        ours_store.token().await.expect("first token");
        mutex.get().await;
        rwlock.get().await;
        server.reset(Duration::ZERO).await;
    });

    // 40 benchmarks of about 2 s each; the sources interleaved, so that a
    // burst of other load on the machine falls on all of them alike.
    let mut group = c.benchmark_group("token_cache");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1500));
    for tasks in TASKS {
        at(&mut group, &rt, "ours", tasks, &ours);
        at(&mut group, &rt, "ours_store", tasks, &ours_store);
        at(&mut group, &rt, "rwlock", tasks, &rwlock);
        at(&mut group, &rt, "mutex", tasks, &mutex);
    }
    group.finish();

    let mut group = c.benchmark_group("request_path");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1500));
    for tasks in TASKS {
        at(&mut group, &rt, "ours", tasks, &via_ours);
        at(&mut group, &rt, "rwlock", tasks, &via_rwlock);
        at(&mut group, &rt, "rwlock_replay", tasks, &via_rwlock_replay);
        at(&mut group, &rt, "bare", tasks, &bare);
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
