//! `demo`: runs the guided tour, printing each step as it finishes and the
//! summary table; fails unless every step behaved as expected.

use crate::demo::{Progress, banner, run_demo_with};
use crate::error::{CliError, Result};
use crate::output;

/// Runs the demo against an embedded sandbox.
pub(crate) async fn run() -> Result<()> {
    // Printing stops at the first failure (a closed stdout); the demo goes on.
    let mut printed = Ok(());
    let report = run_demo_with(|progress| {
        if printed.is_ok() {
            printed = match progress {
                Progress::Started(base_url) => output::line(banner(base_url)),
                Progress::Step(step) => output::line(step),
            };
        }
    })
    .await
    .map_err(|e| CliError::Failed(e.to_string()))?;
    printed?;
    output::line("")?;
    output::line(
        "summary (calls and token requests as the sandbox counted them, replays as the clients did):",
    )?;
    for line in report.summary_lines() {
        output::line(line)?;
    }
    match report.failures().count() {
        0 => Ok(()),
        failed => Err(CliError::Failed(format!(
            "{failed} of {} demo steps did not behave as expected (marked ✘ above)",
            report.steps.len()
        ))),
    }
}
