//! `-v` turns tracing on, on stderr: `-v` logs what the runtime does at
//! info level, `-vv` at debug, `-vvv` at trace. Only this project's crates
//! log; HTTP libraries stay at `warn`, so request URLs (which carry the
//! server's client secret on token requests) never reach the log.
//! `RUST_LOG`, when set, replaces the filter.

use std::io::IsTerminal as _;

use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

const OUR_CRATES: &[&str] = &[
    "authorized_runtime",
    "authorized_api",
    "authorized_sandbox",
    "authorized_cli",
];

/// Installs the subscriber for `verbosity` (the number of `-v`).
pub(crate) fn init(verbosity: u8) {
    let from_env = std::env::var("RUST_LOG").ok().filter(|v| !v.is_empty());
    let directives = match (from_env, verbosity) {
        (Some(directives), _) => Some(directives),
        (None, 0) => None,
        (None, n) => {
            let level = match n {
                1 => "info",
                2 => "debug",
                _ => "trace",
            };
            let ours: Vec<String> = OUR_CRATES.iter().map(|c| format!("{c}={level}")).collect();
            Some(format!("warn,{}", ours.join(",")))
        }
    };
    let log = directives.map(|directives| {
        let filter = EnvFilter::try_new(&directives).unwrap_or_else(|e| {
            eprintln!("warning: ignoring RUST_LOG `{directives}`: {e}");
            EnvFilter::new("warn")
        });
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(true)
            .with_filter(filter)
    });
    // A second init (only in tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry().with(log).try_init();
}
