//! Each call of the standard provider, pinned against the RFCs' examples:
//! RFC 6749 §4.4.2 (the token request, Basic client authentication as
//! §2.3.1 encodes it), §5.2 (errors), RFC 7662 §2.1 (introspection),
//! RFC 7009 §2.1 (revocation, answered 200 with an empty body), RFC 6750
//! §2.1 and §2.3 (the token on API calls).

use authorized_api::oauth2;
use authorized_api::runtime::{ClientAuth, Error, Stage};
use authorized_api::{Secret, TokenIn};
use httpmock::prelude::*;
use serde_json::{Value, json};

/// RFC 6749 §4.4.2's client: `Authorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW`.
const ID: &str = "s6BhdRkqt3";
const SECRET: &str = "gX1fBat3bV";
const BASIC: &str = "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW";
/// RFC 6749 §5.1's token.
const TOKEN: &str = "2YotnFZFEjr1zCsicMWpAA";

fn client(mock: &MockServer) -> oauth2::Client {
    oauth2::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

/// RFC 6749 §4.4.2 as it is written: a form body of
/// `grant_type=client_credentials` and nothing else, the client in the
/// Basic header.
async fn token_endpoint(mock: &MockServer) -> httpmock::Mock<'_> {
    mock.mock_async(|when, then| {
        when.method(POST)
            .path("/oauth2/token")
            .header("authorization", BASIC)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials");
        // RFC 6749 §5.1's answer.
        then.status(200)
            .header("Content-Type", "application/json;charset=UTF-8")
            .header("Cache-Control", "no-store")
            .header("Pragma", "no-cache")
            .json_body(json!({
                "access_token": TOKEN,
                "token_type": "example",
                "expires_in": 3600,
                "refresh_token": "tGzv3JOkF0XG5Qx2TlKWIA",
                "example_parameter": "example_value"
            }));
    })
    .await
}

#[tokio::test]
async fn the_token_request_is_rfc_6749s_with_basic_client_authentication() {
    let mock = MockServer::start_async().await;
    let token = token_endpoint(&mock).await;
    let granted = client(&mock).token().await.unwrap();
    assert_eq!(granted.expose(), TOKEN);
    assert_eq!(token.calls_async().await, 1);
}

#[tokio::test]
async fn with_params_the_client_is_in_the_body_and_never_also_in_a_header() {
    let mock = MockServer::start_async().await;
    let token = mock
        .mock_async(|when, then| {
            when.method(POST)
                .path("/oauth2/token")
                .header_missing("authorization")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", ID)
                .form_urlencoded_tuple("client_secret", SECRET);
            then.status(200)
                .json_body(json!({"access_token": TOKEN, "token_type": "Bearer"}));
        })
        .await;
    let client = oauth2::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .client_auth(ClientAuth::Params)
        .share_cache(false)
        .build()
        .unwrap();
    client.token().await.unwrap();
    assert_eq!(token.calls_async().await, 1);
}

#[tokio::test]
async fn scope_is_sent_as_asked() {
    let mock = MockServer::start_async().await;
    let token = mock
        .mock_async(|when, then| {
            when.path("/oauth2/token")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("scope", "read write");
            then.status(200)
                .json_body(json!({"access_token": TOKEN, "token_type": "Bearer", "scope": "read"}));
        })
        .await;
    let client = oauth2::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .token_param("scope", "read write")
        .share_cache(false)
        .build()
        .unwrap();
    client.token().await.unwrap();
    assert_eq!(token.calls_async().await, 1);
}

#[tokio::test]
async fn an_error_answer_is_a_typed_rejection_with_rfc_6749s_code_and_description() {
    let mock = MockServer::start_async().await;
    mock.mock_async(|when, then| {
        when.path("/oauth2/token");
        // RFC 6749 §5.2's example.
        then.status(400)
            .header("Cache-Control", "no-store")
            .json_body(
                json!({"error": "invalid_request", "error_description": "the grant is malformed"}),
            );
    })
    .await;
    let error = client(&mock).token().await.unwrap_err();
    let Error::TokenRejected {
        status,
        code,
        message,
        stage,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((*status, *stage), (400, Stage::TokenRequest));
    assert_eq!(code.as_deref(), Some("invalid_request"));
    assert_eq!(message.as_deref(), Some("the grant is malformed"));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SECRET) && !shown.contains("czZCaGRSa3F0MzpnWDFmQmF0M2JW"));
}

