//! [`Sandbox`]: the handle on the state, its routes and its knobs.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{Method, Uri};
use axum::response::IntoResponse;

use crate::server::ServerError;
use crate::state::State;
use crate::{RunningSandbox, SandboxConfig, Stats, TokenFailure, admin, hotel, oauth2, server};

/// Every provider and their state. Cloning is cheap and shares the state.
#[derive(Clone)]
pub struct Sandbox {
    state: Arc<State>,
}

impl Sandbox {
    /// A sandbox with `config`, no token issued yet.
    pub fn new(config: SandboxConfig) -> Self {
        Self {
            state: Arc::new(State::new(config)),
        }
    }

    pub(crate) fn state(&self) -> &State {
        &self.state
    }

    /// Every route (hotel, server, oauth2, `/__sandbox` admin), to embed in
    /// another server or call in process.
    pub fn router(&self) -> Router {
        Router::new()
            .merge(hotel::routes())
            .merge(server::routes())
            .merge(oauth2::routes(self))
            .merge(admin::routes())
            .fallback(|method: Method, uri: Uri| async move {
                ServerError::no_such_endpoint(method, uri.path()).into_response()
            })
            .with_state(self.clone())
    }

    /// Serves on `127.0.0.1` at a free port, in a spawned task.
    pub async fn start(self) -> std::io::Result<RunningSandbox> {
        self.start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
    }

    /// Serves on `addr` (port 0 picks a free one), in a spawned task.
    pub async fn start_on(self, addr: SocketAddr) -> std::io::Result<RunningSandbox> {
        RunningSandbox::serve(self, addr).await
    }

    /// The counters as they are now.
    pub fn stats(&self) -> Stats {
        self.state.counters.snapshot()
    }

    /// Sets every counter to zero; faults stay as they are.
    pub fn reset_stats(&self) {
        self.state.counters.reset();
    }

    /// What `POST /__sandbox/reset` does: zeroes the counters, clears the
    /// faults and puts the modes back as [`SandboxConfig`] set them. Tokens
    /// stay as they are.
    pub fn reset(&self) {
        self.reset_stats();
        self.clear_faults();
        self.state.reset_modes();
    }

    /// Whether issuing an access token revokes every earlier access token
    /// of the same client at the same provider (hotel, server and oauth2
    /// alike; hotel refresh tokens are not touched). Calls refused with
    /// such a token count as `api_superseded`.
    pub fn new_token_revokes_earlier(&self) -> bool {
        self.state.modes.new_token_revokes_earlier()
    }

    /// Switches [`new_token_revokes_earlier`](Self::new_token_revokes_earlier).
    /// Switching revokes nothing by itself; once on, the next token issued
    /// revokes every earlier good one of its client, those issued before the
    /// switch included.
    pub fn set_new_token_revokes_earlier(&self, on: bool) {
        self.state.modes.set_new_token_revokes_earlier(on);
    }

    /// Forgets queued token failures and sets both latencies back to zero.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Answers the next `n` token requests, of any provider (the hotel,
    /// server and oauth2 token endpoints), with `failure`, in arrival order.
    /// Failures queued by earlier calls come first. Check, introspection and
    /// revocation calls are never failed.
    pub fn fail_next_token_requests(&self, n: u32, failure: TokenFailure) {
        self.state.faults.fail_next(n, failure);
    }

    /// Delays every token request (every provider's token endpoint) by `latency`.
    pub fn set_token_latency(&self, latency: Duration) {
        self.state.faults.set_token_latency(latency);
    }

    /// Delays every call to a protected demo resource by `latency`.
    pub fn set_api_latency(&self, latency: Duration) {
        self.state.faults.set_api_latency(latency);
    }

    /// Makes every access and refresh token issued so far invalid.
    pub fn revoke_all_tokens(&self) {
        self.state.tokens.revoke_all();
    }

    /// Expires every access token issued so far; refresh tokens stay good.
    pub fn expire_all_tokens(&self) {
        self.state.tokens.expire_all(tokio::time::Instant::now());
    }

    /// Every access and refresh token ever issued (including revoked,
    /// expired and never-good ones), in no particular order: for tests that
    /// check secrets never leak into logs or errors.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.state.tokens.all()
    }
}

impl Default for Sandbox {
    /// A sandbox with [`SandboxConfig::default`].
    fn default() -> Self {
        Self::new(SandboxConfig::default())
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("config", &self.state.config)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}
