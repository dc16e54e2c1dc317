//! The client's check and revoke calls: the token is the one in the cache,
//! the wire work is `token::calls`'.

use std::sync::Arc;
use std::time::Duration;

use crate::client::Client;
use crate::def::{HasCheck, HasRevoke, Provider, TokenCall};
use crate::error::{Result, Stage};
use crate::secret::Secret;
use crate::token::calls::Exchange;
use crate::token::endpoints::AuthCall;
use crate::token::granted::Token;

/// `call`, which a provider marked `HasCheck` or `HasRevoke` has; a
/// provider so marked whose definition lacks it fails to compile.
const fn declared(call: &'static Option<TokenCall>, what: &'static str) -> &'static TokenCall {
    match call {
        Some(call) => call,
        None => panic!("{}", what),
    }
}

impl<P: HasCheck> Client<P> {
    /// Asks the provider about the current token (fetching one if needed)
    /// and returns its typed answer.
    pub async fn check_token(&self) -> Result<P::CheckResponse> {
        let token = self.current_token().await?;
        let secrets = self.inner().credentials().hidden(&[&token], None);
        self.check(token.access_token.expose(), &secrets).await
    }

    /// Asks the provider about `token`, any token (one that leaked, one
    /// another service holds), and returns its typed answer. The cache is
    /// not touched. `token` is hidden in every error, like the client's own.
    pub async fn check_given_token(&self, token: &Secret) -> Result<P::CheckResponse> {
        let mut secrets = self.inner().credentials().hidden(&[], None);
        secrets.push(token.expose());
        self.check(token.expose(), &secrets).await
    }

    async fn check(&self, token: &str, secrets: &[&str]) -> Result<P::CheckResponse> {
        let call = const {
            declared(
                &P::DEF.check,
                "a provider marked `HasCheck` has no `check` in its definition",
            )
        };
        let exchange = self.exchange();
        let payload = exchange
            .send(
                (call, AuthCall::Check),
                &self.inner().check_headers,
                token,
                Stage::TokenCheck,
                secrets,
            )
            .await?;
        exchange.decode(Stage::TokenCheck, payload, secrets)
    }
}

impl<P: HasRevoke> Client<P> {
    /// Revokes the current token, if one is cached, and in every case drops
    /// it from the cache so the next request fetches a new one. An answer
    /// the revoke's answer rule judges a failure becomes
    /// [`Error::Api`](crate::Error::Api) with the vendor's code and message.
    pub async fn revoke_token(&self) -> Result<()> {
        let inner = self.inner();
        let Some(token) = inner.cache.current() else {
            tracing::debug!(provider = P::DEF.name, "no token cached; nothing to revoke");
            return Ok(());
        };
        let secrets = inner.credentials().hidden(&[&token], None);
        let answer = self.revoke(token.access_token.expose(), &secrets).await;
        inner.cache.invalidate_if_current(&token);
        inner.cache.drop_shared(&token).await;
        answer
    }

    /// Revokes `token`, any token (one that leaked, say). The cache is
    /// touched only if it holds that very token, which it then drops, so
    /// the next request fetches a new one. `token` is hidden in every
    /// error, like the client's own.
    pub async fn revoke_given_token(&self, token: &Secret) -> Result<()> {
        let inner = self.inner();
        let mut secrets = inner.credentials().hidden(&[], None);
        secrets.push(token.expose());
        let answer = self.revoke(token.expose(), &secrets).await;
        if let Some(cached) = inner.cache.current()
            && cached.access_token == *token
        {
            inner.cache.invalidate_if_current(&cached);
        }
        // A fleet's shared entry is dropped only if it holds this very token.
        let given = Arc::new(Token {
            access_token: token.clone(),
            refresh_token: None,
            lifetime: Duration::ZERO,
            obtained_at: tokio::time::Instant::now(),
        });
        inner.cache.drop_shared(&given).await;
        answer
    }

    async fn revoke(&self, token: &str, secrets: &[&str]) -> Result<()> {
        let call = const {
            declared(
                &P::DEF.revoke,
                "a provider marked `HasRevoke` has no `revoke` in its definition",
            )
        };
        self.exchange()
            .send(
                (call, AuthCall::Revoke),
                &self.inner().revoke_headers,
                token,
                Stage::TokenRevoke,
                secrets,
            )
            .await?;
        tracing::info!(provider = P::DEF.name, "token revoked");
        Ok(())
    }
}

impl<P: Provider> Client<P> {
    fn exchange(&self) -> Exchange<'_> {
        let inner = self.inner();
        let fetcher = inner.cache.fetcher();
        Exchange {
            def: inner.def,
            http: &inner.http,
            endpoints: fetcher.endpoints(),
            credentials: fetcher.credentials(),
        }
    }
}
