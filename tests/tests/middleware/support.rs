//! What the middleware tests share: a sandbox and a server client for it, a
//! stack holding the client's middleware, a middleware of the tests' own
//! that records what each request carried as it left the stack, and (from
//! `mock_answers`) a numbered mock answer.

use std::sync::{Arc, Mutex, PoisonError};

use authorized_api::reqwest_middleware::{
    self, ClientBuilder, ClientWithMiddleware, Middleware, Next, reqwest,
};
use authorized_api::server;
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Request, Response, Url};
use serde_json::Value;

#[path = "../mock_answers/mod.rs"]
mod mock_answers;
pub use mock_answers::numbered;

/// A sandbox on loopback, with its defaults.
pub async fn sandbox() -> RunningSandbox {
    Sandbox::default().start().await.unwrap()
}

/// A server client for `sandbox` with the demo credentials and a cache of its own.
pub fn server_client(sandbox: &RunningSandbox) -> server::Client {
    server::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .share_cache(false)
        .build()
        .unwrap()
}

/// A user's own stack: a plain reqwest client and `api`'s middleware,
/// with `recorder` below it.
pub fn stack(api: &server::Client, recorder: &Recorder) -> ClientWithMiddleware {
    ClientBuilder::new(reqwest::Client::new())
        .with(api.middleware())
        .with(recorder.clone())
        .build()
}

/// The query pairs `/api/echo` received, decoded, in order.
pub fn echoed(answer: &Value) -> Vec<(String, String)> {
    serde_json::from_value(answer["query"].clone()).unwrap()
}

/// What a request carried as it left the stack.
#[derive(Debug, Clone)]
pub struct Sent {
    pub url: Url,
    pub headers: HeaderMap,
}

impl Sent {
    /// Its `Authorization` header.
    pub fn authorization(&self) -> Option<&HeaderValue> {
        self.headers.get(AUTHORIZATION)
    }

    /// Its `access_token` query parameter.
    pub fn query_token(&self) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(name, _)| name == "access_token")
            .map(|(_, value)| value.into_owned())
    }
}

/// Records every request that passes it, then sends it on.
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<Sent>>>);

impl Recorder {
    /// Every request so far, in order.
    pub fn sent(&self) -> Vec<Sent> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The last request.
    pub fn last(&self) -> Sent {
        self.sent().pop().expect("a request was sent")
    }
}

#[async_trait::async_trait]
impl Middleware for Recorder {
    async fn handle(
        &self,
        req: Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let sent = Sent {
            url: req.url().clone(),
            headers: req.headers().clone(),
        };
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(sent);
        next.run(req, extensions).await
    }
}
