//! One token request against a mock of each vendor: the exact wire format of
//! both grants, and the refresh grant's rotation and fallback.

mod common;

use std::time::Duration;

use authorized_runtime::{
    Error, OptionalParam, ParamKind, ParamsIn, ProviderDef, RetryPolicy, Secret, Stage,
    TokenFetcher,
};
use common::providers::{EXPIRES_IN, HOTEL, HOTEL_PATH, SERVER, SERVER_PATH, hotel};
use common::*;
use httpmock::MockServer;
use serde_json::json;

// ---- The wire format ------------------------------------------------------

#[tokio::test]
async fn hotel_client_credentials_wire_format() {
    let server = MockServer::start_async().await;
    let pinned = server
        .mock_async(|when, then| {
            when.method("POST")
                .path(HOTEL_PATH)
                .header("accept", "application/json")
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("scope", "hotel")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", SECRET)
                .form_urlencoded_tuple("expires_in", "7200");
            then.status(200).json_body(json!({
                "success": true, "timestamp": 1,
                "result": {"access_token": HOTEL_TOKEN, "refresh_token": ROTATED_REFRESH, "token_type": "bearer", "expires_in": 7200}
            }));
        })
        .await;
    let mut fetcher = common::fetcher(&HOTEL, &server.base_url());
    fetcher.params = vec![("expires_in", "7200".into())];
    let token = fetcher.fetch(None).await.unwrap();
    assert_eq!(pinned.calls_async().await, 1);
    assert_eq!(token.access_token.expose(), HOTEL_TOKEN);
    assert_eq!(
        token.refresh_token.as_ref().unwrap().expose(),
        ROTATED_REFRESH
    );
    assert_eq!(token.lifetime, Duration::from_secs(7200));

    // Nothing else is sent: the same request, recorded, has exactly these
    // fields and headers.
    let mock = Scripted::start(vec![hotel_ok(json!(3600))]).await;
    let mut fetcher = mock.fetcher(&HOTEL);
    fetcher.params = vec![("expires_in", "7200".into())];
    fetcher.fetch(None).await.unwrap();
    let [request] = mock.requests().try_into().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, HOTEL_PATH);
    assert!(request.query.is_empty());
    assert_eq!(
        request.form(),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("scope", "hotel"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("expires_in", "7200"),
        ])
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.header_names(),
        ["accept", "content-length", "content-type", "host"]
    );
}

#[tokio::test]
async fn hotel_refresh_wire_format_and_rotation() {
    let mock = Scripted::start(vec![hotel_ok(json!(3600))]).await;
    let mut fetcher = mock.fetcher(&HOTEL);
    fetcher.params = vec![("expires_in", "7200".into())];
    let token = fetcher.fetch(Some(&previous())).await.unwrap();
    let [request] = mock.requests().try_into().unwrap();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", HOTEL_PATH)
    );
    assert_eq!(
        request.form(),
        pairs(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("refresh_token", HOTEL_REFRESH),
            ("expires_in", "7200"),
        ]),
        "no scope, no second grant_type"
    );
    assert_eq!(
        request.header_names(),
        ["accept", "content-length", "content-type", "host"]
    );
    assert_eq!(token.access_token.expose(), HOTEL_TOKEN);
    assert_eq!(
        token.refresh_token.unwrap().expose(),
        ROTATED_REFRESH,
        "the newest refresh token is kept"
    );
}

#[tokio::test]
async fn hotel_refresh_without_a_new_refresh_token_keeps_the_old_one() {
    let answer = json!({"success": true, "timestamp": 1, "result": {"access_token": HOTEL_TOKEN, "expires_in": 60}});
    let mock = Scripted::start(vec![Reply::json(200, answer)]).await;
    let token = mock.fetcher(&HOTEL).fetch(Some(&previous())).await.unwrap();
    assert_eq!(token.refresh_token.unwrap().expose(), HOTEL_REFRESH);
    assert_eq!(token.lifetime, Duration::from_secs(60));
}

