//! The OAuth 2.0 token endpoint against RFC 6749: the client credentials
//! grant (§4.4), its answer (§5.1) and its errors (§5.2).

mod common;

use std::time::Duration;

use authorized_sandbox::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FailureBody, SandboxConfig, TokenFailure,
};
use common::{Fixture, OAUTH2_TOKEN, RFC_BASIC, json, start, start_with, start_with_rfc_client};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// The demo client's credentials in the body, then `extra`.
fn post_body(extra: &str) -> String {
    format!("client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}{extra}")
}

async fn token(f: &Fixture, auth: Option<&str>, body: &str) -> (StatusCode, HeaderMap, Value) {
    json(f.post_form(OAUTH2_TOKEN, auth, body).await).await
}

/// A §5.2 error: the status, `error`, a description in the allowed
/// characters, and the caching headers.
fn assert_error(answer: &(StatusCode, HeaderMap, Value), status: StatusCode, error: &str) {
    let (got, headers, body) = answer;
    assert_eq!(
        (*got, body["error"].as_str()),
        (status, Some(error)),
        "{body}"
    );
    let description = body["error_description"]
        .as_str()
        .expect("error_description");
    assert!(
        description
            .chars()
            .all(|c| matches!(c, ' '..='~') && c != '"' && c != '\\'),
        "RFC 6749 §5.2 allows %x20-21 / %x23-5B / %x5D-7E: {description:?}"
    );
    let mut fields: Vec<_> = body.as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(fields, ["error", "error_description"]);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["pragma"], "no-cache");
}

#[tokio::test]
async fn the_rfc_6749_section_4_4_2_request_gets_a_section_5_1_answer() {
    let f = start_with_rfc_client().await;
    let response = f
        .post_form(
            OAUTH2_TOKEN,
            Some(RFC_BASIC),
            "grant_type=client_credentials",
        )
        .await;
    let (status, headers, body) = json(response).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["pragma"], "no-cache");
    let token = body["access_token"].as_str().unwrap();
    let hex = token.strip_prefix("oat_").expect("oat_ prefix");
    assert!(hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        body,
        json!({ "access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": "read write" }),
        "no refresh_token (§4.4.3); scope always present, all scopes when none was asked"
    );
    let stats = f.sandbox.stats().oauth2;
    assert_eq!((stats.token_auth_basic, stats.token_issued), (1, 1));
}

#[tokio::test]
async fn client_secret_post_works_and_the_scope_asked_is_granted() {
    let f = start().await;
    let body = post_body("&grant_type=client_credentials&scope=write+read+write");
    let (status, _, answer) = token(&f, None, &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["scope"], "write read",
        "once each, in the order asked"
    );
    let (_, _, answer) = token(
        &f,
        None,
        &post_body("&grant_type=client_credentials&scope=read"),
    )
    .await;
    assert_eq!(answer["scope"], "read");
    // A parameter without a value counts as omitted (§3.2): the default scope.
    let (_, _, answer) = token(
        &f,
        None,
        &post_body("&grant_type=client_credentials&scope="),
    )
    .await;
    assert_eq!(answer["scope"], "read write");
    assert_eq!(f.sandbox.stats().oauth2.token_auth_post, 3);
}

#[tokio::test]
async fn the_configured_lifetime_is_announced() {
    let config = SandboxConfig {
        oauth2_token_lifetime: Duration::from_millis(90_500),
        ..SandboxConfig::default()
    };
    let f = start_with(config).await;
    let (_, _, answer) = token(&f, None, &post_body("&grant_type=client_credentials")).await;
    assert_eq!(answer["expires_in"], 91, "whole seconds, rounded up");
}

#[tokio::test]
async fn an_unknown_or_malformed_scope_is_invalid_scope() {
    let f = start().await;
    for scope in ["admin", "read%20%20write", "READ", "read%09write"] {
        let body = post_body(&format!("&grant_type=client_credentials&scope={scope}"));
        assert_error(
            &token(&f, None, &body).await,
            StatusCode::BAD_REQUEST,
            "invalid_scope",
        );
    }
}

