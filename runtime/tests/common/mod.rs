//! Helpers for the token tests: scripted mock servers that record what they
//! were sent, and fetchers pointed at them.

#![allow(dead_code)] // Each test file uses its own part of the helpers.

pub mod providers;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use authorized_runtime::{
    Client, ClientBuilder, HasRevoke, Provider, ProviderDef, RetryPolicy, Secret, SupportsSudo,
    SupportsTenant, Token, TokenFetcher,
};
use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use serde_json::json;
use tokio::time::Instant;

/// The client id every test uses.
pub const CLIENT_ID: &str = "cid-7";
/// The client secret every test uses; no error or log may contain it.
pub const SECRET: &str = "csec_9f8e7d6c5b4a";

/// Tokens the vendors' mocks hand out; no error or log may contain them.
pub const HOTEL_TOKEN: &str = "hat_1a2b3c4d5e6f";
pub const HOTEL_REFRESH: &str = "hrt_0a9b8c7d6e5f";
pub const ROTATED_REFRESH: &str = "hrt_rotated_77aa";
pub const SERVER_TOKEN: &str = "sat_5d6e7f8a9b0c";

pub fn hotel_ok(expires_in: serde_json::Value) -> Reply {
    Reply::json(
        200,
        json!({
            "success": true,
            "timestamp": 1_540_869_200_562_u64,
            "result": {
                "access_token": HOTEL_TOKEN,
                "refresh_token": ROTATED_REFRESH,
                "token_type": "bearer",
                "expires_in": expires_in,
            }
        }),
    )
}

pub fn server_ok(expires_in: serde_json::Value) -> Reply {
    Reply::json(
        200,
        json!({"access_token": SERVER_TOKEN, "token_type": "bearer", "expires_in": expires_in, "scope": "sudo"}),
    )
}

/// The token a second fetch from the server dialect's mocks gets.
pub const SECOND_TOKEN: &str = "sat_second_0b1c2d";

/// The server dialect's token answer carrying `SECOND_TOKEN`.
pub fn second_token() -> Reply {
    Reply::json(
        200,
        json!({"access_token": SECOND_TOKEN, "token_type": "bearer", "expires_in": "3600"}),
    )
}

/// An API call's answer: `{"ok": true}`.
pub fn ok() -> Reply {
    Reply::json(200, json!({"ok": true}))
}

/// An API call's answer refusing its token (401, `invalid_token`).
pub fn refused() -> Reply {
    Reply::json(401, json!({"error": "invalid_token"}))
}

/// A token that a first call proves and the next call's answer refuses:
/// the first token, the accepted call, the refusal, the second token, and
/// the replay's answer.
pub fn proven_then_refused() -> Vec<Reply> {
    vec![
        server_ok(json!("3600")),
        ok(),
        refused(),
        second_token(),
        ok(),
    ]
}

/// A token as a previous fetch left it, holding `HOTEL_REFRESH`.
pub fn previous() -> Token {
    Token {
        access_token: Secret::new("hat_old_000000"),
        refresh_token: Some(Secret::new(HOTEL_REFRESH)),
        lifetime: Duration::from_secs(3600),
        obtained_at: Instant::now(),
    }
}

/// One answer of a scripted server.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self::text(status, &body.to_string()).header("Content-Type", "application/json")
    }

    /// An answer with any body.
    pub fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    fn to_response(&self) -> HttpMockResponse {
        let mut response = HttpMockResponse::builder().status(self.status);
        for (name, value) in &self.headers {
            response = response.header(*name, value.as_str());
        }
        response.body(self.body.clone()).build()
    }
}

