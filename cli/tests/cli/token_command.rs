//! `token`: the token masked unless `--show-secrets`, with its lifetime and
//! expiry (UTC, RFC 3339); `--output json` as one object; oauth2 with HTTP
//! Basic, with the parameters and through its issuer's metadata. Against a
//! sandbox started here.

use std::time::{Duration, SystemTime};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::support::{TestSandbox, holds_a_full_token, json, one_error_line, stderr, stdout};

/// An RFC 3339 instant as a `SystemTime`.
fn instant(text: &str) -> SystemTime {
    let at = OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("{text}: {e}"));
    SystemTime::UNIX_EPOCH + Duration::from_secs(at.unix_timestamp().try_into().unwrap())
}

/// Whether `at` is `secs` from now, give or take a few seconds.
fn in_about(at: SystemTime, secs: u64) -> bool {
    let expected = SystemTime::now() + Duration::from_secs(secs);
    let off = expected
        .duration_since(at)
        .or_else(|_| at.duration_since(expected))
        .unwrap();
    off < Duration::from_secs(5)
}

#[test]
fn token_shows_its_lifetime_and_expiry() {
    let sandbox = TestSandbox::start();
    for (provider, prefix, lifetime) in [
        ("server", "sat_…", 43_200),
        ("hotel", "hat_…", 7_200),
        ("oauth2", "oat_…", 3_600),
    ] {
        let output = sandbox.run("token", provider, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        let out = stdout(&output);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert_eq!(lines[0], prefix);
        let rest = lines[1]
            .strip_prefix(&format!("lifetime {lifetime} s, expires "))
            .unwrap_or_else(|| panic!("{provider}: {out}"));
        let (at, left) = rest.split_once(' ').unwrap();
        assert!(
            at.ends_with('Z') && in_about(instant(at), lifetime),
            "{out}"
        );
        let left: u64 = left
            .strip_prefix("(in ")
            .and_then(|l| l.strip_suffix(" s)"))
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(|| panic!("{out}"));
        assert!(left.abs_diff(lifetime) <= 2, "{out}");
        assert!(stderr(&output).contains("--show-secrets"));
    }
}

#[test]
fn token_json_is_one_object_masked_unless_show_secrets() {
    let sandbox = TestSandbox::start();
    let output = sandbox.run("token", "server", &["--output", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let token = json(&output);
    assert_eq!(token["provider"], "server");
    assert_eq!(token["token"], "sat_…");
    assert_eq!(token["lifetime_secs"], 43_200);
    let expires = instant(token["expires_at"].as_str().unwrap());
    assert!(in_about(expires, 43_200), "{token}");

    let output = sandbox.run("token", "hotel", &["--output", "json", "--show-secrets"]);
    let token = json(&output);
    let secret = token["token"].as_str().unwrap();
    assert!(
        secret.starts_with("hat_") && holds_a_full_token(secret),
        "{token}"
    );
    assert!(
        sandbox
            .running()
            .issued_tokens()
            .iter()
            .any(|t| t == secret)
    );
    assert!(!stderr(&output).contains(secret));
}

#[test]
fn oauth2_tokens_with_basic_with_params_and_through_the_issuer() {
    let sandbox = TestSandbox::start();
    let before = sandbox.stats();
    let basic = sandbox.run("token", "oauth2", &[]);
    let params = sandbox.run("token", "oauth2", &["--client-auth", "params"]);
    for output in [&basic, &params] {
        assert!(output.status.success(), "{}", stderr(output));
        assert!(stdout(output).starts_with("oat_…\n"));
    }
    let counted = sandbox.stats().since(&before).oauth2;
    assert_eq!((counted.token_auth_basic, counted.token_auth_post), (1, 1));

    // Below this base URL the spec's paths answer 404; the issuer's
    // metadata names the real endpoints.
    let elsewhere = format!("{}/elsewhere", sandbox.url());
    let issuer = format!("{}/oauth2", sandbox.url());
    let mut flags = sandbox.connect("oauth2");
    flags[3] = elsewhere;
    let through_issuer = crate::support::authorized()
        .arg("token")
        .args(&flags)
        .args(["--issuer", &issuer, "--scope", "read"])
        .output()
        .unwrap();
    assert!(
        through_issuer.status.success(),
        "{}",
        stderr(&through_issuer)
    );
    let without = crate::support::authorized()
        .arg("token")
        .args(&flags)
        .output()
        .unwrap();
    let err = one_error_line(&without, 1);
    assert!(err.contains("/elsewhere/oauth2/token"), "{err}");
    let counted = sandbox.stats().since(&before).oauth2;
    assert_eq!(counted.token_issued, 3);

    let scoped = sandbox.run("check", "oauth2", &["--scope", "read", "--output", "json"]);
    assert_eq!(json(&scoped)["scope"], "read");
}

#[test]
fn a_provider_without_a_scope_parameter_refuses_scope() {
    let sandbox = TestSandbox::start();
    let output = sandbox.run("token", "hotel", &["--scope", "read"]);
    let err = one_error_line(&output, 2);
    assert!(err.contains("takes no token parameter `scope`"), "{err}");
}
