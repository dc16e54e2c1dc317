//! The machinery behind `authorized`: token lifecycle (fetch, cache, refresh,
//! check, revoke) and injection of the token, sudo identity and tenant into
//! API calls, on reqwest and tokio.
//!
//! Users rarely name this crate: `authorized-api` re-exports it next to the
//! generated clients. Generated code describes each provider with a
//! [`ProviderDef`]; everything here is driven by that data.
//!
//! ```
//! use authorized_runtime::{Secret, Sudo, Tenant};
//!
//! let secret = Secret::new("s3cr3t");
//! assert_eq!(secret.to_string(), "** redacted **");
//! let who = Sudo::email("a+b@example.com");
//! let whose = Tenant::code("华东-01");
//! # let _ = (who, whose);
//! ```

mod answer;
mod backoff;
mod body;
mod cache;
mod client;
mod config;
mod error;
mod fetch;
mod inject;
mod provider;
mod redact;
mod registry;
mod request;
mod response;
mod scope;
mod seconds;
mod secret;
mod send;
mod token;
mod token_calls;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use backoff::RetryPolicy;
pub use cache::RefreshMargins;
pub use client::{AuthorizedClient, Client, ClientStats};
pub use config::ClientBuilder;
pub use error::{Error, Result, Stage};
#[doc(hidden)]
pub use fetch::TokenFetcher;
pub use inject::{Sudo, SudoKind, Tenant};
pub use provider::*;
pub use redact::BodyExcerpt;
pub use request::{Call, RequestBuilder};
pub use response::RawResponse;
pub use seconds::Seconds;
pub use secret::Secret;
/// Any JSON value: the spec type `any`.
pub use serde_json::Value as JsonValue;
pub use token::Token;
