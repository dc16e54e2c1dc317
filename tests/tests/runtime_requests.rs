//! What every request made through a client carries, and how answers come
//! back: placement, sudo and tenant encoding, envelopes, replay, check and
//! revoke, against loopback servers started here.

use authorized_api::runtime::{Error, Stage};
use authorized_api::{Sudo, Tenant, TokenIn, hotel, server};
use httpmock::prelude::*;
use serde_json::{Value, json};

const ID: &str = "client-7";
const SECRET: &str = "secret-7f3a9c1d";

async fn server_client(mock: &MockServer) -> server::Client {
    server::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

/// The server token endpoint, answering `token` (expires_in as a string).
async fn server_token<'a>(mock: &'a MockServer, token: &str) -> httpmock::Mock<'a> {
    mock.mock_async(|when, then| {
        when.method(GET)
            .path("/api/oauth2/server/tokens")
            .query_param("grant_type", "client_credentials")
            .query_param("client_id", ID)
            .query_param("client_secret", SECRET);
        then.status(200).json_body(json!({
            "access_token": token, "token_type": "bearer", "expires_in": "7200", "scope": "sudo"
        }));
    })
    .await
}

#[tokio::test]
async fn the_token_goes_in_the_bearer_header_by_default_and_never_also_in_the_query() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_one").await;
    let api = mock
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/me")
                .header("authorization", "Bearer sat_one")
                .query_param_missing("access_token");
            then.status(200).json_body(json!({"actor": "app"}));
        })
        .await;
    let client = server_client(&mock).await;
    let me: Value = client.get("/api/me").send().await.unwrap();
    assert_eq!(me["actor"], "app");
    let _: Value = client.get("/api/me").send().await.unwrap();
    assert_eq!(api.calls_async().await, 2);
    assert_eq!(token.calls_async().await, 1, "the token is cached");
}

#[tokio::test]
async fn the_token_goes_in_the_query_per_client_or_per_call_and_never_also_in_the_header() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_q").await;
    let api = mock
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/me")
                .query_param("access_token", "sat_q")
                .header_missing("authorization");
            then.status(200).json_body(json!({}));
        })
        .await;
    let per_call = server_client(&mock).await;
    let _: Value = per_call
        .get("/api/me")
        .token_in(TokenIn::Query)
        .send()
        .await
        .unwrap();
    let per_client = server::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .token_in(TokenIn::Query)
        .share_cache(false)
        .build()
        .unwrap();
    let _: Value = per_client.get("/api/me").send().await.unwrap();
    assert_eq!(api.calls_async().await, 2);
}

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

#[tokio::test]
async fn a_request_refused_twice_is_replayed_once_then_returned_as_unauthorized() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_r").await;
    let api = mock
        .mock_async(|when, then| {
            when.path("/api/me");
            then.status(401)
                .json_body(json!({"code": 40100, "msg": "invalid token"}));
        })
        .await;
    let client = server_client(&mock).await;
    let err = client.get("/api/me").send::<Value>().await.unwrap_err();
    assert!(
        matches!(err, Error::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
    assert_eq!(api.calls_async().await, 2, "one replay, not more");
    assert_eq!(token.calls_async().await, 2, "a new token for the replay");
    assert_eq!(client.stats().replays, 1);
    assert!(!err.to_string().contains("sat_r"));

    // A body that can be read only once is not replayed.
    let err = client
        .post("/api/me")
        .body_once(reqwest::Body::from("once"))
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(api.calls_async().await, 3);
    assert_eq!(client.stats().replays, 1);
}

#[tokio::test]
async fn check_and_revoke_send_the_token_as_the_seed_document_shows() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_c").await;
    let check = mock
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/oauth2/server/tokens/check")
                .query_param("token", "sat_c")
                .is_true(|req| req.query_params().len() == 1);
            then.status(200).json_body(json!({
                "access_token": "sat_c", "token_type": "bearer", "expires_in": "7100", "scope": "sudo"
            }));
        })
        .await;
    let revoke = mock
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/oauth2/server/tokens/revoke")
                .query_param("token", "sat_c")
                .is_true(|req| req.query_params().len() == 1);
            then.status(200)
                .json_body(json!({"code": 0, "msg": "success"}));
        })
        .await;
    let client = server_client(&mock).await;
    let info: server::Token = client.check_token().await.unwrap();
    assert_eq!(info.expires_in.0, 7100);
    assert_eq!(info.scope.as_deref(), Some("sudo"));
    assert_eq!(format!("{:?}", info.access_token), "** redacted **");
    assert_eq!(check.calls_async().await, 1);

    client.revoke_token().await.unwrap();
    assert_eq!(revoke.calls_async().await, 1);
    // The revoked token is gone: the next use fetches a new one.
    client.token().await.unwrap();
    assert_eq!(token.calls_async().await, 2);
}

