//! The `#[authorized]` attribute of `authorized`: runs an `async fn` inside
//! an authorization scope, so every request it makes through its client
//! carries the token, a sudo identity and a tenant.
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
