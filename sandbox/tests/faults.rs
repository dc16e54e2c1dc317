//! Injected token failures and latency, set through the Rust API.

mod common;

use std::time::Duration;

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FailureBody, TokenFailure};
use common::{Fixture, HOTEL_TOKEN, SERVER_TOKEN, json, start};
use reqwest::StatusCode;
use serde_json::json;

fn hotel_request(f: &Fixture) -> reqwest::RequestBuilder {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
        ("scope", "hotel"),
    ];
    f.http.post(f.url(HOTEL_TOKEN)).form(&form)
}

fn server_request(f: &Fixture) -> reqwest::RequestBuilder {
    let query = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    f.http.get(f.url(SERVER_TOKEN)).query(&query)
}

#[tokio::test]
async fn failures_hit_both_providers_in_arrival_order_then_stop() {
    let f = start().await;
    f.sandbox.fail_next_token_requests(
        2,
        TokenFailure::new(503, FailureBody::Json).with_retry_after(2),
    );
    f.sandbox
        .fail_next_token_requests(1, TokenFailure::new(429, FailureBody::Json));

    let (status, headers, body) = json(hotel_request(&f).send().await.unwrap()).await;
    assert_eq!(
        (status, &headers["retry-after"]),
        (StatusCode::SERVICE_UNAVAILABLE, &"2".parse().unwrap())
    );
    assert_eq!(
        (&body["success"], &body["errorCode"]),
        (&json!(false), &json!("temporarily_unavailable"))
    );
    assert!(body["timestamp"].is_u64() && body["errorMsg"].is_string());

    let (status, headers, body) = json(server_request(&f).send().await.unwrap()).await;
    assert_eq!(
        (status, &headers["retry-after"]),
        (StatusCode::SERVICE_UNAVAILABLE, &"2".parse().unwrap())
    );
    assert_eq!(body, json!({ "code": 50300, "msg": "service unavailable" }));

    let (status, headers, body) = json(server_request(&f).send().await.unwrap()).await;
    assert_eq!(
        (status, headers.get("retry-after")),
        (StatusCode::TOO_MANY_REQUESTS, None)
    );
    assert_eq!(body["code"], 42900);

    assert_eq!(
        server_request(&f).send().await.unwrap().status(),
        StatusCode::OK
    );
    let (_, _, body) = json(hotel_request(&f).send().await.unwrap()).await;
    assert_eq!(body["success"], true);

    let stats = f.sandbox.stats();
    assert_eq!(
        (
            stats.hotel.token_client_credentials,
            stats.hotel.token_rejected
        ),
        (2, 1)
    );
    assert_eq!(
        (
            stats.server.token_client_credentials,
            stats.server.token_rejected
        ),
        (3, 2)
    );
}

#[tokio::test]
async fn a_vendor_style_failure_can_come_with_a_200() {
    let f = start().await;
    f.sandbox
        .fail_next_token_requests(1, TokenFailure::new(200, FailureBody::Json));
    let (status, _, body) = json(hotel_request(&f).send().await.unwrap()).await;
    assert_eq!(
        (status, &body["success"], &body["errorCode"]),
        (StatusCode::OK, &json!(false), &json!("server_error"))
    );
}

#[tokio::test]
async fn an_html_page_garbage_or_nothing() {
    let f = start().await;
    f.sandbox
        .fail_next_token_requests(1, TokenFailure::new(502, FailureBody::Html));
    f.sandbox
        .fail_next_token_requests(1, TokenFailure::new(500, FailureBody::Garbage));
    f.sandbox
        .fail_next_token_requests(1, TokenFailure::new(503, FailureBody::Empty));

    let response = server_request(&f).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<h1>502 Bad Gateway</h1>")
    );

    let response = hotel_request(&f).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.text().await.unwrap(), "not json {{");

    let response = hotel_request(&f).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().get("content-type").is_none());
    assert_eq!(response.text().await.unwrap(), "");
    assert_eq!(f.sandbox.stats().hotel.token_rejected, 2);
}

#[tokio::test]
async fn a_truncated_answer_holds_tokens_that_were_never_good() {
    let f = start().await;
    f.sandbox
        .fail_next_token_requests(2, TokenFailure::new(200, FailureBody::Truncated));
    let response = server_request(&f).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(text.starts_with(r#"{"access_token":"sat_"#), "{text}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );

    let text = hotel_request(&f)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.starts_with(r#"{"success":true"#), "{text}");
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );

    let issued = f.sandbox.issued_tokens();
    assert_eq!(
        issued.len(),
        3,
        "one server token, a hotel pair: {issued:?}"
    );
    let server = issued.iter().find(|t| t.starts_with("sat_")).unwrap();
    let check = f
        .http
        .get(f.url("/api/oauth2/server/tokens/check"))
        .query(&[("token", server)]);
    assert_eq!(
        check.send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(f.sandbox.stats().server.token_rejected, 1);
}

#[tokio::test]
async fn check_and_revoke_are_never_failed() {
    let f = start().await;
    let token = f.server_token().await;
    f.sandbox
        .fail_next_token_requests(1, TokenFailure::new(503, FailureBody::Json));
    let check = f
        .http
        .get(f.url("/api/oauth2/server/tokens/check"))
        .query(&[("token", &token)]);
    assert_eq!(check.send().await.unwrap().status(), StatusCode::OK);
    let revoke = f
        .http
        .get(f.url("/api/oauth2/server/tokens/revoke"))
        .query(&[("token", &token)]);
    assert_eq!(json(revoke.send().await.unwrap()).await.2["code"], 0);
    assert_eq!(
        f.get_with_bearer("/api/me", "sat_x").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server_request(&f).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn a_malformed_request_still_takes_its_injected_failure() {
    let f = start().await;
    f.sandbox
        .fail_next_token_requests(1, TokenFailure::new(503, FailureBody::Empty));
    let response = f.http.post(f.url(HOTEL_TOKEN)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let stats = f.sandbox.stats().hotel;
    assert_eq!(
        (
            stats.token_client_credentials,
            stats.token_refresh,
            stats.token_rejected
        ),
        (0, 0, 1)
    );
}

#[tokio::test]
async fn clear_faults_forgets_queued_failures() {
    let f = start().await;
    f.sandbox
        .fail_next_token_requests(5, TokenFailure::new(503, FailureBody::Json));
    f.sandbox.clear_faults();
    assert_eq!(
        server_request(&f).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test(start_paused = true)]
async fn latency_delays_token_and_api_calls_on_tokios_clock() {
    let f = start().await;
    let token = f.server_token().await;
    f.sandbox.set_token_latency(Duration::from_secs(3));

    let started = tokio::time::Instant::now();
    assert_eq!(
        server_request(&f).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let started = tokio::time::Instant::now();
    assert_eq!(f.get_with_bearer("/api/me", &token).await.0, StatusCode::OK);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    f.sandbox.set_token_latency(Duration::ZERO);
    f.sandbox.set_api_latency(Duration::from_millis(1500));
    let started = tokio::time::Instant::now();
    assert_eq!(f.get_with_bearer("/api/me", &token).await.0, StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    let started = tokio::time::Instant::now();
    let _ = hotel_request(&f).send().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}
