//! The client users hold: one per provider and set of credentials, cheap to
//! clone, sharing one token cache; how it is configured (`builder`, checked
//! by `settings`) and its check and revoke calls (`token_calls`). Uses
//! `cache/`, `token/`, `wire/`, `def/` and the leaf modules; `counter`
//! counts requests from many threads. Requests are made one level up, in
//! `call/`.

pub(crate) mod builder;
mod counter;
mod settings;
mod token_calls;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::header::HeaderMap;
use url::Url;

use crate::cache::TokenCache;
use crate::client::counter::Counter;
use crate::def::{Provider, ProviderDef, TokenIn};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::token::credentials::Credentials;
use crate::token::fetch::TokenFetcher;
use crate::token::granted::Token;
use crate::wire::placement::{Placed, Placements};

/// A client for provider `P`: every request made through it carries a valid
/// token, fetched, cached and renewed as needed.
///
/// Users hold the generated wrapper (`authorized_api::server::Client`),
/// which derefs to this. Clones share state.
pub struct Client<P> {
    inner: Arc<Inner>,
    _provider: PhantomData<fn() -> P>,
}

/// What every clone of a client shares.
pub(crate) struct Inner {
    pub(crate) def: &'static ProviderDef,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) cache: Arc<TokenCache<TokenFetcher>>,
    pub(crate) token_in: TokenIn,
    /// Where the provider takes the token, its header parsed once.
    pub(crate) placements: Placements,
    /// The check and revoke calls' headers, parsed once.
    pub(crate) check_headers: HeaderMap,
    pub(crate) revoke_headers: HeaderMap,
    pub(crate) max_answer_bytes: usize,
    pub(crate) counters: Counters,
}

/// Request counters of a client. Requests are counted on every call, from
/// every thread, so their count is striped; replays are rare.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) requests: Counter,
    pub(crate) replays: AtomicU64,
}

/// What a client has done so far (all its clones together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientStats {
    /// API requests sent, replays included.
    pub requests: u64,
    /// Requests replayed once after the provider refused their token.
    pub replays: u64,
}

impl<P> Clone for Client<P> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            _provider: PhantomData,
        }
    }
}

impl<P> fmt::Debug for Client<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = self.inner.credentials();
        f.debug_struct("Client")
            .field("provider", &self.inner.def.name)
            .field("base_url", &self.inner.base_url.as_str())
            .field("client_id", &credentials.client_id)
            .field("client_secret", &credentials.client_secret)
            .field("token_in", &self.inner.token_in)
            .finish()
    }
}

impl Inner {
    /// The client's credentials.
    pub(crate) fn credentials(&self) -> &Arc<Credentials> {
        self.cache.fetcher().credentials()
    }

    /// Where a call's token goes when it asks for `token_in`; an error if
    /// the provider does not take it there.
    pub(crate) fn placement(&self, token_in: TokenIn) -> Result<Placed<'_>> {
        self.placements.get(token_in).ok_or_else(|| {
            Error::InvalidRequest(format!(
                "`{}` does not accept the token in the {token_in:?} placement",
                self.def.name
            ))
        })
    }
}

impl<P: Provider> Client<P> {
    /// The current access token, fetched or renewed if needed. Prefer making
    /// requests through the client, which also handles a refused token.
    pub async fn token(&self) -> Result<Secret> {
        // A fresh token's secret is copied out in place.
        if let Some(secret) = self.inner.cache.fresh(|t| t.access_token.clone()) {
            return Ok(secret);
        }
        Ok(self.inner.cache.get().await?.access_token.clone())
    }

    /// The current token with its refresh token and lifetime (a copy),
    /// fetched or renewed if needed: for tools that show a token (how long
    /// it lives, when it expires). Requests never need it.
    pub async fn token_details(&self) -> Result<Token> {
        Ok(Token::clone(&*self.inner.cache.get().await?))
    }

    /// Drops the cached token: the next request fetches a new one.
    pub fn invalidate_token(&self) {
        self.inner.cache.invalidate();
    }

    /// The provider's name.
    pub fn provider_name(&self) -> &'static str {
        self.inner.def.name
    }

    /// The base URL requests go below.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Where the token goes unless a call says otherwise.
    pub fn default_token_in(&self) -> TokenIn {
        self.inner.token_in
    }

    /// Requests and replays so far.
    pub fn stats(&self) -> ClientStats {
        ClientStats {
            requests: self.inner.counters.requests.get(),
            replays: self.inner.counters.replays.load(Ordering::Relaxed),
        }
    }

    /// The identity `#[authorized]` scopes are keyed by: shared by clones.
    pub(crate) fn identity(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    pub(crate) async fn current_token(&self) -> Result<Arc<Token>> {
        self.inner.cache.get().await
    }

    /// The token for a request about to be sent, held for as long as it is
    /// in flight: see [`HeldToken`].
    #[cfg(feature = "middleware")]
    pub(crate) async fn held_token(&self) -> Result<crate::cache::HeldToken> {
        match self.inner.cache.held_now() {
            Some(held) => Ok(held),
            None => self.inner.cache.held_later().await,
        }
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
            _provider: PhantomData,
        }
    }
}

/// A value that is, or wraps, an authorized client: what `#[authorized]`
/// accepts as `client = …`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an authorized client",
    label = "expected a generated client such as `authorized_api::server::Client`",
    note = "`#[authorized]` uses the function's first parameter as the client unless `client = …` names one"
)]
pub trait AuthorizedClient {
    /// The client's provider.
    type Provider: Provider;
    /// The runtime client inside.
    fn runtime(&self) -> &Client<Self::Provider>;
}

impl<P: Provider> AuthorizedClient for Client<P> {
    type Provider = P;
    fn runtime(&self) -> &Client<P> {
        self
    }
}

impl<T: AuthorizedClient + ?Sized> AuthorizedClient for &T {
    type Provider = T::Provider;
    fn runtime(&self) -> &Client<T::Provider> {
        (**self).runtime()
    }
}

impl<T: AuthorizedClient + ?Sized> AuthorizedClient for Arc<T> {
    type Provider = T::Provider;
    fn runtime(&self) -> &Client<T::Provider> {
        (**self).runtime()
    }
}
