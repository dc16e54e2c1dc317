//! Where the token goes on a request through a user's own stack: the
//! Bearer header by default (marked sensitive), the query when a request's
//! extensions or the `#[authorized]` scope say so, never both; and the
//! token goes nowhere but the provider's origin.

use authorized_api::reqwest_middleware::{self, ClientWithMiddleware};
use authorized_api::runtime::Error;
use authorized_api::{TokenIn, authorized, server};
use serde_json::Value;

use crate::support::{Recorder, sandbox, server_client, stack};

#[tokio::test]
async fn the_token_goes_in_the_bearer_header_by_default() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let recorder = Recorder::default();
    let http = stack(&api, &recorder);
    let answer = http.get(api.url("/api/me").unwrap()).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let me: Value = answer.json().await.unwrap();
    assert_eq!(me["tokenIn"], "header", "the sandbox saw it in the header");
    assert_eq!(me["actor"], "app");

    let sent = recorder.last();
    let header = sent.authorization().expect("an Authorization header");
    assert!(header.is_sensitive());
    let token = api.token().await.unwrap();
    assert_eq!(
        header.to_str().unwrap(),
        format!("Bearer {}", token.expose())
    );
    assert_eq!(sent.query_token(), None, "not in the query as well");
    let stats = sandbox.stats();
    assert_eq!(stats.server.token_client_credentials, 1);
    assert_eq!(stats.server.api_calls, 1);
    assert_eq!(api.stats().requests, 1);
}

#[tokio::test]
async fn token_in_query_as_an_extension_puts_it_in_the_query_only() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let recorder = Recorder::default();
    let http = stack(&api, &recorder);
    let answer = http
        .get(api.url("/api/me").unwrap())
        .with_extension(TokenIn::Query)
        .send()
        .await
        .unwrap();
    // The sandbox refuses a token sent both ways with 400.
    assert_eq!(answer.status(), 200);
    assert!(
        !answer.url().as_str().contains("access_token"),
        "the answer's URL does not show the token: {}",
        answer.url()
    );
    assert!(!format!("{answer:?}").contains("sat_"));
    let me: Value = answer.json().await.unwrap();
    assert_eq!(me["tokenIn"], "query");

    let sent = recorder.last();
    let token = api.token().await.unwrap();
    assert_eq!(sent.query_token().as_deref(), Some(token.expose()));
    assert_eq!(sent.authorization(), None, "not in the header as well");

    // The next request without the extension is back to the header.
    let me: Value = http
        .get(api.url("/api/me").unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["tokenIn"], "header");
}

/// A function whose scope puts the token in the query.
#[authorized(token = query)]
async fn me_in_the_query(api: &server::Client, http: &ClientWithMiddleware) -> Value {
    let first: Value = http
        .get(api.url("/api/me").unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The request's extension wins over the scope.
    let second: Value = http
        .get(api.url("/api/me").unwrap())
        .with_extension(TokenIn::Header)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    serde_json::json!([first["tokenIn"], second["tokenIn"]])
}

#[tokio::test]
async fn the_authorized_scope_sets_the_placement_and_an_extension_wins() {
    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let http = stack(&api, &Recorder::default());
    let seen = me_in_the_query(&api, &http).await;
    assert_eq!(seen, serde_json::json!(["query", "header"]));
}

#[tokio::test]
async fn a_request_to_another_origin_fails_and_carries_no_token() {
    let sandbox = sandbox().await;
    let elsewhere = authorized_sandbox::Sandbox::default()
        .start()
        .await
        .unwrap();
    let api = server_client(&sandbox);
    let recorder = Recorder::default();
    let http = stack(&api, &recorder);
    let err = http
        .get(format!("{}/api/me", elsewhere.base_url()))
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = &err else {
        panic!("the middleware's own error: {err:?}");
    };
    let error = error.downcast_ref::<Error>().expect("the runtime's error");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(err.to_string().contains("only to its provider"), "{err}");
    assert!(recorder.sent().is_empty(), "nothing was sent");
    assert_eq!(sandbox.stats().server.token_client_credentials, 0);
    assert_eq!(elsewhere.stats().server.api_calls, 0);
}
