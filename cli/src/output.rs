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

/// `at` in UTC, RFC 3339, to the second: `2026-12-01T21:30:00Z`.
pub(crate) fn utc(at: std::time::SystemTime) -> String {
    let secs = at
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    i64::try_from(secs)
        .ok()
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .and_then(|utc| {
            utc.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{secs} s after 1970-01-01T00:00:00Z"))
}

/// Prints one JSON object on one line of stdout.
pub(crate) fn json(value: &serde_json::Value) -> Result<()> {
    line(value)
}

/// The secrets a command's output must not show, and whether
/// `--show-secrets` lets it: the one place output is masked.
pub(crate) struct Mask<'a> {
    secrets: Vec<&'a Secret>,
    show: bool,
}

impl<'a> Mask<'a> {
    /// Hides `secrets` (empty ones are skipped) unless `show`.
    pub(crate) fn new(secrets: impl IntoIterator<Item = &'a Secret>, show: bool) -> Self {
        let mut secrets: Vec<&Secret> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        // Longest first: a secret inside another must not cut it in two.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
        Self { secrets, show }
    }

    /// A secret as shown: masked (`sat_…`), or in full with `--show-secrets`.
    pub(crate) fn secret(&self, secret: &Secret) -> String {
        if self.show {
            secret.expose().to_owned()
        } else {
            secret.masked()
        }
    }

    /// `text` with every known secret in it masked.
    pub(crate) fn text(&self, text: &str) -> String {
        if self.show {
            return text.to_owned();
        }
        self.secrets.iter().fold(text.to_owned(), |text, secret| {
            text.replace(secret.expose(), &secret.masked())
        })
    }

    /// `value` with every known secret in its strings (and keys) masked.
    pub(crate) fn json(&self, value: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(text) => Value::String(self.text(&text)),
            Value::Array(items) => items.into_iter().map(|v| self.json(v)).collect(),
            Value::Object(fields) => fields
                .into_iter()
                .map(|(key, v)| (self.text(&key), self.json(v)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
            other => other,
        }
    }
}

/// Prints `error: …` for a command that failed and picks the exit code:
/// 2 for usage and settings, 1 for the rest.
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
    match error {
        CliError::Usage(_) | CliError::Config { .. } => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
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
    fn instants_in_utc() {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_796_160_600_750);
        assert_eq!(utc(at), "2026-12-01T21:30:00Z");
    }

    #[test]
    fn folds_lines() {
        assert_eq!(one_line("a\n  b\n\nc"), "a; b; c");
        assert_eq!(one_line("one"), "one");
    }

    #[test]
    fn masks_unless_asked() {
        let token = Secret::new("sat_0123456789abcdef0123");
        let client_secret = Secret::new("client-secret-0123456789");
        let empty = Secret::new("");
        let mask = Mask::new([&token, &client_secret, &empty], false);
        assert_eq!(mask.secret(&token), "sat_…");
        let answer = serde_json::json!({
            "access_token": token.expose(),
            "nested": [format!("Bearer {}", token.expose()), 7],
            client_secret.expose(): true,
        });
        assert_eq!(
            mask.json(answer.clone()),
            serde_json::json!({"access_token": "sat_…", "nested": ["Bearer sat_…", 7], "clie…": true})
        );
        assert_eq!(mask.text("x sat_0123456789abcdef0123 y"), "x sat_… y");
        let shown = Mask::new([&token], true);
        assert_eq!(shown.secret(&token), token.expose());
        assert_eq!(shown.json(answer.clone()), answer);
    }
}
