//! The check and revoke calls: what they send (the token, as the seed
//! document shows, and nothing else), what they answer, and a failed revoke,
//! which carries the provider's code and message and still drops the token;
//! against an `httpmock` server.

use authorized_api::runtime::{Error, Stage};
use authorized_api::server;
use httpmock::prelude::*;
use serde_json::json;

use crate::support::{server_client, server_token};

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
    assert_eq!(info.expires_in.map(|s| s.0), Some(7100));
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
async fn a_check_answer_is_read_as_leniently_as_a_token_answer() {
    let mock = MockServer::start_async().await;
    server_token(&mock, "sat_l").await;
    mock.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens/check");
        // No lifetime (12 hours by default) and no fixed token type.
        then.status(200)
            .json_body(json!({"access_token": "sat_l", "scope": "sudo"}));
    })
    .await;
    let info: server::Token = server_client(&mock).await.check_token().await.unwrap();
    assert_eq!((info.expires_in, info.token_type), (None, None));
    assert_eq!(info.scope.as_deref(), Some("sudo"));
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
