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
//! Each provider is a module (`hotel`, `server`) holding its `Client`, the
//! types of its spec and its definition (`DEF`). Adding a provider is adding
//! a YAML file to `spec/`.

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

include!(concat!(env!("OUT_DIR"), "/authorized_providers.rs"));
