//! The fault scenarios. Each asserts that every call issued came back (none
//! lost), that each reached the provider at most once plus one replay per
//! refused token (none sent twice), and how many token requests the faults
//! cost; each keeps what it saw in a [`Seen`].
//!
//! Scenarios marked *paused* run on tokio's paused clock: backoff,
//! `Retry-After`, timeouts and expiry pass in virtual time, the sandbox's
//! latency and token lifetimes too, and nothing sleeps for real.

use std::time::Duration;

use authorized_api::runtime::Stage;
use authorized_api::{Error, server};
use authorized_sandbox::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FailureBody, Sandbox, SandboxConfig, TokenFailure,
};
use httpmock::prelude::*;
use serde_json::{Value, json};
use tokio::time::{Instant, advance};

use super::raw::{Cut, RAW_TOKEN, RawServer};
use super::*;

const HOTEL_TOKEN_PATH: &str = "/api/v1.0/invoke/open-ability/method/oauth2/token";
const SERVER_TOKEN_PATH: &str = "/api/oauth2/server/tokens";

fn unavailable(error: &Error) -> (u32, &Error) {
    match error {
        Error::TokenUnavailable { attempts, last, .. } => (*attempts, last),
        other => panic!("expected TokenUnavailable, got {other:?}"),
    }
}

fn errors<T: std::fmt::Debug>(results: &[authorized_api::Result<T>]) -> Vec<&Error> {
    results
        .iter()
        .map(|r| r.as_ref().expect_err("every call fails"))
        .collect()
}

/// *Paused.* Nothing listens at the token endpoint; then the provider comes
/// back. Twenty callers share one renewal of three attempts, all get its
/// error; during the backoff that follows a caller gets it again without a
/// request; after it, one token request serves twenty callers.
pub async fn token_endpoint_down_then_back(seen: &mut Seen) {
    let addr = free_addr();
    let api = server_client(&format!("http://{addr}"));
    let started = Instant::now();
    let down = at_once(20, || me(&api)).await;
    for error in errors(&down) {
        let (attempts, last) = unavailable(error);
        assert_eq!(attempts, 3);
        assert!(
            matches!(
                last,
                Error::Transport {
                    stage: Stage::TokenRequest,
                    ..
                }
            ),
            "{last:?}"
        );
        assert!(error.is_retryable());
    }
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(300),
        "one renewal: 100 ms then 200 ms between its attempts"
    );
    seen.results(&down);

    let sandbox = Sandbox::new(SandboxConfig::default())
        .start_on(addr)
        .await
        .expect("the port is free again");
    let early = [me(&api).await];
    assert!(
        matches!(early[0], Err(Error::TokenUnavailable { .. })),
        "{:?}",
        early[0]
    );
    assert_eq!(
        sandbox.stats().server.token_client_credentials,
        0,
        "during the backoff the failure is served without a request"
    );
    seen.results(&early);

    advance(CACHE_BACKOFF).await;
    let back = at_once(20, || me(&api)).await;
    assert_eq!(successes(&back), 20);
    let stats = sandbox.stats().server;
    assert_eq!(stats.token_client_credentials, 1);
    assert_each_call_sent_once(stats.api_calls, stats.api_unauthorized, 20, api.stats());
    seen.sandbox(&sandbox);
}

