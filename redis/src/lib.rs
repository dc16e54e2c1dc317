//! A Redis token store for `authorized`: the replicas of a service share one
//! token, one renewal and one refresh chain, instead of each fetching and
//! renewing its own (and, with providers where a new token revokes the last,
//! logging each other out).
//!
//! ```no_run
//! use authorized_api::server;
//! use authorized_redis::RedisStore;
//!
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let store = RedisStore::builder("redis://:password@redis.internal:6379/0")
//!     .prefix("billing:")
//!     .build()?;
//! let api = server::Client::builder().from_env().token_store(store).build()?;
//! // Or from AUTHORIZED_REDIS_URL, if set:
//! let api = server::Client::builder()
//!     .from_env()
//!     .maybe_token_store(RedisStore::from_env()?)
//!     .build()?;
//! # let _ = api; Ok(()) }
//! ```
//!
//! What Redis holds, per account (a hash of provider, base URL, client id
//! and token parameters): the token sealed with a key derived from the
//! client secret (`<prefix>{<hash>}:token`), the renewal lock
//! (`…:lock`) and its fencing counter (`…:fence`); news travels on
//! `…:news`. Nothing there shows a token, a refresh token or the secret.
//! The runtime consults Redis only when its process would otherwise fetch
//! or renew; if Redis is down or slow, each process renews on its own,
//! logs one warning, and the fleet shares again once Redis answers.
//!
//! The modules: `config` (the URL, kept redacted, and the environment),
//! `store` (the [`TokenStore`](authorized_runtime::TokenStore) on Redis),
//! `scripts` (the Lua that makes each step atomic), `value` (a token key's
//! value), `news` (pub/sub). They use `authorized-runtime`'s store types and
//! the `redis` crate, nothing else of ours.

mod config;
mod news;
mod scripts;
mod store;
mod value;

pub use config::{DEFAULT_PREFIX, DEFAULT_TIMEOUT, PREFIX_VAR, URL_VAR};
pub use store::{Keys, RedisStore, RedisStoreBuilder};
