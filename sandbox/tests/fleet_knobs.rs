//! The knobs for fleet tests: the mode in which a new access token revokes
//! the client's earlier ones, and the count of reused refresh tokens, read
//! in process and over HTTP as a test in another process would.

mod common;

use authorized_sandbox::{
    ClientCredentials, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxConfig, Stats,
};
use common::{Fixture, OAUTH2_INTROSPECT, json, start, start_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

const HOTELS: &str = "/api/v1.0/hotels";

async fn revoking_sandbox() -> Fixture {
    let mut config = SandboxConfig {
        new_token_revokes_earlier: true,
        ..SandboxConfig::default()
    };
    config
        .clients
        .push(ClientCredentials::new("other", "other-secret"));
    start_with(config).await
}

async fn http_stats(f: &Fixture) -> Stats {
    let response = f.http.get(f.url("/__sandbox/stats")).send().await.unwrap();
    response.json().await.unwrap()
}

async fn mode(f: &Fixture) -> Value {
    json(f.http.get(f.url("/__sandbox/mode")).send().await.unwrap())
        .await
        .2
}

async fn set_mode(f: &Fixture, body: Value) -> StatusCode {
    f.http
        .post(f.url("/__sandbox/mode"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_new_server_token_revokes_the_clients_earlier_ones() {
    let f = revoking_sandbox().await;
    let first = f.server_token().await;
    let second = f.server_token().await;
    let (status, _, body) = f.get_with_bearer("/api/me", &first).await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::UNAUTHORIZED, &json!(40100))
    );
    assert_eq!(
        f.get_with_bearer("/api/me", &second).await.0,
        StatusCode::OK
    );
    let check = f
        .http
        .get(f.url("/api/oauth2/server/tokens/check"))
        .query(&[("token", &first)]);
    assert_eq!(
        check.send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // Another client's token, and another provider's, are not touched.
    let query = [
        ("grant_type", "client_credentials"),
        ("client_id", "other"),
        ("client_secret", "other-secret"),
    ];
    let (_, other) = f.server_token_request(&query).await;
    let (hotel, _) = f.hotel_tokens().await;
    f.server_token().await;
    let other = other["access_token"].as_str().unwrap();
    assert_eq!(f.get_with_bearer("/api/me", other).await.0, StatusCode::OK);
    assert_eq!(f.get_with_bearer(HOTELS, &hotel).await.0, StatusCode::OK);

    let server = f.sandbox.stats().server;
    assert_eq!((server.api_unauthorized, server.api_superseded), (1, 1));
}

#[tokio::test]
async fn a_new_hotel_token_revokes_the_earlier_one_but_not_refresh_tokens() {
    let f = revoking_sandbox().await;
    let (first, first_refresh) = f.hotel_tokens().await;
    let (second, _) = f.hotel_tokens().await;
    assert_eq!(
        f.get_with_bearer(HOTELS, &first).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(f.get_with_bearer(HOTELS, &second).await.0, StatusCode::OK);
    // The first refresh token still works, and its access token in turn
    // revokes the second.
    let (_, body) = f.hotel_refresh(&first_refresh).await;
    let third = body["result"]["access_token"]
        .as_str()
        .expect("refreshed")
        .to_owned();
    assert_eq!(
        f.get_with_bearer(HOTELS, &second).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(f.get_with_bearer(HOTELS, &third).await.0, StatusCode::OK);
    let hotel = f.sandbox.stats().hotel;
    assert_eq!((hotel.api_unauthorized, hotel.api_superseded), (2, 2));
}

#[tokio::test]
async fn a_new_oauth2_token_revokes_the_earlier_one_and_says_why() {
    let f = revoking_sandbox().await;
    let first = f.oauth2_token(None).await;
    let second = f.oauth2_token(Some("read")).await;
    let (status, headers, body) = f.get_with_bearer("/oauth2/api/me", &first).await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::UNAUTHORIZED, &json!("invalid_token"))
    );
    let challenge = headers["www-authenticate"].to_str().unwrap();
    assert!(challenge.contains("a newer one was issued"), "{challenge}");
    assert_eq!(
        f.get_with_bearer("/oauth2/api/me", &second).await.0,
        StatusCode::OK
    );
    let form = [
        ("token", first.as_str()),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", DEMO_CLIENT_SECRET),
    ];
    let request = f.http.post(f.url(OAUTH2_INTROSPECT)).form(&form);
    assert_eq!(
        json(request.send().await.unwrap()).await.2,
        json!({ "active": false })
    );
    let oauth2 = f.sandbox.stats().oauth2;
    assert_eq!((oauth2.api_invalid_token, oauth2.api_superseded), (1, 1));
}

#[tokio::test]
async fn the_mode_is_off_by_default_and_switches_over_http() {
    let f = start().await;
    assert_eq!(
        mode(&f).await,
        json!({ "new_token_revokes_earlier": false })
    );
    let before = f.server_token().await;
    let kept = f.server_token().await;
    let status = f.get_with_bearer("/api/me", &before).await.0;
    assert_eq!(status, StatusCode::OK, "both stay good");

    let on = json!({ "new_token_revokes_earlier": true });
    assert_eq!(set_mode(&f, on).await, StatusCode::NO_CONTENT);
    assert_eq!(mode(&f).await, json!({ "new_token_revokes_earlier": true }));
    assert!(f.sandbox.new_token_revokes_earlier());
    let status = f.get_with_bearer("/api/me", &kept).await.0;
    assert_eq!(status, StatusCode::OK, "switching revokes nothing");
    let newest = f.server_token().await;
    for old in [&before, &kept] {
        let status = f.get_with_bearer("/api/me", old).await.0;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "revoked by the newest");
    }
    assert_eq!(
        f.get_with_bearer("/api/me", &newest).await.0,
        StatusCode::OK
    );

    // An empty request changes nothing; an unknown field is refused.
    assert_eq!(set_mode(&f, json!({})).await, StatusCode::NO_CONTENT);
    assert!(f.sandbox.new_token_revokes_earlier());
    assert!(
        set_mode(&f, json!({ "revoke": true }))
            .await
            .is_client_error()
    );

    // A reset puts the mode back as configured.
    let reset = f.http.post(f.url("/__sandbox/reset")).send().await.unwrap();
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        mode(&f).await,
        json!({ "new_token_revokes_earlier": false })
    );
}

#[tokio::test]
async fn reset_keeps_a_configured_mode_on() {
    let f = revoking_sandbox().await;
    f.sandbox.set_new_token_revokes_earlier(false);
    f.sandbox.reset();
    assert!(f.sandbox.new_token_revokes_earlier());
}

#[tokio::test]
async fn a_reused_refresh_token_is_counted_apart_from_unknown_ones() {
    let f = start().await;
    let (_, first) = f.hotel_tokens().await;
    let (_, body) = f.hotel_refresh(&first).await;
    let second = body["result"]["refresh_token"].as_str().unwrap().to_owned();
    // The rotated-away token gets the answer it always got: invalid_grant.
    for _ in 0..2 {
        let (status, body) = f.hotel_refresh(&first).await;
        assert_eq!(
            (status, &body["success"], &body["errorCode"]),
            (StatusCode::OK, &json!(false), &json!("invalid_grant"))
        );
    }
    f.hotel_refresh("hrt_00000000000000000000000000000000")
        .await;
    // A wrong secret is refused before the refresh token is looked at.
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", DEMO_CLIENT_ID),
        ("client_secret", "wrong"),
        ("refresh_token", first.as_str()),
    ];
    f.hotel_token_request(&form).await;
    let (_, body) = f.hotel_refresh(&second).await;
    assert_eq!(body["success"], true, "the newest still works: {body}");

    let hotel = f.sandbox.stats().hotel;
    assert_eq!(
        (
            hotel.token_refresh,
            hotel.refresh_token_reused,
            hotel.refresh_token_invalid
        ),
        (6, 2, 1)
    );
    assert_eq!(hotel.token_rejected, 4);
}

