//! API calls through the runtime's `Client`, against a scripted server: what
//! arrives (the call's own headers and query beside the token, sudo and
//! tenant) and the replay rule (a refused token renewed, the call replayed
//! once, and never twice).

mod common;

use authorized_runtime::__private::scope;
use authorized_runtime::{Error, RawResponse, Sudo, Tenant, TokenIn};
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_calls_own_headers_arrive_alone() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let answer: serde_json::Value = api
        .get("/api/me")
        .token_in(TokenIn::Query)
        .header("X-Request-Id", "req-42")
        .header("Accept-Language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(answer, json!({"ok": true}));
    let [call] = mock.api_calls().try_into().unwrap();
    assert_eq!(call.header("x-request-id"), Some("req-42"));
    assert_eq!(call.header("accept-language"), Some("zh-CN"));
    assert_eq!(call.header("authorization"), None);
    assert_eq!(
        call.sorted_query(),
        pairs(&[("access_token", SERVER_TOKEN)])
    );
}

#[tokio::test]
async fn a_calls_own_headers_arrive_beside_the_token_sudo_and_tenant() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let _: serde_json::Value = api
        .get("/api/projects")
        .query_value("page", &2)
        .header("X-Request-Id", "req-43")
        .sudo(Sudo::uid(1001))
        .tenant(Tenant::code("华东-01"))
        .send()
        .await
        .unwrap();
    let [call] = mock.api_calls().try_into().unwrap();
    assert_eq!(call.path, "/api/projects");
    assert_eq!(call.header("x-request-id"), Some("req-43"));
    let bearer = format!("Bearer {SERVER_TOKEN}");
    assert_eq!(call.header("authorization"), Some(bearer.as_str()));
    assert_eq!(
        call.sorted_query(),
        pairs(&[
            ("page", "2"),
            ("sudo", "uid:1001"),
            ("tenantCode", "华东-01")
        ])
    );
}

#[tokio::test]
async fn the_token_header_replaces_an_authorization_header_the_call_set() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let _: serde_json::Value = api
        .get("/api/me")
        .header("Authorization", "Basic bm90OnRoaXM=")
        .send()
        .await
        .unwrap();
    let [call] = mock.api_calls().try_into().unwrap();
    let bearer = format!("Bearer {SERVER_TOKEN}");
    assert_eq!(call.header("authorization"), Some(bearer.as_str()));
}

