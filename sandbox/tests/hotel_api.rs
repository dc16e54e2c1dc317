//! The hotel provider's protected resources: where the token may travel,
//! what a bad one gets, and expiry on tokio's clock.

mod common;

use std::time::Duration;

use common::{json, start};
use reqwest::StatusCode;
use serde_json::Value;

const HOTELS: &str = "/api/v1.0/hotels";

fn assert_envelope_error(status: StatusCode, body: &Value, want_status: StatusCode, code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["errorCode"], code, "{body}");
    assert!(
        body["timestamp"].is_u64() && body["errorMsg"].is_string(),
        "{body}"
    );
}

#[tokio::test]
async fn hotels_with_the_token_in_the_header_or_the_query() {
    let f = start().await;
    let (access, _) = f.hotel_tokens().await;
    let (status, _, body) = f.get_with_bearer(HOTELS, &access).await;
    assert_eq!(
        (status, &body["success"]),
        (StatusCode::OK, &Value::Bool(true)),
        "{body}"
    );
    let hotels = body["result"].as_array().unwrap();
    assert_eq!(hotels.len(), 3);
    assert_eq!(hotels[0]["hotelId"], "H1001");
    assert!(hotels[0]["hotelName"].is_string() && hotels[0]["city"].is_string());
    assert_eq!(hotels[0]["stars"], 5);

    let response = f
        .http
        .get(f.url(HOTELS))
        .query(&[("access_token", &access)])
        .send()
        .await
        .unwrap();
    let (status, _, query_body) = json(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(query_body["result"], body["result"]);
}

#[tokio::test]
async fn one_hotel_or_not_found_in_a_200() {
    let f = start().await;
    let (access, _) = f.hotel_tokens().await;
    let (status, _, body) = f.get_with_bearer("/api/v1.0/hotels/H1002", &access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["result"]["hotelId"], "H1002");
    let (status, _, body) = f.get_with_bearer("/api/v1.0/hotels/H9999", &access).await;
    assert_envelope_error(status, &body, StatusCode::OK, "not_found");
}

#[tokio::test]
async fn a_token_in_both_places_or_a_sudo_is_a_400() {
    let f = start().await;
    let (access, _) = f.hotel_tokens().await;
    let both = f
        .http
        .get(f.url(HOTELS))
        .bearer_auth(&access)
        .query(&[("access_token", &access)]);
    let (status, _, body) = json(both.send().await.unwrap()).await;
    assert_envelope_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
    let (status, _, body) = f
        .get_with_bearer("/api/v1.0/hotels?sudo=uid:1001", &access)
        .await;
    assert_envelope_error(status, &body, StatusCode::BAD_REQUEST, "invalid_request");
}

#[tokio::test]
async fn missing_unknown_or_foreign_tokens_are_a_401() {
    let f = start().await;
    let (_, refresh) = f.hotel_tokens().await;
    let server = f.server_token().await;
    let (status, headers, body) = json(f.http.get(f.url(HOTELS)).send().await.unwrap()).await;
    assert_envelope_error(status, &body, StatusCode::UNAUTHORIZED, "invalid_token");
    assert!(
        headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    for token in ["hat_00000000000000000000000000000000", &refresh, &server] {
        let (status, _, body) = f.get_with_bearer(HOTELS, token).await;
        assert_envelope_error(status, &body, StatusCode::UNAUTHORIZED, "invalid_token");
    }
    let basic = f
        .http
        .get(f.url(HOTELS))
        .basic_auth("demo-client", Some("demo-secret-5f2a9c"));
    let (status, _, body) = json(basic.send().await.unwrap()).await;
    assert_envelope_error(status, &body, StatusCode::UNAUTHORIZED, "invalid_token");
    let stats = f.sandbox.stats().hotel;
    assert_eq!((stats.api_calls, stats.api_unauthorized), (5, 5));
}

#[tokio::test(start_paused = true)]
async fn an_access_token_expires_on_tokios_clock() {
    let f = start().await;
    let (_, body) = f
        .hotel_token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", authorized_sandbox::DEMO_CLIENT_ID),
            ("client_secret", authorized_sandbox::DEMO_CLIENT_SECRET),
            ("scope", "hotel"),
            ("expires_in", "60"),
        ])
        .await;
    let access = body["result"]["access_token"].as_str().unwrap().to_owned();
    let refresh = body["result"]["refresh_token"].as_str().unwrap().to_owned();

    tokio::time::advance(Duration::from_secs(59)).await;
    assert_eq!(f.get_with_bearer(HOTELS, &access).await.0, StatusCode::OK);
    tokio::time::advance(Duration::from_secs(1)).await;
    let (status, _, body) = f.get_with_bearer(HOTELS, &access).await;
    assert_envelope_error(status, &body, StatusCode::UNAUTHORIZED, "invalid_token");

    // Refresh tokens do not expire with their access token.
    let (_, body) = f.hotel_refresh(&refresh).await;
    assert_eq!(body["success"], true, "{body}");
}

#[tokio::test]
async fn expire_all_spares_refresh_tokens_and_revoke_all_does_not() {
    let f = start().await;
    let (access, refresh) = f.hotel_tokens().await;
    f.sandbox.expire_all_tokens();
    assert_eq!(
        f.get_with_bearer(HOTELS, &access).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, body) = f.hotel_refresh(&refresh).await;
    assert_eq!(body["success"], true, "{body}");
    let access = body["result"]["access_token"].as_str().unwrap();
    let refresh = body["result"]["refresh_token"].as_str().unwrap();
    assert_eq!(f.get_with_bearer(HOTELS, access).await.0, StatusCode::OK);

    f.sandbox.revoke_all_tokens();
    assert_eq!(
        f.get_with_bearer(HOTELS, access).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, body) = f.hotel_refresh(refresh).await;
    assert_eq!(body["errorCode"], "invalid_grant", "{body}");
}
