//! Scenarios where tokens go bad behind the client's back: every hotel
//! token revoked, a refresh token used up elsewhere, and crowds of callers
//! as a token expires or the server expires it early.

use std::time::Duration;

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FailureBody, TokenFailure};
use tokio::time::{Instant, advance};

use super::HOTEL_TOKEN_PATH;
use crate::fault_support::*;

/// *Paused.* Every hotel token is revoked while the client holds one:
/// fifty callers are refused, the cached token is dropped once, one renewal
/// tries the (revoked) refresh token, is refused, falls back to the client
/// credentials, and every call is replayed once and succeeds.
pub async fn hotel_tokens_revoked_behind_the_clients_back(seen: &mut Seen) {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let api = hotel_client(&sandbox.base_url());
    hotels(&api).await.unwrap();
    sandbox.revoke_all_tokens();
    let before = sandbox.stats();
    let results = at_once(50, || hotels(&api)).await;
    assert_eq!(successes(&results), 50);
    let d = since(&sandbox, &before).hotel;
    assert_eq!(
        (
            d.token_refresh,
            d.token_client_credentials,
            d.token_rejected
        ),
        (1, 1, 1),
        "one renewal: the revoked refresh token refused, then the client credentials"
    );
    assert!(d.api_unauthorized >= 1);
    let stats = sandbox.stats().hotel;
    assert_each_call_sent_once(stats.api_calls, stats.api_unauthorized, 51, api.stats());
    seen.sandbox(&sandbox);
}

/// *Paused.* Hotel tokens live 100 s; the client renews from 80 s on. The
/// refresh token was used up elsewhere: the provider refuses it, the client
/// falls back to its credentials, and callers in the refresh window never
/// wait or fail. A 503 on a refresh is retried with the refresh grant, not
/// swapped for the client credentials.
pub async fn a_rejected_refresh_token_falls_back_to_the_client_credentials(seen: &mut Seen) {
    let sandbox = sandbox(lifetimes(
        Duration::from_secs(100),
        Duration::from_secs(3600),
    ))
    .await;
    let api = hotel_client(&sandbox.base_url());
    hotels(&api).await.unwrap();
    let refresh: Vec<String> = sandbox
        .issued_tokens()
        .into_iter()
        .filter(|t| t.starts_with("hrt_"))
        .collect();
    assert_eq!(refresh.len(), 1);
    let used_elsewhere = reqwest::Client::new()
        .post(format!("{}{HOTEL_TOKEN_PATH}", sandbox.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", DEMO_CLIENT_ID),
            ("client_secret", DEMO_CLIENT_SECRET),
            ("refresh_token", refresh[0].as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(used_elsewhere.status().is_success());

    advance(Duration::from_secs(85)).await;
    let before = sandbox.stats();
    let started = Instant::now();
    let results = at_once(10, || hotels(&api)).await;
    assert_eq!(successes(&results), 10);
    assert_eq!(started.elapsed(), Duration::ZERO, "nobody waited");
    advance(Duration::from_secs(6)).await;
    api.token().await.unwrap(); // in the safety window: waits for the renewal if still running
    let d = since(&sandbox, &before).hotel;
    assert_eq!(
        (
            d.token_refresh,
            d.token_rejected,
            d.token_client_credentials
        ),
        (1, 1, 1)
    );
    assert_eq!(d.api_unauthorized, 0);

    // The new token was obtained at 85 s: its refresh window opens at 165 s.
    advance(Duration::from_secs(171 - 91)).await;
    let before = sandbox.stats();
    sandbox.fail_next_token_requests(1, TokenFailure::new(503, FailureBody::Json));
    let results = at_once(10, || hotels(&api)).await;
    assert_eq!(successes(&results), 10);
    advance(Duration::from_secs(5)).await;
    api.token().await.unwrap();
    let d = since(&sandbox, &before).hotel;
    assert_eq!(
        (d.token_refresh, d.token_client_credentials),
        (2, 0),
        "the refresh is retried after the 503, and no client credentials are used"
    );
    let stats = sandbox.stats().hotel;
    assert_each_call_sent_once(stats.api_calls, stats.api_unauthorized, 21, api.stats());
    seen.sandbox(&sandbox);
}

/// *Paused.* Two hundred callers arrive at once as a 10 s hotel token is in
/// its refresh window, its safety window, at the very instant it expires,
/// and after: one renewal each time (a refresh grant), no call refused, none
/// replayed. Then the server expires its tokens early, behind the client's
/// back: every refused call is replayed once, after one renewal.
pub async fn many_callers_as_the_token_expires(seen: &mut Seen) {
    let sandbox = sandbox(lifetimes(Duration::from_secs(10), Duration::from_secs(10))).await;
    let instants = [
        ("in the refresh window", Duration::from_millis(8500)),
        ("in the safety window", Duration::from_millis(9500)),
        ("at the instant it expires", Duration::from_secs(10)),
        ("after it expired", Duration::from_secs(11)),
    ];
    for (when, at) in instants {
        let api = hotel_client(&sandbox.base_url());
        hotels(&api).await.unwrap();
        advance(at).await;
        let before = sandbox.stats();
        let results = at_once(200, || hotels(&api)).await;
        assert_eq!(successes(&results), 200, "{when}");
        advance(Duration::from_millis(1000)).await;
        api.token().await.unwrap(); // waits for a renewal still running
        let d = since(&sandbox, &before).hotel;
        assert_eq!(
            (d.token_refresh, d.token_client_credentials),
            (1, 0),
            "{when}: one renewal, with the refresh token"
        );
        assert_eq!(d.api_unauthorized, 0, "{when}: no call was refused");
        assert_eq!(api.stats().replays, 0, "{when}");
        assert_eq!(api.stats().requests, 201, "{when}");
    }

    let api = server_client(&sandbox.base_url());
    me(&api).await.unwrap();
    sandbox.expire_all_tokens();
    let before = sandbox.stats();
    let results = at_once(200, || me(&api)).await;
    assert_eq!(successes(&results), 200);
    let d = since(&sandbox, &before).server;
    assert_eq!(
        d.token_client_credentials, 1,
        "one renewal for 200 refused calls"
    );
    assert!(d.api_unauthorized >= 1);
    let s = sandbox.stats().server;
    assert_each_call_sent_once(s.api_calls, s.api_unauthorized, 201, api.stats());
    seen.sandbox(&sandbox);
}
