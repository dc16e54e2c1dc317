//! What the demo observed: one [`Step`] per capability and a summary per
//! provider, printable as the CLI shows them.

use std::fmt;
use std::time::Duration;

/// One capability tried, and what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `hotel`, `server` or `oauth2`.
    pub provider: &'static str,
    /// What was tried.
    pub what: String,
    /// Whether it behaved as expected.
    pub ok: bool,
    /// What was observed (or what went wrong), secrets masked.
    pub evidence: String,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = if self.ok { '✔' } else { '✘' };
        write!(
            f,
            "{mark} {:<6} {}: {}",
            self.provider, self.what, self.evidence
        )
    }
}

/// What one provider cost over the whole demo, as the sandbox counted it
/// (replays as the clients counted them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProviderSummary {
    /// `hotel`, `server` or `oauth2`.
    pub provider: &'static str,
    /// Calls to protected resources.
    pub api_calls: u64,
    /// Token requests of any grant.
    pub token_requests: u64,
    /// Of which refresh grants (`None`: the provider grants no refresh tokens).
    pub refresh_grants: Option<u64>,
    /// Requests replayed after a refused token.
    pub replays: u64,
    /// Token checks (`None`: the provider has no check endpoint).
    pub checks: Option<u64>,
    /// Token revocations (`None`: the provider has no revoke endpoint).
    pub revokes: Option<u64>,
}

/// Everything the demo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Where the sandbox served.
    pub base_url: String,
    /// Each step, in order.
    pub steps: Vec<Step>,
    /// Per provider: hotel, server, oauth2.
    pub summary: Vec<ProviderSummary>,
    /// How long the steps took.
    pub elapsed: Duration,
}

impl Report {
    /// Whether every step behaved as expected.
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.ok)
    }

    /// The steps that did not.
    pub fn failures(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| !s.ok)
    }

    /// The summary of one provider.
    pub fn provider(&self, name: &str) -> Option<&ProviderSummary> {
        self.summary.iter().find(|s| s.provider == name)
    }

    /// The closing table and verdict, one line each.
    pub fn summary_lines(&self) -> Vec<String> {
        let shown = |n: Option<u64>| n.map_or_else(|| "-".to_owned(), |n| n.to_string());
        let mut lines = vec![format!(
            "{:<8} {:>9} {:>14} {:>8} {:>8} {:>7} {:>7}",
            "provider", "API calls", "token requests", "refresh", "replays", "checks", "revokes"
        )];
        for s in &self.summary {
            lines.push(format!(
                "{:<8} {:>9} {:>14} {:>8} {:>8} {:>7} {:>7}",
                s.provider,
                s.api_calls,
                s.token_requests,
                shown(s.refresh_grants),
                s.replays,
                shown(s.checks),
                shown(s.revokes)
            ));
        }
        let failed = self.failures().count();
        let total = self.steps.len();
        let secs = self.elapsed.as_secs_f64();
        lines.push(if failed == 0 {
            format!("✔ all {total} steps behaved as expected ({secs:.2} s)")
        } else {
            format!("✘ {failed} of {total} steps did not behave as expected ({secs:.2} s)")
        });
        lines
    }
}