/// What a scripted server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Header names lower-cased, with their values, sorted.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    /// The body's form fields, sorted.
    pub fn form(&self) -> Vec<(String, String)> {
        sorted(
            url::form_urlencoded::parse(self.body.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The query parameters, sorted.
    pub fn sorted_query(&self) -> Vec<(String, String)> {
        sorted(self.query.clone())
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The header names, sorted.
    pub fn header_names(&self) -> Vec<&str> {
        self.headers.iter().map(|(n, _)| n.as_str()).collect()
    }
}

/// Pairs as owned strings, sorted.
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    sorted(
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

fn sorted(mut items: Vec<(String, String)>) -> Vec<(String, String)> {
    items.sort();
    items
}

/// A mock server answering every request with the next scripted reply (the
/// last one again once the script is used up) and recording every request.
pub struct Scripted {
    pub server: MockServer,
    recorded: Arc<Mutex<Vec<Recorded>>>,
}

impl Scripted {
    pub async fn start(replies: Vec<Reply>) -> Self {
        Self::start_for(|_| replies).await
    }

    /// As [`start`](Self::start), with replies that may name the server's
    /// own base URL (`http://127.0.0.1:port`).
    pub async fn start_for(replies: impl FnOnce(&str) -> Vec<Reply>) -> Self {
        let server = MockServer::start_async().await;
        let replies = replies(&server.base_url());
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let queue = Mutex::new(VecDeque::from(replies));
        let log = Arc::clone(&recorded);
        server
            .mock_async(move |when, then| {
                when.any_request();
                then.respond_with(move |request: &HttpMockRequest| {
                    log.lock().unwrap().push(record(request));
                    let mut queue = queue.lock().unwrap();
                    let reply = if queue.len() > 1 {
                        queue.pop_front()
                    } else {
                        queue.front().cloned()
                    };
                    reply.expect("a scripted reply").to_response()
                });
            })
            .await;
        Self { server, recorded }
    }

    /// Everything received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    /// The requests that were API calls, not the server dialect's token
    /// requests.
    pub fn api_calls(&self) -> Vec<Recorded> {
        let requests = self.requests().into_iter();
        requests
            .filter(|r| r.path != providers::SERVER_PATH)
            .collect()
    }

    /// How many of the server dialect's token requests came.
    pub fn token_requests(&self) -> usize {
        let requests = self.requests().into_iter();
        requests
            .filter(|r| r.path == providers::SERVER_PATH)
            .count()
    }

    /// A server client for this server, with a cache of its own.
    pub fn server_api(&self) -> Client<Server> {
        server_client(self.server.base_url())
            .build_runtime()
            .expect("a client")
    }

    /// A fetcher for `def` pointed at this server.
    pub fn fetcher(&self, def: &'static ProviderDef) -> TokenFetcher {
        fetcher(def, &self.server.base_url())
    }
}

fn record(request: &HttpMockRequest) -> Recorded {
    let mut headers: Vec<(String, String)> = request
        .headers_vec()
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    headers.sort();
    Recorded {
        method: request.method_str().to_owned(),
        path: request.uri().path().to_owned(),
        query: request.query_params(),
        headers,
        body: request.body_string(),
    }
}

/// A fetcher for `def` at `base_url`, without timeouts (the tests run on a
/// paused clock) and with quick retries.
pub fn fetcher(def: &'static ProviderDef, base_url: &str) -> TokenFetcher {
    TokenFetcher::new(
        def,
        reqwest::Client::new(),
        base_url.parse().expect("a base URL"),
        CLIENT_ID.to_owned(),
        Secret::new(SECRET),
        Vec::new(),
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            jitter: true,
        },
    )
    .expect("a valid definition")
}

/// Fails if the error's `Display` or `Debug` holds any of `secrets`.
pub fn assert_clean(error: &authorized_runtime::Error, secrets: &[&str]) {
    let text = format!("{error} || {error:?}");
    for secret in secrets.iter().chain([&SECRET]) {
        assert!(!text.contains(secret), "`{secret}` leaked in: {text}");
    }
}

/// The server dialect (`providers::SERVER`), as generated code declares it.
pub struct Server;

impl Provider for Server {
    const DEF: &'static ProviderDef = &providers::SERVER;
    type Client = Client<Server>;
}

impl SupportsSudo for Server {}
impl SupportsTenant for Server {}
impl HasRevoke for Server {}

/// The server dialect with an issuer's metadata (`providers::DISCOVERED`).
pub struct Discovered;

impl Provider for Discovered {
    const DEF: &'static ProviderDef = &providers::DISCOVERED;
    type Client = Client<Discovered>;
}

/// A server client for `base_url` with the test credentials, its own cache
/// unless the test shares it.
pub fn server_client(base_url: impl Into<String>) -> ClientBuilder<Server> {
    Client::<Server>::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .client_secret(SECRET)
        .allow_insecure_http(true)
        .share_cache(false)
}
