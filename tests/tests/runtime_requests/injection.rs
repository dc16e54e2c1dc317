//! The sudo and tenant values a call carries: every form arrives exactly as
//! given next to the request's own query, and an empty value, sudo on a
//! provider without it, or a placement the provider refuses fails before
//! anything is sent; against an `httpmock` server.

use authorized_api::runtime::Error;
use authorized_api::{Sudo, Tenant, TokenIn, hotel};
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::{ID, SECRET, server_client, server_token};

#[tokio::test]
async fn sudo_and_tenant_values_arrive_exactly_as_given_next_to_the_requests_own_query() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_s").await;
    #[allow(deprecated)]
    let cases = [
        (Sudo::uid(1001), "uid:1001"),
        (Sudo::login_name("李雷"), "loginName:李雷"),
        (Sudo::email("a+b@example.com"), "email:a+b@example.com"),
        (
            Sudo::mobile("+86 138 0000 0002"),
            "mobile:+86 138 0000 0002",
        ),
        (Sudo::username("bob"), "username:bob"),
    ];
    let client = server_client(&mock).await;
    for (sudo, wire) in cases {
        let m = mock
            .mock_async(|when, then| {
                when.path("/api/echo")
                    .query_param("page", "2")
                    .query_param("q", "x y&z=1")
                    .query_param("sudo", wire)
                    .query_param("tenantCode", "华东-01 r&d")
                    .query_param_missing("tenantId");
                then.status(200).json_body(json!({}));
            })
            .await;
        let _: Value = client
            .get("/api/echo?page=2")
            .query_value("q", "x y&z=1")
            .sudo(sudo)
            .tenant(Tenant::code("华东-01 r&d"))
            .send()
            .await
            .unwrap();
        assert_eq!(m.calls_async().await, 1, "{wire}");
        m.delete_async().await;
    }
    let by_id = mock
        .mock_async(|when, then| {
            when.path("/api/echo")
                .query_param("tenantId", "2")
                .query_param_missing("tenantCode");
            then.status(200).json_body(json!({}));
        })
        .await;
    let _: Value = client
        .get("/api/echo")
        .tenant(Tenant::id(2))
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.calls_async().await, 1);
}

#[tokio::test]
async fn empty_values_and_sudo_without_provider_support_fail_before_anything_is_sent() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_e").await;
    let client = server_client(&mock).await;
    let err = client
        .get("/api/me")
        .sudo(Sudo::email(""))
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "invalid request: the sudo Email value is empty"
    );
    let err = client
        .get("/api/me")
        .tenant(Tenant::code(""))
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "invalid request: the tenant code is empty");

    let hotel = hotel::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap();
    let err = hotel
        .get("/api/x")
        .sudo(Sudo::uid(1))
        .send::<Value>()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request: provider `hotel` does not support sudo"
    );
    let err = hotel
        .get("/api/x")
        .token_in(TokenIn::Query)
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("does not accept the token in the Query placement"),
        "{err}"
    );
    assert_eq!(token.calls_async().await, 0, "nothing was sent");
}
