//! The token on the request path, through the public API: a
//! `reqwest_middleware` stack whose last middleware answers every request
//! itself (no network, no server), so that what a request costs on top of
//! building it is the middleware that authorizes it:
//! - ours: `AuthorizedMiddleware` (`api.middleware()`), which reads the
//!   token from the client's cache the way the client's own calls do, puts
//!   it in the header and marks it accepted when the answer comes;
//! - what people write: a middleware reading a `RwLock<Option<Token>>`
//!   cache and setting `Authorization: Bearer …` itself, as it is and
//!   keeping a copy of the request for a replay as ours does;
//! - the stack alone, answering, to subtract.

use std::sync::Arc;

use authorized_api::reqwest_middleware::{
    self, ClientBuilder, ClientWithMiddleware, Middleware, Next,
};
use http::Extensions;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Request, Response, ResponseBuilderExt, Url};

use super::handmade::RwLockCache;
use super::server::ME;

/// The end of every stack: a `200` with the API's answer, for any request.
struct Answer;

#[async_trait::async_trait]
impl Middleware for Answer {
    async fn handle(
        &self,
        request: Request,
        _: &mut Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let answer = http::Response::builder()
            .header(CONTENT_TYPE, "application/json")
            .url(request.url().clone())
            .body(ME)
            .expect("an answer");
        Ok(Response::from(answer))
    }
}

/// What people write: the token from a `RwLock` cache into the header;
/// with `replay`, also a copy of the request kept for sending it again if
/// the token is refused, as ours does (the copy is dropped unused here).
struct RwLockHeader {
    cache: Arc<RwLockCache>,
    replay: bool,
}

#[async_trait::async_trait]
impl Middleware for RwLockHeader {
    async fn handle(
        &self,
        mut request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let spare = self.replay.then(|| request.try_clone());
        let token = self.cache.get().await;
        let mut value = HeaderValue::try_from(format!("Bearer {}", token.access_token))
            .expect("a header value");
        value.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, value);
        let answer = next.run(request, extensions).await;
        drop(std::hint::black_box(spare));
        answer
    }
}

/// A stack and the URL its requests go to.
pub struct Stack {
    http: ClientWithMiddleware,
    url: Url,
}

impl Stack {
    /// `AuthorizedMiddleware` of `api`, then the answer.
    pub fn ours(api: &authorized_api::server::Client, http: reqwest::Client) -> Self {
        Self {
            url: api.url("/api/me").expect("a URL below the base URL"),
            http: ClientBuilder::new(http)
                .with(api.middleware())
                .with(Answer)
                .build(),
        }
    }

    /// The hand-written middleware reading `cache`, then the answer; with
    /// `replay`, keeping a copy of each request as ours does.
    pub fn rwlock(cache: Arc<RwLockCache>, http: reqwest::Client, url: Url, replay: bool) -> Self {
        Self {
            http: ClientBuilder::new(http)
                .with(RwLockHeader { cache, replay })
                .with(Answer)
                .build(),
            url,
        }
    }

    /// The answer alone.
    pub fn bare(http: reqwest::Client, url: Url) -> Self {
        Self {
            http: ClientBuilder::new(http).with(Answer).build(),
            url,
        }
    }

    /// One request through the stack; the answer's status.
    pub async fn call(&self) -> usize {
        let answer = self
            .http
            .get(self.url.clone())
            .send()
            .await
            .expect("an answer");
        assert!(answer.status().is_success(), "{}", answer.status());
        answer.status().as_u16().into()
    }
}
