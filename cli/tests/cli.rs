//! The `authorized` binary end to end: exit codes, what goes to stdout and
//! stderr, masking, and every command against an embedded or test sandbox.
//! Nothing here leaves loopback.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox};

/// The binary, with no `AUTHORIZED_*` or `RUST_LOG` from the caller's environment.
fn authorized() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_authorized"));
    for (name, _) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        if name_text.starts_with("AUTHORIZED_") || name_text == "RUST_LOG" {
            command.env_remove(&name);
        }
    }
    command
}

fn run(args: &[&str]) -> Output {
    authorized().args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn error_lines(output: &Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(str::to_owned)
        .collect()
}

/// Whether `text` holds a whole sandbox token (`sat_`/`hat_`/`hrt_` and 32 hex digits).
fn holds_a_full_token(text: &str) -> bool {
    ["sat_", "hat_", "hrt_"].iter().any(|prefix| {
        text.match_indices(prefix).any(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            rest.len() >= 32 && rest.bytes().take(32).all(|b| b.is_ascii_hexdigit())
        })
    })
}

fn spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(name)
}

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
    // 20 steps and the closing verdict.
    assert_eq!(steps.len(), 21, "{out}");
    assert!(steps.iter().all(|l| l.starts_with('✔')), "{out}");
    assert!(out.contains("✔ all 20 steps behaved as expected"), "{out}");
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
    assert!(
        !out.contains(DEMO_CLIENT_SECRET) && !holds_a_full_token(&out),
        "a secret leaked:\n{out}"
    );
}

