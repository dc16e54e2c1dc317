//! `check` and `revoke`: on a token named with `--token` (or read from
//! stdin) or a fresh one; oauth2 says a revoked token is inactive (exit 1),
//! server answers 401; `--output json` is the provider's typed answer,
//! masked; hotel has neither endpoint. Against a sandbox started here.

use crate::support::{TestSandbox, authorized, json, leaks, one_error_line, stderr, stdout};

/// A whole token of `provider`, from `token --show-secrets`.
fn fresh_token(sandbox: &TestSandbox, provider: &str) -> String {
    let output = sandbox.run("token", provider, &["--show-secrets"]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output).lines().next().unwrap().to_owned()
}

#[test]
fn a_named_oauth2_token_is_checked_revoked_then_inactive() {
    let sandbox = TestSandbox::start();
    let token = fresh_token(&sandbox, "oauth2");

    let valid = sandbox.run("check", "oauth2", &["--token", &token]);
    assert!(valid.status.success(), "{}", stderr(&valid));
    let out = stdout(&valid);
    assert!(out.starts_with("valid: oat_…\n"), "{out}");
    assert!(
        out.contains("  scope: read write\n") && out.contains("  exp: "),
        "{out}"
    );

    let revoked = sandbox.run("revoke", "oauth2", &["--token", &token]);
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    assert_eq!(stdout(&revoked), "revoked: oat_…\n");

    let inactive = sandbox.run("check", "oauth2", &["--token", &token]);
    assert_eq!(stdout(&inactive), "not active: oat_…\n");
    let err = one_error_line(&inactive, 1);
    assert!(err.contains("not active"), "{err}");
    let inactive = sandbox.run("check", "oauth2", &["--token", &token, "--output", "json"]);
    assert_eq!(json(&inactive), serde_json::json!({ "active": false }));
    assert_eq!(inactive.status.code(), Some(1));

    let counted = sandbox.stats().oauth2;
    // One token in all: check and revoke sent the named one.
    assert_eq!(
        (counted.token_issued, counted.introspect, counted.revoke),
        (1, 3, 1)
    );
    for output in [&valid, &revoked, &inactive] {
        assert!(!leaks(&stdout(output)) && !leaks(&stderr(output)));
    }
}

#[test]
fn a_named_server_token_is_checked_and_revoked_then_refused() {
    let sandbox = TestSandbox::start();
    let token = fresh_token(&sandbox, "server");
    let valid = sandbox.run("check", "server", &["--token", &token]);
    assert!(valid.status.success(), "{}", stderr(&valid));
    assert!(
        stdout(&valid).starts_with("valid: sat_…\n  expires_in: "),
        "{}",
        stdout(&valid)
    );

    // Read from stdin: the token stays out of the process list.
    authorized()
        .arg("revoke")
        .args(sandbox.connect("server"))
        .args(["--token", "-"])
        .write_stdin(format!("{token}\n"))
        .assert()
        .success()
        .stdout("revoked: sat_…\n");

    let refused = sandbox.run("check", "server", &["--token", &token]);
    let err = one_error_line(&refused, 1);
    assert!(err.contains("token check with HTTP 401"), "{err}");
    let again = sandbox.run("revoke", "server", &["--token", &token]);
    let err = one_error_line(&again, 1);
    assert!(err.contains("code 40102: token not found"), "{err}");
    assert!(!err.contains(&token[4..]), "{err}");
    assert_eq!(sandbox.stats().server.token_client_credentials, 1);
}

#[test]
fn check_json_is_the_typed_answer_masked_unless_show_secrets() {
    let sandbox = TestSandbox::start();
    let masked = sandbox.run("check", "server", &["--output", "json"]);
    assert!(masked.status.success(), "{}", stderr(&masked));
    let answer = json(&masked);
    assert_eq!(answer["access_token"], "sat_…");
    assert_eq!(answer["token_type"], "bearer");
    assert!(answer["expires_in"].as_u64().unwrap() > 43_000, "{answer}");

    let shown = sandbox.run("check", "server", &["--output", "json", "--show-secrets"]);
    let token = json(&shown)["access_token"].as_str().unwrap().to_owned();
    assert!(sandbox.running().issued_tokens().contains(&token));

    let oauth2 = sandbox.run("check", "oauth2", &["--output", "json"]);
    let answer = json(&oauth2);
    assert_eq!(
        (&answer["active"], &answer["client_id"]),
        (&true.into(), &"demo-client".into())
    );
    assert!(answer["exp"].as_u64().unwrap() > answer["iat"].as_u64().unwrap());
}

#[test]
fn revoking_a_fresh_token() {
    let sandbox = TestSandbox::start();
    for (provider, prefix) in [("server", "sat_…"), ("oauth2", "oat_…")] {
        let output = sandbox.run("revoke", provider, &["--output", "json"]);
        assert!(output.status.success(), "{}", stderr(&output));
        let revoked = json(&output);
        assert_eq!(
            (&revoked["token"], &revoked["revoked"]),
            (&prefix.into(), &true.into())
        );
    }
    assert_eq!(
        (sandbox.stats().server.revoke, sandbox.stats().oauth2.revoke),
        (1, 1)
    );
}

#[test]
fn hotel_has_no_check_or_revoke() {
    for command in ["check", "revoke"] {
        // Said before anything connects: no base URL needed to learn it.
        let output = authorized()
            .args([command, "--provider", "hotel"])
            .output()
            .unwrap();
        let err = one_error_line(&output, 2);
        assert!(
            err.contains(&format!("`hotel` has no {command} endpoint")),
            "{err}"
        );
        assert!(err.contains("--provider server or oauth2"), "{err}");
    }
}
