//! Everything a sandbox remembers, shared by all its handlers.

pub(crate) mod clock;
pub(crate) mod faults;
pub(crate) mod modes;
pub(crate) mod projects;
pub(crate) mod reports;
pub(crate) mod stats;
pub(crate) mod tokens;

use std::time::Duration;

use crate::config::SandboxConfig;

/// The state behind one [`Sandbox`](crate::Sandbox).
#[derive(Debug)]
pub(crate) struct State {
    pub config: SandboxConfig,
    pub tokens: tokens::TokenStore,
    pub counters: stats::Counters,
    pub faults: faults::Faults,
    pub modes: modes::Modes,
    pub clock: clock::WallClock,
    pub projects: projects::ProjectStore,
    pub reports: reports::ReportStore,
}

impl State {
    pub fn new(config: SandboxConfig) -> Self {
        let state = Self {
            config,
            tokens: Default::default(),
            counters: Default::default(),
            faults: Default::default(),
            modes: Default::default(),
            clock: clock::WallClock::new(),
            projects: Default::default(),
            reports: Default::default(),
        };
        state.reset_modes();
        state
    }

    /// Puts every mode back as the config says.
    pub fn reset_modes(&self) {
        let revokes = self.config.new_token_revokes_earlier;
        self.modes.set_new_token_revokes_earlier(revokes);
    }

    /// Issues an access token of `kind`, revoking the client's earlier ones
    /// of that kind when the new-token-revokes-earlier mode is on.
    pub fn issue_access(
        &self,
        kind: tokens::TokenKind,
        client_id: &str,
        scope: &str,
        lifetime: Duration,
    ) -> String {
        let supersede = self.modes.new_token_revokes_earlier();
        self.tokens
            .issue_access(kind, client_id, scope, lifetime, supersede)
    }
}
