//! The invalid-token rule through a user's own stack: a token revoked
//! behind the client's back is dropped, renewed once and the request
//! replayed once; a body that cannot be cloned is not replayed and its
//! answer comes back as it is; vendor codes in a body (WeChat's 40001 on
//! HTTP 200) are read, and the caller still gets the whole answer.

use authorized_api::reqwest_middleware::{self, reqwest};
use authorized_api::runtime::Error;
use authorized_api::{Sudo, Tenant};
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::specs::wechat;
use crate::support::{Recorder, sandbox, server_client, stack};

#[tokio::test]
async fn a_token_revoked_behind_the_clients_back_is_renewed_and_the_request_replayed_once() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let recorder = Recorder::default();
    let http = stack(&api, &recorder);
    let url = api.url("/api/me").unwrap();
    assert_eq!(http.get(url.clone()).send().await.unwrap().status(), 200);
    sandbox.revoke_all_tokens();

    let answer = http
        .get(url.clone())
        .with_extension(Sudo::uid(1001))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "the replay succeeded");
    let me: Value = answer.json().await.unwrap();
    assert_eq!(me["user"]["uid"], 1001, "the replay kept its sudo");

    let stats = sandbox.stats();
    assert_eq!(stats.server.token_client_credentials, 2, "one new token");
    assert_eq!(stats.server.api_unauthorized, 1);
    assert_eq!(stats.server.api_calls, 3);
    assert_eq!(api.stats().requests, 3);
    assert_eq!(api.stats().replays, 1, "one replay");
    let sent = recorder.sent();
    assert_ne!(sent[1].authorization(), sent[2].authorization());
    assert_eq!(sent[1].url, sent[2].url, "sudo once, not twice");
    assert_eq!(
        sent[2].url.query(),
        Some("sudo=uid:1001"),
        "the replay's URL holds no token"
    );
}

#[tokio::test]
async fn a_body_that_cannot_be_cloned_is_not_replayed_and_its_answer_is_returned() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let http = stack(&api, &Recorder::default());
    let projects = api.url("/api/projects").unwrap();
    assert_eq!(
        http.get(projects.clone()).send().await.unwrap().status(),
        200
    );
    sandbox.revoke_all_tokens();

    let streamed = reqwest::Body::wrap(String::from(r#"{"name":"Q3"}"#));
    let answer = http
        .post(projects.clone())
        .header("Content-Type", "application/json")
        .with_extension(Sudo::uid(1001))
        .with_extension(Tenant::id(1))
        .body(streamed)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401, "the answer as it came");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["code"], 40100);
    assert_eq!(api.stats().replays, 0);
    assert_eq!(sandbox.stats().server.api_calls, 2);

    // The refused token was dropped all the same: the next call renews it.
    let answer = http
        .post(projects)
        .with_extension(Sudo::uid(1001))
        .with_extension(Tenant::id(1))
        .json(&json!({"name": "Q3"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let stats = sandbox.stats();
    assert_eq!(stats.server.token_client_credentials, 2);
    assert_eq!(stats.server.api_calls, 3);
}

/// A WeChat-style client for `mock`, its token endpoint handing out
/// `wx-tok-<n>`, and its `user/info` refusing `wx-tok-1` with 40001 on
/// HTTP 200 and answering `wx-tok-2` with a user and a header of its own.
async fn wechat_setup(mock: &MockServer) -> wechat::Client {
    let (_, respond) = crate::support::numbered(|n| {
        json!({"access_token": format!("wx-tok-{n}"), "expires_in": 7200}).to_string()
    });
    mock.mock_async(|when, then| {
        when.method(GET).path("/cgi-bin/token");
        then.respond_with(respond);
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/cgi-bin/user/info")
            .query_param("access_token", "wx-tok-1");
        then.status(200)
            .json_body(json!({"errcode": 40001, "errmsg": "invalid credential"}));
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/cgi-bin/user/info")
            .query_param("access_token", "wx-tok-2");
        then.status(200)
            .header("X-Request-Id", "r-42")
            .json_body(json!({"openid": "o-1", "nickname": "李雷"}));
    })
    .await;
    wechat::Client::builder()
        .base_url(mock.base_url())
        .client_id("wx-app")
        .client_secret("wx-secret-9a8b7c")
        .share_cache(false)
        .build()
        .unwrap()
}

#[tokio::test]
async fn vendor_codes_in_the_body_are_read_and_the_caller_gets_the_whole_answer() {
    let mock = MockServer::start_async().await;
    let api = wechat_setup(&mock).await;
    let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(api.middleware())
        .build();
    let url = api.url("/cgi-bin/user/info?openid=o-1").unwrap();
    let answer = http.get(url.clone()).send().await.unwrap();
    assert_eq!(
        api.stats().replays,
        1,
        "40001 on HTTP 200 refused the token"
    );
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["x-request-id"], "r-42");
    assert_eq!(answer.url(), &url, "the URL as asked, without the token");
    let user: Value = answer.json().await.unwrap();
    assert_eq!(user, json!({"openid": "o-1", "nickname": "李雷"}));
}

#[tokio::test]
async fn a_provider_without_sudo_refuses_one_before_anything_is_sent() {
    let mock = MockServer::start_async().await;
    let api = wechat_setup(&mock).await;
    let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(api.middleware())
        .build();
    let err = http
        .get(api.url("/cgi-bin/user/info?openid=o-1").unwrap())
        .with_extension(Sudo::uid(1))
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = &err else {
        panic!("the middleware's own error: {err:?}");
    };
    assert!(
        matches!(
            error.downcast_ref::<Error>(),
            Some(Error::InvalidRequest(_))
        ),
        "{error:?}"
    );
    assert!(err.to_string().contains("does not support sudo"), "{err}");
    assert_eq!(api.stats().requests, 0);
}
