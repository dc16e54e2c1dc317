//! The `#[authorized]` attribute of `authorized`: runs an `async fn` inside
//! an authorization scope, so every request it makes through its client
//! carries the token, a sudo identity and a tenant.
//!
//! ```no_run
//! use authorized_api::runtime::JsonValue;
//! use authorized_api::{authorized, server, Sudo};
//!
//! #[authorized(sudo = Sudo::uid(user_id), tenant_code = "acme")]
//! async fn me(api: &server::Client, user_id: u64) -> authorized_api::Result<JsonValue> {
//!     // Carries the token, `sudo=uid:<user_id>` and `tenantCode=acme`.
//!     api.get("/api/me").send().await
//! }
//! ```
//!
//! Users reach it as `authorized_api::authorized`; see [`macro@authorized`].

mod args;
mod expand;

use proc_macro::TokenStream;

#[doc = include_str!("authorized.md")]
#[proc_macro_attribute]
pub fn authorized(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(attr.into(), item.into()).into()
}

// The crate README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
