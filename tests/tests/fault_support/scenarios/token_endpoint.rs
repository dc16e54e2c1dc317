//! Scenarios where the token endpoint misbehaves: down, slower than the
//! timeout, unavailable (503, 429 and 500, with and without `Retry-After`),
//! answering what cannot be decoded, or refusing with fields no spec names.

use std::time::Duration;

use authorized_api::runtime::Stage;
use authorized_api::{Error, server};
use authorized_sandbox::{DEMO_CLIENT_SECRET, FailureBody, Sandbox, SandboxConfig, TokenFailure};
use httpmock::prelude::*;
use serde_json::{Value, json};
use tokio::time::{Instant, advance};

use super::{HOTEL_TOKEN_PATH, errors, unavailable};
use crate::fault_support::*;

const SERVER_TOKEN_PATH: &str = "/api/oauth2/server/tokens";

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
