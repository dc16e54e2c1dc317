//! Everything observable, gathered in one place, never shows the client
//! secret, an access token or a refresh token: `Debug` and `Display` of
//! every public type that holds one, every error the fault scenarios
//! produce (`fault_support/scenarios.rs`, run here again), and all tracing
//! output at TRACE level, of every crate (hyper, reqwest, axum and the
//! sandbox included; httpmock, which plays a provider and so is sent the
//! secrets, aside). The secrets are the demo client secret and every
//! token the sandboxes ever issued (`Sandbox::issued_tokens`), plus those
//! of the scripted servers.
//!
//! Alone in its binary, as one test: it installs the global subscriber
//! (tracing caches which callsites are enabled, so a subscriber set after
//! another test ran would miss them).

mod fault_support;

use std::time::Duration;

use authorized_api::runtime::{RefreshMargins, RetryPolicy, Token};
use authorized_api::{Secret, hotel, server};
use authorized_sandbox::{ClientCredentials, DEMO_CLIENT_SECRET, SandboxConfig};
use authorized_tests::CapturedLogs;
use fault_support::{Seen, scenarios};
use serde_json::Value;
use tracing_subscriber::EnvFilter;

/// Runs one scenario on its own current-thread runtime, its clock paused
/// or not, as the fault tests do.
macro_rules! run {
    ($paused:expr, $seen:expr, $scenario:path) => {{
        let mut builder = tokio::runtime::Builder::new_current_thread();
        builder.enable_all().start_paused($paused);
        builder.build().unwrap().block_on($scenario(&mut $seen));
    }};
}

/// The public types that hold a secret, shown every way they can be.
async fn every_type_that_holds_a_secret(seen: &mut Seen) {
    let sandbox = fault_support::sandbox(SandboxConfig::default()).await;
    let base = sandbox.base_url();

    let secret = Secret::new(DEMO_CLIENT_SECRET);
    seen.display(&secret);
    seen.debug(&secret.masked());
    let builder = fault_support::builder::<server::Provider>(&base);
    seen.debug(&builder);
    let api: server::Client = builder.build().unwrap();
    let hotel_api: hotel::Client = fault_support::builder::<hotel::Provider>(&base)
        .refresh_margins(RefreshMargins::default())
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap();

    // Tokens, as the runtime holds them and as the check call answers.
    let access = api.token().await.unwrap();
    seen.display(&access);
    let token = Token {
        access_token: access.clone(),
        refresh_token: Some(Secret::new(DEMO_CLIENT_SECRET)),
        lifetime: Duration::from_secs(60),
        obtained_at: tokio::time::Instant::now(),
    };
    seen.debug(&token);
    let checked: server::Token = api.check_token().await.unwrap();
    seen.debug(&checked);
    let _: Value = fault_support::hotels(&hotel_api).await.unwrap();
    hotel_api.token().await.unwrap();
    let answer: Value = reqwest::Client::new()
        .post(format!(
            "{base}/api/v1.0/invoke/open-ability/method/oauth2/token"
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", authorized_sandbox::DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
            ("scope", "hotel"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hotel_token: hotel::Token = serde_json::from_value(answer["result"].clone()).unwrap();
    seen.debug(&hotel_token);

    // Clients, runtime and generated, after use.
    seen.debug(&api);
    seen.debug(&*api);
    seen.debug(&hotel_api);
    seen.debug(&*hotel_api);

    // An answer that echoes the access token the call carried.
    let raw = api
        .get("/api/echo")
        .query_value("note", access.expose())
        .send_raw()
        .await
        .unwrap();
    assert!(raw.text().contains(access.expose()), "the echo holds it");
    seen.debug(&raw);
    let revoked = api.revoke_token().await;
    assert!(revoked.is_ok(), "{revoked:?}");

    // The sandbox's own types.
    seen.debug(&ClientCredentials::demo());
    seen.debug(&SandboxConfig::default());
    seen.debug(&*sandbox);
    seen.debug(&sandbox);
    seen.sandbox(&sandbox);
}

#[test]
fn nothing_observable_ever_shows_a_secret() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        // httpmock plays a provider: of course it sees what is sent to it.
        .with_env_filter(EnvFilter::new("trace,httpmock=off"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let mut seen = Seen::default();
    run!(false, seen, every_type_that_holds_a_secret);
    run!(true, seen, scenarios::token_endpoint_down_then_back);
    run!(
        true,
        seen,
        scenarios::token_endpoint_slower_than_the_timeout
    );
    run!(
        true,
        seen,
        scenarios::unavailable_token_endpoint_is_retried_as_told
    );
    run!(
        true,
        seen,
        scenarios::undecodable_token_answers_cost_one_request
    );
    run!(
        false,
        seen,
        scenarios::refusals_with_fields_never_seen_before
    );
    run!(
        true,
        seen,
        scenarios::hotel_tokens_revoked_behind_the_clients_back
    );
    run!(
        true,
        seen,
        scenarios::a_rejected_refresh_token_falls_back_to_the_client_credentials
    );
    run!(true, seen, scenarios::many_callers_as_the_token_expires);
    run!(false, seen, scenarios::connections_cut_mid_body);

    let logs = logs.text();
    // The capture works, and holds what the runtime tells operators.
    for expected in [
        "token renewal failed",
        "token endpoint unavailable, giving up",
        "retrying after a wait",
        "replaying once with a new token",
        "falling back to the client credentials",
        "outcome=\"granted\"",
        "outcome=\"undecodable\"",
        "hyper",
    ] {
        assert!(logs.contains(expected), "`{expected}` is not in the logs");
    }
    assert!(seen.shown.len() > 100, "{} things shown", seen.shown.len());
    seen.shown.push(logs);

    let mut secrets = seen.secrets.clone();
    secrets.sort();
    secrets.dedup();
    assert!(
        secrets.len() > 50,
        "the scenarios used {} secrets",
        secrets.len()
    );
    eprintln!(
        "{} secrets checked against {} things shown and {} bytes of TRACE logs",
        secrets.len(),
        seen.shown.len() - 1,
        seen.shown.last().map_or(0, String::len)
    );
    for text in &seen.shown {
        for secret in &secrets {
            if let Some(at) = text.find(secret.as_str()) {
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(200)
                    .map_or(0, |(i, _)| i);
                let to = (at + secret.len() + 200).min(text.len());
                let to = (to..=text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap();
                panic!("`{secret}` shows in:\n…{}…", &text[from..to]);
            }
        }
    }
}
