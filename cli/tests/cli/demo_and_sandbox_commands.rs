//! The two commands that start a sandbox of their own: `demo` passes every
//! step against its embedded one and prints the summary with no secret in
//! it; `sandbox` serves until Ctrl-C, then stops cleanly. Nothing here
//! leaves loopback.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

use crate::support::{authorized, authorized_std, holds_a_full_token, run, stderr, stdout};

#[test]
fn demo_passes_every_step_and_prints_the_summary() {
    let output = run(&["demo"]);
    let out = stdout(&output);
    assert!(
        output.status.success(),
        "demo failed:\n{out}\n{}",
        stderr(&output)
    );
    let steps: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('✔') || l.starts_with('✘'))
        .collect();
    // 27 steps and the closing verdict.
    assert_eq!(steps.len(), 28, "{out}");
    assert!(steps.iter().all(|l| l.starts_with('✔')), "{out}");
    assert!(out.contains("✔ all 27 steps behaved as expected"), "{out}");
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("provider"))
        .collect();
    let row = |name: &str| -> Vec<String> {
        let line = table
            .iter()
            .find(|l| l.starts_with(name))
            .expect("a summary row");
        line.split_whitespace().map(str::to_owned).collect()
    };
    // provider, API calls, token requests, refresh, replays, checks, revokes
    assert_eq!(row("hotel")[1..], ["7", "5", "3", "2", "-", "-"], "{out}");
    assert_eq!(
        row("server")[1..],
        ["1014", "4", "-", "1", "1", "1"],
        "{out}"
    );
    assert_eq!(row("oauth2")[1..], ["2", "5", "-", "0", "3", "1"], "{out}");
    assert!(
        !out.contains(DEMO_CLIENT_SECRET) && !holds_a_full_token(&out),
        "a secret leaked:\n{out}"
    );
}

/// The sandbox serves until SIGINT, then stops cleanly (exit 0).
#[cfg(unix)]
#[test]
fn sandbox_serves_until_ctrl_c() {
    let mut child = authorized_std()
        .args(["sandbox", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in `{first}`"))
        .to_owned();
    let call = authorized()
        .args(["call", "GET", "/api/me", "--sudo", "loginName:李雷"])
        .env("AUTHORIZED_SERVER_BASE_URL", &url)
        .env("AUTHORIZED_SERVER_CLIENT_ID", DEMO_CLIENT_ID)
        .env("AUTHORIZED_SERVER_CLIENT_SECRET", DEMO_CLIENT_SECRET)
        .output()
        .unwrap();
    assert!(call.status.success(), "{}", stderr(&call));
    assert!(stdout(&call).contains("\"uid\": 1003"), "{}", stdout(&call));

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let last = rest.last().cloned().unwrap_or_default();
    assert_eq!(
        last,
        "sandbox stopped; it served 1 token request(s) and 1 API call(s)"
    );
}
