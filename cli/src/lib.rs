//! The `authorized` command line, as a library so that tests can run the
//! demo in process.
//!
//! ```text
//! authorized demo                                  # every capability, on an embedded sandbox
//! authorized token --provider hotel --sandbox      # a token, masked, with its expiry
//! authorized token --base-url https://open.vendor.example --output json
//! export AUTHORIZED_OAUTH2_ISSUER=https://login.example.com    # and _BASE_URL, _CLIENT_ID, …
//! authorized check --provider oauth2 --token -     # introspect a token read from stdin
//! authorized call GET /api/me --sudo email:a+b@example.com --tenant-code 华东-01 --sandbox
//! authorized sandbox --port 8080                   # the sandbox in the foreground
//! authorized gen spec/*.yaml -o src/providers.rs --check
//! authorized completions bash
//! ```
//!
//! Where things are, each using only those above it:
//!
//! - [`args`]: the command line (clap derive);
//! - [`config`]: the `--config` file format;
//! - `connect`: every connection setting from flags, environment or config
//!   file, resolved in one place, or an embedded sandbox on `--sandbox`;
//! - `providers`: the table of providers, each row the same generic work
//!   (token, check, revoke, call) for one generated client;
//! - `commands/`: one module per subcommand, printing what the work returned;
//! - `output`: what goes to stdout and stderr, secrets masked, exit codes;
//! - `logging`: `-v` turns tracing on;
//! - [`demo`]: the guided tour, with the endpoint functions a user would write.
//!
//! Run the tour in process:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let report = authorized_cli::demo::run_demo().await?;
//! assert!(report.passed());
//! # Ok(()) }
//! ```

pub mod args;
mod commands;
pub mod config;
mod connect;
pub mod demo;
mod error;
mod logging;
mod output;
mod providers;

use std::process::ExitCode;

use clap::Parser as _;

pub use error::CliError;

/// Runs the command line: parses `std::env::args`, runs the command, prints
/// any error as one `error: …` line on stderr, and returns the exit code.
pub fn main() -> ExitCode {
    output::quiet_panics();
    let args = match args::Cli::try_parse() {
        Ok(args) => args,
        Err(error) => return output::usage_error(&error),
    };
    logging::init(args.verbose);
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start the async runtime: {e}")))
        .and_then(|runtime| runtime.block_on(commands::run(args.command)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => output::report_error(&error),
    }
}