#[tokio::test]
async fn a_json_body_arrives_with_its_content_type_unless_the_call_set_one() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), ok()]).await;
    let api = mock.server_api();
    let _: serde_json::Value = api
        .post("/api/projects")
        .json(&json!({"name": "Quarterly report"}))
        .send()
        .await
        .unwrap();
    let _: serde_json::Value = api
        .post("/api/projects")
        .header("Content-Type", "application/vnd.acme+json")
        .json(&json!({"name": "Q4"}))
        .send()
        .await
        .unwrap();
    let [first, second] = mock.api_calls().try_into().unwrap();
    assert_eq!(first.method, "POST");
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(first.body, r#"{"name":"Quarterly report"}"#);
    assert_eq!(
        second.header("content-type"),
        Some("application/vnd.acme+json")
    );
    assert_eq!(second.body, r#"{"name":"Q4"}"#);
}

#[tokio::test]
async fn a_refused_token_is_renewed_and_the_call_replayed_once_as_it_was() {
    let mock = Scripted::start(proven_then_refused()).await;
    let api = mock.server_api();
    // A first call proves the token: a later refusal means it went bad.
    let _: serde_json::Value = api.get("/api/me").send().await.unwrap();
    let answer: serde_json::Value = api
        .post("/api/projects")
        .header("X-Request-Id", "req-44")
        .sudo(Sudo::login_name("李雷"))
        .json(&json!({"name": "again"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer, json!({"ok": true}));
    assert_eq!(mock.token_requests(), 2);
    assert_eq!(api.stats().replays, 1);
    let [_, refused, replayed] = mock.api_calls().try_into().unwrap();
    for call in [&refused, &replayed] {
        assert_eq!(call.method, "POST");
        assert_eq!(call.header("x-request-id"), Some("req-44"));
        assert_eq!(call.body, r#"{"name":"again"}"#);
        assert_eq!(call.sorted_query(), pairs(&[("sudo", "loginName:李雷")]));
    }
    let old = format!("Bearer {SERVER_TOKEN}");
    let new = format!("Bearer {SECOND_TOKEN}");
    assert_eq!(refused.header("authorization"), Some(old.as_str()));
    assert_eq!(replayed.header("authorization"), Some(new.as_str()));
    // The new token is the cached one now.
    assert_eq!(api.token().await.unwrap().expose(), SECOND_TOKEN);
}

#[tokio::test]
async fn a_call_refused_again_after_the_replay_is_an_error_and_keeps_the_new_token() {
    let refused = Reply::json(
        401,
        json!({"error": "invalid_token", "token": SECOND_TOKEN}),
    );
    let mock = Scripted::start(vec![
        server_ok(json!("3600")),
        ok(),
        refused.clone(),
        second_token(),
        refused,
    ])
    .await;
    let api = mock.server_api();
    let _: serde_json::Value = api.get("/api/me").send().await.unwrap();
    let error = api
        .get("/api/admin")
        .send::<serde_json::Value>()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Unauthorized { status: 401, .. }),
        "{error:?}"
    );
    assert_clean(&error, &[SERVER_TOKEN, SECOND_TOKEN]);
    assert_eq!(mock.api_calls().len(), 3, "replayed once, not twice");
    assert_eq!(mock.token_requests(), 2);
    assert_eq!(api.stats().replays, 1);
    assert_eq!(
        api.token().await.unwrap().expose(),
        SECOND_TOKEN,
        "the refusal of a fresh token is about the call: the token stays"
    );
}

#[tokio::test]
async fn a_refusal_of_a_token_never_accepted_is_answered_without_a_replay_storm() {
    let mock = Scripted::start(vec![
        server_ok(json!("3600")),
        refused(),
        second_token(),
        refused(),
    ])
    .await;
    let api = mock.server_api();
    for _ in 0..3 {
        let error = api
            .get("/api/admin")
            .send_raw()
            .await
            .map(|r: RawResponse| r.status().as_u16());
        assert!(error.is_err(), "{error:?}");
    }
    // The first refusal drops the unproven token and replays; within ten
    // seconds of that, refusals of a token never accepted are the call's.
    assert_eq!(mock.token_requests(), 2);
    assert_eq!(mock.api_calls().len(), 4);
}

/// The query of the API call to `path`.
fn query_of(mock: &Scripted, path: &str) -> Vec<(String, String)> {
    let calls = mock.api_calls();
    let call = calls.iter().find(|c| c.path == path);
    call.unwrap_or_else(|| panic!("no call to {path}"))
        .sorted_query()
}

#[tokio::test]
async fn a_scope_applies_to_its_own_clients_requests_while_it_runs() {
    let mock = Scripted::start(vec![
        server_ok(json!("3600")),
        server_ok(json!("3600")),
        ok(),
    ])
    .await;
    let (api, other) = (mock.server_api(), mock.server_api());
    api.token().await.unwrap();
    other.token().await.unwrap();
    scope(&api)
        .sudo(Sudo::uid(7))
        .tenant(Tenant::id(3))
        .run(async {
            api.get("/in").send_raw().await.unwrap();
            other.get("/other").send_raw().await.unwrap();
            // A scope for another client leaves this client's alone.
            scope(&other)
                .sudo(Sudo::uid(8))
                .run(async {
                    api.get("/in-beside").send_raw().await.unwrap();
                    other.get("/other-inner").send_raw().await.unwrap();
                })
                .await;
            // A scope for the same client replaces the outer one.
            scope(&api)
                .sudo(Sudo::uid(9))
                .run(async { api.get("/in-replaced").send_raw().await.unwrap() })
                .await;
        })
        .await;
    api.get("/out").send_raw().await.unwrap();

    let scoped = pairs(&[("sudo", "uid:7"), ("tenantId", "3")]);
    assert_eq!(query_of(&mock, "/in"), scoped);
    assert_eq!(query_of(&mock, "/in-beside"), scoped);
    assert_eq!(query_of(&mock, "/other"), pairs(&[]));
    assert_eq!(query_of(&mock, "/other-inner"), pairs(&[("sudo", "uid:8")]));
    assert_eq!(query_of(&mock, "/in-replaced"), pairs(&[("sudo", "uid:9")]));
    assert_eq!(query_of(&mock, "/out"), pairs(&[]));
}

#[tokio::test]
async fn an_answer_echoing_the_token_or_the_client_secret_shows_neither() {
    let echo = format!("no access for {SECRET} with {SERVER_TOKEN}");
    let mock = Scripted::start(vec![
        server_ok(json!("3600")),
        Reply::json(500, json!({"detail": echo})),
    ])
    .await;
    let api = mock.server_api();
    let error = (api.get("/api/me").send::<serde_json::Value>().await).unwrap_err();
    assert!(error.to_string().contains("no access for"), "{error}");
    assert_clean(&error, &[SERVER_TOKEN]);
    let raw = api.get("/api/me").send_raw().await.unwrap();
    let shown = format!("{raw:?} || {:?}", raw.decode::<serde_json::Value>());
    assert!(shown.contains("no access for"), "{shown}");
    for secret in [SECRET, SERVER_TOKEN] {
        assert!(!shown.contains(secret), "`{secret}` in {shown}");
    }
}

#[tokio::test]
async fn a_token_accepted_then_refused_is_replaced_however_soon_after_the_last_renewal() {
    let third = Reply::json(
        200,
        json!({"access_token": "sat_third_9f8e7d", "token_type": "bearer", "expires_in": "3600"}),
    );
    let mock = Scripted::start(vec![
        // The first token, accepted.
        server_ok(json!("3600")),
        ok(),
        // Refused: renewed, the call replayed, the second token accepted.
        refused(),
        second_token(),
        ok(),
        ok(),
        // Refused too, moments after the last renewal: an accepted token
        // that is refused went bad, so it is replaced at once all the same.
        refused(),
        third,
        ok(),
    ])
    .await;
    let api = mock.server_api();
    for _ in 0..4 {
        let answer = api.get("/api/me").send_raw().await.unwrap();
        assert_eq!(answer.status(), 200);
    }
    assert_eq!(mock.token_requests(), 3);
    assert_eq!(api.stats().replays, 2);
}
