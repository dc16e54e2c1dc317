//! What goes to stdout and stderr: results on stdout, notes and errors on
//! stderr, one line per error, secrets masked unless asked for.

use std::fmt::Display;
use std::io::{ErrorKind, Write as _};
use std::process::ExitCode;

use authorized_api::Secret;

use crate::error::{CliError, Result};

/// Prints one line on stdout; a closed stdout (`| head`) stops the command quietly.
pub(crate) fn line(text: impl Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

fn stdout_error(error: std::io::Error) -> CliError {
    match error.kind() {
        ErrorKind::BrokenPipe => CliError::StdoutClosed,
        _ => CliError::Failed(format!("cannot write to stdout: {error}")),
    }
}

/// Prints text as it is on stdout (it ends with its own newline).
pub(crate) fn text(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// Prints a note for people on stderr, out of the way of piped output.
pub(crate) fn note(text: impl Display) {
    eprintln!("{text}");
}

/// A secret as shown: masked (`sat_…`), or in full with `--show-secrets`.
pub(crate) fn secret(secret: &Secret, show: bool) -> String {
    if show {
        secret.expose().to_owned()
    } else {
        secret.masked()
    }
}

/// Prints `error: …` for a command that failed and picks the exit code.
pub(crate) fn report_error(error: &CliError) -> ExitCode {
    match error {
        CliError::StdoutClosed => return ExitCode::SUCCESS,
        // Several spec problems: one located line each.
        CliError::Codegen(e) if !e.spec_errors().is_empty() => {
            for problem in e.spec_errors() {
                eprintln!("error: {}", one_line(&problem.to_string()));
            }
        }
        other => eprintln!("error: {}", one_line(&other.to_string())),
    }
    ExitCode::FAILURE
}

/// A command line clap could not parse: its first line and a pointer to
/// `--help` (exit 2); `--help` and `--version` print in full (exit 0).
pub(crate) fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind as Kind;
    match error.kind() {
        Kind::DisplayHelp | Kind::DisplayVersion => {
            // Printing help can only fail on a closed stdout; nothing to add then.
            let _ = error.print();
            ExitCode::SUCCESS
        }
        Kind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            ExitCode::from(2)
        }
        _ => {
            // The first paragraph says what is wrong (a list of missing
            // arguments included); tips and usage follow it.
            let text = error.to_string();
            let first: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|l| !l.is_empty())
                .collect();
            let first = first.join(" ");
            let first = first.strip_prefix("error: ").unwrap_or(&first);
            eprintln!("error: {}; try --help", first.trim_end_matches(['.', ':']));
            ExitCode::from(2)
        }
    }
}

/// Turns a panic into one `error:` line instead of a backtrace.
pub(crate) fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic");
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error: {}{place}; this is a bug in authorized, please report it",
            one_line(message)
        );
    }));
}

/// Multi-line messages folded into one line.
fn one_line(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_lines() {
        assert_eq!(one_line("a\n  b\n\nc"), "a; b; c");
        assert_eq!(one_line("one"), "one");
    }

    #[test]
    fn masks_unless_asked() {
        let token = Secret::new("sat_0123456789abcdef0123");
        assert_eq!(secret(&token, false), "sat_…");
        assert_eq!(secret(&token, true), "sat_0123456789abcdef0123");
    }
}
