//! No secret leaves through the middleware: a reqwest error from further
//! down loses its URL, another middleware's error that shows the token is
//! redacted (one that shows none is handed on untouched), a failed token
//! request is the runtime's error without the client secret, and nothing
//! logged shows a token.

use std::time::Duration;

use authorized_api::reqwest_middleware::{
    self, ClientBuilder, ClientWithMiddleware, Middleware, Next, reqwest,
};
use authorized_api::runtime::Error;
use authorized_api::{TokenIn, server};
use authorized_tests::CapturedLogs;
use httpmock::prelude::*;
use reqwest::{Request, Response};
use serde_json::json;
use tracing_subscriber::EnvFilter;

use crate::support::{sandbox, server_client};

const TOKEN: &str = "sat_7e3d9c2b1a605f48";
const SECRET: &str = "cs_5a4b3c2d1e0f9a8b";

/// A server client for `mock`, whose token endpoint hands out [`TOKEN`].
async fn mock_client(mock: &MockServer) -> server::Client {
    mock.mock_async(|when, then| {
        when.path("/api/oauth2/server/tokens");
        then.status(200).json_body(
            json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": "7200"}),
        );
    })
    .await;
    server::Client::builder()
        .base_url(mock.base_url())
        .client_id("client-s")
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

fn assert_hidden(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
    assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
}

#[tokio::test]
async fn a_reqwest_error_from_below_loses_its_url_and_shows_no_token() {
    let mock = MockServer::start_async().await;
    let api = mock_client(&mock).await;
    mock.mock_async(|when, then| {
        when.path("/api/me");
        then.status(200).delay(Duration::from_secs(5));
    })
    .await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let http = ClientBuilder::new(impatient).with(api.middleware()).build();
    let err = http
        .get(api.url("/api/me").unwrap())
        .with_extension(TokenIn::Query)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.url().is_none(), "{err:?}");
    assert_hidden("the error", &format!("{err} {err:?}"));
}

/// A middleware below the authorized one that fails every request, its
/// error quoting the URL (as some do) or not.
struct Failing {
    quote_url: bool,
}

#[derive(Debug)]
struct Down;

impl std::fmt::Display for Down {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the network is down")
    }
}

impl std::error::Error for Down {}

#[async_trait::async_trait]
impl Middleware for Failing {
    async fn handle(
        &self,
        req: Request,
        _: &mut http::Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        if self.quote_url {
            let message = format!("could not reach {}", req.url());
            Err(reqwest_middleware::Error::Middleware(anyhow::anyhow!(
                message
            )))
        } else {
            Err(reqwest_middleware::Error::middleware(Down))
        }
    }
}

fn failing_stack(api: &server::Client, quote_url: bool) -> ClientWithMiddleware {
    ClientBuilder::new(reqwest::Client::new())
        .with(api.middleware())
        .with(Failing { quote_url })
        .build()
}

#[tokio::test]
async fn another_middlewares_error_is_redacted_only_if_it_shows_a_secret() {
    let mock = MockServer::start_async().await;
    let api = mock_client(&mock).await;
    let url = api.url("/api/me").unwrap();

    let err = failing_stack(&api, true)
        .get(url.clone())
        .with_extension(TokenIn::Query)
        .send()
        .await
        .unwrap_err();
    assert_hidden("the error", &format!("{err} {err:?}"));
    assert!(err.to_string().contains("could not reach"), "{err}");
    assert!(err.to_string().contains("/api/me"), "{err}");

    let err = failing_stack(&api, false)
        .get(url)
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = &err else {
        panic!("another middleware's error: {err:?}");
    };
    assert!(
        error.downcast_ref::<Down>().is_some(),
        "handed on: {error:?}"
    );
}

#[tokio::test]
async fn a_failed_token_request_is_the_runtimes_error_without_the_secret() {
    let sandbox = sandbox().await;
    let api = server::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(authorized_sandbox::DEMO_CLIENT_ID)
        .client_secret(SECRET)
        .share_cache(false)
        .build()
        .unwrap();
    let http = ClientBuilder::new(reqwest::Client::new())
        .with(api.middleware())
        .build();
    let err = http
        .get(api.url("/api/me").unwrap())
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = &err else {
        panic!("the middleware's own error: {err:?}");
    };
    assert!(
        matches!(
            error.downcast_ref::<Error>(),
            Some(Error::TokenRejected { .. })
        ),
        "{error:?}"
    );
    assert_hidden("the error", &format!("{err} {err:?}"));
    assert_eq!(sandbox.stats().server.api_calls, 0);
}

#[tokio::test]
async fn nothing_logged_shows_a_token() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(
            "authorized_runtime=trace,reqwest=trace,reqwest_middleware=trace",
        ))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = sandbox().await;
    let api = server_client(&sandbox);
    let http = ClientBuilder::new(reqwest::Client::new())
        .with(api.middleware())
        .build();
    let url = api.url("/api/me").unwrap();
    for token_in in [TokenIn::Header, TokenIn::Query] {
        let answer = http
            .get(url.clone())
            .with_extension(token_in)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        sandbox.revoke_all_tokens();
    }
    assert_eq!(api.stats().replays, 1);
    let text = logs.text();
    assert!(
        text.contains("replaying once"),
        "logs were captured: {text}"
    );
    for token in sandbox.issued_tokens() {
        assert!(!text.contains(&token), "the logs show a token: {text}");
    }
}