#[tokio::test]
async fn a_failed_revoke_carries_code_and_message_and_still_drops_the_token() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_f").await;
    mock.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens/revoke");
        then.status(200)
            .json_body(json!({"code": 40102, "msg": "token not found"}));
    })
    .await;
    let client = server_client(&mock).await;
    client.token().await.unwrap();
    match client.revoke_token().await.unwrap_err() {
        Error::Api {
            code,
            message,
            stage,
            ..
        } => {
            assert_eq!(stage, Stage::TokenRevoke);
            assert_eq!(code.as_deref(), Some("40102"));
            assert_eq!(message.as_deref(), Some("token not found"));
        }
        other => panic!("{other:?}"),
    }
    client.token().await.unwrap();
    assert_eq!(token.calls_async().await, 2);
}

#[tokio::test]
async fn a_check_answer_over_a_mebibyte_is_a_decode_error_not_a_buffer() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_big").await;
    let body = format!(
        r#"{{"access_token":"sat_big","pad":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    mock.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens/check");
        then.status(200).body(body);
    })
    .await;
    let client = server_client(&mock).await;
    match client.check_token().await.unwrap_err() {
        Error::Decode {
            stage,
            reason,
            body,
            ..
        } => {
            assert_eq!(stage, Stage::TokenCheck);
            assert_eq!(reason, "the answer is longer than 1048576 bytes");
            let quoted = body.to_string();
            assert!(quoted.starts_with(r#"{"access_token":"#), "{quoted}");
            assert!(!quoted.contains("sat_big"), "{quoted}");
        }
        other => panic!("{other:?}"),
    }
}

/// `{"pad":"xxx…"}`, exactly `len` bytes long.
fn json_of_len(len: usize) -> String {
    format!(r#"{{"pad":"{}"}}"#, "x".repeat(len - 10))
}

#[tokio::test]
async fn an_api_answer_over_the_clients_limit_fails_quoting_its_start_and_one_at_it_passes() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_lim").await;
    mock.mock_async(|when, then| {
        when.path("/api/at");
        then.status(200).body(json_of_len(64));
    })
    .await;
    mock.mock_async(|when, then| {
        when.path("/api/over");
        // The token, echoed at the start: the excerpt must hide it.
        then.status(200)
            .body(format!(r#"{{"t":"sat_lim","pad":"{}"}}"#, "x".repeat(60)));
    })
    .await;
    let client = server::Client::builder()
        .base_url(mock.base_url())
        .client_id(ID)
        .client_secret(SECRET)
        .share_cache(false)
        .max_answer_bytes(64)
        .build()
        .unwrap();
    let at: Value = client.get("/api/at").send().await.unwrap();
    assert_eq!(at["pad"].as_str().unwrap().len(), 54);
    match client.get("/api/over").send::<Value>().await.unwrap_err() {
        Error::Decode {
            stage,
            reason,
            body,
            ..
        } => {
            assert_eq!(stage, Stage::ApiCall);
            assert!(
                reason.starts_with("the answer is longer than 64 bytes"),
                "{reason}"
            );
            assert!(reason.contains("max_answer_bytes"), "{reason}");
            let quoted = body.to_string();
            assert!(quoted.starts_with(r#"{"t":"#), "{quoted}");
            assert!(!quoted.contains("sat_lim"), "{quoted}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_default_limit_on_api_answers_is_16_mib() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_def").await;
    mock.mock_async(|when, then| {
        when.path("/api/huge");
        then.status(200).body(json_of_len((16 << 20) + 1));
    })
    .await;
    let client = server_client(&mock).await;
    match client.get("/api/huge").send::<Value>().await.unwrap_err() {
        Error::Decode { reason, .. } => {
            assert!(
                reason.starts_with("the answer is longer than 16777216 bytes"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A loopback server provider whose `/api/chunked` answers `pieces` as
/// separate chunks, with no `Content-Length`.
async fn chunked_server(pieces: Vec<String>) -> String {
    use axum::body::Body;
    use axum::routing::get;
    use std::convert::Infallible;
    let token = get(|| async {
        axum::Json(json!({"access_token": "sat_ch", "token_type": "bearer", "expires_in": 3600}))
    });
    let chunked = get(move || {
        let pieces = pieces.clone().into_iter().map(Ok::<_, Infallible>);
        async move { Body::from_stream(futures::stream::iter(pieces)) }
    });
    let app = axum::Router::new()
        .route("/api/oauth2/server/tokens", token)
        .route("/api/chunked", chunked);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base_url
}

#[tokio::test]
async fn a_chunked_api_answer_is_read_whole_up_to_the_limit_and_refused_past_it() {
    // 3 × 30 bytes: {"pad":"xxx…xxx"} cut in three.
    let whole = json_of_len(90);
    let pieces = vec![
        whole[..30].to_owned(),
        whole[30..60].to_owned(),
        whole[60..].to_owned(),
    ];
    let base_url = chunked_server(pieces).await;
    let client = |limit| {
        server::Client::builder()
            .base_url(&base_url)
            .client_id(ID)
            .client_secret(SECRET)
            .share_cache(false)
            .max_answer_bytes(limit)
            .build()
            .unwrap()
    };
    let read: Value = client(90).get("/api/chunked").send().await.unwrap();
    assert_eq!(read, serde_json::from_str::<Value>(&whole).unwrap());
    match client(89)
        .get("/api/chunked")
        .send::<Value>()
        .await
        .unwrap_err()
    {
        Error::Decode { reason, body, .. } => {
            assert!(
                reason.starts_with("the answer is longer than 89 bytes"),
                "{reason}"
            );
            assert!(body.to_string().starts_with(r#"{"pad":"xxx"#), "{body}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_token_revoked_behind_the_clients_back_is_replaced_after_one_replay() {
    let sandbox = authorized_sandbox::Sandbox::default()
        .start()
        .await
        .unwrap();
    let client = server::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(authorized_sandbox::DEMO_CLIENT_ID)
        .client_secret(authorized_sandbox::DEMO_CLIENT_SECRET)
        .share_cache(false)
        .build()
        .unwrap();
    let _: Value = client.get("/api/me").send().await.unwrap();
    sandbox.revoke_all_tokens();
    // Many callers meet the refused token at once: one renewal for all.
    let calls = (0..50).map(|_| client.get("/api/me").send::<Value>());
    for result in futures::future::join_all(calls).await {
        result.unwrap();
    }
    let stats = sandbox.stats();
    assert_eq!(stats.server.token_client_credentials, 2);
    assert!(stats.server.api_unauthorized >= 1);
    assert_eq!(client.stats().replays, stats.server.api_unauthorized);
}

#[tokio::test]
async fn calls_refused_for_another_reason_do_not_turn_into_token_requests() {
    let mock = MockServer::start_async().await;
    let token = server_token(&mock, "sat_p").await;
    mock.mock_async(|when, then| {
        when.path("/api/me");
        then.status(200).json_body(json!({}));
    })
    .await;
    let forbidden = mock
        .mock_async(|when, then| {
            when.path("/api/admin");
            then.status(401)
                .json_body(json!({"code": 40100, "msg": "sudo user lacks permission"}));
        })
        .await;
    let client = server_client(&mock).await;
    let _: Value = client.get("/api/me").send().await.unwrap();
    for _ in 0..20 {
        let err = client.get("/api/admin").send::<Value>().await.unwrap_err();
        assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    }
    // The first refusal of a token that had worked drops it and replays with
    // a new one; that one is refused too, so it is kept, and later refusals
    // are returned without asking for more tokens.
    assert_eq!(
        token.calls_async().await,
        2,
        "not one token request per refused call"
    );
    assert_eq!(forbidden.calls_async().await, 21, "one replay in all");
    assert_eq!(client.stats().replays, 1);
    let _: Value = client.get("/api/me").send().await.unwrap();
    assert_eq!(token.calls_async().await, 2);
}
