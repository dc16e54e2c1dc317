//! The `/__sandbox` admin endpoints, over HTTP.

mod common;

use authorized_sandbox::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, HotelStats, OAuth2Stats, ServerStats, Stats,
};
use common::{Fixture, SERVER_TOKEN, json, start};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn admin_post(f: &Fixture, path: &str, body: Option<Value>) -> StatusCode {
    let mut request = f.http.post(f.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap().status()
}

async fn stats(f: &Fixture) -> Stats {
    let response = f.http.get(f.url("/__sandbox/stats")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

#[tokio::test]
async fn stats_count_every_request_by_kind() {
    let f = start().await;
    let (access, refresh) = f.hotel_tokens().await;
    f.hotel_refresh(&refresh).await;
    f.hotel_refresh(&refresh).await;
    f.get_with_bearer("/api/v1.0/hotels", &access).await;
    f.get_with_bearer("/api/v1.0/hotels", "hat_nope").await;
    let token = f.server_token().await;
    f.server_token_request(&[("grant_type", "client_credentials")])
        .await;
    f.http
        .get(f.url("/api/oauth2/server/tokens/check?token=x"))
        .send()
        .await
        .unwrap();
    f.http
        .get(f.url("/api/oauth2/server/tokens/revoke?token=x"))
        .send()
        .await
        .unwrap();
    f.get_with_bearer("/api/me?sudo=uid:1001", &token).await;
    f.get_with_bearer("/api/echo?sudo=nobody", &token).await;
    f.get_with_bearer("/api/me?sudo=uid:1001", "sat_nope").await;

    let want = Stats {
        hotel: HotelStats {
            token_client_credentials: 1,
            token_refresh: 2,
            token_rejected: 1,
            refresh_token_reused: 1,
            refresh_token_invalid: 0,
            api_calls: 2,
            api_unauthorized: 1,
            api_superseded: 0,
        },
        server: ServerStats {
            token_client_credentials: 2,
            token_rejected: 1,
            check: 1,
            revoke: 1,
            api_calls: 3,
            api_unauthorized: 1,
            api_superseded: 0,
            sudo_calls: 2,
        },
        oauth2: OAuth2Stats::default(),
    };
    assert_eq!(stats(&f).await, want);
    assert_eq!(f.sandbox.stats(), want);

    let raw: Value = f
        .http
        .get(f.url("/__sandbox/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["server"]["sudo_calls"], 2);
    assert_eq!(raw["hotel"]["token_refresh"], 2);
}

#[tokio::test]
async fn reset_zeroes_the_counters_and_clears_faults() {
    let f = start().await;
    f.server_token().await;
    let faults = json!({ "fail_next_token_requests": { "count": 3, "status": 503 } });
    assert_eq!(
        admin_post(&f, "/__sandbox/faults", Some(faults)).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        admin_post(&f, "/__sandbox/reset", None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(stats(&f).await, Stats::default());
    f.server_token().await;
    assert_eq!(f.sandbox.stats().server.token_client_credentials, 1);
}

#[tokio::test]
async fn faults_over_http() {
    let f = start().await;
    let faults = json!({
        "token_latency_ms": 0,
        "api_latency_ms": 0,
        "fail_next_token_requests": { "count": 1, "status": 429, "retry_after": 7, "body": "html" }
    });
    assert_eq!(
        admin_post(&f, "/__sandbox/faults", Some(faults)).await,
        StatusCode::NO_CONTENT
    );
    let query = [
        ("grant_type", "client_credentials"),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    let response = f
        .http
        .get(f.url(SERVER_TOKEN))
        .query(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "7");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("429 Too Many Requests")
    );

    for body in ["json", "garbage", "empty", "truncated"] {
        let faults = json!({ "fail_next_token_requests": { "count": 1, "body": body } });
        assert_eq!(
            admin_post(&f, "/__sandbox/faults", Some(faults)).await,
            StatusCode::NO_CONTENT
        );
        let response = f
            .http
            .get(f.url(SERVER_TOKEN))
            .query(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{body} defaults to 503"
        );
    }
    assert_eq!(
        f.http
            .get(f.url(SERVER_TOKEN))
            .query(&query)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_fault_requests_are_refused() {
    let f = start().await;
    for faults in [
        json!({ "fail_next_token_requests": { "count": 1, "status": 99 } }),
        json!({ "fail_next_token_requests": { "count": 1, "body": "xml" } }),
        json!({ "token_latency": 5 }),
    ] {
        let status = admin_post(&f, "/__sandbox/faults", Some(faults.clone())).await;
        assert!(status.is_client_error(), "{faults}: {status}");
    }
    assert_eq!(
        f.server_token_request(&[]).await.0,
        StatusCode::BAD_REQUEST,
        "nothing was queued"
    );
}

#[tokio::test]
async fn revoke_all_and_expire_all_over_http() {
    let f = start().await;
    let (access, refresh) = f.hotel_tokens().await;
    assert_eq!(
        admin_post(&f, "/__sandbox/tokens/expire-all", None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        f.get_with_bearer("/api/v1.0/hotels", &access).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, body) = f.hotel_refresh(&refresh).await;
    let refresh = body["result"]["refresh_token"].as_str().unwrap();
    assert_eq!(
        admin_post(&f, "/__sandbox/tokens/revoke-all", None).await,
        StatusCode::NO_CONTENT
    );
    let (_, body) = f.hotel_refresh(refresh).await;
    assert_eq!(body["errorCode"], "invalid_grant");
}

#[tokio::test]
async fn admin_calls_are_not_counted_and_admin_gets_are_not_posts() {
    let f = start().await;
    stats(&f).await;
    admin_post(&f, "/__sandbox/tokens/expire-all", None).await;
    assert_eq!(f.sandbox.stats(), Stats::default());
    let response = f.http.get(f.url("/__sandbox/reset")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let (status, _, _) = json(
        f.http
            .get(f.url("/__sandbox/nothing"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
