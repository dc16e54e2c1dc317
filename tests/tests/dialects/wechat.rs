//! A WeChat-style dialect: GET with `appid`/`secret`, the token only in the
//! query, `errcode`/`errmsg` on HTTP 200, 40001/42001 as an invalid token.

use std::sync::atomic::Ordering;

use authorized_api::runtime::Error;
use httpmock::prelude::*;
use serde_json::json;

use crate::specs::wechat;
use crate::support::{APP_ID, APP_SECRET, numbered};

async fn client(mock: &MockServer) -> wechat::Client {
    wechat::Client::builder()
        .base_url(mock.base_url())
        .client_id(APP_ID)
        .client_secret(APP_SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

/// The token endpoint exactly as the documentation shows it: token `wx-tok-<n>`.
async fn token_endpoint(mock: &MockServer) -> std::sync::Arc<std::sync::atomic::AtomicUsize> {
    let (count, respond) = numbered(|n| {
        json!({"access_token": format!("wx-tok-{n}"), "expires_in": 7200}).to_string()
    });
    mock.mock_async(|when, then| {
        when.method(GET)
            .path("/cgi-bin/token")
            .query_param("grant_type", "client_credential")
            .query_param("appid", APP_ID)
            .query_param("secret", APP_SECRET);
        then.respond_with(respond);
    })
    .await;
    count
}

fn user_query(openid: &str) -> wechat::UserInfoRequest {
    wechat::UserInfoRequest {
        openid: openid.into(),
        lang: Some("zh_CN".into()),
    }
}

#[tokio::test]
async fn the_token_is_fetched_once_reused_and_sent_only_in_the_query() {
    let mock = MockServer::start_async().await;
    let tokens = token_endpoint(&mock).await;
    let api = mock
        .mock_async(|when, then| {
            when.method(GET)
                .path("/cgi-bin/user/info")
                .query_param("access_token", "wx-tok-1")
                .query_param("openid", "o-1")
                .query_param("lang", "zh_CN")
                .header_missing("authorization");
            then.status(200).json_body(json!({
                "subscribe": 1, "openid": "o-1", "language": "zh_CN", "subscribe_time": 1_382_694_957
            }));
        })
        .await;
    let client = client(&mock).await;
    for _ in 0..3 {
        let user = client.user_info(&user_query("o-1")).await.unwrap();
        assert_eq!(
            user,
            wechat::User {
                subscribe: 1,
                openid: "o-1".into(),
                language: Some("zh_CN".into()),
                subscribe_time: Some(1_382_694_957),
            }
        );
    }
    assert_eq!(tokens.load(Ordering::SeqCst), 1, "one token for every call");
    assert_eq!(api.calls_async().await, 3);
}

#[tokio::test]
async fn an_answer_with_errcode_zero_is_a_success_and_typed() {
    let mock = MockServer::start_async().await;
    token_endpoint(&mock).await;
    mock.mock_async(|when, then| {
        when.method(POST)
            .path("/cgi-bin/message/custom/send")
            .query_param("access_token", "wx-tok-1")
            .json_body(json!({"touser": "o-1", "msgtype": "text", "text": {"content": "你好"}}));
        then.status(200)
            .json_body(json!({"errcode": 0, "errmsg": "ok", "msgid": 42}));
    })
    .await;
    let sent = client(&mock)
        .await
        .send_message(&wechat::SendMessageRequest {
            body: wechat::TextMessage {
                touser: "o-1".into(),
                msgtype: "text".into(),
                text: wechat::Text {
                    content: "你好".into(),
                },
            },
        })
        .await
        .unwrap();
    assert_eq!(sent.msgid, Some(42));
}

#[tokio::test]
async fn an_error_on_http_200_is_a_typed_error_with_code_and_message() {
    let mock = MockServer::start_async().await;
    token_endpoint(&mock).await;
    mock.mock_async(|when, then| {
        when.path("/cgi-bin/user/info");
        then.status(200)
            .json_body(json!({"errcode": 40003, "errmsg": "invalid openid hint: [x]"}));
    })
    .await;
    let error = client(&mock)
        .await
        .user_info(&user_query("nobody"))
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
    assert_eq!(*status, 200);
    assert_eq!(code.as_deref(), Some("40003"));
    assert_eq!(message.as_deref(), Some("invalid openid hint: [x]"));
}

#[tokio::test]
async fn an_invalid_token_code_costs_one_new_token_and_one_replay() {
    for code in [40001, 42001] {
        let mock = MockServer::start_async().await;
        let tokens = token_endpoint(&mock).await;
        let refused = mock
            .mock_async(|when, then| {
                when.path("/cgi-bin/user/info")
                    .query_param("access_token", "wx-tok-1");
                then.status(200)
                    .json_body(json!({"errcode": code, "errmsg": "access_token expired rid: 1"}));
            })
            .await;
        let served = mock
            .mock_async(|when, then| {
                when.path("/cgi-bin/user/info")
                    .query_param("access_token", "wx-tok-2");
                then.status(200)
                    .json_body(json!({"subscribe": 0, "openid": "o-1"}));
            })
            .await;
        let client = client(&mock).await;
        let user = client.user_info(&user_query("o-1")).await.unwrap();
        assert_eq!(user.subscribe, 0);
        assert_eq!(tokens.load(Ordering::SeqCst), 2, "{code}: one new token");
        assert_eq!(
            (refused.calls_async().await, served.calls_async().await),
            (1, 1),
            "{code}: one replay"
        );
        assert_eq!(client.stats().replays, 1);
    }
}

#[tokio::test]
async fn a_wrong_secret_is_a_typed_rejection_without_the_secret() {
    let mock = MockServer::start_async().await;
    mock.mock_async(|when, then| {
        when.path("/cgi-bin/token");
        then.status(200).json_body(json!({
            "errcode": 40125,
            "errmsg": format!("invalid appsecret, view more at http://t.cn/x; secret={APP_SECRET}")
        }));
    })
    .await;
    let error = client(&mock)
        .await
        .user_info(&user_query("o-1"))
        .await
        .unwrap_err();
    let Error::TokenRejected {
        status,
        code,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((*status, code.as_deref()), (200, Some("40125")));
    assert!(message.as_deref().unwrap().starts_with("invalid appsecret"));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(APP_SECRET), "{shown}");
}
