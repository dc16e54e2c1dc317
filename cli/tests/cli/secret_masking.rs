//! What the binary shows of secrets: tokens masked unless `--show-secrets`
//! asks for them, an answer that echoes a secret masked too, and verbose
//! logs and errors with neither the client secret nor a whole token.
//! Against a sandbox started here.

use authorized_sandbox::DEMO_CLIENT_SECRET;

use crate::support::{TestSandbox, holds_a_full_token, json, leaks, stderr, stdout};

#[test]
fn tokens_are_masked_unless_show_secrets() {
    let sandbox = TestSandbox::start();
    let output = sandbox.run("token", "server", &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("sat_…\n"));
    assert!(!leaks(&stdout(&output)) && !leaks(&stderr(&output)));

    let output = sandbox.run("token", "hotel", &["--show-secrets"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let token = stdout(&output);
    assert!(
        token.starts_with("hat_") && holds_a_full_token(&token),
        "{token}"
    );
}

#[test]
fn an_answer_echoing_a_secret_is_masked() {
    let sandbox = TestSandbox::start();
    let path = format!("/api/echo?echoed={DEMO_CLIENT_SECRET}");
    let masked = sandbox.run("call", "server", &["GET", &path, "--output", "json"]);
    assert!(masked.status.success(), "{}", stderr(&masked));
    let body = json(&masked)["body"].to_string();
    assert!(
        body.contains("demo…") && !body.contains(DEMO_CLIENT_SECRET),
        "{body}"
    );
    let raw = sandbox.run("call", "server", &["GET", &path, "--raw"]);
    assert!(
        !stdout(&raw).contains(DEMO_CLIENT_SECRET),
        "{}",
        stdout(&raw)
    );

    let shown = sandbox.run("call", "server", &["GET", &path, "--show-secrets"]);
    assert!(
        stdout(&shown).contains(DEMO_CLIENT_SECRET),
        "{}",
        stdout(&shown)
    );
}

#[test]
fn verbose_logs_carry_no_secrets() {
    let sandbox = TestSandbox::start();
    let runs: [(&str, &str, &[&str]); 6] = [
        ("call", "server", &["GET", "/api/me"]),
        ("call", "hotel", &["GET", "/api/v1.0/hotels"]),
        (
            "call",
            "oauth2",
            &["GET", "/oauth2/api/me", "--client-auth", "params"],
        ),
        ("check", "oauth2", &[]),
        ("revoke", "server", &[]),
        ("token", "oauth2", &["--output", "json"]),
    ];
    for (command, provider, args) in runs {
        let output = crate::support::authorized()
            .arg("-vv")
            .arg(command)
            .args(sandbox.connect(provider))
            .args(args)
            .output()
            .unwrap();
        let log = stderr(&output);
        assert!(output.status.success(), "{log}");
        assert!(log.contains("granted"), "no token log with -vv:\n{log}");
        assert!(
            !log.contains(DEMO_CLIENT_SECRET),
            "the client secret leaked:\n{log}"
        );
        assert!(!holds_a_full_token(&log), "a token leaked:\n{log}");
        assert!(!leaks(&stdout(&output)), "{}", stdout(&output));
    }
    let quiet = sandbox.run("token", "server", &[]);
    assert!(!stderr(&quiet).contains("granted"), "logs without -v");
}
