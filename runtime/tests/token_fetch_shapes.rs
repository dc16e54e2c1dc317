//! Token requests of providers shaped unlike the two seed vendors: client
//! authentication by HTTP Basic (RFC 6749 §2.3.1) or not at all, exactly
//! one method per request, and lifetimes given as an instant.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use authorized_runtime::{
    AnswerRule, ClientAuth, Error, HttpMethod, InstantFormat, InvalidTokenSignal, Lifetime,
    ParamsIn, Placement, ProviderDef, RefreshGrant, TokenEndpoint, TokenFields, TokenIn,
};
use base64::Engine as _;
use common::*;
use serde_json::json;

const TOKEN_PATH: &str = "/oauth/token";

/// An RFC 6749 token endpoint allowing `client_auth`, renewing with
/// `refresh_auth`, its lifetime where `lifetime` says.
const fn standard(
    client_auth: &'static [ClientAuth],
    refresh_auth: &'static [ClientAuth],
    lifetime: Lifetime,
) -> ProviderDef {
    ProviderDef {
        name: "standard",
        token: TokenEndpoint {
            method: HttpMethod::Post,
            path: TOKEN_PATH,
            params_in: ParamsIn::Form,
            headers: &[],
            constants: &[("grant_type", "client_credentials")],
            client_id_param: "client_id",
            client_secret_param: "client_secret",
            client_auth,
            optional_params: &[],
            answer: AnswerRule::STATUS,
            fields: TokenFields {
                access_token: "access_token",
                refresh_token: Some("refresh_token"),
                lifetime,
                default_lifetime_secs: None,
            },
        },
        refresh: Some(RefreshGrant {
            constants: &[("grant_type", "refresh_token")],
            refresh_token_param: "refresh_token",
            client_auth: refresh_auth,
        }),
        check: None,
        revoke: None,
        placement: Placement {
            header: None,
            query: Some("access_token"),
            default: TokenIn::Query,
        },
        sudo: None,
        tenant: None,
        invalid_token: InvalidTokenSignal {
            statuses: &[401],
            codes: &[],
            code_fields: &[],
            challenge: true,
        },
        api_answer: AnswerRule::STATUS,
        discovery: &[],
    }
}

const EXPIRES_IN: Lifetime = Lifetime::ExpiresIn("expires_in");
static BASIC: ProviderDef = standard(
    &[ClientAuth::Basic, ClientAuth::Params],
    &[ClientAuth::Basic],
    EXPIRES_IN,
);
static PARAMS: ProviderDef = standard(
    &[ClientAuth::Params, ClientAuth::Basic],
    &[ClientAuth::Basic],
    EXPIRES_IN,
);
static NONE: ProviderDef = standard(&[ClientAuth::None], &[ClientAuth::None], EXPIRES_IN);
static AT_EPOCH: ProviderDef = standard(
    &[ClientAuth::Basic],
    &[ClientAuth::Basic],
    Lifetime::ExpiresAt {
        field: "expires_at",
        format: InstantFormat::EpochSeconds,
    },
);
static AT_RFC3339: ProviderDef = standard(
    &[ClientAuth::Basic],
    &[ClientAuth::Basic],
    Lifetime::ExpiresAt {
        field: "expires_at",
        format: InstantFormat::Rfc3339,
    },
);

fn granted() -> Reply {
    Reply::json(
        200,
        json!({"access_token": SERVER_TOKEN, "token_type": "Bearer", "expires_in": 3600}),
    )
}

fn basic_value() -> String {
    let pair = format!("{CLIENT_ID}:{SECRET}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

#[tokio::test]
async fn basic_sends_the_credentials_in_the_header_and_never_also_in_the_body() {
    let mock = Scripted::start(vec![granted()]).await;
    mock.fetcher(&BASIC).fetch(None).await.unwrap();
    let [request] = mock.requests().try_into().unwrap();
    assert_eq!(
        request.header("authorization"),
        Some(basic_value().as_str())
    );
    assert_eq!(
        request.form(),
        pairs(&[("grant_type", "client_credentials")])
    );
    assert!(!request.body.contains(SECRET) && !request.body.contains(CLIENT_ID));
}

#[tokio::test]
async fn params_send_the_credentials_in_the_body_and_never_also_as_basic() {
    let mock = Scripted::start(vec![granted()]).await;
    mock.fetcher(&PARAMS).fetch(None).await.unwrap();
    let [request] = mock.requests().try_into().unwrap();
    assert_eq!(request.header("authorization"), None);
    assert_eq!(
        request.form(),
        pairs(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET),
        ])
    );
}

#[tokio::test]
async fn none_sends_no_credentials_at_all() {
    let mock = Scripted::start(vec![granted()]).await;
    mock.fetcher(&NONE).fetch(None).await.unwrap();
    let [request] = mock.requests().try_into().unwrap();
    assert_eq!(request.header("authorization"), None);
    assert_eq!(
        request.form(),
        pairs(&[("grant_type", "client_credentials")])
    );
}

#[tokio::test]
async fn the_refresh_grant_authenticates_as_its_own_definition_says() {
    let mock = Scripted::start(vec![granted()]).await;
    mock.fetcher(&PARAMS)
        .fetch(Some(&previous()))
        .await
        .unwrap();
    let [request] = mock.requests().try_into().unwrap();
    assert_eq!(
        request.header("authorization"),
        Some(basic_value().as_str())
    );
    assert_eq!(
        request.form(),
        pairs(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", HOTEL_REFRESH)
        ])
    );
}

#[tokio::test]
async fn a_rejection_echoing_the_basic_credentials_hides_them() {
    let value = basic_value();
    let encoded = value.trim_start_matches("Basic ");
    let echo = json!({"error": "invalid_client", "error_description": format!("bad credentials {encoded}")});
    let mock = Scripted::start(vec![
        Reply::json(401, echo).header("WWW-Authenticate", r#"Basic realm="as""#),
    ])
    .await;
    let error = mock.fetcher(&BASIC).fetch(None).await.unwrap_err();
    let Error::TokenRejected { code, status, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((code.as_deref(), *status), (Some("invalid_client"), 401));
    assert_clean(&error, &[encoded]);
}

#[tokio::test]
async fn a_lifetime_given_as_an_instant_counts_from_now() {
    let in_an_hour = SystemTime::now() + Duration::from_secs(3600);
    let epoch = in_an_hour.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let mock = Scripted::start(vec![Reply::json(
        200,
        json!({"access_token": SERVER_TOKEN, "expires_at": epoch}),
    )])
    .await;
    let token = mock.fetcher(&AT_EPOCH).fetch(None).await.unwrap();
    let left = token.lifetime.as_secs();
    assert!((3590..=3600).contains(&left), "{left}");

    let mock = Scripted::start(vec![Reply::json(
        200,
        json!({"access_token": SERVER_TOKEN, "expires_at": "2000-01-01T00:00:00Z"}),
    )])
    .await;
    let error = mock.fetcher(&AT_RFC3339).fetch(None).await.unwrap_err();
    let Error::Decode { reason, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(
        reason.contains("expires_at") && reason.contains("past"),
        "{reason}"
    );
}
