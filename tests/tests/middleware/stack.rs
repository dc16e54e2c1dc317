//! The middleware next to another in the same stack: reqwest-retry's
//! `RetryTransientMiddleware` with an exponential backoff, above it or
//! below it. A 503 from the API is retried with the one token, and a token
//! refused behind the client's back is still renewed and the request
//! replayed once, whichever the order. Against an `httpmock` server: the
//! sandbox injects faults into token requests only.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use authorized_api::reqwest_middleware::{ClientBuilder, ClientWithMiddleware, reqwest};
use authorized_api::server;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use reqwest_retry::RetryTransientMiddleware;
use reqwest_retry::policies::ExponentialBackoff;
use serde_json::json;

use crate::support::numbered;

/// Where the retry middleware sits, relative to the authorized one.
#[derive(Debug, Clone, Copy)]
enum Retry {
    /// `.with(retry).with(authorized)`: each retry is authorized afresh.
    Above,
    /// `.with(authorized).with(retry)`: retries resend the authorized request.
    Below,
}

fn stack(api: &server::Client, retry: Retry) -> ClientWithMiddleware {
    let policy = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(5))
        .build_with_max_retries(3);
    let retrying = RetryTransientMiddleware::new_with_policy(policy);
    let builder = ClientBuilder::new(reqwest::Client::new());
    match retry {
        Retry::Above => builder.with(retrying).with(api.middleware()),
        Retry::Below => builder.with(api.middleware()).with(retrying),
    }
    .build()
}

/// The API's behaviour, changed by the tests while it runs.
#[derive(Debug, Default)]
struct Api {
    calls: AtomicUsize,
    /// How many calls are still answered 503.
    unavailable: AtomicU32,
    /// `Authorization` values answered 401.
    refused: Mutex<HashSet<String>>,
}

impl Api {
    fn answer(&self, request: &HttpMockRequest) -> HttpMockResponse {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let json = |status: u16, body: serde_json::Value| {
            HttpMockResponse::builder()
                .status(status)
                .header("Content-Type", "application/json")
                .body(body.to_string())
                .build()
        };
        let busy = self
            .unavailable
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        if busy.is_ok() {
            return json(503, json!({"code": 50300, "msg": "busy"}));
        }
        let authorization = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let refused = self.refused.lock().unwrap_or_else(PoisonError::into_inner);
        if refused.contains(&authorization) {
            return json(401, json!({"code": 40100, "msg": "invalid token"}));
        }
        json(200, json!({"actor": "app"}))
    }
}

/// A server client for `mock`, its token endpoint handing out `sat_<n>`,
/// and its `/api/me` answering as `api` says; the token requests' count.
async fn setup(mock: &MockServer, api: &Arc<Api>) -> (server::Client, Arc<AtomicUsize>) {
    let (tokens, respond) = numbered(|n| {
        json!({"access_token": format!("sat_{n}"), "token_type": "bearer", "expires_in": "7200"})
            .to_string()
    });
    mock.mock_async(|when, then| {
        when.method(GET).path("/api/oauth2/server/tokens");
        then.respond_with(respond);
    })
    .await;
    let answering = Arc::clone(api);
    mock.mock_async(|when, then| {
        when.path("/api/me");
        then.respond_with(move |request: &HttpMockRequest| answering.answer(request));
    })
    .await;
    let client = server::Client::builder()
        .base_url(mock.base_url())
        .client_id("client-9")
        .client_secret("secret-9b8c7d6e")
        .share_cache(false)
        .build()
        .unwrap();
    (client, tokens)
}

#[tokio::test]
async fn a_503_is_retried_with_the_one_token_whichever_the_order() {
    for retry in [Retry::Above, Retry::Below] {
        let mock = MockServer::start_async().await;
        let behaviour = Arc::new(Api::default());
        let (api, tokens) = setup(&mock, &behaviour).await;
        let http = stack(&api, retry);
        behaviour.unavailable.store(1, Ordering::SeqCst);

        let answer = http.get(api.url("/api/me").unwrap()).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{retry:?}");
        assert_eq!(behaviour.calls.load(Ordering::SeqCst), 2, "{retry:?}");
        assert_eq!(tokens.load(Ordering::SeqCst), 1, "one token: {retry:?}");
        assert_eq!(api.stats().replays, 0, "a 503 is no refusal: {retry:?}");
        // Only what passes the authorized middleware is counted.
        let authorized = match retry {
            Retry::Above => 2,
            Retry::Below => 1,
        };
        assert_eq!(api.stats().requests, authorized, "{retry:?}");
    }
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_next_to_a_retry_whichever_the_order() {
    for retry in [Retry::Above, Retry::Below] {
        let mock = MockServer::start_async().await;
        let behaviour = Arc::new(Api::default());
        let (api, tokens) = setup(&mock, &behaviour).await;
        let http = stack(&api, retry);
        let url = api.url("/api/me").unwrap();
        assert_eq!(http.get(url.clone()).send().await.unwrap().status(), 200);

        // The token is revoked behind the client's back, and the API is
        // busy once more.
        behaviour
            .refused
            .lock()
            .unwrap()
            .insert("Bearer sat_1".into());
        behaviour.unavailable.store(1, Ordering::SeqCst);
        let answer = http.get(url).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{retry:?}");
        assert_eq!(tokens.load(Ordering::SeqCst), 2, "one new token: {retry:?}");
        assert_eq!(api.stats().replays, 1, "one replay: {retry:?}");
        // The first call, then 503, 401 and the replay.
        assert_eq!(behaviour.calls.load(Ordering::SeqCst), 4, "{retry:?}");
    }
}
