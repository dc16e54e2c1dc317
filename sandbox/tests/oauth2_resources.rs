//! The OAuth 2.0 provider's protected resources against RFC 6750: where the
//! token goes (§2.1, §2.3) and the errors and challenges of §3.

mod common;

use std::time::Duration;

use authorized_sandbox::{OAuth2Stats, SandboxConfig};
use common::{Fixture, json, start, start_with};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

const ME: &str = "/oauth2/api/me";
const REPORTS: &str = "/oauth2/api/reports";

/// GETs `path` with the `Authorization` header `auth`, if any.
async fn get(f: &Fixture, path: &str, auth: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let mut request = f.http.get(f.url(path));
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.text().await.unwrap())
}

fn challenge(headers: &HeaderMap) -> &str {
    headers["www-authenticate"].to_str().unwrap()
}

fn error_body(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

#[tokio::test]
async fn me_with_the_token_in_the_header_or_the_query() {
    let f = start().await;
    let token = f.oauth2_token(Some("read")).await;
    let (status, headers, body) = get(&f, ME, Some(&format!("Bearer {token}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("cache-control").is_none());
    let me = |token_in: &str| json!({ "client_id": "demo-client", "scope": "read", "token_in": token_in });
    assert_eq!(error_body(&body), me("header"));
    // §2.3: the query parameter; a 2xx answer to it says Cache-Control: private.
    let (status, headers, body) = get(&f, &format!("{ME}?access_token={token}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "private");
    assert_eq!(error_body(&body), me("query"));
    // The scheme is case-insensitive and may be followed by several spaces.
    assert_eq!(
        get(&f, ME, Some(&format!("bEaReR   {token}"))).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn rfc_6750_section_3_no_token_is_a_bare_challenge() {
    let f = start().await;
    let (status, headers, body) = get(&f, ME, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&headers), r#"Bearer realm="sandbox""#);
    assert_eq!(
        body, "",
        "no error information when no token was sent (§3.1)"
    );
    // Another scheme is no bearer token either.
    let (status, headers, _) = get(&f, ME, Some("Basic ZGVtbzpkZW1v")).await;
    assert_eq!(
        (status, challenge(&headers)),
        (StatusCode::UNAUTHORIZED, r#"Bearer realm="sandbox""#)
    );
    let (status, _, _) = get(&f, &format!("{ME}?access_token="), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn rfc_6750_section_3_an_unknown_token_is_invalid_token() {
    let f = start().await;
    // The token of §2.1's example request, which this sandbox never issued.
    let (status, headers, body) = get(&f, ME, Some("Bearer mF_9.B5f-4.1JqM")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge(&headers),
        r#"Bearer realm="sandbox", error="invalid_token", error_description="the access token is unknown""#
    );
    assert_eq!(
        error_body(&body),
        json!({ "error": "invalid_token", "error_description": "the access token is unknown" })
    );
    // Nor does any other provider's token count here.
    let server = f.server_token().await;
    assert_eq!(
        get(&f, &format!("{ME}?access_token={server}"), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(start_paused = true)]
async fn rfc_6750_section_3_an_expired_token_says_so() {
    let config = SandboxConfig {
        oauth2_token_lifetime: Duration::from_secs(60),
        ..SandboxConfig::default()
    };
    let f = start_with(config).await;
    let token = f.oauth2_token(None).await;
    let bearer = format!("Bearer {token}");
    tokio::time::advance(Duration::from_secs(59)).await;
    assert_eq!(get(&f, ME, Some(&bearer)).await.0, StatusCode::OK);
    tokio::time::advance(Duration::from_secs(1)).await;
    let (status, headers, _) = get(&f, ME, Some(&bearer)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge(&headers),
        r#"Bearer realm="sandbox", error="invalid_token", error_description="the access token expired""#
    );
}

#[tokio::test]
async fn a_missing_scope_is_a_403_insufficient_scope_naming_it() {
    let f = start().await;
    let read_only = f.oauth2_token(Some("read")).await;
    let request = f
        .http
        .post(f.url(REPORTS))
        .bearer_auth(&read_only)
        .json(&json!({ "title": "x" }));
    let (status, headers, body) = json(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        challenge(&headers),
        r#"Bearer realm="sandbox", error="insufficient_scope", error_description="this call needs scope write", scope="write""#
    );
    assert_eq!(body["error"], "insufficient_scope");
    let write_only = f.oauth2_token(Some("write")).await;
    let (status, headers, _) = get(&f, REPORTS, Some(&format!("Bearer {write_only}"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(challenge(&headers).ends_with(r#"scope="read""#));
}

#[tokio::test]
async fn reports_are_listed_with_read_and_created_with_write() {
    let f = start().await;
    let token = f.oauth2_token(None).await;
    let request = f
        .http
        .post(f.url(REPORTS))
        .bearer_auth(&token)
        .json(&json!({ "title": "Incidents 华东" }));
    let (status, _, created) = json(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created,
        json!({ "id": 3, "title": "Incidents 华东", "created_by": "demo-client" })
    );
    let (status, _, body) = get(&f, REPORTS, Some(&format!("Bearer {token}"))).await;
    assert_eq!(status, StatusCode::OK);
    let reports = error_body(&body);
    assert_eq!(reports.as_array().unwrap().len(), 3);
    assert_eq!(reports[2], created);
    // A bad body is a 400 without a bearer challenge: the token was fine.
    for request in [
        f.http
            .post(f.url(REPORTS))
            .bearer_auth(&token)
            .body("title=x"),
        f.http
            .post(f.url(REPORTS))
            .bearer_auth(&token)
            .json(&json!({ "title": " " })),
        f.http
            .post(f.url(REPORTS))
            .bearer_auth(&token)
            .json(&json!({ "name": "x" })),
    ] {
        let (status, headers, body) = json(request.send().await.unwrap()).await;
        assert_eq!(
            (status, &body["error"]),
            (StatusCode::BAD_REQUEST, &json!("invalid_request")),
            "{body}"
        );
        assert!(headers.get("www-authenticate").is_none());
    }
}

#[tokio::test]
async fn a_malformed_or_doubled_token_is_a_400_invalid_request() {
    let f = start().await;
    let token = f.oauth2_token(None).await;
    let both = format!("{ME}?access_token={token}");
    let twice = format!("{ME}?access_token={token}&access_token={token}");
    let header = format!("Bearer {token}");
    let cases = [
        (both.as_str(), Some(header.as_str())),
        (twice.as_str(), None),
        (ME, Some("Bearer")),
        (ME, Some("Bearer a b")),
        (ME, Some("Bearer not@b64")),
    ];
    for (path, auth) in cases {
        let (status, headers, body) = get(&f, path, auth).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {auth:?}");
        assert!(challenge(&headers).starts_with(
            r#"Bearer realm="sandbox", error="invalid_request", error_description=""#
        ));
        assert_eq!(error_body(&body)["error"], "invalid_request");
    }
}

#[tokio::test]
async fn every_call_counts_once_by_outcome() {
    let f = start().await;
    let read = f.oauth2_token(Some("read")).await;
    let bearer = format!("Bearer {read}");
    get(&f, ME, Some(&bearer)).await;
    get(&f, REPORTS, Some(&bearer)).await;
    get(&f, ME, None).await;
    get(&f, ME, Some("Bearer oat_nope")).await;
    f.http
        .post(f.url(REPORTS))
        .bearer_auth(&read)
        .json(&json!({ "title": "x" }))
        .send()
        .await
        .unwrap();
    get(&f, ME, Some("Bearer")).await;
    // Wrong method: not a call.
    let response = f
        .http
        .delete(f.url(ME))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let want = OAuth2Stats {
        token_auth_post: 1,
        token_issued: 1,
        api_calls: 6,
        api_ok: 2,
        api_no_token: 1,
        api_invalid_token: 1,
        api_insufficient_scope: 1,
        api_invalid_request: 1,
        ..OAuth2Stats::default()
    };
    assert_eq!(f.sandbox.stats().oauth2, want);
}

#[tokio::test(start_paused = true)]
async fn api_latency_delays_oauth2_calls_on_tokios_clock() {
    let f = start().await;
    let token = f.oauth2_token(None).await;
    f.sandbox.set_api_latency(Duration::from_secs(2));
    let started = tokio::time::Instant::now();
    assert_eq!(
        get(&f, ME, Some(&format!("Bearer {token}"))).await.0,
        StatusCode::OK
    );
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
