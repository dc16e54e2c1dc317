//! Sudo and tenant on requests through a user's own stack: from the
//! `#[authorized]` scope of the client the middleware was made from, or
//! from the request's extensions (which win), arriving exactly as given,
//! and checked against what the provider accepts before anything is sent.

use authorized_api::reqwest_middleware::{self, ClientWithMiddleware};
use authorized_api::runtime::Error;
use authorized_api::{AuthorizedMiddleware, Sudo, Tenant, WithoutSudo, authorized, server};
use serde_json::Value;

use crate::support::{Recorder, echoed, sandbox, server_client, stack};

fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn get(http: &ClientWithMiddleware, api: &server::Client, path: &str) -> Value {
    let answer = http.get(api.url(path).unwrap()).send().await.unwrap();
    assert_eq!(answer.status(), 200, "{path}");
    answer.json().await.unwrap()
}

/// What a service writes: the authorized client first (the scope is keyed
/// by it), the stack next to it.
#[authorized(sudo = Sudo::email("a+b@example.com"), tenant = Tenant::code("华东-01"))]
async fn echo_and_me(api: &server::Client, http: &ClientWithMiddleware) -> (Value, Value) {
    let echo = get(http, api, "/api/echo?page=2").await;
    let me = get(http, api, "/api/me").await;
    (echo, me)
}

#[tokio::test]
async fn sudo_and_tenant_from_the_authorized_scope_arrive_exactly_as_given() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let http = stack(&api, &Recorder::default());
    let (echo, me) = echo_and_me(&api, &http).await;
    assert_eq!(
        echoed(&echo),
        pairs(&[
            ("page", "2"),
            ("sudo", "email:a+b@example.com"),
            ("tenantCode", "华东-01")
        ])
    );
    assert_eq!(me["actor"], "user");
    assert_eq!(me["user"]["uid"], 1002);
    assert_eq!(me["tenant"]["tenantCode"], "华东-01");
    assert_eq!(sandbox.stats().server.sudo_calls, 2);

    // Outside the function, no scope: neither goes on.
    let echo = get(&http, &api, "/api/echo").await;
    assert_eq!(echoed(&echo), pairs(&[]));
}

/// The scope's values, with requests that set their own.
#[authorized(sudo = Sudo::email("a+b@example.com"), tenant = Tenant::code("华东-01"))]
async fn overridden(api: &server::Client, http: &ClientWithMiddleware) -> [Value; 2] {
    let own = http
        .get(api.url("/api/echo").unwrap())
        .with_extension(Sudo::login_name("李雷"))
        .with_extension(Tenant::code("r&d lab"))
        .send();
    let without = http
        .get(api.url("/api/echo").unwrap())
        .with_extension(WithoutSudo)
        .send();
    let (own, without) = futures::join!(own, without);
    [
        own.unwrap().json().await.unwrap(),
        without.unwrap().json().await.unwrap(),
    ]
}

#[tokio::test]
async fn extensions_win_over_the_scope_and_without_sudo_drops_its_sudo() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let http = stack(&api, &Recorder::default());
    let [own, without] = overridden(&api, &http).await;
    assert_eq!(
        echoed(&own),
        pairs(&[("sudo", "loginName:李雷"), ("tenantCode", "r&d lab")])
    );
    assert_eq!(echoed(&without), pairs(&[("tenantCode", "华东-01")]));

    // Outside any scope, extensions alone.
    let echo: Value = http
        .get(api.url("/api/echo").unwrap())
        .with_extension(Sudo::mobile("+8613800000002"))
        .with_extension(Tenant::id(2))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        echoed(&echo),
        pairs(&[("sudo", "mobile:+8613800000002"), ("tenantId", "2")])
    );
}

/// A function holding the middleware rather than the client names it.
#[authorized(client = auth, sudo = Sudo::uid(1001))]
async fn me_as(
    http: &ClientWithMiddleware,
    auth: &AuthorizedMiddleware<server::Provider>,
) -> Value {
    let url = auth.client().url("/api/me").unwrap();
    http.get(url).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_middleware_itself_can_be_the_scoped_client() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let auth = api.middleware();
    let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(auth.clone())
        .build();
    let me = me_as(&http, &auth).await;
    assert_eq!(me["user"]["uid"], 1001);
}

#[tokio::test]
async fn a_value_the_provider_does_not_take_fails_before_anything_is_sent() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let recorder = Recorder::default();
    let http = stack(&api, &recorder);
    let err = http
        .get(api.url("/api/me").unwrap())
        .with_extension(Sudo::email(""))
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
    assert!(err.to_string().contains("empty"), "{err}");
    assert!(recorder.sent().is_empty());
    assert_eq!(sandbox.stats().server.token_client_credentials, 0);
}
