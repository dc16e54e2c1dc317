//! `authorized demo`: an embedded sandbox and every capability of the
//! generated clients and `#[authorized]`, one step at a time, each checked
//! against what the sandbox counted.
//!
//! [`server_api`] and [`hotel_api`] hold the endpoint functions, written as
//! a user would; `hotel.rs` and `server.rs` hold the steps that call them.

mod burst;
mod hotel;
pub mod hotel_api;
mod report;
mod server;
pub mod server_api;

use std::time::Instant;

use authorized_api::runtime::ClientBuilder;
use authorized_api::{Secret, hotel as hotel_provider, server as server_provider};
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox, Stats};

pub use report::{ProviderSummary, Report, Step};

/// Why the demo could not run at all (its steps' failures are in the [`Report`]).
#[derive(Debug, thiserror::Error)]
#[error("the demo's sandbox could not start: {0}")]
pub struct DemoError(#[from] std::io::Error);

/// Runs the demo silently and returns what it observed.
pub async fn run_demo() -> Result<Report, DemoError> {
    run_demo_with(|_| {}).await
}

/// What the demo tells its observer as it goes.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// The sandbox is up at this base URL; the steps start.
    Started(&'a str),
    /// A step is done.
    Step(&'a Step),
}

/// Runs the demo, telling `observer` when it starts and each step as soon
/// as it is done.
pub async fn run_demo_with(mut observer: impl FnMut(Progress<'_>)) -> Result<Report, DemoError> {
    let sandbox = Sandbox::default().start().await?;
    let base_url = sandbox.base_url();
    observer(Progress::Started(&base_url));
    let started = Instant::now();
    let mut ctx = Ctx {
        sandbox,
        hotel_clients: Vec::new(),
        server_clients: Vec::new(),
    };
    let mut recorder = Recorder {
        steps: Vec::new(),
        observer,
    };
    hotel::run(&mut ctx, &mut recorder).await;
    server::run(&mut ctx, &mut recorder).await;
    let elapsed = started.elapsed();
    let summary = ctx.summary();
    ctx.sandbox.shutdown().await;
    Ok(Report {
        base_url,
        steps: recorder.steps,
        summary,
        elapsed,
    })
}

/// The line the CLI prints before the steps: where, and as whom (masked).
pub fn banner(base_url: &str) -> String {
    format!(
        "authorized demo: sandbox at {base_url}, client {DEMO_CLIENT_ID}, secret {}",
        Secret::new(DEMO_CLIENT_SECRET).masked()
    )
}

/// What the steps share: the sandbox and every client made, for the summary.
pub(crate) struct Ctx {
    pub sandbox: RunningSandbox,
    hotel_clients: Vec<hotel_provider::Client>,
    server_clients: Vec<server_provider::Client>,
}

impl Ctx {
    /// A hotel client on the sandbox with the demo credentials and its own
    /// token cache, configured further by `configure`.
    pub fn hotel(
        &mut self,
        configure: impl FnOnce(
            ClientBuilder<hotel_provider::Provider>,
        ) -> ClientBuilder<hotel_provider::Provider>,
    ) -> Result<hotel_provider::Client, Failure> {
        let builder = hotel_provider::Client::builder()
            .base_url(self.sandbox.base_url())
            .client_id(DEMO_CLIENT_ID)
            .client_secret(DEMO_CLIENT_SECRET)
            .share_cache(false);
        let client = configure(builder).build()?;
        self.hotel_clients.push(client.clone());
        Ok(client)
    }

    /// A server client, as [`Ctx::hotel`].
    pub fn server(
        &mut self,
        configure: impl FnOnce(
            ClientBuilder<server_provider::Provider>,
        ) -> ClientBuilder<server_provider::Provider>,
    ) -> Result<server_provider::Client, Failure> {
        let builder = server_provider::Client::builder()
            .base_url(self.sandbox.base_url())
            .client_id(DEMO_CLIENT_ID)
            .client_secret(DEMO_CLIENT_SECRET)
            .share_cache(false);
        let client = configure(builder).build()?;
        self.server_clients.push(client.clone());
        Ok(client)
    }

    /// The sandbox's counters now.
    pub fn stats(&self) -> Stats {
        self.sandbox.stats()
    }

    /// What the sandbox counted since `before`.
    pub fn since(&self, before: &Stats) -> Stats {
        let now = self.stats();
        let (h, bh) = (&now.hotel, &before.hotel);
        let (s, bs) = (&now.server, &before.server);
        let mut delta = Stats::default();
        delta.hotel.token_client_credentials =
            h.token_client_credentials - bh.token_client_credentials;
        delta.hotel.token_refresh = h.token_refresh - bh.token_refresh;
        delta.hotel.token_rejected = h.token_rejected - bh.token_rejected;
        delta.hotel.api_calls = h.api_calls - bh.api_calls;
        delta.hotel.api_unauthorized = h.api_unauthorized - bh.api_unauthorized;
        delta.server.token_client_credentials =
            s.token_client_credentials - bs.token_client_credentials;
        delta.server.token_rejected = s.token_rejected - bs.token_rejected;
        delta.server.check = s.check - bs.check;
        delta.server.revoke = s.revoke - bs.revoke;
        delta.server.api_calls = s.api_calls - bs.api_calls;
        delta.server.api_unauthorized = s.api_unauthorized - bs.api_unauthorized;
        delta.server.sudo_calls = s.sudo_calls - bs.sudo_calls;
        delta
    }

    fn summary(&self) -> Vec<ProviderSummary> {
        let stats = self.stats();
        vec![
            ProviderSummary {
                provider: "hotel",
                api_calls: stats.hotel.api_calls,
                token_requests: stats.hotel.token_client_credentials + stats.hotel.token_refresh,
                refresh_grants: Some(stats.hotel.token_refresh),
                replays: self.hotel_clients.iter().map(|c| c.stats().replays).sum(),
                checks: None,
                revokes: None,
            },
            ProviderSummary {
                provider: "server",
                api_calls: stats.server.api_calls,
                token_requests: stats.server.token_client_credentials,
                refresh_grants: None,
                replays: self.server_clients.iter().map(|c| c.stats().replays).sum(),
                checks: Some(stats.server.check),
                revokes: Some(stats.server.revoke),
            },
        ]
    }
}

/// Collects the steps and shows each to the observer.
pub(crate) struct Recorder<F> {
    steps: Vec<Step>,
    observer: F,
}

impl<F: FnMut(Progress<'_>)> Recorder<F> {
    /// Records one step's outcome.
    pub fn record(&mut self, provider: &'static str, what: &str, outcome: Result<String, Failure>) {
        let (ok, evidence) = match outcome {
            Ok(evidence) => (true, evidence),
            Err(Failure(why)) => (false, why),
        };
        let step = Step {
            provider,
            what: what.to_owned(),
            ok,
            evidence,
        };
        (self.observer)(Progress::Step(&step));
        self.steps.push(step);
    }
}

/// A step that did not behave as expected, and why.
#[derive(Debug)]
pub(crate) struct Failure(pub String);

impl From<authorized_api::Error> for Failure {
    fn from(error: authorized_api::Error) -> Self {
        Self(error.to_string())
    }
}

/// Fails the step with `why()` unless `condition` holds.
pub(crate) fn ensure(condition: bool, why: impl FnOnce() -> String) -> Result<(), Failure> {
    if condition {
        Ok(())
    } else {
        Err(Failure(why()))
    }
}
