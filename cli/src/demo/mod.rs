//! `authorized demo`: an embedded sandbox and every capability of the
//! generated clients and `#[authorized]`, one step at a time, each checked
//! against what the sandbox counted: hotel (a vendor with envelopes and
//! rotating refresh tokens), server (sudo, tenants, check, revoke) and
//! oauth2 (the standard: Basic or parameters, introspection, revocation,
//! bearer calls, discovery).
//!
//! [`server_api`], [`hotel_api`] and [`oauth2_api`] hold the endpoint
//! functions, written as a user would; `hotel.rs`, `server.rs` and
//! `oauth2.rs` hold the steps that call them.

mod burst;
mod hotel;
pub mod hotel_api;
mod oauth2;
pub mod oauth2_api;
mod report;
mod server;
pub mod server_api;

use std::time::Instant;

use authorized_api::Secret;
use authorized_api::runtime::{self, ClientBuilder, Provider};
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
        replays: Vec::new(),
    };
    let mut recorder = Recorder {
        steps: Vec::new(),
        observer,
    };
    hotel::run(&mut ctx, &mut recorder).await;
    server::run(&mut ctx, &mut recorder).await;
    oauth2::run(&mut ctx, &mut recorder).await;
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

/// What the steps share: the sandbox, and every client made, for the
/// summary's replays.
pub(crate) struct Ctx {
    pub sandbox: RunningSandbox,
    /// Each client's provider and a reader of its replays.
    replays: Vec<(&'static str, ReplayCount)>,
}

/// Reads how many requests one client replayed so far.
type ReplayCount = Box<dyn Fn() -> u64>;

impl Ctx {
    /// A client of provider `P` on the sandbox with the demo credentials
    /// and its own token cache, configured further by `configure`.
    pub fn client<P: Provider>(
        &mut self,
        configure: impl FnOnce(ClientBuilder<P>) -> ClientBuilder<P>,
    ) -> Result<P::Client, Failure>
    where
        P::Client: From<runtime::Client<P>>,
    {
        let builder = runtime::Client::<P>::builder()
            .base_url(self.sandbox.base_url())
            .client_id(DEMO_CLIENT_ID)
            .client_secret(DEMO_CLIENT_SECRET)
            .share_cache(false);
        let client = configure(builder).build_runtime()?;
        let counted = client.clone();
        self.replays
            .push((P::DEF.name, Box::new(move || counted.stats().replays)));
        Ok(P::Client::from(client))
    }

    /// The sandbox's counters now.
    pub fn stats(&self) -> Stats {
        self.sandbox.stats()
    }

    /// What the sandbox counted since `before`.
    pub fn since(&self, before: &Stats) -> Stats {
        self.stats().since(before)
    }

    /// Replays by every client of `provider`.
    fn replays(&self, provider: &str) -> u64 {
        let of = self.replays.iter().filter(|(name, _)| *name == provider);
        of.map(|(_, replays)| replays()).sum()
    }

    fn summary(&self) -> Vec<ProviderSummary> {
        let stats = self.stats();
        let (hotel, server, oauth2) = (&stats.hotel, &stats.server, &stats.oauth2);
        vec![
            ProviderSummary {
                provider: "hotel",
                api_calls: hotel.api_calls,
                token_requests: hotel.token_client_credentials + hotel.token_refresh,
                refresh_grants: Some(hotel.token_refresh),
                replays: self.replays("hotel"),
                checks: None,
                revokes: None,
            },
            ProviderSummary {
                provider: "server",
                api_calls: server.api_calls,
                token_requests: server.token_client_credentials,
                refresh_grants: None,
                replays: self.replays("server"),
                checks: Some(server.check),
                revokes: Some(server.revoke),
            },
            ProviderSummary {
                provider: "oauth2",
                api_calls: oauth2.api_calls,
                // Every request, however it authenticated (or failed to).
                token_requests: oauth2.token_auth_basic
                    + oauth2.token_auth_post
                    + oauth2.token_auth_both
                    + oauth2.token_auth_none,
                // RFC 6749 §4.4.3: no refresh tokens for client credentials.
                refresh_grants: None,
                replays: self.replays("oauth2"),
                checks: Some(oauth2.introspect),
                revokes: Some(oauth2.revoke),
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
