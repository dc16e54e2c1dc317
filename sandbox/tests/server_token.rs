//! The server token endpoints: get, check, revoke.

mod common;

use std::time::Duration;

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use common::{SERVER_TOKEN, json, start};
use reqwest::StatusCode;
use serde_json::{Value, json};

const GRANT: (&str, &str) = ("grant_type", "client_credentials");
const ID: (&str, &str) = ("client_id", DEMO_CLIENT_ID);
const SECRET: (&str, &str) = ("client_secret", DEMO_CLIENT_SECRET);

async fn check(f: &common::Fixture, token: &str) -> (StatusCode, Value) {
    let response = f
        .http
        .get(f.url("/api/oauth2/server/tokens/check"))
        .query(&[("token", token)]);
    let (status, _, body) = json(response.send().await.unwrap()).await;
    (status, body)
}

async fn revoke(f: &common::Fixture, token: &str) -> (StatusCode, Value) {
    let response = f
        .http
        .get(f.url("/api/oauth2/server/tokens/revoke"))
        .query(&[("token", token)]);
    let (status, _, body) = json(response.send().await.unwrap()).await;
    (status, body)
}

#[tokio::test]
async fn a_token_answer_has_expires_in_as_a_string() {
    let f = start().await;
    let (status, body) = f.server_token_request(&[GRANT, ID, SECRET]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap();
    assert!(token.starts_with("sat_") && token.len() == 36, "{token}");
    assert_eq!(
        body,
        json!({ "access_token": token, "token_type": "bearer", "expires_in": "43200", "scope": "sudo" })
    );
}

#[tokio::test]
async fn bad_credentials_are_a_401() {
    let f = start().await;
    let (status, body) = f
        .server_token_request(&[GRANT, ID, ("client_secret", "nope")])
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            json!({ "code": 40001, "msg": "invalid client credentials" })
        )
    );
}

#[tokio::test]
async fn a_wrong_or_missing_parameter_is_a_400() {
    let f = start().await;
    for query in [
        vec![ID, SECRET],
        vec![("grant_type", "password"), ID, SECRET],
        vec![GRANT, SECRET],
        vec![GRANT, ID],
        vec![GRANT, ID, SECRET, SECRET],
    ] {
        let (status, body) = f.server_token_request(&query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query:?}");
        assert_eq!(body["code"], 40000, "{body}");
        assert!(body["msg"].is_string());
    }
    assert_eq!(f.sandbox.stats().server.token_rejected, 5);
}

#[tokio::test]
async fn post_is_not_allowed() {
    let f = start().await;
    let response = f
        .http
        .post(f.url(SERVER_TOKEN))
        .form(&[GRANT, ID, SECRET])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test(start_paused = true)]
async fn check_tells_the_seconds_left_until_expiry() {
    let f = start().await;
    let token = f.server_token().await;
    let (status, body) = check(&f, &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({ "access_token": token, "token_type": "bearer", "expires_in": "43200", "scope": "sudo" })
    );

    tokio::time::advance(Duration::from_secs(43_199)).await;
    assert_eq!(check(&f, &token).await.1["expires_in"], "1");
    let (status, _, _) = f.get_with_bearer("/api/me", &token).await;
    assert_eq!(status, StatusCode::OK);

    tokio::time::advance(Duration::from_secs(1)).await;
    let (status, body) = check(&f, &token).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            json!({ "code": 40101, "msg": "token is invalid or expired" })
        )
    );
    let (status, _, body) = f.get_with_bearer("/api/me", &token).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            json!({ "code": 40100, "msg": "invalid token" })
        )
    );
}

#[tokio::test]
async fn check_rejects_unknown_and_foreign_tokens() {
    let f = start().await;
    let (hotel, _) = f.hotel_tokens().await;
    for token in ["sat_00000000000000000000000000000000", hotel.as_str()] {
        let (status, body) = check(&f, token).await;
        assert_eq!(
            (status, body["code"].as_u64()),
            (StatusCode::UNAUTHORIZED, Some(40101))
        );
    }
    let response = f
        .http
        .get(f.url("/api/oauth2/server/tokens/check"))
        .send()
        .await
        .unwrap();
    assert_eq!(json(response).await.2["code"], 40000);
}

#[tokio::test]
async fn revoke_then_check_and_revoke_again() {
    let f = start().await;
    let token = f.server_token().await;
    let other = f.server_token().await;
    assert_eq!(
        revoke(&f, &token).await,
        (StatusCode::OK, json!({ "code": 0, "msg": "success" }))
    );
    assert_eq!(check(&f, &token).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        f.get_with_bearer("/api/me", &token).await.0,
        StatusCode::UNAUTHORIZED
    );
    let not_found = (
        StatusCode::OK,
        json!({ "code": 40102, "msg": "token not found" }),
    );
    assert_eq!(revoke(&f, &token).await, not_found);
    assert_eq!(revoke(&f, "sat_unknown").await, not_found);
    let (hotel, _) = f.hotel_tokens().await;
    assert_eq!(
        revoke(&f, &hotel).await,
        not_found,
        "a hotel token is no server token"
    );
    assert_eq!(
        check(&f, &other).await.0,
        StatusCode::OK,
        "only the one token is revoked"
    );

    let stats = f.sandbox.stats().server;
    assert_eq!(
        (stats.token_client_credentials, stats.check, stats.revoke),
        (2, 2, 4)
    );
}

#[tokio::test]
async fn revoke_all_and_expire_all_reach_server_tokens() {
    let f = start().await;
    let token = f.server_token().await;
    f.sandbox.expire_all_tokens();
    assert_eq!(check(&f, &token).await.0, StatusCode::UNAUTHORIZED);
    let token = f.server_token().await;
    f.sandbox.revoke_all_tokens();
    assert_eq!(check(&f, &token).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(revoke(&f, &token).await.1["code"], 40102);
}
