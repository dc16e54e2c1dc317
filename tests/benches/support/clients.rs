//! The clients the HTTP benches compare: ours (`authorized_api::server`,
//! sudo and tenant set by `#[authorized]`, the token in the header) and what
//! a user would write with reqwest alone.

use std::time::Duration;

use authorized_api::{RawResponse, Sudo, Tenant, authorized, server};
use reqwest::header::AUTHORIZATION;

use super::server::{CLIENT_ID, CLIENT_SECRET};

/// The client side's runtime: multi-threaded, one worker per core.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("bench runtime")
}

/// A reqwest client configured as `authorized` configures its own by
/// default (connect timeout 5 s, request timeout 30 s, a user agent), so
/// the comparison is of the same transport.
pub fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .user_agent("authorized/0.1.0")
        .build()
        .expect("reqwest client")
}

/// Our client, with a token cache of its own (`share_cache(false)`), on
/// `http` if given, else on the HTTP client it builds itself.
pub fn ours(base_url: &str, http: Option<reqwest::Client>) -> server::Client {
    let mut builder = server::Client::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .share_cache(false);
    if let Some(http) = http {
        builder = builder.http_client(http);
    }
    builder.build().expect("our client")
}

/// The authorized GET: as user 42 of tenant `acme`, the token in the header.
#[authorized(sudo = Sudo::uid(42), tenant = Tenant::code("acme"))]
pub async fn get_me(api: &server::Client) -> authorized_api::Result<RawResponse> {
    api.get("/api/me").send_raw().await
}

/// Our call, checked and reduced to the body length.
pub async fn ours_call(api: &server::Client) -> usize {
    let answer = get_me(api).await.expect("our call");
    assert!(answer.status().is_success(), "{answer:?}");
    answer.body().len()
}

/// The same request with reqwest alone: a fixed `Authorization` header and
/// the same query (`sudo=uid:42&tenantCode=acme`). `url` is the full URL of
/// `/api/me`.
pub async fn raw_call(http: &reqwest::Client, url: &str, authorization: &str) -> usize {
    let answer = http
        .get(url)
        .header(AUTHORIZATION, authorization)
        .query(&[("sudo", "uid:42"), ("tenantCode", "acme")])
        .send()
        .await
        .expect("raw call");
    assert!(answer.status().is_success(), "{}", answer.status());
    answer.bytes().await.expect("raw body").len()
}

#[derive(serde::Deserialize)]
struct Granted {
    access_token: String,
}

/// What a naive client does on every call: fetch a token, then call.
pub async fn naive_call(http: &reqwest::Client, base_url: &str) -> usize {
    let granted: Granted = http
        .get(format!("{base_url}api/oauth2/server/tokens"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .send()
        .await
        .expect("naive token request")
        .json()
        .await
        .expect("naive token");
    let authorization = format!("Bearer {}", granted.access_token);
    raw_call(http, &format!("{base_url}api/me"), &authorization).await
}
