//! Everything a sandbox remembers, shared by all its handlers.

pub(crate) mod faults;
pub(crate) mod projects;
pub(crate) mod stats;
pub(crate) mod tokens;

use crate::config::SandboxConfig;

/// The state behind one [`Sandbox`](crate::Sandbox).
#[derive(Debug)]
pub(crate) struct State {
    pub config: SandboxConfig,
    pub tokens: tokens::TokenStore,
    pub counters: stats::Counters,
    pub faults: faults::Faults,
    pub projects: projects::ProjectStore,
}

impl State {
    pub fn new(config: SandboxConfig) -> Self {
        Self {
            config,
            tokens: Default::default(),
            counters: Default::default(),
            faults: Default::default(),
            projects: Default::default(),
        }
    }
}
