//! Every answer shape the seeds allow or leave open: lifetimes as numbers or
//! strings, rejections however the vendor words them, undecodable bodies.

mod common;

use std::time::Duration;

use authorized_runtime::{Error, ProviderDef, Stage};
use common::providers::{HOTEL, SERVER};
use common::*;
use serde_json::json;

// ---- Lifetimes --------------------------------------------------------------

async fn lifetime(def: &'static ProviderDef, reply: Reply) -> Result<Duration, Error> {
    let mock = Scripted::start(vec![reply]).await;
    let result = mock.fetcher(def).fetch(None).await;
    assert_eq!(mock.requests().len(), 1, "decoding is never retried");
    result.map(|t| t.lifetime)
}

#[tokio::test]
async fn expires_in_as_integer_string_or_missing() {
    let secs = Duration::from_secs;
    assert_eq!(
        lifetime(&HOTEL, hotel_ok(json!(3600))).await.unwrap(),
        secs(3600)
    );
    assert_eq!(
        lifetime(&HOTEL, hotel_ok(json!("3600"))).await.unwrap(),
        secs(3600)
    );
    assert_eq!(
        lifetime(&SERVER, server_ok(json!("43200"))).await.unwrap(),
        secs(43_200)
    );
    assert_eq!(
        lifetime(&SERVER, server_ok(json!(" 60 "))).await.unwrap(),
        secs(60)
    );
    assert_eq!(
        lifetime(&SERVER, server_ok(json!(7200))).await.unwrap(),
        secs(7200)
    );
    // Fractions are rounded down.
    assert_eq!(
        lifetime(&SERVER, server_ok(json!(3600.5))).await.unwrap(),
        secs(3600)
    );
    // Huge lifetimes are cut to ten years.
    let ten_years = secs(10 * 365 * 24 * 3600);
    assert_eq!(
        lifetime(&SERVER, server_ok(json!(1e30))).await.unwrap(),
        ten_years
    );
    assert_eq!(
        lifetime(&SERVER, server_ok(json!(u64::MAX))).await.unwrap(),
        ten_years
    );
    // Missing: the provider's default, if it has one.
    let missing = Reply::json(
        200,
        json!({"access_token": SERVER_TOKEN, "token_type": "bearer"}),
    );
    assert_eq!(lifetime(&SERVER, missing).await.unwrap(), secs(43_200));
    let missing = Reply::json(
        200,
        json!({"success": true, "result": {"access_token": HOTEL_TOKEN}}),
    );
    let error = lifetime(&HOTEL, missing).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { reason, .. } if reason.contains("expires_in")),
        "{error}"
    );
}

#[tokio::test]
async fn unusable_lifetimes_are_decode_errors() {
    for bad in [
        json!(0),
        json!(-60),
        json!("-60"),
        json!("0"),
        json!("abc"),
        json!(""),
        json!(true),
        json!([60]),
        json!(0.4),
    ] {
        let error = lifetime(&SERVER, server_ok(bad.clone())).await.unwrap_err();
        let Error::Decode {
            provider: "server",
            stage: Stage::TokenRequest,
            reason,
            ..
        } = &error
        else {
            panic!("{bad}: {error:?}");
        };
        assert!(reason.contains("expires_in"), "{reason}");
        assert_clean(&error, &[SERVER_TOKEN]);
    }
}

// ---- Rejections ------------------------------------------------------------

async fn rejected(def: &'static ProviderDef, reply: Reply) -> Error {
    let mock = Scripted::start(vec![reply]).await;
    let error = mock.fetcher(def).fetch(None).await.unwrap_err();
    assert_eq!(mock.requests().len(), 1, "rejections are not retried");
    assert_clean(&error, &[HOTEL_TOKEN, SERVER_TOKEN]);
    error
}

#[tokio::test]
async fn http_401_with_code_and_msg_is_a_rejection() {
    let error = rejected(
        &SERVER,
        Reply::json(401, json!({"code": 40101, "msg": "invalid client"})),
    )
    .await;
    let Error::TokenRejected {
        provider,
        stage,
        status,
        code,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (*provider, *stage, *status),
        ("server", Stage::TokenRequest, 401)
    );
    assert_eq!(
        (code.as_deref(), message.as_deref()),
        (Some("40101"), Some("invalid client"))
    );
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("invalid client"), "{error}");
}

