//! The token cache: when a token is renewed (`policy`, a pure function of
//! the token and the instant), a cached token and the timer that marks it
//! due (`entry`), the current one as every thread reads it (`current`), one
//! renewal for every caller (`single_flight`, through `fetch`), what a refused token does to it
//! (`refusal`), one cache per account in the process (`registry`, by
//! `account`), and one token for a whole fleet of processes: the seam to a
//! shared store (`store`) and the protocol over it (`fleet`). Uses `token/`
//! and the leaf modules; knows nothing of requests.

pub(crate) mod account;
mod current;
mod entry;
mod fetch;
pub(crate) mod fleet;
mod policy;
mod refusal;
pub(crate) mod registry;
mod single_flight;
pub mod store;

pub(crate) use current::HeldToken;
pub use policy::RefreshMargins;
pub(crate) use single_flight::TokenCache;

#[cfg(test)]
mod tests;
