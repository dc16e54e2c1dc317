//! The client users hold: one per provider and set of credentials, cheap to
//! clone, sharing one token cache.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use url::Url;

use crate::backoff::RetryPolicy;
use crate::cache::{RefreshMargins, TokenCache};
use crate::config::ClientBuilder;
use crate::error::Result;
use crate::fetch::TokenFetcher;
use crate::provider::{HasCheck, HasRevoke, HttpMethod, Provider, ProviderDef, TokenIn};
use crate::request::RequestBuilder;
use crate::secret::Secret;
use crate::token::Token;

/// A client for provider `P`: every request made through it carries a valid
/// token, fetched, cached and renewed as needed.
///
/// Users hold the generated wrapper (`authorized_api::server::Client`),
/// which derefs to this. Clones share state.
pub struct Client<P> {
    inner: Arc<Inner>,
    _provider: PhantomData<fn() -> P>,
}

pub(crate) struct Inner {
    pub(crate) def: &'static ProviderDef,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) cache: Arc<TokenCache<TokenFetcher>>,
    pub(crate) token_in: TokenIn,
    pub(crate) max_answer_bytes: usize,
    pub(crate) counters: Counters,
}

/// Request counters of a client.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) requests: AtomicU64,
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

/// Everything `ClientBuilder::build` checked.
pub(crate) struct Parts {
    pub def: &'static ProviderDef,
    pub http: reqwest::Client,
    pub base_url: Url,
    pub client_id: String,
    pub client_secret: Secret,
    pub params: Vec<(&'static str, String)>,
    pub margins: RefreshMargins,
    pub retry: RetryPolicy,
    pub token_in: TokenIn,
    pub share_cache: bool,
    pub max_answer_bytes: usize,
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
        f.debug_struct("Client")
            .field("provider", &self.inner.def.name)
            .field("base_url", &self.inner.base_url.as_str())
            .field("client_id", &self.inner.cache.fetcher().client_id)
            .field("client_secret", &self.inner.cache.fetcher().client_secret)
            .field("token_in", &self.inner.token_in)
            .finish()
    }
}

impl<P: Provider> Client<P> {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder<P> {
        ClientBuilder::new()
    }

    pub(crate) fn assemble(parts: Parts) -> Self {
        let fetcher = TokenFetcher {
            def: parts.def,
            http: parts.http.clone(),
            base_url: parts.base_url.clone(),
            client_id: parts.client_id,
            client_secret: parts.client_secret,
            params: parts.params,
            retry: parts.retry,
        };
        let cache = if parts.share_cache {
            crate::registry::shared(fetcher, parts.margins)
        } else {
            TokenCache::new(fetcher, parts.margins)
        };
        Self {
            inner: Arc::new(Inner {
                def: parts.def,
                http: parts.http,
                base_url: parts.base_url,
                cache,
                token_in: parts.token_in,
                max_answer_bytes: parts.max_answer_bytes,
                counters: Counters::default(),
            }),
            _provider: PhantomData,
        }
    }

    /// A request to `path` (below the base URL; may carry its own query).
    pub fn request(&self, method: HttpMethod, path: impl Into<String>) -> RequestBuilder<P> {
        RequestBuilder::new(self.clone(), method, path.into())
    }

    /// A `GET` request to `path`.
    pub fn get(&self, path: impl Into<String>) -> RequestBuilder<P> {
        self.request(HttpMethod::Get, path)
    }

    /// A `POST` request to `path`.
    pub fn post(&self, path: impl Into<String>) -> RequestBuilder<P> {
        self.request(HttpMethod::Post, path)
    }

    /// A `PUT` request to `path`.
    pub fn put(&self, path: impl Into<String>) -> RequestBuilder<P> {
        self.request(HttpMethod::Put, path)
    }

    /// A `PATCH` request to `path`.
    pub fn patch(&self, path: impl Into<String>) -> RequestBuilder<P> {
        self.request(HttpMethod::Patch, path)
    }

    /// A `DELETE` request to `path`.
    pub fn delete(&self, path: impl Into<String>) -> RequestBuilder<P> {
        self.request(HttpMethod::Delete, path)
    }

    /// The current access token, fetched or renewed if needed. Prefer making
    /// requests through the client, which also handles a refused token.
    pub async fn token(&self) -> Result<Secret> {
        // A fresh token's secret is copied out in place.
        if let Some(secret) = self.inner.cache.fresh(|t| t.access_token.clone()) {
            return Ok(secret);
        }
        Ok(self.inner.cache.get().await?.access_token.clone())
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
            requests: self.inner.counters.requests.load(Ordering::Relaxed),
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
}

impl<P: HasCheck> Client<P> {
    /// Asks the provider about the current token (fetching one if needed)
    /// and returns its typed answer.
    pub async fn check_token(&self) -> Result<P::CheckResponse> {
        crate::token_calls::check(self).await
    }
}

impl<P: HasRevoke> Client<P> {
    /// Revokes the current token, if one is cached, and in every case drops
    /// it from the cache so the next request fetches a new one. A non-success
    /// code becomes [`Error::Api`](crate::Error::Api) with the code and message.
    pub async fn revoke_token(&self) -> Result<()> {
        crate::token_calls::revoke(self).await
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
