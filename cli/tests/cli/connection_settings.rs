//! Where the binary connects and what it refuses: no base URL is one line
//! and exit code 2, never a silent stand-in; `--sandbox` asks for the
//! embedded one and says so; settings come from flags, the environment or
//! a config file (in that order); a broken config file is one line; plain
//! http beyond loopback needs `--allow-insecure-http`. Nothing leaves
//! loopback.

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use predicates::prelude::*;

use crate::support::{TestSandbox, authorized, error_lines, one_error_line, run, stderr, stdout};

#[test]
fn without_a_base_url_the_command_stops_with_one_line() {
    let commands: [&[&str]; 5] = [
        &["token"],
        &["check"],
        &["revoke", "--token", "sat_given"],
        &["call", "GET", "/api/me"],
        &[
            "token",
            "--provider",
            "oauth2",
            "--issuer",
            "https://as.example",
        ],
    ];
    for args in commands {
        let output = run(args);
        let line = one_error_line(&output, 2);
        assert!(output.stdout.is_empty(), "{args:?}");
        let var = if args.contains(&"oauth2") {
            "AUTHORIZED_OAUTH2_BASE_URL"
        } else {
            "AUTHORIZED_SERVER_BASE_URL"
        };
        for named in ["--base-url", var, "--config", "--sandbox"] {
            assert!(line.contains(named), "{args:?}: {line}");
        }
        assert!(!line.contains("embedded sandbox at"), "{line}");
    }
}

#[test]
fn sandbox_runs_against_the_embedded_sandbox_and_says_so() {
    authorized()
        .args(["token", "--sandbox", "--provider", "oauth2"])
        // Settings meant for a real provider never reach the sandbox.
        .env("AUTHORIZED_OAUTH2_CLIENT_SECRET", "production-secret")
        .env("AUTHORIZED_OAUTH2_BASE_URL", "https://login.example.com")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("oat_…\n"))
        .stderr(predicate::str::contains(
            "--sandbox: `oauth2` is an embedded sandbox at http://127.0.0.1:",
        ))
        .stderr(predicate::str::contains("production-secret").not());
}

/// Flags win over the environment, which wins over the config file.
#[test]
fn credentials_come_from_flags_environment_or_config_file() {
    let sandbox = TestSandbox::start();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("authorized.yaml");
    let write = |secret: &str| {
        let url = sandbox.url();
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
        assert!(stdout(ok).starts_with("sat_…\n"), "{}", stdout(ok));
        assert!(!stderr(ok).contains("sandbox"));
    }
    let err = one_error_line(&bad_file, 1);
    assert!(
        err.contains("rejected") && !err.contains("wrong-secret"),
        "{err}"
    );
    assert_eq!(sandbox.stats().server.token_client_credentials, 4);
}

/// The oauth2 settings (client authentication, issuer) come from the
/// runtime's variables and the config file as the others do.
#[test]
fn endpoint_settings_come_from_the_environment_or_the_config_file() {
    let sandbox = TestSandbox::start();
    let url = sandbox.url();
    authorized()
        .args(["token", "--provider", "oauth2"])
        .env("AUTHORIZED_OAUTH2_BASE_URL", format!("{url}/elsewhere"))
        .env("AUTHORIZED_OAUTH2_ISSUER", format!("{url}/oauth2"))
        .env("AUTHORIZED_OAUTH2_CLIENT_AUTH", "params")
        .env("AUTHORIZED_OAUTH2_CLIENT_ID", DEMO_CLIENT_ID)
        .env("AUTHORIZED_OAUTH2_CLIENT_SECRET", DEMO_CLIENT_SECRET)
        .assert()
        .success();
    assert_eq!(sandbox.stats().oauth2.token_auth_post, 1);

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.yaml");
    std::fs::write(
        &config,
        format!(
            "oauth2:\n  base_url: {url}\n  client_id: {DEMO_CLIENT_ID}\n  client_secret: {DEMO_CLIENT_SECRET}\n  client_auth: basic\n  token_params: {{ scope: write }}\n"
        ),
    )
    .unwrap();
    let output = authorized()
        .args(["check", "--provider", "oauth2", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("  scope: write\n"),
        "{}",
        stdout(&output)
    );
    assert_eq!(sandbox.stats().oauth2.token_auth_basic, 1);

    let output = authorized()
        .args(["token", "--provider", "oauth2", "--base-url", &url])
        .env("AUTHORIZED_OAUTH2_CLIENT_AUTH", "post")
        .output()
        .unwrap();
    let err = one_error_line(&output, 2);
    assert!(
        err.contains("AUTHORIZED_OAUTH2_CLIENT_AUTH is `post`"),
        "{err}"
    );
}

#[test]
fn a_broken_config_file_is_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.yaml");
    std::fs::write(&config, "server:\n  clientid: typo\n").unwrap();
    let output = run(&["token", "--config", config.to_str().unwrap()]);
    let err = one_error_line(&output, 2);
    assert!(err.contains("unknown field `clientid`"), "{err}");
}

#[test]
fn plain_http_beyond_loopback_needs_allow_insecure_http() {
    let sandbox = TestSandbox::start();
    // 0.0.0.0 is not a loopback address to the client's check, yet the
    // connection lands on this machine: nothing leaves it.
    let url = format!("http://0.0.0.0:{}", sandbox.running().addr().port());
    let base = [
        "token",
        "--base-url",
        url.as_str(),
        "--client-id",
        DEMO_CLIENT_ID,
        "--client-secret",
        DEMO_CLIENT_SECRET,
    ];
    let refused = run(&base);
    assert_eq!(refused.status.code(), Some(2));
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
