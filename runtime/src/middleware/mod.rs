//! `AuthorizedMiddleware`: what an authorized `Client` does, for a user's own `reqwest_middleware` stack.
//! The top of the crate, beside `call/`: uses `call/`, `client/` and everything below; nothing uses it.
//!
//! `inject.rs` puts sudo, tenant and the token on a request, `send.rs`
//! sends it down the stack and holds the replay rule, `answer.rs` says
//! whether an answer refuses its token.

mod answer;
mod inject;
mod send;

use std::fmt;

use http::Extensions;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};
use url::Url;

use crate::client::{AuthorizedClient, Client};
use crate::def::Provider;
use crate::error::{Error, Result};
use crate::wire::url::join;

/// A [`reqwest_middleware::Middleware`] that gives a
/// `reqwest_middleware::ClientWithMiddleware` what an authorized
/// [`Client`] gives its own requests, sharing that client's token cache.
///
/// ```
/// use authorized_runtime::{Client, Provider};
/// use reqwest_middleware::ClientWithMiddleware;
///
/// fn authorized_http<P: Provider>(api: &Client<P>) -> ClientWithMiddleware {
///     reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
///         .with(api.middleware())
///         .build()
/// }
/// ```
///
/// With a generated client (`authorized_api::server::Client` derefs to a
/// `Client`), `api.middleware()` is the same call; `authorized-api`'s crate
/// docs show a whole service.
///
/// Every request sent through the stack gets:
/// - **the token** where the provider's spec puts it: its header with the
///   scheme (`Authorization: Bearer …`, marked sensitive) or its query
///   parameter, never both. The client's placement applies unless the
///   `#[authorized]` scope or the request says otherwise
///   (`.with_extension(TokenIn::Query)`);
/// - **sudo and tenant**, from a [`Sudo`](crate::Sudo) or
///   [`Tenant`](crate::Tenant) inserted in the request's extensions
///   (`.with_extension(Sudo::email("a+b@example.com"))`), else from the
///   `#[authorized]` scope of the client the middleware was made from;
///   [`WithoutSudo`] drops the scope's sudo. They go on the query
///   percent-encoded exactly as the client's own calls send them, after
///   being checked against what the provider accepts; a value the provider
///   does not take fails the request before anything is sent;
/// - **the replay rule**: an answer that refuses the token (the spec's
///   `invalid_token` signal) drops the token if it is still the cached one,
///   and the request is sent once more with a new token. A request whose
///   body cannot be cloned (a stream) is not sent again: its answer comes
///   back as it is. Answers, refusals included, are returned as they came;
///   the middleware turns none into an error.
///
/// A request to another origin than the client's base URL fails: the token
/// goes to its provider only. [`Client::url`] makes a URL below the base URL.
/// Redirects are the stack's `reqwest::Client`'s to follow, by its own
/// policy: reqwest drops `Authorization` on a redirect to another origin,
/// but not a header of another name a spec may use, so give that client
/// `reqwest::redirect::Policy::none()` or a same-origin policy.
///
/// Clones share one state, and so do the client and every middleware made
/// from it: one token cache, and [`Client::stats`] counts the requests and
/// replays the middleware sends. Requests that another middleware below
/// this one resends (a retry middleware) are not seen, and not counted.
/// Only providers whose invalid-token signal includes vendor codes have
/// their answers' bodies read (up to the client's `max_answer_bytes`); the
/// answer is then handed on with its body in memory.
///
/// Secrets stay hidden: errors of its own are the runtime's [`Error`]
/// inside `reqwest_middleware::Error::Middleware`, which never holds a URL
/// or a secret. A reqwest error from further down loses its URL (its query
/// may hold the token), another middleware's error whose text shows a
/// secret is replaced by that text, redacted, and an answer's URL does not
/// show a token the middleware put in the query. Nothing it logs shows a
/// token or a query.
///
/// # With `#[authorized]`
///
/// The scope `#[authorized]` sets up is keyed by a client, and the
/// middleware reads the scope of the client it was made from. Pass that
/// client to the function (first, or named with `client = …`) next to the
/// `ClientWithMiddleware`; requests sent through the stack inside the
/// function carry the scope's sudo, tenant and placement. The middleware
/// itself is an [`AuthorizedClient`] too, so `client = middleware` works
/// where a function holds it instead.
pub struct AuthorizedMiddleware<P> {
    client: Client<P>,
}

/// A request extension: no sudo on this request, even inside an
/// `#[authorized(sudo = …)]` function (what
/// [`RequestBuilder::without_sudo`](crate::RequestBuilder::without_sudo)
/// does for the client's own calls).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WithoutSudo;

impl<P: Provider> AuthorizedMiddleware<P> {
    /// The middleware for `client` (or any value wrapping one, such as a
    /// generated client), sharing its token cache: as `client.middleware()`.
    pub fn new<C: AuthorizedClient<Provider = P> + ?Sized>(client: &C) -> Self {
        Self {
            client: client.runtime().clone(),
        }
    }

    /// The client whose token cache, settings and scope the middleware uses.
    pub fn client(&self) -> &Client<P> {
        &self.client
    }
}

impl<P: Provider> Client<P> {
    /// A [`reqwest_middleware::Middleware`] that authorizes a
    /// `ClientWithMiddleware`'s requests as this client does its own,
    /// sharing its token cache: see [`AuthorizedMiddleware`].
    pub fn middleware(&self) -> AuthorizedMiddleware<P> {
        AuthorizedMiddleware::new(self)
    }

    /// The URL of `path` below the base URL (with its own query, if any),
    /// joined as the client's own calls join it: for requests sent another
    /// way, such as through a `ClientWithMiddleware`. A path that leads to
    /// another origin is an error.
    pub fn url(&self, path: &str) -> Result<Url> {
        join(&self.inner().base_url, path)
    }
}

impl<P> Clone for AuthorizedMiddleware<P> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
        }
    }
}

impl<P> fmt::Debug for AuthorizedMiddleware<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizedMiddleware")
            .field("client", &self.client)
            .finish()
    }
}

#[async_trait::async_trait]
impl<P: Provider> Middleware for AuthorizedMiddleware<P> {
    async fn handle(
        &self,
        req: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        send::authorize(&self.client, req, extensions, next).await
    }
}

impl<P: Provider> AuthorizedClient for AuthorizedMiddleware<P> {
    type Provider = P;
    fn runtime(&self) -> &Client<P> {
        &self.client
    }
}

/// The runtime's error as a middleware error (its text holds no URL and no
/// secret), so `?` works in functions returning `reqwest_middleware::Result`.
impl From<Error> for reqwest_middleware::Error {
    fn from(error: Error) -> Self {
        Self::middleware(error)
    }
}