/// *Paused.* The token endpoint answers after 10 s, the client gives up
/// after 2: three timed-out attempts for ten callers, no API call. Then an
/// API that answers after 10 s: that call times out once and is never sent
/// again.
pub async fn token_endpoint_slower_than_the_timeout(seen: &mut Seen) {
    let sandbox = sandbox(SandboxConfig::default()).await;
    sandbox.set_token_latency(Duration::from_secs(10));
    let api: server::Client = builder::<server::Provider>(&sandbox.base_url())
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let slow = at_once(10, || me(&api)).await;
    for error in errors(&slow) {
        assert!(error.is_timeout(), "{error:?}");
        assert_eq!(unavailable(error).0, 3);
    }
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(3 * 2000 + 100 + 200)
    );
    let stats = sandbox.stats().server;
    assert_eq!(
        (stats.token_client_credentials, stats.api_calls),
        (3, 0),
        "one renewal of three attempts for all ten callers; no call reached the API"
    );
    seen.results(&slow);

    sandbox.set_token_latency(Duration::ZERO);
    advance(CACHE_BACKOFF).await;
    let ok = at_once(10, || me(&api)).await;
    assert_eq!(successes(&ok), 10);
    assert_eq!(sandbox.stats().server.token_client_credentials, 4);

    sandbox.set_api_latency(Duration::from_secs(10));
    let late = [me(&api).await];
    assert!(
        matches!(
            late[0],
            Err(Error::Timeout {
                stage: Stage::ApiCall,
                ..
            })
        ),
        "{:?}",
        late[0]
    );
    seen.results(&late);
    sandbox.set_api_latency(Duration::ZERO);
    assert_eq!(successes(&[me(&api).await]), 1);
    let stats = sandbox.stats().server;
    assert_eq!(stats.token_client_credentials, 4, "the token was fine");
    assert_eq!(
        (stats.api_calls, api.stats().requests, api.stats().replays),
        (12, 12, 0),
        "the timed-out call was sent once, not replayed"
    );
    seen.sandbox(&sandbox);
}

/// *Paused.* 503 and 429 with `Retry-After` are retried after the wait the
/// provider asked for; 500 is retried on the client's own backoff (its
/// `Retry-After` is not honoured) and gives up after three attempts.
pub async fn unavailable_token_endpoint_is_retried_as_told(seen: &mut Seen) {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let busy = TokenFailure::new(503, FailureBody::Json).with_retry_after(5);
    sandbox.fail_next_token_requests(2, busy);
    let api = server_client(&sandbox.base_url());
    let started = Instant::now();
    let ok = at_once(10, || me(&api)).await;
    assert_eq!(successes(&ok), 10);
    assert_eq!(started.elapsed(), Duration::from_secs(10), "5 s, twice");
    let stats = sandbox.stats().server;
    assert_eq!(stats.token_client_credentials, 3);
    assert_each_call_sent_once(stats.api_calls, stats.api_unauthorized, 10, api.stats());

    let hotel_api = hotel_client(&sandbox.base_url());
    let slow_down = TokenFailure::new(429, FailureBody::Json).with_retry_after(7);
    sandbox.fail_next_token_requests(1, slow_down);
    let started = Instant::now();
    let ok = at_once(10, || hotels(&hotel_api)).await;
    assert_eq!(successes(&ok), 10);
    assert_eq!(started.elapsed(), Duration::from_secs(7));
    let stats = sandbox.stats().hotel;
    assert_eq!(stats.token_client_credentials, 2);
    assert_each_call_sent_once(
        stats.api_calls,
        stats.api_unauthorized,
        10,
        hotel_api.stats(),
    );

    let broken = TokenFailure::new(500, FailureBody::Html).with_retry_after(60);
    sandbox.fail_next_token_requests(3, broken);
    let api = server_client(&sandbox.base_url());
    let before = sandbox.stats();
    let started = Instant::now();
    let failed = at_once(10, || me(&api)).await;
    for error in errors(&failed) {
        let (attempts, last) = unavailable(error);
        assert_eq!(attempts, 3);
        assert!(matches!(last, Error::Api { status: 500, .. }), "{last:?}");
    }
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(300),
        "a 500's Retry-After is not honoured"
    );
    seen.results(&failed);
    advance(CACHE_BACKOFF).await;
    assert_eq!(successes(&[me(&api).await]), 1);
    let d = since(&sandbox, &before).server;
    assert_eq!((d.token_client_credentials, d.api_calls), (4, 1));
    seen.sandbox(&sandbox);
}

