//! The machinery behind `authorized`: token lifecycle (fetch, cache, refresh,
//! check, revoke) and injection of the token, sudo identity and tenant into
//! API calls, on reqwest and tokio.
//!
//! Users rarely name this crate: `authorized-api` re-exports what they need
//! next to the generated clients. Generated code describes each provider with
//! a [`ProviderDef`]; everything here is driven by that data.

mod answer;
mod backoff;
mod cache;
mod client;
mod error;
mod fetch;
mod inject;
mod provider;
mod redact;
mod secret;
mod token;

pub use backoff::RetryPolicy;
pub use cache::RefreshMargins;
pub use client::Client;
pub use error::{Error, Result, Stage};
#[doc(hidden)]
pub use fetch::TokenFetcher;
pub use inject::{Sudo, SudoKind, Tenant};
pub use provider::*;
pub use redact::BodyExcerpt;
pub use secret::Secret;
pub use token::Token;
