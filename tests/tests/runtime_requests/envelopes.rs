//! Hotel answers in their envelope: the result is unwrapped, answers without
//! the envelope pass, a `success: false` carries the vendor's code and
//! message, and a page that is no JSON is an error quoting it (or a raw
//! answer on request); against an `httpmock` server.

use authorized_api::hotel;
use authorized_api::runtime::{Error, Stage};
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::{ID, SECRET};

async fn hotel_setup(mock: &MockServer) -> hotel::Client {
    mock.mock_async(|when, then| {
        when.method(POST).path("/api/v1.0/invoke/open-ability/method/oauth2/token");
        then.status(200).json_body(json!({
            "success": true, "timestamp": 1540869200562u64,
            "result": {"access_token": "hat_1", "refresh_token": "hrt_1", "token_type": "bearer", "expires_in": 3600}
        }));
    })
    .await;
    hotel::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

#[tokio::test]
async fn hotel_envelopes_are_unwrapped_and_failures_carry_the_vendors_code_and_message() {
    let mock = MockServer::start_async().await;
    let client = hotel_setup(&mock).await;
    mock.mock_async(|when, then| {
        when.path("/api/v1.0/hotels")
            .header("authorization", "Bearer hat_1");
        then.status(200)
            .json_body(json!({"success": true, "timestamp": 1, "result": [{"hotelId": "H1"}]}));
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/api/v1.0/hotels/H9");
        then.status(200).json_body(json!({
            "success": false, "timestamp": 1, "errorCode": "not_found", "errorMsg": "酒店不存在 (no such hotel)"
        }));
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/api/v1.0/plain");
        then.status(200).json_body(json!({"hotelId": "H2"}));
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/api/v1.0/broken");
        then.status(502)
            .body("<html><body>Bad gateway</body></html>");
    })
    .await;

    let hotels: Vec<Value> = client.get("/api/v1.0/hotels").send().await.unwrap();
    assert_eq!(hotels, vec![json!({"hotelId": "H1"})]);
    let plain: Value = client.get("/api/v1.0/plain").send().await.unwrap();
    assert_eq!(
        plain,
        json!({"hotelId": "H2"}),
        "answers without the envelope pass (detect)"
    );

    match client
        .get("/api/v1.0/hotels/H9")
        .send::<Value>()
        .await
        .unwrap_err()
    {
        Error::Api {
            status,
            code,
            message,
            stage,
            ..
        } => {
            assert_eq!((status, stage), (200, Stage::ApiCall));
            assert_eq!(code.as_deref(), Some("not_found"));
            assert_eq!(message.as_deref(), Some("酒店不存在 (no such hotel)"));
        }
        other => panic!("{other:?}"),
    }
    let err = client
        .get("/api/v1.0/broken")
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert!(err.is_retryable());
    assert!(
        err.to_string()
            .contains("<html><body>Bad gateway</body></html>"),
        "{err}"
    );

    let raw = client.get("/api/v1.0/broken").send_raw().await.unwrap();
    assert_eq!(raw.status(), 502);
    assert_eq!(raw.text(), "<html><body>Bad gateway</body></html>");
}
