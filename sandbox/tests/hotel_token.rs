//! The hotel token endpoint: both grants, rotation, and every failure answer.

mod common;

use authorized_sandbox::{ClientCredentials, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxConfig};
use common::{HOTEL_TOKEN, start, start_with};
use reqwest::StatusCode;
use serde_json::Value;

const CLIENT: [(&str, &str); 2] = [
    ("client_id", DEMO_CLIENT_ID),
    ("client_secret", DEMO_CLIENT_SECRET),
];

fn client_credentials(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        CLIENT[0],
        CLIENT[1],
        ("scope", "hotel"),
    ];
    form.extend_from_slice(extra);
    form
}

fn assert_failure(status: StatusCode, body: &Value, code: &str) {
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["errorCode"], code, "{body}");
    assert!(body["timestamp"].as_u64().expect("timestamp") > 1_500_000_000_000);
    let msg = body["errorMsg"].as_str().expect("errorMsg");
    assert!(
        msg.contains(" (") && msg.ends_with(')') && !msg.is_ascii(),
        "Chinese then (English): {msg}"
    );
    assert!(body.get("result").is_none(), "{body}");
}

#[tokio::test]
async fn client_credentials_answers_the_documented_envelope() {
    let f = start().await;
    let response = f
        .http
        .post(f.url(HOTEL_TOKEN))
        .form(&client_credentials(&[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(
        text.starts_with(r#"{"success":true,"timestamp":"#),
        "the document's field order: {text}"
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["success"], true);
    assert!(body["timestamp"].as_u64().unwrap() > 1_500_000_000_000);
    let result = body["result"].as_object().unwrap();
    let mut fields: Vec<_> = result.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["access_token", "expires_in", "refresh_token", "token_type"]
    );
    assert!(result["access_token"].as_str().unwrap().starts_with("hat_"));
    assert!(
        result["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("hrt_")
    );
    assert_eq!(result["token_type"], "bearer");
    assert_eq!(
        result["expires_in"], 7200,
        "an integer, the configured lifetime"
    );
}

#[tokio::test]
async fn expires_in_can_shorten_but_not_lengthen_the_lifetime() {
    let f = start().await;
    let (_, body) = f
        .hotel_token_request(&client_credentials(&[("expires_in", "600")]))
        .await;
    assert_eq!(body["result"]["expires_in"], 600);
    let (_, body) = f
        .hotel_token_request(&client_credentials(&[("expires_in", "86400")]))
        .await;
    assert_eq!(body["result"]["expires_in"], 7200);
    for bad in ["0", "-1", "1.5", "soon", ""] {
        let (status, body) = f
            .hotel_token_request(&client_credentials(&[("expires_in", bad)]))
            .await;
        assert_failure(status, &body, "invalid_request");
    }
}

#[tokio::test]
async fn the_configured_lifetime_and_clients_apply() {
    let config = SandboxConfig {
        clients: vec![ClientCredentials::new("other", "s3cret")],
        hotel_token_lifetime: std::time::Duration::from_secs(90),
        ..SandboxConfig::default()
    };
    let f = start_with(config).await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "other"),
        ("client_secret", "s3cret"),
        ("scope", "hotel"),
    ];
    let (_, body) = f.hotel_token_request(&form).await;
    assert_eq!(body["result"]["expires_in"], 90, "{body}");
    let (status, body) = f.hotel_token_request(&client_credentials(&[])).await;
    assert_failure(status, &body, "invalid_client");
}

#[tokio::test]
async fn bad_credentials_are_invalid_client() {
    let f = start().await;
    let form = [
        ("grant_type", "client_credentials"),
        CLIENT[0],
        ("client_secret", "wrong"),
        ("scope", "hotel"),
    ];
    let (status, body) = f.hotel_token_request(&form).await;
    assert_failure(status, &body, "invalid_client");
    assert_eq!(
        body["errorMsg"],
        "客户端认证失败 (client authentication failed)"
    );
}

#[tokio::test]
async fn the_scope_is_required_and_must_be_hotel() {
    let f = start().await;
    let form = [
        ("grant_type", "client_credentials"),
        CLIENT[0],
        CLIENT[1],
        ("scope", "sudo"),
    ];
    let (status, body) = f.hotel_token_request(&form).await;
    assert_failure(status, &body, "invalid_scope");
    let form = [("grant_type", "client_credentials"), CLIENT[0], CLIENT[1]];
    let (status, body) = f.hotel_token_request(&form).await;
    assert_failure(status, &body, "invalid_request");
}

#[tokio::test]
async fn missing_repeated_or_unknown_fields() {
    let f = start().await;
    let (status, body) = f
        .hotel_token_request(&[CLIENT[0], CLIENT[1], ("scope", "hotel")])
        .await;
    assert_failure(status, &body, "invalid_request");
    let form = [
        ("grant_type", "password"),
        CLIENT[0],
        CLIENT[1],
        ("scope", "hotel"),
    ];
    let (status, body) = f.hotel_token_request(&form).await;
    assert_failure(status, &body, "unsupported_grant_type");
    let (status, body) = f
        .hotel_token_request(&[
            ("grant_type", "client_credentials"),
            CLIENT[1],
            ("scope", "hotel"),
        ])
        .await;
    assert_failure(status, &body, "invalid_request");
    let (status, body) = f
        .hotel_token_request(&client_credentials(&[("scope", "hotel")]))
        .await;
    assert_failure(status, &body, "invalid_request");
}

#[tokio::test]
async fn only_a_form_body_is_accepted() {
    let f = start().await;
    let fields: serde_json::Map<String, Value> = client_credentials(&[])
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into()))
        .collect();
    let response = f
        .http
        .post(f.url(HOTEL_TOKEN))
        .json(&fields)
        .send()
        .await
        .unwrap();
    let (status, _, body) = common::json(response).await;
    assert_failure(status, &body, "invalid_request");
    // The fields in the query string instead of the body are not read either.
    let response = f
        .http
        .post(f.url(HOTEL_TOKEN))
        .query(&client_credentials(&[]))
        .send()
        .await
        .unwrap();
    let (status, _, body) = common::json(response).await;
    assert_failure(status, &body, "invalid_request");
    let response = f.http.get(f.url(HOTEL_TOKEN)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn a_form_content_type_with_a_charset_is_fine() {
    let f = start().await;
    let body = "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret-5f2a9c&scope=hotel";
    let response = f
        .http
        .post(f.url(HOTEL_TOKEN))
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let (_, _, body) = common::json(response).await;
    assert_eq!(body["success"], true, "{body}");
}

#[tokio::test]
async fn a_refresh_token_rotates_and_is_good_once() {
    let f = start().await;
    let (first_access, first_refresh) = f.hotel_tokens().await;
    let (status, body) = f.hotel_refresh(&first_refresh).await;
    assert_eq!(
        (status, &body["success"]),
        (StatusCode::OK, &Value::Bool(true)),
        "{body}"
    );
    let result = &body["result"];
    let (access, refresh) = (
        result["access_token"].as_str().unwrap(),
        result["refresh_token"].as_str().unwrap(),
    );
    assert!(access.starts_with("hat_") && access != first_access);
    assert!(refresh.starts_with("hrt_") && refresh != first_refresh);
    assert_eq!(result["token_type"], "bearer");
    assert_eq!(result["expires_in"], 7200);

    let (status, body) = f.hotel_refresh(&first_refresh).await;
    assert_failure(status, &body, "invalid_grant");
    let (_, body) = f.hotel_refresh(refresh).await;
    assert_eq!(
        body["success"], true,
        "the newest refresh token works: {body}"
    );

    // The access token of before the refresh stays good until its own expiry.
    let (status, _, _) = f.get_with_bearer("/api/v1.0/hotels", &first_access).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn refresh_honours_expires_in_and_checks_the_client() {
    let f = start().await;
    let (_, refresh) = f.hotel_tokens().await;
    let form = [
        ("grant_type", "refresh_token"),
        CLIENT[0],
        ("client_secret", "wrong"),
        ("refresh_token", &refresh),
    ];
    let (status, body) = f.hotel_token_request(&form).await;
    assert_failure(status, &body, "invalid_client");
    let form = [("grant_type", "refresh_token"), CLIENT[0], CLIENT[1]];
    let (status, body) = f.hotel_token_request(&form).await;
    assert_failure(status, &body, "invalid_request");
    // A failed attempt does not use the refresh token up.
    let form = [
        ("grant_type", "refresh_token"),
        CLIENT[0],
        CLIENT[1],
        ("refresh_token", &refresh),
        ("expires_in", "60"),
    ];
    let (_, body) = f.hotel_token_request(&form).await;
    assert_eq!(body["result"]["expires_in"], 60, "{body}");
}

#[tokio::test]
async fn unknown_and_foreign_refresh_tokens_are_invalid_grant() {
    let f = start().await;
    let (access, _) = f.hotel_tokens().await;
    let server = f.server_token().await;
    for token in [
        "hrt_00000000000000000000000000000000",
        access.as_str(),
        server.as_str(),
    ] {
        let (status, body) = f.hotel_refresh(token).await;
        assert_failure(status, &body, "invalid_grant");
    }
}

#[tokio::test]
async fn the_counters_follow_the_grants() {
    let f = start().await;
    let (_, refresh) = f.hotel_tokens().await;
    f.hotel_refresh(&refresh).await;
    f.hotel_refresh(&refresh).await;
    f.hotel_token_request(&[("grant_type", "implicit")]).await;
    let stats = f.sandbox.stats().hotel;
    assert_eq!(stats.token_client_credentials, 1);
    assert_eq!(stats.token_refresh, 2);
    assert_eq!(stats.token_rejected, 2);
}
