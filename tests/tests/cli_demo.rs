//! `authorized demo`, run in process through the CLI's library: every step
//! behaves as expected, and the summary agrees with what the steps claim.
//! (The binary's exit code and printed table are tested in
//! `cli/tests/cli/demo_and_sandbox_commands.rs`.)

use authorized_cli::demo::{Progress, run_demo_with};

/// Whether `text` holds a whole sandbox token (`sat_`/`hat_`/`hrt_`/`oat_`
/// and 32 hex digits).
fn holds_a_full_token(text: &str) -> bool {
    ["sat_", "hat_", "hrt_", "oat_"].iter().any(|prefix| {
        text.match_indices(prefix).any(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            rest.len() >= 32 && rest.bytes().take(32).all(|b| b.is_ascii_hexdigit())
        })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_step_behaves_as_expected() {
    let mut seen = Vec::new();
    let report = run_demo_with(|progress| match progress {
        Progress::Started(url) => seen.push(format!("started {url}")),
        Progress::Step(step) => seen.push(step.what.clone()),
    })
    .await
    .expect("the demo's sandbox starts");

    let failures: Vec<_> = report.failures().collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(report.passed());
    assert_eq!(seen[0], format!("started {}", report.base_url));
    let whats: Vec<&str> = report.steps.iter().map(|s| s.what.as_str()).collect();
    assert_eq!(seen[1..], whats, "the observer saw every step, in order");

    for capability in [
        "expired token renewed with the refresh grant",
        "refresh tokens rotate: the newest is kept",
        "token in the query string",
        "sudo by uid",
        "sudo by loginName",
        "sudo by email",
        "sudo by mobile",
        "sudo by username (deprecated)",
        "tenant by tenantId",
        "tenant by tenantCode",
        "check the token",
        "revoke, then a new token on the next call",
        "token revoked behind the client's back",
        "1,000 concurrent calls on a cold cache",
        "token with HTTP Basic",
        "token with the client in the parameters",
        "introspection as check_token()",
        "revoke, then the revoked token introspects inactive",
        "API call with the bearer header",
        "insufficient scope: 403, not replayed",
        "endpoints from the issuer's metadata",
    ] {
        assert!(
            whats.contains(&capability),
            "no step `{capability}` in {whats:?}"
        );
    }
    let burst = report
        .steps
        .iter()
        .find(|s| s.what == "1,000 concurrent calls on a cold cache")
        .unwrap();
    assert!(burst.evidence.contains("1 token request"), "{burst:?}");

    let hotel = report.provider("hotel").unwrap();
    assert_eq!(
        (
            hotel.token_requests,
            hotel.refresh_grants,
            hotel.replays,
            hotel.checks
        ),
        (5, Some(3), 2, None)
    );
    let server = report.provider("server").unwrap();
    assert_eq!(
        (
            server.api_calls,
            server.token_requests,
            server.replays,
            server.checks,
            server.revokes
        ),
        (1014, 4, 1, Some(1), Some(1))
    );
    let oauth2 = report.provider("oauth2").unwrap();
    assert_eq!(
        (
            oauth2.api_calls,
            oauth2.token_requests,
            oauth2.refresh_grants,
            oauth2.replays,
            oauth2.checks,
            oauth2.revokes
        ),
        (2, 5, None, 0, Some(3), Some(1))
    );
    assert!(
        report.elapsed < std::time::Duration::from_secs(5),
        "the demo took {:?}",
        report.elapsed
    );

    for step in &report.steps {
        assert!(
            !holds_a_full_token(&step.evidence),
            "a token leaked: {step:?}"
        );
        assert!(
            !step
                .evidence
                .contains(authorized_sandbox::DEMO_CLIENT_SECRET)
        );
    }
}
