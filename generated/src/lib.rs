//! Typed clients for token-protected vendor APIs, generated from the specs
//! in `spec/`, with the runtime and the `#[authorized]` attribute: the one
//! dependency a service needs.
//!
//! ```no_run
//! use authorized_api::{authorized, server, Sudo, Tenant};
//!
//! #[derive(serde::Deserialize)]
//! struct Project { id: u64, name: String }
//!
//! #[authorized(sudo = Sudo::uid(user_id), tenant = Tenant::code("acme"))]
//! async fn list_projects(api: &server::Client, user_id: u64) -> authorized_api::Result<Vec<Project>> {
//!     api.get("/api/projects").send().await
//! }
//!
//! # async fn run() -> authorized_api::Result<()> {
//! let api = server::Client::builder()
//!     .base_url("https://vendor.example.com")
//!     .client_id("my-client")
//!     .client_secret("my-secret")
//!     .build()?;
//! let projects = list_projects(&api, 1001).await?;
//! # Ok(()) }
//! ```
//!
//! Each provider is a module (`oauth2`, `hotel`, `server`) holding its `Client`, the
//! types of its spec and its definition (`DEF`). Adding a provider is adding
//! a YAML file to `spec/`.
//!
//! With the `redis` feature, `authorized_api::redis` (the `authorized-redis` crate) lets
//! the replicas of a service share one token: `.maybe_token_store(
//! authorized_api::redis::RedisStore::from_env()?)` on the builder shares
//! through the Redis at `AUTHORIZED_REDIS_URL`, when it is set.
#![cfg_attr(
    feature = "middleware",
    doc = r#"
# With reqwest-middleware (feature `middleware`)

`api.middleware()` is an [`AuthorizedMiddleware`] for a `ClientWithMiddleware`
of your own: its requests get the token, sudo and tenant, and a refused token
is renewed and the request replayed once, sharing `api`'s token cache.
[`reqwest_middleware`] is re-exported, so the versions match.

```no_run
use authorized_api::reqwest_middleware::{self, reqwest};
use authorized_api::{authorized, server, Sudo, Tenant, TokenIn};

#[derive(serde::Deserialize)]
struct Me { actor: String }

// The scope is keyed by the client: take it first, the stack next to it.
#[authorized(sudo = Sudo::email("a+b@example.com"), tenant = Tenant::code("华东-01"))]
async fn who_am_i(
    api: &server::Client,
    http: &reqwest_middleware::ClientWithMiddleware,
) -> reqwest_middleware::Result<Me> {
    Ok(http.get(api.url("/api/me")?).send().await?.json().await?)
}

# async fn run() -> Result<(), Box<dyn std::error::Error>> {
let api = server::Client::builder()
    .base_url("https://open.vendor.example")
    .client_id("my-client")
    .client_secret(std::env::var("VENDOR_SECRET")?)
    .build()?;
let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
    .with(api.middleware())
    .build();
// The token as the spec says (here `Authorization: Bearer …`).
let me: Me = http.get(api.url("/api/me")?).send().await?.json().await?;
// Per request, as extensions: the token in the query, sudo and tenant.
let answer = http
    .get(api.url("/api/projects")?)
    .with_extension(TokenIn::Query)
    .with_extension(Sudo::uid(1001))
    .with_extension(Tenant::id(1))
    .send()
    .await?;
// Inside `#[authorized]`: the scope's sudo and tenant.
let me = who_am_i(&api, &http).await?;
# let _ = (me.actor, answer);
# Ok(()) }
```
"#
)]

// Generated code names the runtime as `::authorized_api::runtime`, inside
// this crate too.
extern crate self as authorized_api;

pub use authorized_macros::authorized;
/// The runtime: token lifecycle and request injection.
pub use authorized_runtime as runtime;
pub use authorized_runtime::{
    Call, ClientBuilder, Error, RawResponse, RefreshMargins, RequestBuilder, Result, Seconds,
    Secret, Stage, Sudo, Tenant, TokenIn,
};

/// A Redis token store, so every replica of a service shares one token
/// (the `redis` feature; see `authorized-redis`).
#[cfg(feature = "redis")]
pub use authorized_redis as redis;
/// `AuthorizedMiddleware` and the request extension it adds (feature `middleware`).
#[cfg(feature = "middleware")]
pub use authorized_runtime::{AuthorizedMiddleware, WithoutSudo};
/// The `reqwest_middleware` crate [`AuthorizedMiddleware`] plugs into, so a
/// service names the version it was built for (feature `middleware`).
#[cfg(feature = "middleware")]
pub use reqwest_middleware;

include!(concat!(env!("OUT_DIR"), "/authorized_providers.rs"));

// The crate README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
