//! `completions SHELL`: a completion script for the whole command line,
//! generated from the same clap definition the binary parses with.

use clap::CommandFactory as _;

use crate::args::{Cli, CompletionsArgs};
use crate::error::{CliError, Result};
use crate::output;

/// Prints the script for `args.shell` on stdout.
pub(crate) fn run(args: &CompletionsArgs) -> Result<()> {
    // Into memory first: clap_complete panics on a write error, and a
    // closed stdout is not one worth a panic.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "authorized", &mut script);
    let script = String::from_utf8(script)
        .map_err(|e| CliError::Failed(format!("the completion script is not UTF-8: {e}")))?;
    output::text(&script)
}
