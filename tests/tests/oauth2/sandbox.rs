//! The standard provider end to end against the sandbox's OAuth 2.0
//! server, which follows the RFCs independently of the runtime: it refuses
//! a request authenticating the client twice, answers revocation with an
//! empty 200, introspects, challenges on 401 and 403, and serves its
//! metadata.

use authorized_api::Stage;
use authorized_api::oauth2;
use authorized_api::runtime::{ClientAuth, ClientBuilder, Error};
use authorized_sandbox::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox, SandboxConfig,
};
use serde_json::{Value, json};

async fn sandbox() -> RunningSandbox {
    Sandbox::new(SandboxConfig::default())
        .start()
        .await
        .unwrap()
}

fn builder(base_url: &str) -> ClientBuilder<oauth2::Provider> {
    oauth2::Client::builder()
        .base_url(base_url)
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .share_cache(false)
}

#[tokio::test]
async fn basic_by_default_params_when_asked_and_never_both() {
    let sandbox = sandbox().await;
    let basic = builder(&sandbox.base_url()).build().unwrap();
    basic.token().await.unwrap();
    let params = builder(&sandbox.base_url())
        .client_auth(ClientAuth::Params)
        .build()
        .unwrap();
    params.token().await.unwrap();
    let stats = sandbox.sandbox().stats().oauth2;
    assert_eq!(
        (
            stats.token_auth_basic,
            stats.token_auth_post,
            stats.token_auth_both
        ),
        (1, 1, 0)
    );
    assert_eq!(stats.token_issued, 2);
}

#[tokio::test]
async fn a_method_the_spec_does_not_allow_is_refused_when_the_client_is_built() {
    let error = builder("https://as.example")
        .client_auth(ClientAuth::None)
        .build()
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("`none`") && text.contains("basic, params"),
        "{text}"
    );
}

#[tokio::test]
async fn introspection_says_active_then_inactive_once_revoked() {
    let sandbox = sandbox().await;
    let client = builder(&sandbox.base_url()).build().unwrap();
    let token = client.token().await.unwrap();
    let active = client.check_token().await.unwrap();
    assert!(active.active);
    assert_eq!(active.client_id.as_deref(), Some(DEMO_CLIENT_ID));
    client.revoke_token().await.unwrap();
    let revoked = client.check_given_token(&token).await.unwrap();
    assert!(
        !revoked.active,
        "RFC 7662: a revoked token is inactive, not an error"
    );
    let stats = sandbox.sandbox().stats().oauth2;
    assert_eq!(
        (stats.introspect, stats.revoke, stats.revoke_rejected),
        (2, 1, 0)
    );
    // The revoked token was dropped from the cache.
    assert_ne!(client.token().await.unwrap(), token);
}

#[tokio::test]
async fn revoking_a_given_token_leaves_the_cached_one_alone() {
    let sandbox = sandbox().await;
    let holder = builder(&sandbox.base_url()).build().unwrap();
    let leaked = holder.token().await.unwrap();
    let other = builder(&sandbox.base_url()).build().unwrap();
    let own = other.token().await.unwrap();
    other.revoke_given_token(&leaked).await.unwrap();
    assert!(!other.check_given_token(&leaked).await.unwrap().active);
    assert_eq!(
        other.token().await.unwrap(),
        own,
        "its own token stays cached"
    );
    assert!(other.check_token().await.unwrap().active);
}

#[tokio::test]
async fn a_token_revoked_behind_the_clients_back_costs_one_new_token_and_one_replay() {
    let sandbox = sandbox().await;
    let client = builder(&sandbox.base_url()).build().unwrap();
    let me: Value = client.get("/oauth2/api/me").send().await.unwrap();
    assert_eq!(me["client_id"], DEMO_CLIENT_ID);
    sandbox.sandbox().revoke_all_tokens();
    let me: Value = client.get("/oauth2/api/me").send().await.unwrap();
    assert_eq!(me["client_id"], DEMO_CLIENT_ID);
    assert_eq!(client.stats().replays, 1);
    assert_eq!(sandbox.sandbox().stats().oauth2.token_issued, 2);
}

#[tokio::test]
async fn a_challenge_for_insufficient_scope_is_not_taken_for_a_dead_token() {
    let sandbox = sandbox().await;
    let client = builder(&sandbox.base_url())
        .token_param("scope", "read")
        .build()
        .unwrap();
    let error = client
        .post("/oauth2/api/reports")
        .json(&json!({"title": "Q3"}))
        .send::<Value>()
        .await
        .unwrap_err();
    let Error::Api {
        status,
        code,
        stage,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((*status, *stage), (403, Stage::ApiCall));
    assert_eq!(code.as_deref(), Some("insufficient_scope"));
    assert_eq!(client.stats().replays, 0, "no replay for a scope refusal");
    assert_eq!(sandbox.sandbox().stats().oauth2.token_issued, 1);
    let reports: Value = client.get("/oauth2/api/reports").send().await.unwrap();
    assert!(reports.is_object() || reports.is_array(), "{reports}");
}

#[tokio::test]
async fn the_endpoints_come_from_the_issuers_metadata() {
    let sandbox = sandbox().await;
    let base = sandbox.base_url();
    // The spec's paths below this base URL lead nowhere: only the
    // metadata can say where the endpoints are.
    let client = builder(&format!("{base}/nowhere/"))
        .issuer(format!("{base}/oauth2"))
        .build()
        .unwrap();
    let token = client.token().await.unwrap();
    assert!(client.check_token().await.unwrap().active);
    client.revoke_token().await.unwrap();
    assert!(!client.check_given_token(&token).await.unwrap().active);
    let stats = sandbox.sandbox().stats().oauth2;
    assert_eq!(
        (stats.token_issued, stats.introspect, stats.revoke),
        (1, 2, 1)
    );
}

#[tokio::test]
async fn an_issuer_whose_metadata_names_another_issuer_is_refused() {
    let sandbox = sandbox().await;
    let base = sandbox.base_url();
    // The sandbox's metadata for `/oauth2` says its issuer is `…/oauth2`;
    // asking for it under another name is a mix-up (RFC 8414 §3.3).
    let client = builder(&base)
        .issuer(format!("{base}/oauth2/"))
        .build()
        .unwrap();
    let error = client.token().await.unwrap_err();
    assert!(error.to_string().contains("issuer"), "{error}");
    assert_eq!(sandbox.sandbox().stats().oauth2.token_issued, 0);
}

#[tokio::test]
async fn endpoint_urls_set_on_the_builder_win() {
    let sandbox = sandbox().await;
    let base = sandbox.base_url();
    let client = builder(&format!("{base}/nowhere/"))
        .token_url(format!("{base}/oauth2/token"))
        .check_url(format!("{base}/oauth2/introspect"))
        .revoke_url(format!("{base}/oauth2/revoke"))
        .build()
        .unwrap();
    client.token().await.unwrap();
    assert!(client.check_token().await.unwrap().active);
    client.revoke_token().await.unwrap();
    let moved = builder(&base).token_url("/oauth2/token").build().unwrap();
    moved.token().await.unwrap();
    assert_eq!(sandbox.sandbox().stats().oauth2.token_issued, 2);
}

#[tokio::test]
async fn a_cleartext_endpoint_elsewhere_is_refused_like_a_cleartext_base_url() {
    let error = builder("https://api.example")
        .token_url("http://as.example/token")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("cleartext"), "{error}");
    let error = builder("https://api.example")
        .issuer("http://as.example")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("cleartext"), "{error}");
}