#[tokio::test]
async fn introspection_is_rfc_7662s_request_and_its_answer_is_typed() {
    let mock = MockServer::start_async().await;
    token_endpoint(&mock).await;
    let introspect = mock
        .mock_async(|when, then| {
            // RFC 7662 §2.1's request, the hint as the spec sets it.
            when.method(POST)
                .path("/oauth2/introspect")
                .header("authorization", BASIC)
                .header("accept", "application/json")
                .form_urlencoded_tuple("token", TOKEN)
                .form_urlencoded_tuple("token_type_hint", "access_token");
            // RFC 7662 §2.2's answer.
            then.status(200).json_body(json!({
                "active": true,
                "client_id": "l238j323ds-23ij4",
                "username": "jdoe",
                "scope": "read write dolphin",
                "sub": "Z5O3upPC88QrAjx00dis",
                "aud": "https://protected.example.net/resource",
                "iss": "https://server.example.com/",
                "exp": 1419356238,
                "iat": 1419350238,
                "extension_field": "twenty-seven"
            }));
        })
        .await;
    let answer = client(&mock).check_token().await.unwrap();
    assert_eq!(introspect.calls_async().await, 1);
    assert!(answer.active);
    assert_eq!(answer.username.as_deref(), Some("jdoe"));
    assert_eq!(answer.exp, Some(1419356238));
    assert_eq!(
        answer.aud,
        Some(json!("https://protected.example.net/resource"))
    );
}

#[tokio::test]
async fn an_inactive_token_is_an_answer_not_an_error() {
    let mock = MockServer::start_async().await;
    token_endpoint(&mock).await;
    mock.mock_async(|when, then| {
        when.path("/oauth2/introspect")
            .form_urlencoded_tuple("token", "leaked-token-1234");
        then.status(200).json_body(json!({"active": false}));
    })
    .await;
    let answer = client(&mock)
        .check_given_token(&Secret::new("leaked-token-1234"))
        .await
        .unwrap();
    assert!(!answer.active);
}

#[tokio::test]
async fn revocation_is_rfc_7009s_request_and_an_empty_200_is_success() {
    let mock = MockServer::start_async().await;
    let token = token_endpoint(&mock).await;
    let revoke = mock
        .mock_async(|when, then| {
            // RFC 7009 §2.1's request.
            when.method(POST)
                .path("/oauth2/revoke")
                .header("authorization", BASIC)
                .form_urlencoded_tuple("token", TOKEN)
                .form_urlencoded_tuple("token_type_hint", "access_token");
            then.status(200);
        })
        .await;
    let client = client(&mock);
    client.token().await.unwrap();
    client.revoke_token().await.unwrap();
    assert_eq!(revoke.calls_async().await, 1);
    // The revoked token is dropped: the next call fetches another.
    client.token().await.unwrap();
    assert_eq!(token.calls_async().await, 2);
}

#[tokio::test]
async fn revoking_with_an_empty_json_object_or_any_2xx_body_is_success() {
    for body in ["{}", "OK", ""] {
        let mock = MockServer::start_async().await;
        token_endpoint(&mock).await;
        mock.mock_async(|when, then| {
            when.path("/oauth2/revoke");
            then.status(200).body(body);
        })
        .await;
        let client = client(&mock);
        client.token().await.unwrap();
        client.revoke_token().await.unwrap();
    }
}

#[tokio::test]
async fn a_refused_revocation_carries_rfc_7009s_error() {
    let mock = MockServer::start_async().await;
    token_endpoint(&mock).await;
    mock.mock_async(|when, then| {
        when.path("/oauth2/revoke");
        then.status(400)
            .json_body(json!({"error": "unsupported_token_type"}));
    })
    .await;
    let client = client(&mock);
    client.token().await.unwrap();
    let error = client.revoke_token().await.unwrap_err();
    assert!(
        matches!(&error, Error::Api { status: 400, code: Some(code), stage: Stage::TokenRevoke, .. } if code == "unsupported_token_type"),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_token_goes_in_the_bearer_header_or_the_access_token_parameter_never_both() {
    let mock = MockServer::start_async().await;
    token_endpoint(&mock).await;
    let header = mock
        .mock_async(|when, then| {
            when.path("/resource")
                .header("authorization", format!("Bearer {TOKEN}"))
                .query_param_missing("access_token");
            then.status(200).json_body(json!({"in": "header"}));
        })
        .await;
    let query = mock
        .mock_async(|when, then| {
            when.path("/resource")
                .query_param("access_token", TOKEN)
                .header_missing("authorization");
            then.status(200).json_body(json!({"in": "query"}));
        })
        .await;
    let client = client(&mock);
    let by_header: Value = client.get("/resource").send().await.unwrap();
    let by_query: Value = client
        .get("/resource")
        .token_in(TokenIn::Query)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (by_header["in"].clone(), by_query["in"].clone()),
        (json!("header"), json!("query"))
    );
    assert_eq!(
        (header.calls_async().await, query.calls_async().await),
        (1, 1)
    );
}
