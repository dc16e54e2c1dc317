//! What the fleet tests share: a real `redis-server` (`redis_server`), the
//! child processes of the fleet (`child`), and here one sandbox and one
//! Redis per test, run one test at a time, each within a time limit.

pub mod child;
// The one helper that starts a real redis-server, kept with the Redis
// store's own tests.
#[path = "../../../../redis/tests/support/redis_server.rs"]
pub mod redis_server;

use std::future::Future;
use std::ops::RangeInclusive;
use std::time::Duration;

use authorized_sandbox::{DEMO_CLIENT_SECRET, RunningSandbox, Sandbox, SandboxConfig};
use redis::AsyncCommands as _;

pub use child::{ChildProcess, Job, Report, Which, Work};
pub use redis_server::RedisServer;

/// The fleet tests start processes and measure time: one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The key prefix the children use.
pub const PREFIX: &str = "fleet-test:";

/// Runs `test` alone (no other fleet test at once), failing it if it takes
/// longer than `limit`.
pub async fn bounded<T>(limit: Duration, test: impl Future<Output = T>) -> T {
    let _alone = SERIAL.lock().await;
    match tokio::time::timeout(limit, test).await {
        Ok(value) => value,
        Err(_) => panic!("the test took longer than {limit:?}"),
    }
}

/// One test's world: a sandbox in this process, a Redis, and children.
pub struct World {
    pub sandbox: RunningSandbox,
    pub redis: RedisServer,
}

impl World {
    pub async fn start(config: SandboxConfig) -> Self {
        let sandbox = Sandbox::new(config).start().await.expect("sandbox");
        let redis = tokio::task::block_in_place(RedisServer::start);
        Self { sandbox, redis }
    }

    /// A job for this world: the demo client, a 1.5 s lease.
    pub fn job(&self, which: Which, work: Work) -> Job {
        Job {
            which,
            base_url: self.sandbox.base_url(),
            redis_url: self.redis.url(),
            prefix: PREFIX.into(),
            client_secret: DEMO_CLIENT_SECRET.into(),
            lease_ms: 1500,
            work,
        }
    }

    /// `n` children for `job`, each ready (its client built).
    pub fn spawn(&self, n: usize, job: &Job) -> Vec<ChildProcess> {
        tokio::task::block_in_place(|| (0..n).map(|_| ChildProcess::spawn(job)).collect())
    }

    /// A connection to the world's Redis, for looking inside.
    pub async fn redis(&self) -> redis::aio::MultiplexedConnection {
        redis::Client::open(self.redis.url())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .expect("connect to the test's redis-server")
    }

    /// Every key in Redis with its value, whatever its type, as bytes.
    pub async fn dump(&self) -> Vec<(String, Vec<u8>)> {
        let mut redis = self.redis().await;
        let keys: Vec<String> = redis.keys("*").await.unwrap();
        let mut dump = Vec::new();
        for key in keys {
            let kind: String = redis::cmd("TYPE")
                .arg(&key)
                .query_async(&mut redis)
                .await
                .unwrap();
            let value: Vec<u8> = match kind.as_str() {
                "string" => redis.get(&key).await.unwrap(),
                "hash" => {
                    let all: Vec<Vec<u8>> = redis.hgetall(&key).await.unwrap();
                    all.concat()
                }
                _ => Vec::new(),
            };
            dump.push((key, value));
        }
        dump
    }

    /// The one token key (`<prefix>{<hash>}:token`), once something wrote it.
    pub async fn token_key(&self) -> String {
        let mut redis = self.redis().await;
        let keys: Vec<String> = redis.keys(format!("{PREFIX}*:token")).await.unwrap();
        assert_eq!(keys.len(), 1, "one token key: {keys:?}");
        keys.into_iter().next().unwrap()
    }

    /// The process id in the lock's owner (`<pid>.<random>.<n>`), if held.
    pub async fn lock_holder(&self) -> Option<u32> {
        let mut redis = self.redis().await;
        let keys: Vec<String> = redis.keys(format!("{PREFIX}*:lock")).await.unwrap();
        let key = keys.first()?;
        let owner: Option<String> = redis.get(key).await.unwrap();
        owner?.split('.').next()?.parse().ok()
    }
}

/// Waits for every child's report, `within` for each.
pub fn reports(children: &mut [ChildProcess], within: Duration) -> Vec<Report> {
    tokio::task::block_in_place(|| children.iter_mut().map(|c| c.report(within)).collect())
}

/// Asserts no child had a failed call.
pub fn assert_no_failures(reports: &[Report]) {
    for (i, report) in reports.iter().enumerate() {
        assert_eq!(
            report.failed, 0,
            "child {i}: {} failed calls, e.g. {:?}",
            report.failed, report.failures
        );
        assert!(report.ok > 0, "child {i} made no call");
    }
}

/// How many token requests one process (or one fleet sharing one token)
/// makes in `elapsed` with tokens living `lifetime`: renewed from 0.8 of the
/// lifetime on, never later than 0.9 (plus `slack`), the first at 0.
pub fn token_bounds(elapsed: Duration, lifetime: Duration, slack: Duration) -> RangeInclusive<u64> {
    let secs = elapsed.as_secs_f64();
    let fastest = lifetime.as_secs_f64() * 0.8;
    let slowest = lifetime.as_secs_f64() * 0.9 + slack.as_secs_f64();
    (1 + (secs / slowest).floor() as u64)..=(1 + (secs / fastest).ceil() as u64)
}

/// `haystack` holds `needle` somewhere.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
