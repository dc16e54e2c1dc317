//! The server's protected resources: token placement, sudo forms, tenants,
//! projects and echo.

mod common;

use common::{Fixture, json, start};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// GETs `path` with `query` encoded by reqwest (form encoding, as it should be).
async fn get(
    f: &Fixture,
    token: &str,
    path: &str,
    query: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Value) {
    let request = f.http.get(f.url(path)).bearer_auth(token).query(query);
    json(request.send().await.unwrap()).await
}

fn assert_error(answer: &(StatusCode, HeaderMap, Value), status: StatusCode, code: u64) {
    assert_eq!(answer.0, status, "{}", answer.2);
    assert_eq!(answer.2["code"], code, "{}", answer.2);
    assert!(answer.2["msg"].is_string(), "{}", answer.2);
}

#[tokio::test]
async fn me_as_the_app_with_the_token_in_the_header_or_the_query() {
    let f = start().await;
    let token = f.server_token().await;
    let (status, _, body) = get(&f, &token, "/api/me", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let app = |token_in: &str| json!({ "actor": "app", "clientId": "demo-client", "user": null, "tenant": null, "tokenIn": token_in });
    assert_eq!(body, app("header"));
    let response = f
        .http
        .get(f.url("/api/me"))
        .query(&[("access_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(json(response).await.2, app("query"));
}

#[tokio::test]
async fn a_token_in_both_places_is_a_400_and_none_a_401() {
    let f = start().await;
    let token = f.server_token().await;
    let answer = get(&f, &token, "/api/me", &[("access_token", &token)]).await;
    assert_error(&answer, StatusCode::BAD_REQUEST, 40005);
    let answer = json(f.http.get(f.url("/api/me")).send().await.unwrap()).await;
    assert_eq!(
        (answer.0, answer.2),
        (
            StatusCode::UNAUTHORIZED,
            json!({ "code": 40100, "msg": "invalid token" })
        )
    );
    let (hotel, _) = f.hotel_tokens().await;
    assert_error(
        &get(&f, &hotel, "/api/me", &[]).await,
        StatusCode::UNAUTHORIZED,
        40100,
    );
    let stats = f.sandbox.stats().server;
    assert_eq!((stats.api_calls, stats.api_unauthorized), (3, 2));
}

#[tokio::test]
async fn every_sudo_form_names_its_user() {
    let f = start().await;
    let token = f.server_token().await;
    for (sudo, uid) in [
        ("uid:1001", 1001),
        ("loginName:bob", 1002),
        ("loginName:李雷", 1003),
        ("email:a+b@example.com", 1002),
        ("mobile:+8613800000002", 1002),
        ("mobile:13800000003", 1003),
    ] {
        let (status, headers, body) = get(&f, &token, "/api/me", &[("sudo", sudo)]).await;
        assert_eq!(status, StatusCode::OK, "{sudo}: {body}");
        assert_eq!(
            (&body["actor"], &body["user"]["uid"]),
            (&json!("user"), &json!(uid)),
            "{sudo}"
        );
        assert!(headers.get("deprecation").is_none());
    }
    let (_, _, body) = get(&f, &token, "/api/me", &[("sudo", "uid:1002")]).await;
    assert_eq!(
        body["user"],
        json!({ "uid": 1002, "loginName": "bob", "email": "a+b@example.com", "mobile": "+8613800000002", "name": "Bob Li" })
    );
    assert_eq!(f.sandbox.stats().server.sudo_calls, 7);
}

#[tokio::test]
async fn username_still_works_and_is_marked_deprecated() {
    let f = start().await;
    let token = f.server_token().await;
    let (status, headers, body) = get(&f, &token, "/api/me", &[("sudo", "username:alice")]).await;
    assert_eq!(
        (status, &body["user"]["uid"]),
        (StatusCode::OK, &json!(1001))
    );
    assert_eq!(headers["deprecation"], "true");
}

#[tokio::test]
async fn a_raw_plus_arrives_as_a_space_and_finds_nobody() {
    let f = start().await;
    let token = f.server_token().await;
    let answer = f
        .get_with_bearer("/api/me?sudo=email:a+b@example.com", &token)
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, 40401);
    assert!(
        answer.2["msg"]
            .as_str()
            .unwrap()
            .contains("a b@example.com"),
        "{}",
        answer.2
    );
    let answer = f
        .get_with_bearer("/api/me?sudo=mobile:+8613800000002", &token)
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, 40401);
    let (status, _, body) = f
        .get_with_bearer("/api/me?sudo=email%3Aa%2Bb%40example.com", &token)
        .await;
    assert_eq!(
        (status, &body["user"]["uid"]),
        (StatusCode::OK, &json!(1002))
    );
}

#[tokio::test]
async fn malformed_sudo_is_a_400_and_a_stranger_a_404() {
    let f = start().await;
    let token = f.server_token().await;
    for sudo in ["alice", "nick:alice", "uid:", "email:", "uid:abc", ""] {
        assert_error(
            &get(&f, &token, "/api/me", &[("sudo", sudo)]).await,
            StatusCode::BAD_REQUEST,
            40003,
        );
    }
    let twice = get(
        &f,
        &token,
        "/api/me",
        &[("sudo", "uid:1001"), ("sudo", "uid:1002")],
    )
    .await;
    assert_error(&twice, StatusCode::BAD_REQUEST, 40003);
    for sudo in [
        "uid:9999",
        "loginName:carol",
        "loginName:bob:x",
        "email:ALICE@example.com",
    ] {
        assert_error(
            &get(&f, &token, "/api/me", &[("sudo", sudo)]).await,
            StatusCode::NOT_FOUND,
            40401,
        );
    }
}

#[tokio::test]
async fn tenants_by_id_or_by_code_even_non_ascii() {
    let f = start().await;
    let token = f.server_token().await;
    let east = json!({ "tenantId": 2, "tenantCode": "华东-01", "name": "华东分部" });
    for query in [
        [("sudo", "uid:1003"), ("tenantId", "2")],
        [("sudo", "uid:1003"), ("tenantCode", "华东-01")],
    ] {
        let (status, _, body) = get(&f, &token, "/api/me", &query).await;
        assert_eq!(
            (status, &body["tenant"]),
            (StatusCode::OK, &east),
            "{query:?}"
        );
    }
    let (status, _, body) = get(&f, &token, "/api/me", &[("tenantCode", "r&d lab")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (&body["actor"], &body["tenant"]["tenantId"]),
        (&json!("app"), &json!(3))
    );
    // Sent unencoded, the `&` splits the value: the code arrives as `r`.
    let answer = f
        .get_with_bearer("/api/me?tenantCode=r&d lab", &token)
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, 40402);
}

#[tokio::test]
async fn tenant_errors() {
    let f = start().await;
    let token = f.server_token().await;
    let both = get(
        &f,
        &token,
        "/api/me",
        &[("tenantId", "1"), ("tenantCode", "acme")],
    )
    .await;
    assert_eq!(
        (both.0, both.2),
        (
            StatusCode::BAD_REQUEST,
            json!({ "code": 40004, "msg": "tenantId and tenantCode are mutually exclusive" })
        )
    );
    assert_error(
        &get(&f, &token, "/api/me", &[("tenantId", "42")]).await,
        StatusCode::NOT_FOUND,
        40402,
    );
    assert_error(
        &get(&f, &token, "/api/me", &[("tenantCode", "华东")]).await,
        StatusCode::NOT_FOUND,
        40402,
    );
    assert_error(
        &get(&f, &token, "/api/me", &[("tenantId", "one")]).await,
        StatusCode::BAD_REQUEST,
        40000,
    );
    let stranger = get(
        &f,
        &token,
        "/api/me",
        &[("sudo", "loginName:alice"), ("tenantCode", "华东-01")],
    )
    .await;
    assert_error(&stranger, StatusCode::FORBIDDEN, 40300);
}

fn project_ids(body: &Value) -> Vec<u64> {
    body.as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn projects_visible_to_the_app_the_user_and_the_tenant() {
    let f = start().await;
    let token = f.server_token().await;
    let (status, _, all) = get(&f, &token, "/api/projects", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(project_ids(&all), [1, 2, 3, 4]);
    assert_eq!(
        all[0],
        json!({ "id": 1, "name": "Rocket Skates", "tenantCode": "acme", "ownerUid": 1001 })
    );
    let (_, _, alice) = get(&f, &token, "/api/projects", &[("sudo", "loginName:alice")]).await;
    assert_eq!(project_ids(&alice), [1, 2]);
    let (_, _, bob_east) = get(
        &f,
        &token,
        "/api/projects",
        &[("sudo", "uid:1002"), ("tenantId", "2")],
    )
    .await;
    assert_eq!(project_ids(&bob_east), [3, 4]);
    let (_, _, lab) = get(&f, &token, "/api/projects", &[("tenantCode", "r&d lab")]).await;
    assert_eq!(lab, json!([]));
}

#[tokio::test]
async fn creating_a_project_needs_sudo_and_keeps_it() {
    let f = start().await;
    let token = f.server_token().await;
    let post = |query: &'static [(&'static str, &'static str)], body: Value| {
        let request = f
            .http
            .post(f.url("/api/projects"))
            .bearer_auth(&token)
            .query(query)
            .json(&body);
        async move { json(request.send().await.unwrap()).await }
    };
    assert_error(
        &post(&[], json!({ "name": "X" })).await,
        StatusCode::BAD_REQUEST,
        40006,
    );
    let sudo: &[(&str, &str)] = &[("sudo", "uid:1002"), ("tenantCode", "华东-01")];
    assert_error(
        &post(sudo, json!({ "title": "X" })).await,
        StatusCode::BAD_REQUEST,
        40000,
    );
    assert_error(
        &post(sudo, json!({ "name": " " })).await,
        StatusCode::BAD_REQUEST,
        40000,
    );

    let (status, _, created) = post(sudo, json!({ "name": "仓储 2.0" })).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        created,
        json!({ "id": 5, "name": "仓储 2.0", "tenantCode": "华东-01", "ownerUid": 1002 })
    );
    let (_, _, listed) = get(&f, &token, "/api/projects", &[("tenantId", "2")]).await;
    assert_eq!(project_ids(&listed), [3, 4, 5]);

    let (status, _, alices) = post(
        &[("sudo", "loginName:alice")],
        json!({ "name": "Skates II" }),
    )
    .await;
    assert_eq!(
        (status, &alices["tenantCode"]),
        (StatusCode::CREATED, &json!("acme"))
    );
}

#[tokio::test]
async fn echo_shows_every_pair_as_decoded_except_the_token() {
    let f = start().await;
    let token = f.server_token().await;
    let response = f
        .http
        .get(f.url("/api/echo"))
        .query(&[
            ("access_token", token.as_str()),
            ("sudo", "email:a+b@example.com"),
            ("k", "v w"),
            ("k", "华&="),
        ])
        .send()
        .await
        .unwrap();
    let (status, _, body) = json(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({ "query": [["sudo", "email:a+b@example.com"], ["k", "v w"], ["k", "华&="]], "tokenIn": "query" })
    );
    assert!(!body.to_string().contains(&token));
    let (_, _, raw) = f
        .get_with_bearer("/api/echo?sudo=email:a+b@example.com", &token)
        .await;
    assert_eq!(
        raw,
        json!({ "query": [["sudo", "email:a b@example.com"]], "tokenIn": "header" })
    );
}

#[tokio::test]
async fn an_unknown_endpoint_is_a_json_404() {
    let f = start().await;
    let token = f.server_token().await;
    assert_error(
        &f.get_with_bearer("/api/nothing", &token).await,
        StatusCode::NOT_FOUND,
        40400,
    );
}