/// *Paused.* A 200 whose body is garbage, half a token answer, empty or an
/// HTML page is read once and not retried (the provider answered; asking
/// again at once would not change it): ten callers get one decode error
/// from one request; after the backoff one request serves them again. The
/// same page behind a 502 is retried.
pub async fn undecodable_token_answers_cost_one_request(seen: &mut Seen) {
    let sandbox = sandbox(SandboxConfig::default()).await;
    let token_requests = |sandbox: &Sandbox| {
        let s = sandbox.stats();
        s.server.token_client_credentials + s.hotel.token_client_credentials + s.hotel.token_refresh
    };
    let bodies = [
        FailureBody::Garbage,
        FailureBody::Truncated,
        FailureBody::Empty,
        FailureBody::Html,
    ];
    let mut sent = authorized_api::runtime::ClientStats::default();
    for body in bodies {
        for provider in ["server", "hotel"] {
            let (server_api, hotel_api) = (
                server_client(&sandbox.base_url()),
                hotel_client(&sandbox.base_url()),
            );
            let (server_ref, hotel_ref) = (&server_api, &hotel_api);
            let call = move || async move {
                match provider {
                    "server" => me(server_ref).await,
                    _ => hotels(hotel_ref).await,
                }
            };
            let before = token_requests(&sandbox);
            sandbox.fail_next_token_requests(1, TokenFailure::new(200, body));
            let failed = at_once(10, call).await;
            for error in errors(&failed) {
                assert!(
                    matches!(
                        error,
                        Error::Decode {
                            stage: Stage::TokenRequest,
                            ..
                        }
                    ),
                    "{provider} {body:?}: {error:?}"
                );
            }
            seen.results(&failed);
            assert_eq!(token_requests(&sandbox) - before, 1, "{provider} {body:?}");
            advance(CACHE_BACKOFF).await;
            let ok = at_once(10, call).await;
            assert_eq!(successes(&ok), 10, "{provider} {body:?}");
            assert_eq!(token_requests(&sandbox) - before, 2, "{provider} {body:?}");
            for stats in [server_api.stats(), hotel_api.stats()] {
                sent.requests += stats.requests;
                sent.replays += stats.replays;
            }
        }
    }
    let stats = sandbox.stats();
    assert_each_call_sent_once(
        stats.server.api_calls + stats.hotel.api_calls,
        stats.server.api_unauthorized + stats.hotel.api_unauthorized,
        80,
        sent,
    );

    let api = hotel_client(&sandbox.base_url());
    let before = token_requests(&sandbox);
    sandbox.fail_next_token_requests(3, TokenFailure::new(502, FailureBody::Html));
    let failed = at_once(10, || hotels(&api)).await;
    for error in errors(&failed) {
        assert!(
            matches!(unavailable(error).1, Error::Api { status: 502, .. }),
            "{error:?}"
        );
    }
    seen.results(&failed);
    assert_eq!(token_requests(&sandbox) - before, 3);

    // The provider's own refusal (hotel: `success:false` in a 200) is not retried either.
    let before = token_requests(&sandbox);
    sandbox.fail_next_token_requests(1, TokenFailure::new(200, FailureBody::Json));
    let api = hotel_client(&sandbox.base_url());
    let refused = at_once(10, || hotels(&api)).await;
    for error in errors(&refused) {
        assert!(
            matches!(
                error,
                Error::TokenRejected {
                    status: 200,
                    code: Some(_),
                    ..
                }
            ),
            "{error:?}"
        );
    }
    seen.results(&refused);
    assert_eq!(token_requests(&sandbox) - before, 1);
    seen.sandbox(&sandbox);
}

