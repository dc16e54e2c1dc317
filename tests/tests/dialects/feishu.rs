//! A Feishu-style dialect: a JSON token request with `app_id`/`app_secret`,
//! a flat `{code, msg, tenant_access_token, expire}` token answer, API
//! answers `{code, msg, data}` unwrapped, 99991663 on HTTP 400 as an
//! invalid token.

use std::sync::atomic::Ordering;

use authorized_api::runtime::Error;
use httpmock::prelude::*;
use serde_json::json;

use crate::specs::feishu;
use crate::support::{APP_ID, APP_SECRET, numbered};

async fn client(mock: &MockServer) -> feishu::Client {
    feishu::Client::builder()
        .base_url(mock.base_url())
        .client_id(APP_ID)
        .client_secret(APP_SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

/// The token endpoint as the documentation shows it: token `t-<n>`.
async fn token_endpoint(mock: &MockServer) -> std::sync::Arc<std::sync::atomic::AtomicUsize> {
    let (count, respond) = numbered(|n| {
        json!({"code": 0, "msg": "ok", "tenant_access_token": format!("t-{n}"), "expire": 7200})
            .to_string()
    });
    mock.mock_async(|when, then| {
        when.method(POST)
            .path("/open-apis/auth/v3/tenant_access_token/internal")
            .header("content-type", "application/json; charset=utf-8")
            .json_body(json!({"app_id": APP_ID, "app_secret": APP_SECRET}));
        then.respond_with(respond);
    })
    .await;
    count
}

fn page(items: serde_json::Value) -> serde_json::Value {
    json!({"code": 0, "msg": "success", "data": {"items": items, "has_more": false}})
}

#[tokio::test]
async fn the_token_is_fetched_once_and_data_is_unwrapped_and_typed() {
    let mock = MockServer::start_async().await;
    let tokens = token_endpoint(&mock).await;
    let api = mock
        .mock_async(|when, then| {
            when.method(GET)
                .path("/open-apis/im/v1/chats")
                .query_param("page_size", "20")
                .header("authorization", "Bearer t-1");
            then.status(200)
                .json_body(page(json!([{"chat_id": "oc_1", "name": "研发"}])));
        })
        .await;
    let client = client(&mock).await;
    for _ in 0..2 {
        let chats = client
            .list_chats(&feishu::ListChatsRequest {
                page_size: Some(20),
            })
            .await
            .unwrap();
        assert_eq!(
            chats,
            feishu::ChatPage {
                items: vec![feishu::Chat {
                    chat_id: "oc_1".into(),
                    name: "研发".into(),
                }],
                has_more: false,
                page_token: None,
            }
        );
    }
    assert_eq!(tokens.load(Ordering::SeqCst), 1);
    assert_eq!(api.calls_async().await, 2);
}

#[tokio::test]
async fn a_non_zero_code_is_a_typed_error_on_http_200_and_never_a_success() {
    let mock = MockServer::start_async().await;
    token_endpoint(&mock).await;
    mock.mock_async(|when, then| {
        when.path("/open-apis/im/v1/chats");
        then.status(200)
            .json_body(json!({"code": 230002, "msg": "Bot is not in the chat", "data": {}}));
    })
    .await;
    let error = client(&mock)
        .await
        .list_chats(&feishu::ListChatsRequest { page_size: None })
        .await
        .unwrap_err();
    let Error::Api {
        status,
        code,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*status, code.as_deref(), message.as_deref()),
        (200, Some("230002"), Some("Bot is not in the chat"))
    );
}

#[tokio::test]
async fn an_invalid_token_code_on_http_400_costs_one_new_token_and_one_replay() {
    let mock = MockServer::start_async().await;
    let tokens = token_endpoint(&mock).await;
    let refused = mock
        .mock_async(|when, then| {
            when.path("/open-apis/im/v1/chats")
                .header("authorization", "Bearer t-1");
            then.status(400).json_body(
                json!({"code": 99991663, "msg": "Invalid access token for authorization."}),
            );
        })
        .await;
    let served = mock
        .mock_async(|when, then| {
            when.path("/open-apis/im/v1/chats")
                .header("authorization", "Bearer t-2");
            then.status(200).json_body(page(json!([])));
        })
        .await;
    let client = client(&mock).await;
    let chats = client
        .list_chats(&feishu::ListChatsRequest { page_size: None })
        .await
        .unwrap();
    assert!(chats.items.is_empty());
    assert_eq!(tokens.load(Ordering::SeqCst), 2);
    assert_eq!(
        (refused.calls_async().await, served.calls_async().await),
        (1, 1)
    );
    assert_eq!(client.stats().replays, 1);
}

#[tokio::test]
async fn a_wrong_secret_is_a_typed_rejection_without_the_secret() {
    let mock = MockServer::start_async().await;
    mock.mock_async(|when, then| {
        when.path("/open-apis/auth/v3/tenant_access_token/internal");
        then.status(200)
            .json_body(json!({"code": 10014, "msg": format!("app secret invalid: {APP_SECRET}")}));
    })
    .await;
    let error = client(&mock)
        .await
        .list_chats(&feishu::ListChatsRequest { page_size: None })
        .await
        .unwrap_err();
    let Error::TokenRejected { status, code, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((*status, code.as_deref()), (200, Some("10014")));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(APP_SECRET), "{shown}");
}