#[tokio::test]
async fn server_token_wire_format() {
    let server = MockServer::start_async().await;
    let pinned = server
        .mock_async(|when, then| {
            when.method("GET")
                .path(SERVER_PATH)
                .header("accept", "application/json")
                .query_param("grant_type", "client_credentials")
                .query_param("client_id", CLIENT_ID)
                .query_param("client_secret", SECRET);
            then.status(200)
                .json_body(json!({"access_token": SERVER_TOKEN, "token_type": "bearer", "expires_in": "43200", "scope": "sudo"}));
        })
        .await;
    let fetcher = common::fetcher(&SERVER, &server.base_url());
    let token = fetcher.fetch(None).await.unwrap();
    assert_eq!(pinned.calls_async().await, 1);
    assert_eq!(token.access_token.expose(), SERVER_TOKEN);
    assert!(token.refresh_token.is_none());
    assert_eq!(token.lifetime, Duration::from_secs(43_200));

    let mock = Scripted::start(vec![server_ok(json!("43200"))]).await;
    let fetcher = mock.fetcher(&SERVER);
    fetcher.fetch(None).await.unwrap();
    let [request] = mock.requests().try_into().unwrap();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", SERVER_PATH)
    );
    assert_eq!(
        request.sorted_query(),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET)
        ])
    );
    assert_eq!(request.body, "");
    assert_eq!(request.header_names(), ["accept", "host"]);
}

#[tokio::test]
async fn server_never_uses_a_refresh_grant() {
    let mock = Scripted::start(vec![server_ok(json!(60))]).await;
    mock.fetcher(&SERVER)
        .fetch(Some(&previous()))
        .await
        .unwrap();
    let [request] = mock.requests().try_into().unwrap();
    assert_eq!(
        request
            .query
            .iter()
            .find(|(n, _)| n == "grant_type")
            .unwrap()
            .1,
        "client_credentials"
    );
    assert!(request.query.iter().all(|(n, _)| n != "refresh_token"));
}

static WITH_SCOPE_PARAM: ProviderDef = hotel(
    ParamsIn::Form,
    &[
        EXPIRES_IN,
        OptionalParam {
            name: "scope",
            kind: ParamKind::String,
            on_refresh: false,
        },
        OptionalParam {
            name: "lang",
            kind: ParamKind::String,
            on_refresh: false,
        },
    ],
);

#[tokio::test]
async fn no_parameter_is_sent_twice_and_refresh_sends_only_its_own() {
    let mock = Scripted::start(vec![hotel_ok(json!(60))]).await;
    let mut fetcher = mock.fetcher(&WITH_SCOPE_PARAM);
    fetcher.params = vec![
        ("scope", "evil".into()),
        ("expires_in", "100".into()),
        ("expires_in", "200".into()),
        ("lang", "zh".into()),
        ("grant_type", "password".into()),
    ];
    fetcher.fetch(None).await.unwrap();
    fetcher.fetch(Some(&previous())).await.unwrap();
    let [token, refresh] = mock.requests().try_into().unwrap();
    assert_eq!(
        token.form(),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("scope", "hotel"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("expires_in", "100"),
            ("lang", "zh"),
        ])
    );
    assert_eq!(
        refresh.form(),
        pairs(&[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
            ("refresh_token", HOTEL_REFRESH),
            ("expires_in", "100"),
        ])
    );
}

static JSON_HOTEL: ProviderDef = hotel(ParamsIn::Json, &[EXPIRES_IN]);