/// Refusals whose fields no spec names still reach the caller (code,
/// message or the body excerpt) and are not retried: one request for ten
/// callers. Real clock (httpmock serves from its own thread).
pub async fn refusals_with_fields_never_seen_before(seen: &mut Seen) {
    const SECRET_ECHO: &str = "hrt_never_seen_9a8b7c6d";
    seen.secrets(&[DEMO_CLIENT_SECRET, SECRET_ECHO]);
    let cases = [
        (
            HOTEL_TOKEN_PATH,
            200,
            json!({"success": false, "timestamp": 1, "errCd": "E_QUOTA_9",
                   "reason": "每日配额已用完", "hint": {"retry": "tomorrow"},
                   "refresh_token": SECRET_ECHO}),
            "E_QUOTA_9",
        ),
        (
            HOTEL_TOKEN_PATH,
            200,
            json!({"success": "false", "err": {"no": 7001, "text": "appid frozen"}}),
            "appid frozen",
        ),
        (
            SERVER_TOKEN_PATH,
            200,
            json!({"errno": 40013, "errmsg_zh": "无效的应用"}),
            "40013",
        ),
        (
            SERVER_TOKEN_PATH,
            403,
            json!({"fault": {"faultstring": "Rate limit quota violation", "detail": {"errorcode": "policies.ratelimit.QuotaViolation"}}}),
            "QuotaViolation",
        ),
    ];
    for (path, status, body, shown) in cases {
        let mock = MockServer::start_async().await;
        let endpoint = mock
            .mock_async(|when, then| {
                when.path(path);
                then.status(status).json_body(body.clone());
            })
            .await;
        let results: Vec<authorized_api::Result<Value>> = if path == HOTEL_TOKEN_PATH {
            let api = hotel_client(&mock.base_url());
            at_once(10, || hotels(&api)).await
        } else {
            let api = server_client(&mock.base_url());
            at_once(10, || me(&api)).await
        };
        for error in errors(&results) {
            assert!(
                matches!(error, Error::TokenRejected { .. } | Error::Decode { .. }),
                "{error:?}"
            );
            assert!(!error.is_retryable(), "{error:?}");
            let text = error.to_string();
            assert!(text.contains(shown), "`{shown}` is not shown in: {text}");
        }
        assert_eq!(endpoint.calls_async().await, 1, "{body}");
        seen.results(&results);
    }
}

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

/// Real clock, real sockets: answers cut mid-body, by a close or a reset. A
/// token answer cut short is retried (and after three, given up); an API
/// answer cut short fails that call, which is not sent again, and neither
/// is a call the API answers 503.
pub async fn connections_cut_mid_body(seen: &mut Seen) {
    seen.secrets(&[DEMO_CLIENT_SECRET, RAW_TOKEN]);
    let fast = authorized_api::runtime::RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        ..RETRY
    };
    for cut in [Cut::Close, Cut::Reset] {
        let raw = RawServer::start(cut, 2).await;
        let api: server::Client = builder::<server::Provider>(&raw.base_url)
            .retry_policy(fast)
            .build()
            .unwrap();
        let results = at_once(5, || me(&api)).await;
        assert_eq!(successes(&results), 5, "{cut:?}");
        assert_eq!(raw.token_requests(), 3, "{cut:?}: two cut, the third whole");
        assert_eq!(
            (raw.api_requests(), api.stats().requests),
            (5, 5),
            "{cut:?}"
        );

        let posted = [api
            .post("/api/cut")
            .json(&json!({"transfer": 1}))
            .send::<Value>()
            .await];
        assert!(
            matches!(
                posted[0],
                Err(Error::Transport {
                    stage: Stage::ApiCall,
                    ..
                })
            ),
            "{cut:?}: {:?}",
            posted[0]
        );
        seen.results(&posted);
        let busy = [me_at(&api, "/api/busy").await];
        assert!(
            matches!(busy[0], Err(Error::Api { status: 503, .. })),
            "{:?}",
            busy[0]
        );
        seen.results(&busy);
        assert_eq!(
            (
                raw.api_requests(),
                api.stats().requests,
                api.stats().replays
            ),
            (7, 7, 0),
            "{cut:?}: each call reached the API once"
        );
        let transfers = raw
            .api_bodies()
            .iter()
            .filter(|b| b.contains("transfer"))
            .count();
        assert_eq!(transfers, 1, "{cut:?}: the POST was sent once");
        assert_eq!(raw.token_requests(), 3, "{cut:?}: the token was fine");

        let raw = RawServer::start(cut, 3).await;
        let api: server::Client = builder::<server::Provider>(&raw.base_url)
            .retry_policy(fast)
            .build()
            .unwrap();
        let failed = at_once(5, || me(&api)).await;
        for error in errors(&failed) {
            let (attempts, last) = unavailable(error);
            assert_eq!(attempts, 3);
            assert!(matches!(last, Error::Transport { .. }), "{last:?}");
        }
        seen.results(&failed);
        assert_eq!(
            (raw.token_requests(), raw.api_requests()),
            (3, 0),
            "{cut:?}"
        );
    }
}

async fn me_at(api: &server::Client, path: &str) -> authorized_api::Result<Value> {
    api.get(path).send().await
}