#[test]
fn token_is_masked_unless_show_secrets() {
    let output = run(&["token"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), "sat_…\n");
    assert!(stderr(&output).contains("embedded sandbox"));
    assert!(!holds_a_full_token(&stderr(&output)));

    let output = run(&["token", "--provider", "hotel", "--show-secrets"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let token = stdout(&output);
    assert!(
        token.starts_with("hat_") && holds_a_full_token(&token),
        "{token}"
    );
}

#[test]
fn verbose_logs_carry_no_secrets() {
    for (provider, path) in [("server", "/api/me"), ("hotel", "/api/v1.0/hotels")] {
        let output = run(&["-vv", "call", "GET", path, "--provider", provider]);
        let log = stderr(&output);
        assert!(output.status.success(), "{log}");
        assert!(log.contains("granted"), "no token log with -vv:\n{log}");
        assert!(
            !log.contains(DEMO_CLIENT_SECRET),
            "the client secret leaked:\n{log}"
        );
        assert!(!holds_a_full_token(&log), "a token leaked:\n{log}");
    }
    let quiet = run(&["token"]);
    assert!(!stderr(&quiet).contains("granted"), "logs without -v");
}

#[test]
fn call_sends_sudo_and_tenant_to_the_embedded_sandbox() {
    let output = run(&[
        "call",
        "GET",
        "/api/me",
        "--sudo",
        "email:a+b@example.com",
        "--tenant-code",
        "华东-01",
        "--token-in",
        "query",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let (status, body) = out.split_once('\n').expect("a status line and a body");
    assert_eq!(status, "HTTP 200 OK");
    let me: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(me["user"]["uid"], 1002);
    assert_eq!(me["user"]["email"], "a+b@example.com");
    assert_eq!(me["tenant"]["tenantId"], 2);
    assert_eq!(me["tokenIn"], "query");

    let output = run(&[
        "call",
        "POST",
        "/api/projects",
        "--sudo",
        "uid:1001",
        "--data",
        r#"{"name":"Roadmap"}"#,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("HTTP 201 Created\n"));
}

#[test]
fn a_refused_call_prints_the_answer_and_one_error_line() {
    let output = run(&["call", "GET", "/api/nope"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("HTTP 404 Not Found\n"));
    assert_eq!(
        error_lines(&output),
        ["error: `server` answered 404 Not Found to GET /api/nope"]
    );
}

#[test]
fn a_bad_flag_is_one_error_line() {
    let output = run(&["token", "--bogus"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: unexpected argument '--bogus' found"),
        "{err}"
    );

    let output = run(&["call", "GET", "/api/me", "--sudo", "nick:bob"]);
    let err = stderr(&output);
    assert_eq!(
        (output.status.code(), err.lines().count()),
        (Some(2), 1),
        "{err}"
    );
    assert!(err.contains("unknown form `nick`"), "{err}");

    let output = run(&["call"]);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("<METHOD> <PATH>"), "{err}");
}

#[test]
fn every_subcommand_has_help() {
    for command in ["demo", "token", "check", "revoke", "call", "sandbox", "gen"] {
        let output = run(&[command, "--help"]);
        assert!(output.status.success(), "{command} --help");
        assert!(
            stdout(&output).contains("Usage: authorized"),
            "{command} --help"
        );
    }
}

#[test]
fn hotel_has_no_check_or_revoke() {
    for command in ["check", "revoke"] {
        let output = run(&[command, "--provider", "hotel"]);
        assert_eq!(output.status.code(), Some(1));
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(&format!("`hotel` has no {command} endpoint")),
            "{err}"
        );
    }
    let output = run(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("valid: sat_… (bearer, expires in 43200 s"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn gen_writes_then_checks_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("providers.rs");
    let (server, hotel) = (spec("server.yaml"), spec("hotel.yaml"));
    let args = |extra: &[&str]| {
        let mut args = vec![
            server.to_str().unwrap(),
            hotel.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let mut command = authorized();
        command.arg("gen").args(args);
        command.output().unwrap()
    };

    let missing = args(&["--check"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(error_lines(&missing).len(), 1);
    assert!(stderr(&missing).contains("does not exist"));

    assert!(args(&[]).status.success());
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("pub mod server") && written.contains("pub mod hotel"));
    let printed = run(&["gen", server.to_str().unwrap(), hotel.to_str().unwrap()]);
    assert_eq!(stdout(&printed), written, "stdout and the file differ");
    assert!(args(&["--check"]).status.success());

    std::fs::write(&file, written.replace("pub mod hotel", "pub mod hotels")).unwrap();
    let stale = args(&["--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let err = stderr(&stale);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("is stale"),
        "{err}"
    );
}

#[test]
fn gen_reports_spec_problems_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "name: x\nauth:\n  token: { method: GET, path: /t, params_in: body }\n  placement: { query: a, default: query }\n",
    )
    .unwrap();
    let output = run(&["gen", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("bad.yaml:3:") && err.contains("auth.token.params_in"),
        "{err}"
    );
}

/// A sandbox serving from a runtime of its own while the test blocks on the binary.
fn test_sandbox() -> (tokio::runtime::Runtime, authorized_sandbox::RunningSandbox) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime.block_on(Sandbox::default().start()).unwrap();
    (runtime, sandbox)
}

/// Flags win over the environment, which wins over the config file.
#[test]
fn credentials_come_from_flags_environment_or_config_file() {
    let (_runtime, sandbox) = test_sandbox();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("authorized.yaml");
    let write = |secret: &str| {
        let url = sandbox.base_url();
        let text = format!(
            "server:\n  base_url: {url}\n  client_id: {DEMO_CLIENT_ID}\n  client_secret: {secret}\n"
        );
        std::fs::write(&config, text).unwrap();
    };
    let token = |env_secret: Option<&str>, flag_secret: Option<&str>| {
        let mut command = authorized();
        command.args(["token", "--config", config.to_str().unwrap()]);
        if let Some(secret) = flag_secret {
            command.args(["--client-secret", secret]);
        }
        if let Some(secret) = env_secret {
            command.env("AUTHORIZED_SERVER_CLIENT_SECRET", secret);
        }
        command.output().unwrap()
    };
    write(DEMO_CLIENT_SECRET);
    let from_file = token(None, None);
    write("wrong-secret");
    let bad_file = token(None, None);
    let env_wins = token(Some(DEMO_CLIENT_SECRET), None);
    let flag_wins = token(Some("wrong-too"), Some(DEMO_CLIENT_SECRET));
    for ok in [&from_file, &env_wins, &flag_wins] {
        assert!(ok.status.success(), "{}", stderr(ok));
        assert_eq!(stdout(ok), "sat_…\n");
        assert!(!stderr(ok).contains("embedded sandbox"));
    }
    assert_eq!(bad_file.status.code(), Some(1));
    let err = error_lines(&bad_file);
    assert_eq!(err.len(), 1);
    assert!(
        err[0].contains("rejected") && !err[0].contains("wrong-secret"),
        "{err:?}"
    );
    assert_eq!(sandbox.stats().server.token_client_credentials, 4);
}

#[test]
fn a_broken_config_file_is_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.yaml");
    std::fs::write(&config, "server:\n  clientid: typo\n").unwrap();
    let output = run(&["token", "--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown field `clientid`"), "{err}");
}

/// The sandbox serves until SIGINT, then stops cleanly (exit 0).
#[cfg(unix)]
#[test]
fn sandbox_serves_until_ctrl_c() {
    let mut child = authorized()
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
    assert!(stdout(&call).contains("\"uid\": 1003"));

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

#[test]
fn plain_http_beyond_loopback_needs_allow_insecure_http() {
    let (_runtime, sandbox) = test_sandbox();
    // 0.0.0.0 is not a loopback address to the client's check, yet the
    // connection lands on this machine: nothing leaves it.
    let url = format!("http://0.0.0.0:{}", sandbox.addr().port());
    let base = [
        "token",
        "--base-url",
        url.as_str(),
        "--client-id",
        authorized_sandbox::DEMO_CLIENT_ID,
        "--client-secret",
        authorized_sandbox::DEMO_CLIENT_SECRET,
    ];
    let refused = run(&base);
    assert!(!refused.status.success());
    let lines = error_lines(&refused);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("refusing plain http to `0.0.0.0`"),
        "{lines:?}"
    );
    assert!(
        lines[0].contains("or --allow-insecure-http on a network you trust"),
        "{lines:?}"
    );

    let allowed = run(&[&base[..], &["--allow-insecure-http"]].concat());
    assert!(allowed.status.success(), "{}", stderr(&allowed));
    assert!(stdout(&allowed).contains("sat_"), "{}", stdout(&allowed));
}