#[tokio::test]
async fn grant_types_other_than_client_credentials_are_unsupported() {
    let f = start().await;
    for grant in [
        "refresh_token&refresh_token=ort_x",
        "password",
        "authorization_code",
    ] {
        let body = post_body(&format!("&grant_type={grant}"));
        let answer = token(&f, None, &body).await;
        assert_error(&answer, StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
}

#[tokio::test]
async fn malformed_requests_are_invalid_request() {
    let f = start().await;
    let bad = [
        post_body(""),
        post_body("&grant_type="),
        post_body("&grant_type=client_credentials&grant_type=client_credentials"),
        post_body("&grant_type=client_credentials&scope=read&scope=write"),
        format!("grant_type=client_credentials&client_secret={DEMO_CLIENT_SECRET}"),
        format!(
            "{}&client_id=other",
            post_body("&grant_type=client_credentials")
        ),
    ];
    for body in bad {
        let answer = token(&f, None, &body).await;
        assert_error(&answer, StatusCode::BAD_REQUEST, "invalid_request");
    }
    // Not a form.
    let request = f
        .http
        .post(f.url(OAUTH2_TOKEN))
        .json(&json!({ "grant_type": "client_credentials" }));
    let answer = json(request.send().await.unwrap()).await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "invalid_request");
    // Credentials in the URI (§2.3.1: "MUST NOT be included in the request URI").
    let query = [
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    let request = f
        .http
        .post(f.url(OAUTH2_TOKEN))
        .query(&query)
        .form(&[("grant_type", "client_credentials")]);
    let answer = json(request.send().await.unwrap()).await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "invalid_request");
    // §3.2: the client MUST use POST.
    let response = f.http.get(f.url(OAUTH2_TOKEN)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(f.sandbox.stats().oauth2.token_rejected, 8);
}

#[tokio::test]
async fn unknown_parameters_are_ignored() {
    let f = start().await;
    let body = post_body("&grant_type=client_credentials&colour=blue&expires_in=5");
    let (status, _, answer) = token(&f, None, &body).await;
    assert_eq!(
        (status, &answer["expires_in"]),
        (StatusCode::OK, &json!(3600)),
        "{answer}"
    );
}

#[tokio::test]
async fn wrong_credentials_are_invalid_client_401_with_basic_and_400_in_the_body() {
    let f = start_with_rfc_client().await;
    // "s6BhdRkqt3:wrong"
    let basic = "Basic czZCaGRSa3F0Mzp3cm9uZw==";
    let answer = token(&f, Some(basic), "grant_type=client_credentials").await;
    assert_error(&answer, StatusCode::UNAUTHORIZED, "invalid_client");
    assert_eq!(answer.1["www-authenticate"], r#"Basic realm="sandbox""#);

    let body =
        format!("grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret=wrong");
    let answer = token(&f, None, &body).await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "invalid_client");
    assert!(answer.1.get("www-authenticate").is_none());

    let stats = f.sandbox.stats().oauth2;
    assert_eq!(
        (
            stats.token_auth_basic,
            stats.token_auth_post,
            stats.token_rejected
        ),
        (1, 1, 2)
    );
}

#[tokio::test]
async fn no_credentials_or_another_scheme_is_a_challenged_invalid_client() {
    let f = start().await;
    let public = format!("grant_type=client_credentials&client_id={DEMO_CLIENT_ID}");
    for (auth, body) in [
        (None, public.as_str()),
        (Some("Bearer oat_x"), "grant_type=client_credentials"),
    ] {
        let answer = token(&f, auth, body).await;
        assert_error(&answer, StatusCode::UNAUTHORIZED, "invalid_client");
        assert_eq!(answer.1["www-authenticate"], r#"Basic realm="sandbox""#);
    }
    let stats = f.sandbox.stats().oauth2;
    assert_eq!((stats.token_auth_none, stats.token_auth_basic), (1, 1));
}

#[tokio::test]
async fn injected_failures_apply_to_the_oauth2_token_endpoint_too() {
    let f = start().await;
    let body = post_body("&grant_type=client_credentials");
    f.sandbox.fail_next_token_requests(
        1,
        TokenFailure::new(503, FailureBody::Json).with_retry_after(4),
    );
    f.sandbox
        .fail_next_token_requests(1, TokenFailure::new(200, FailureBody::Truncated));
    let (status, headers, answer) = token(&f, None, &body).await;
    assert_eq!(
        (status, &headers["retry-after"]),
        (StatusCode::SERVICE_UNAVAILABLE, &"4".parse().unwrap())
    );
    assert_eq!(
        answer,
        json!({ "error": "temporarily_unavailable", "error_description": "service unavailable" })
    );
    let text = f
        .post_form(OAUTH2_TOKEN, None, &body)
        .await
        .text()
        .await
        .unwrap();
    assert!(text.starts_with(r#"{"access_token":"oat_"#), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    assert_eq!(token(&f, None, &body).await.0, StatusCode::OK);
    let stats = f.sandbox.stats().oauth2;
    assert_eq!(
        (
            stats.token_rejected,
            stats.token_issued,
            stats.token_auth_post
        ),
        (2, 1, 3)
    );
}
