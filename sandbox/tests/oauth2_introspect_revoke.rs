//! Introspection (RFC 7662) and revocation (RFC 7009) at the OAuth 2.0
//! provider, with the RFCs' own example requests.

mod common;

use std::time::Duration;

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use common::{
    Fixture, OAUTH2_INTROSPECT, OAUTH2_REVOKE, RFC_BASIC, json, start, start_with_rfc_client,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Introspects `token` as the RFC example client.
async fn introspect(f: &Fixture, token: &str) -> Value {
    let body = format!("token={token}&token_type_hint=access_token");
    let (status, headers, body) =
        json(f.post_form(OAUTH2_INTROSPECT, Some(RFC_BASIC), &body).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "application/json");
    body
}

/// Revokes `token` as the demo client; answers the status and the body.
async fn revoke_as_demo(f: &Fixture, token: &str) -> (StatusCode, String) {
    let form = [
        ("token", token),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    let response = f
        .http
        .post(f.url(OAUTH2_REVOKE))
        .form(&form)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test(start_paused = true)]
async fn rfc_7662_section_2_1_request_gets_a_section_2_2_answer() {
    let f = start_with_rfc_client().await;
    let token = f.oauth2_token(Some("read")).await;
    let body = introspect(&f, &token).await;
    let iat = body["iat"].as_u64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(iat.abs_diff(now) < 5, "iat {iat}, now {now}");
    assert_eq!(
        body,
        json!({
            "active": true, "scope": "read", "client_id": DEMO_CLIENT_ID,
            "token_type": "Bearer", "exp": iat + 3600, "iat": iat,
        }),
        "any authenticated client may introspect any token"
    );
    // exp and iat follow tokio's clock: an hour on, the same numbers, then gone.
    tokio::time::advance(Duration::from_secs(3599)).await;
    assert_eq!(introspect(&f, &token).await["exp"], iat + 3600);
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(introspect(&f, &token).await, json!({ "active": false }));
    let stats = f.sandbox.stats().oauth2;
    assert_eq!((stats.introspect, stats.introspect_active), (3, 2));
}

#[tokio::test]
async fn unknown_revoked_and_foreign_tokens_are_inactive_never_an_error() {
    let f = start_with_rfc_client().await;
    let revoked = f.oauth2_token(None).await;
    assert_eq!(revoke_as_demo(&f, &revoked).await.0, StatusCode::OK);
    let server = f.server_token().await;
    for token in [
        "mF_9.B5f-4.1JqM",
        revoked.as_str(),
        server.as_str(),
        "oat_00000000000000000000000000000000",
    ] {
        assert_eq!(
            introspect(&f, token).await,
            json!({ "active": false }),
            "{token}"
        );
    }
    let expired = f.oauth2_token(None).await;
    f.sandbox.expire_all_tokens();
    assert_eq!(introspect(&f, &expired).await, json!({ "active": false }));
}

#[tokio::test]
async fn introspection_requires_client_authentication() {
    let f = start().await;
    let token = f.oauth2_token(None).await;
    // RFC 7662 §2.1's first example authorizes with a bearer token: this
    // sandbox takes client credentials only, so that is an invalid client.
    let body = format!("token={token}");
    let (status, headers, answer) = json(
        f.post_form(
            OAUTH2_INTROSPECT,
            Some("Bearer 23410913-abewfq.123483"),
            &body,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::UNAUTHORIZED, &json!("invalid_client")),
        "{answer}"
    );
    assert_eq!(headers["www-authenticate"], r#"Basic realm="sandbox""#);
    let (status, _, answer) = json(f.post_form(OAUTH2_INTROSPECT, None, &body).await).await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::UNAUTHORIZED, &json!("invalid_client"))
    );
    let wrong = format!("{body}&client_id={DEMO_CLIENT_ID}&client_secret=nope");
    let (status, _, answer) = json(f.post_form(OAUTH2_INTROSPECT, None, &wrong).await).await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_client"))
    );
    let missing = format!("client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}");
    let (status, _, answer) = json(f.post_form(OAUTH2_INTROSPECT, None, &missing).await).await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request"))
    );
    let stats = f.sandbox.stats().oauth2;
    assert_eq!(
        (
            stats.introspect,
            stats.introspect_rejected,
            stats.introspect_active
        ),
        (4, 4, 0)
    );
}

#[tokio::test]
async fn rfc_7009_section_2_1_request_is_a_200_with_an_empty_body() {
    let f = start_with_rfc_client().await;
    let body = "token=45ghiukldjahdnhzdauz&token_type_hint=refresh_token";
    let response = f.post_form(OAUTH2_REVOKE, Some(RFC_BASIC), body).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("content-type").is_none());
    assert_eq!(
        response.text().await.unwrap(),
        "",
        "an unknown token is no error (§2.2)"
    );
}

#[tokio::test]
async fn a_revoked_token_stops_working_and_revoking_again_is_still_200() {
    let f = start().await;
    let token = f.oauth2_token(None).await;
    assert_eq!(
        f.get_with_bearer("/oauth2/api/me", &token).await.0,
        StatusCode::OK
    );
    for _ in 0..2 {
        assert_eq!(
            revoke_as_demo(&f, &token).await,
            (StatusCode::OK, String::new())
        );
    }
    let (status, headers, body) = f.get_with_bearer("/oauth2/api/me", &token).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::UNAUTHORIZED, &json!("invalid_token"))
    );
    assert!(
        headers["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("was revoked")
    );
    // Any hint, known or not, is accepted and ignored.
    let other = f.oauth2_token(None).await;
    let form = [
        ("token", other.as_str()),
        ("token_type_hint", "no_such_type"),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    let response = f
        .http
        .post(f.url(OAUTH2_REVOKE))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        f.get_with_bearer("/oauth2/api/me", &other).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn another_clients_token_is_left_alone_but_the_answer_is_still_200() {
    let f = start_with_rfc_client().await;
    let token = f.oauth2_token(None).await;
    let body = format!("token={token}");
    let response = f.post_form(OAUTH2_REVOKE, Some(RFC_BASIC), &body).await;
    assert_eq!(
        (response.status(), response.text().await.unwrap()),
        (StatusCode::OK, String::new())
    );
    assert_eq!(
        f.get_with_bearer("/oauth2/api/me", &token).await.0,
        StatusCode::OK,
        "still good"
    );
    let stats = f.sandbox.stats().oauth2;
    assert_eq!(
        (stats.revoke, stats.revoke_foreign, stats.revoke_rejected),
        (1, 1, 0)
    );
}

#[tokio::test]
async fn revocation_requires_client_authentication() {
    let f = start_with_rfc_client().await;
    let token = f.oauth2_token(None).await;
    let body = format!("token={token}");
    // "s6BhdRkqt3:wrong"
    let response = f
        .post_form(OAUTH2_REVOKE, Some("Basic czZCaGRSa3F0Mzp3cm9uZw=="), &body)
        .await;
    let (status, headers, answer) = json(response).await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::UNAUTHORIZED, &json!("invalid_client")),
        "{answer}"
    );
    assert_eq!(headers["www-authenticate"], r#"Basic realm="sandbox""#);
    let (status, _, answer) = json(f.post_form(OAUTH2_REVOKE, Some(RFC_BASIC), "").await).await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request"))
    );
    assert_eq!(
        f.get_with_bearer("/oauth2/api/me", &token).await.0,
        StatusCode::OK
    );
    assert_eq!(f.sandbox.stats().oauth2.revoke_rejected, 2);
}