#[tokio::test]
async fn other_4xx_are_rejections_even_without_json() {
    for (status, body) in [
        (400, "Bad Request"),
        (403, "<html><body>Forbidden</body></html>"),
        (404, ""),
    ] {
        let error = rejected(&HOTEL, Reply::text(status, body)).await;
        let Error::TokenRejected {
            status: got,
            code: None,
            message: None,
            ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(*got, status);
    }
}

#[tokio::test]
async fn hotel_success_false_is_a_rejection() {
    let body = json!({"success": false, "timestamp": 1, "errorCode": "E_CLIENT", "errorMsg": "client disabled"});
    let error = rejected(&HOTEL, Reply::json(200, body)).await;
    let Error::TokenRejected {
        status: 200,
        code,
        message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (code.as_deref(), message.as_deref()),
        (Some("E_CLIENT"), Some("client disabled"))
    );

    let nested = json!({"success": false, "error": {"status": 7, "detail": "quota exceeded"}});
    let error = rejected(&HOTEL, Reply::json(200, nested)).await;
    assert_eq!(error.code(), Some("7"));
    assert!(error.to_string().contains("quota exceeded"));
}

#[tokio::test]
async fn hotel_success_false_with_never_seen_fields_still_shows_them() {
    let body = json!({"success": false, "rc": "X-99", "whatHappened": "try tomorrow"});
    let error = rejected(&HOTEL, Reply::json(200, body)).await;
    let Error::TokenRejected {
        status: 200,
        code: None,
        message: None,
        body,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(
        body.as_str().contains("X-99") && body.as_str().contains("try tomorrow"),
        "{body}"
    );
}

#[tokio::test]
async fn a_2xx_without_token_but_with_a_vendor_error_is_a_rejection() {
    let error = rejected(
        &SERVER,
        Reply::json(200, json!({"code": 40003, "msg": "client locked"})),
    )
    .await;
    assert!(
        matches!(error, Error::TokenRejected { status: 200, .. }),
        "{error:?}"
    );
    assert_eq!(error.code(), Some("40003"));
}

#[tokio::test]
async fn echoed_secrets_are_hidden_in_rejections() {
    let body = json!({"code": "bad_secret", "msg": format!("secret {SECRET} is wrong"), "echo": format!("client_secret={SECRET}")});
    let error = rejected(&SERVER, Reply::json(401, body)).await;
    assert!(error.to_string().contains("is wrong"), "{error}");
}

// ---- Undecodable answers ----------------------------------------------------

async fn undecodable(def: &'static ProviderDef, reply: Reply) -> Error {
    let mock = Scripted::start(vec![reply]).await;
    let error = mock.fetcher(def).fetch(None).await.unwrap_err();
    assert_eq!(mock.requests().len(), 1, "decode errors are not retried");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(!error.is_retryable());
    assert_clean(&error, &[HOTEL_TOKEN, SERVER_TOKEN]);
    error
}

#[tokio::test]
async fn garbage_html_empty_and_truncated_answers_are_decode_errors() {
    let truncated =
        format!(r#"{{"success":true,"result":{{"access_token":"{HOTEL_TOKEN}","expires_in":36"#);
    let html = format!(
        "<html><body>Login at /oauth?client_secret={SECRET}&x=1 with {SECRET}</body></html>"
    );
    for body in [
        "xyz",
        "",
        "   ",
        truncated.as_str(),
        html.as_str(),
        "null",
        "[]",
        "42",
    ] {
        let error = undecodable(&HOTEL, Reply::text(200, body)).await;
        let Error::Decode {
            provider: "hotel",
            stage: Stage::TokenRequest,
            ..
        } = &error
        else {
            panic!()
        };
    }
    let error = undecodable(&HOTEL, Reply::text(200, &html)).await;
    let Error::Decode { body, .. } = &error else {
        panic!()
    };
    assert!(
        body.as_str().contains("Login at"),
        "the excerpt is quoted: {body}"
    );
}

#[tokio::test]
async fn answers_without_a_usable_token_are_decode_errors() {
    let no_envelope = json!({"access_token": HOTEL_TOKEN, "expires_in": 60});
    let error = undecodable(&HOTEL, Reply::json(200, no_envelope)).await;
    assert!(error.to_string().contains("envelope"), "{error}");
    for result in [
        json!({"access_token": "", "expires_in": 60}),
        json!({"access_token": 12345, "expires_in": 60}),
        json!({"expires_in": 60}),
        json!("token"),
        json!(null),
    ] {
        undecodable(
            &HOTEL,
            Reply::json(200, json!({"success": true, "result": result})),
        )
        .await;
    }
    undecodable(&SERVER, Reply::json(200, json!({"token_type": "bearer"}))).await;
    let odd_refresh = json!({"access_token": HOTEL_TOKEN, "refresh_token": 5, "expires_in": 60});
    undecodable(
        &HOTEL,
        Reply::json(200, json!({"success": true, "result": odd_refresh})),
    )
    .await;
}

#[tokio::test]
async fn a_decode_error_on_refresh_hides_the_refresh_token_used() {
    let echoed = format!(r#"{{"success":true,"result":{{"note":"renewed {HOTEL_REFRESH}"}}}}"#);
    let mock = Scripted::start(vec![Reply::text(200, &echoed)]).await;
    let error = mock
        .fetcher(&HOTEL)
        .fetch(Some(&previous()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Decode {
                stage: Stage::TokenRefresh,
                ..
            }
        ),
        "{error:?}"
    );
    assert_clean(&error, &[HOTEL_REFRESH]);
}

#[tokio::test]
async fn an_answer_over_a_mebibyte_is_not_buffered_and_is_quoted_from_its_start() {
    // A token that echoes the secret, then 2 MiB of padding.
    let body = format!(
        r#"{{"access_token":"sat_{SECRET}","expires_in":60,"pad":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    let error = undecodable(&SERVER, Reply::text(200, &body)).await;
    match &error {
        Error::Decode { reason, body, .. } => {
            assert_eq!(reason, "the answer is longer than 1048576 bytes");
            let quoted = body.to_string();
            assert!(quoted.starts_with(r#"{"access_token":"#), "{quoted}");
            assert!(quoted.len() < 1024, "an excerpt, not the body");
        }
        other => panic!("{other:?}"),
    }
    assert_clean(&error, &[]);
}
