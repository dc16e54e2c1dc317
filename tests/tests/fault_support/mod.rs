//! What the fault tests share: clients pointed at a sandbox or a raw
//! loopback server, the counts that prove no call is lost or sent twice, and
//! [`Seen`], which keeps every error a scenario met so that
//! `secrets_everything.rs` can check none of them shows a secret.
//!
//! The scenarios themselves are in `scenarios.rs` and, by topic, the files
//! of `scenarios/`: the `fault_*.rs` files
//! run each as a test, `secrets_everything.rs` runs them all again under a
//! TRACE subscriber.

#![allow(dead_code)] // Each test binary uses its own share of the helpers.

pub mod raw;
pub mod scenarios;

use std::fmt;
use std::future::Future;
use std::time::Duration;

use authorized_api::runtime::{ClientStats, RetryPolicy};
use authorized_api::{ClientBuilder, Error, hotel, server};
use authorized_sandbox::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox, SandboxConfig, Stats,
};
use serde_json::Value;

/// The wait after a first failed renewal, during which callers get the
/// failure without a new request (the runtime's cache backoff base).
pub const CACHE_BACKOFF: Duration = Duration::from_millis(100);

/// Three attempts, 100 ms then 200 ms apart (no jitter, so waits are exact),
/// `Retry-After` honoured up to 30 s.
pub const RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 3,
    base_delay: Duration::from_millis(100),
    max_delay: Duration::from_secs(30),
    jitter: false,
};

/// Everything a scenario showed that could hold a secret, and the secrets
/// it used.
#[derive(Default)]
pub struct Seen {
    /// `Display` and `Debug` (plain and `#`) of errors and values.
    pub shown: Vec<String>,
    /// The client secret and every token issued.
    pub secrets: Vec<String>,
}

impl Seen {
    /// Keeps how `error` and each of its sources show.
    pub fn error(&mut self, error: &Error) {
        self.shown.push(format!("{error} | {error:?} | {error:#?}"));
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            self.shown.push(format!("{cause} | {cause:?}"));
            source = cause.source();
        }
    }

    /// Keeps the errors among `results`.
    pub fn results<T>(&mut self, results: &[authorized_api::Result<T>]) {
        for error in results.iter().filter_map(|r| r.as_ref().err()) {
            self.error(error);
        }
    }

    /// Keeps how `value` shows.
    pub fn debug(&mut self, value: &dyn fmt::Debug) {
        self.shown.push(format!("{value:?} | {value:#?}"));
    }

    /// Keeps how `value` shows in `Display` and `Debug`.
    pub fn display(&mut self, value: &(impl fmt::Display + fmt::Debug)) {
        self.shown.push(format!("{value} | {value:?} | {value:#?}"));
    }

    /// Records the sandbox's secrets: the demo client secret and every token
    /// it ever issued. Call it at the end of a scenario.
    pub fn sandbox(&mut self, sandbox: &Sandbox) {
        self.secrets.push(DEMO_CLIENT_SECRET.to_owned());
        self.secrets.extend(sandbox.issued_tokens());
        self.debug(sandbox);
    }

    /// Records secrets used outside a sandbox.
    pub fn secrets(&mut self, secrets: &[&str]) {
        self.secrets.extend(secrets.iter().map(|s| (*s).to_owned()));
    }
}

/// A sandbox with `config`, serving on loopback.
pub async fn sandbox(config: SandboxConfig) -> RunningSandbox {
    Sandbox::new(config)
        .start()
        .await
        .expect("the sandbox starts")
}

/// Sandbox lifetimes: hotel tokens live `hotel`, server tokens `server`.
pub fn lifetimes(hotel: Duration, server: Duration) -> SandboxConfig {
    SandboxConfig {
        hotel_token_lifetime: hotel,
        server_token_lifetime: server,
        ..SandboxConfig::default()
    }
}

/// A builder with the demo credentials, its own cache and [`RETRY`].
pub fn builder<P: authorized_api::runtime::Provider>(base_url: &str) -> ClientBuilder<P> {
    ClientBuilder::new()
        .base_url(base_url)
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .share_cache(false)
        .retry_policy(RETRY)
}

pub fn server_client(base_url: &str) -> server::Client {
    builder::<server::Provider>(base_url).build().unwrap()
}

pub fn hotel_client(base_url: &str) -> hotel::Client {
    builder::<hotel::Provider>(base_url).build().unwrap()
}

/// One authorized server call (`GET /api/me`).
pub async fn me(api: &server::Client) -> authorized_api::Result<Value> {
    api.get("/api/me").send().await
}

/// One authorized hotel call (`GET /api/v1.0/hotels`).
pub async fn hotels(api: &hotel::Client) -> authorized_api::Result<Value> {
    api.get("/api/v1.0/hotels").send().await
}

/// Runs `n` calls made by `call` at once (all polled together on this task)
/// and returns every result: none is lost.
pub async fn at_once<F, Fut, T>(n: usize, call: F) -> Vec<authorized_api::Result<T>>
where
    F: Fn() -> Fut,
    Fut: Future<Output = authorized_api::Result<T>>,
{
    let results = futures::future::join_all((0..n).map(|_| call())).await;
    assert_eq!(results.len(), n);
    results
}

/// How many results are `Ok`.
pub fn successes<T>(results: &[authorized_api::Result<T>]) -> u64 {
    results.iter().filter(|r| r.is_ok()).count() as u64
}

/// The sandbox counters minus `before`.
pub fn since(sandbox: &Sandbox, before: &Stats) -> Stats {
    sandbox.stats().since(before)
}

/// No call lost or sent twice: every call that got a token reached the API
/// once, plus one replay per refused token; the client sent exactly what the
/// provider received.
pub fn assert_each_call_sent_once(
    api_calls: u64,
    api_unauthorized: u64,
    succeeded: u64,
    client: ClientStats,
) {
    assert_eq!(
        client.requests, api_calls,
        "the client sent what the provider received"
    );
    assert_eq!(
        api_calls,
        succeeded + client.replays,
        "each successful call reached the API once, plus one replay per refused token"
    );
    assert_eq!(
        api_unauthorized, client.replays,
        "each refused token was replayed once"
    );
}

/// A loopback address where nothing listens (yet).
pub fn free_addr() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}
