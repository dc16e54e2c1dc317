//! `FetchToken`: the cache's only way to the provider, so the cache and the
//! fleet layer can be driven by a scripted fetcher in tests.

use std::future::Future;
use std::sync::Arc;

use crate::error::Result;
use crate::token::credentials::Credentials;
use crate::token::fetch::TokenFetcher;
use crate::token::granted::Token;

/// Gets a new token; the cache's only way to the provider.
pub(crate) trait FetchToken: Send + Sync + 'static {
    /// Fetches a token; `previous` is the token being renewed, if any (its
    /// refresh token may be used).
    fn fetch(&self, previous: Option<Arc<Token>>) -> impl Future<Output = Result<Token>> + Send;

    /// The provider's name, for errors the cache makes itself.
    fn provider(&self) -> &'static str {
        "provider"
    }

    /// The credentials tokens are fetched with, which requests hold beside
    /// their token (see `HeldToken`).
    fn credentials(&self) -> Option<&Arc<Credentials>> {
        None
    }
}

impl FetchToken for TokenFetcher {
    async fn fetch(&self, previous: Option<Arc<Token>>) -> Result<Token> {
        TokenFetcher::fetch(self, previous.as_deref()).await
    }

    fn provider(&self) -> &'static str {
        self.def().name
    }

    fn credentials(&self) -> Option<&Arc<Credentials>> {
        Some(TokenFetcher::credentials(self))
    }
}
