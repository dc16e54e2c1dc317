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
//!
//! The modules, from the bottom up (each uses only those before it; the
//! module tree and one call followed through it are drawn in the crate's
//! `README.md`):
//!
//! - `def`: what generated code tells the runtime about a provider;
//! - `wire`: URLs, headers, size-limited bodies, envelopes;
//! - `token`: a token, its credentials, fetching it, checking and revoking;
//! - `cache`: the single-flight token cache and when it renews, and the
//!   fleet layer over a shared [`TokenStore`] (public as [`store`]);
//! - `client`: the client users hold and its builder;
//! - `call`: requests, sudo and tenant, sending and the replay rule, answers;
//! - `middleware` (feature `middleware`): `AuthorizedMiddleware`, the
//!   same for a user's own `reqwest_middleware` stack, beside `call`;
//! - and the leaves everything uses: `error`, `secret`, `redact`,
//!   `backoff`, `seconds`.

mod backoff;
mod cache;
mod call;
mod client;
mod def;
mod error;
#[cfg(feature = "middleware")]
mod middleware;
mod redact;
mod seconds;
mod secret;
mod token;
mod wire;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use backoff::RetryPolicy;
pub use cache::RefreshMargins;
pub use cache::store;
pub use cache::store::{FleetSettings, MemoryStore, TokenStore};
pub use call::identity::{Sudo, Tenant};
pub use call::request::RequestBuilder;
pub use call::response::RawResponse;
pub use call::typed::Call;
pub use client::builder::ClientBuilder;
pub use client::{AuthorizedClient, Client, ClientStats};
pub use def::{
    Absent, AnswerRule, ClientAuth, DEFAULT_CODE_FIELDS, DEFAULT_MESSAGE_FIELDS, Discovery,
    HasCheck, HasRevoke, HeaderPlacement, HttpMethod, InstantFormat, InvalidTokenSignal, Lifetime,
    OptionalParam, ParamKind, ParamsIn, Placement, Provider, ProviderDef, RefreshGrant, Scalar,
    Success, SudoDef, SudoForm, SudoKind, SupportsSudo, SupportsTenant, TenantDef, TokenCall,
    TokenEndpoint, TokenFields, TokenIn,
};
pub use error::{Error, Result, Stage};
#[cfg(feature = "middleware")]
pub use middleware::{AuthorizedMiddleware, WithoutSudo};
pub use redact::BodyExcerpt;
pub use seconds::Seconds;
pub use secret::Secret;
/// Any JSON value: the spec type `any`.
pub use serde_json::Value as JsonValue;
#[doc(hidden)]
pub use token::fetch::TokenFetcher;
pub use token::granted::Token;