#[tokio::test]
async fn json_bodies_carry_integers_as_numbers() {
    let mock = Scripted::start(vec![hotel_ok(json!(60))]).await;
    let mut fetcher = mock.fetcher(&JSON_HOTEL);
    fetcher.params = vec![("expires_in", "7200".into())];
    fetcher.fetch(None).await.unwrap();
    let [request] = mock.requests().try_into().unwrap();
    let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(
        body,
        json!({"grant_type": "client_credentials", "scope": "hotel", "client_id": CLIENT_ID,
               "client_secret": SECRET, "expires_in": 7200})
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
}

/// Hotel with JSON bodies, an integer and a string optional parameter.
static JSON_HOTEL_TYPED: ProviderDef = hotel(
    ParamsIn::Json,
    &[
        EXPIRES_IN,
        OptionalParam {
            name: "store_code",
            kind: ParamKind::String,
            on_refresh: false,
        },
    ],
);

#[tokio::test]
async fn numeric_looking_strings_stay_json_strings() {
    let mock = Scripted::start(vec![hotel_ok(json!(60))]).await;
    let mut fetcher = TokenFetcher::new(
        &JSON_HOTEL_TYPED,
        reqwest::Client::new(),
        mock.server.base_url().parse().unwrap(),
        "10086".to_owned(),
        Secret::new("123456"),
        Vec::new(),
        RetryPolicy::default(),
    )
    .unwrap();
    fetcher.params = vec![("expires_in", "7200".into()), ("store_code", "0042".into())];
    fetcher.fetch(None).await.unwrap();
    let [request] = mock.requests().try_into().unwrap();
    let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(
        body,
        json!({"grant_type": "client_credentials", "scope": "hotel", "client_id": "10086",
               "client_secret": "123456", "expires_in": 7200, "store_code": "0042"}),
        "only a parameter the spec types as an integer is a JSON number"
    );
}

#[tokio::test]
async fn a_base_path_prefix_is_kept() {
    let mock = Scripted::start(vec![server_ok(json!(60))]).await;
    let fetcher = common::fetcher(&SERVER, &format!("{}/gateway/", mock.server.base_url()));
    fetcher.fetch(None).await.unwrap();
    assert_eq!(mock.requests()[0].path, format!("/gateway{SERVER_PATH}"));
}

// ---- Refresh fallback ------------------------------------------------------

#[tokio::test]
async fn a_rejected_refresh_falls_back_to_client_credentials_once() {
    let refused = Reply::json(
        401,
        json!({"code": "invalid_grant", "msg": "refresh token revoked"}),
    );
    let mock = Scripted::start(vec![refused, hotel_ok(json!(3600))]).await;
    let token = mock.fetcher(&HOTEL).fetch(Some(&previous())).await.unwrap();
    let [refresh, fresh] = mock.requests().try_into().unwrap();
    assert!(
        refresh
            .form()
            .contains(&("grant_type".into(), "refresh_token".into()))
    );
    assert!(
        fresh
            .form()
            .contains(&("grant_type".into(), "client_credentials".into()))
    );
    assert!(fresh.form().iter().all(|(n, _)| n != "refresh_token"));
    assert_eq!(token.access_token.expose(), HOTEL_TOKEN);
    assert_eq!(token.refresh_token.unwrap().expose(), ROTATED_REFRESH);
}

#[tokio::test]
async fn a_refresh_refused_with_success_false_falls_back_too() {
    let refused = Reply::json(200, json!({"success": false, "errorCode": "RT_EXPIRED"}));
    let mock = Scripted::start(vec![refused, hotel_ok(json!(3600))]).await;
    assert!(mock.fetcher(&HOTEL).fetch(Some(&previous())).await.is_ok());
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn when_both_grants_are_rejected_the_client_credentials_rejection_is_returned() {
    let mock = Scripted::start(vec![Reply::json(401, json!({"code": "nope"}))]).await;
    let error = mock
        .fetcher(&HOTEL)
        .fetch(Some(&previous()))
        .await
        .unwrap_err();
    assert_eq!(
        mock.requests().len(),
        2,
        "one refresh, one fallback, no loop"
    );
    assert!(
        matches!(
            error,
            Error::TokenRejected {
                stage: Stage::TokenRequest,
                ..
            }
        ),
        "{error:?}"
    );
    assert_clean(&error, &[HOTEL_REFRESH]);
}

#[tokio::test(start_paused = true)]
async fn an_unavailable_refresh_does_not_fall_back() {
    let mock = Scripted::start(vec![Reply::text(503, "down")]).await;
    let error = mock
        .fetcher(&HOTEL)
        .fetch(Some(&previous()))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::TokenUnavailable { attempts: 3, .. }),
        "{error:?}"
    );
    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| {
        r.form()
            .contains(&("grant_type".into(), "refresh_token".into()))
    }));
}