#[tokio::test]
async fn revoked_through_the_admin_api_is_invalid_not_reused() {
    let f = start().await;
    let (_, refresh) = f.hotel_tokens().await;
    f.sandbox.revoke_all_tokens();
    f.hotel_refresh(&refresh).await;
    let hotel = f.sandbox.stats().hotel;
    assert_eq!(
        (hotel.refresh_token_reused, hotel.refresh_token_invalid),
        (0, 1)
    );
}

#[tokio::test]
async fn the_new_counters_read_the_same_over_http() {
    let f = revoking_sandbox().await;
    let (_, refresh) = f.hotel_tokens().await;
    f.hotel_refresh(&refresh).await;
    f.hotel_refresh(&refresh).await;
    let first = f.server_token().await;
    f.server_token().await;
    f.get_with_bearer("/api/me", &first).await;
    let first = f.oauth2_token(None).await;
    f.oauth2_token(None).await;
    f.get_with_bearer("/oauth2/api/me", &first).await;
    let over_http = http_stats(&f).await;
    assert_eq!(over_http, f.sandbox.stats());
    assert_eq!(over_http.since(&Stats::default()), over_http);
    let raw: Value = f
        .http
        .get(f.url("/__sandbox/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["hotel"]["refresh_token_reused"], 1);
    assert_eq!(raw["server"]["api_superseded"], 1);
    assert_eq!(raw["oauth2"]["api_superseded"], 1);
    assert_eq!(raw["oauth2"]["token_auth_post"], 2);

    f.server_token().await;
    let delta = http_stats(&f).await.since(&over_http);
    assert_eq!(delta.server.token_client_credentials, 1);
    assert_eq!((delta.hotel, delta.oauth2), Default::default());
}
