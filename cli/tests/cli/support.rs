//! What the files of this binary share: the `authorized` binary, run
//! clear of the caller's environment; a sandbox started by the test, whose
//! URL the binary is given; and readers of what it printed.

use std::process::Output;

use assert_cmd::Command;
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox, Stats};

/// The binary, with no `AUTHORIZED_*` or `RUST_LOG` from the caller's environment.
pub fn authorized() -> Command {
    Command::from_std(authorized_std())
}

/// The same as a `std` command, for tests that spawn it and read it as it runs.
pub fn authorized_std() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_authorized"));
    for (name, _) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        if name_text.starts_with("AUTHORIZED_") || name_text == "RUST_LOG" {
            command.env_remove(&name);
        }
    }
    command
}

/// Runs the binary with `args` and waits for all it prints.
pub fn run(args: &[&str]) -> Output {
    authorized().args(args).output().expect("the binary runs")
}

/// A sandbox serving from a runtime of its own while the test blocks on the binary.
pub struct TestSandbox {
    sandbox: RunningSandbox,
    // Dropped after the sandbox: it serves on this runtime.
    _runtime: tokio::runtime::Runtime,
}

impl TestSandbox {
    /// Starts one on a free port of 127.0.0.1.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = runtime.block_on(Sandbox::default().start()).unwrap();
        Self {
            sandbox,
            _runtime: runtime,
        }
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        self.sandbox.base_url()
    }

    /// What it counted so far.
    pub fn stats(&self) -> Stats {
        self.sandbox.stats()
    }

    /// The sandbox itself.
    pub fn running(&self) -> &RunningSandbox {
        &self.sandbox
    }

    /// `--provider P --base-url URL` and the demo credentials, as flags.
    pub fn connect(&self, provider: &str) -> Vec<String> {
        [
            "--provider",
            provider,
            "--base-url",
            &self.url(),
            "--client-id",
            DEMO_CLIENT_ID,
            "--client-secret",
            DEMO_CLIENT_SECRET,
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// Runs `authorized <command> <connect(provider)> <more>`.
    pub fn run(&self, command: &str, provider: &str, more: &[&str]) -> Output {
        authorized()
            .arg(command)
            .args(self.connect(provider))
            .args(more)
            .output()
            .expect("the binary runs")
    }
}

/// What the binary printed to stdout.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// What the binary printed to stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Stdout read as one JSON value.
pub fn json(output: &Output) -> serde_json::Value {
    let out = stdout(output);
    assert_eq!(out.lines().count(), 1, "not one line: {out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// The lines of stderr that start with `error:`.
pub fn error_lines(output: &Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(str::to_owned)
        .collect()
}

/// Asserts the command failed with `code` and exactly one line on
/// stderr, an `error:` line, and returns it.
pub fn one_error_line(output: &Output, code: i32) -> String {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(code), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    err.trim_end().to_owned()
}

/// Whether `text` holds a whole sandbox token (`sat_`/`hat_`/`hrt_`/`oat_`
/// and 32 hex digits).
pub fn holds_a_full_token(text: &str) -> bool {
    ["sat_", "hat_", "hrt_", "oat_"].iter().any(|prefix| {
        text.match_indices(prefix).any(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            rest.len() >= 32 && rest.bytes().take(32).all(|b| b.is_ascii_hexdigit())
        })
    })
}

/// Whether `text` shows any secret: a whole token or the demo client secret.
pub fn leaks(text: &str) -> bool {
    holds_a_full_token(text) || text.contains(DEMO_CLIENT_SECRET)
}
