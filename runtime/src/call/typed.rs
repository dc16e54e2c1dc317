//! A typed API call, as generated endpoint methods return it: a request
//! that knows its answer's type and can be awaited directly.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::de::DeserializeOwned;

use crate::call::identity::{Sudo, Tenant};
use crate::call::request::RequestBuilder;
use crate::call::response::RawResponse;
use crate::def::{Provider, TokenIn};
use crate::error::Result;

impl<P: Provider> RequestBuilder<P> {
    /// This request as a typed call, awaitable directly.
    pub fn call<T: DeserializeOwned>(self) -> Call<P, T> {
        Call {
            request: self,
            _output: PhantomData,
        }
    }
}

/// A typed API call, as generated endpoint methods return it: await it for
/// the typed answer, or adjust it first.
///
/// ```ignore
/// let account = api.get_account(&GetAccountRequest { account_id: 7 }).sudo(Sudo::uid(42)).await?;
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<P: Provider, T> {
    request: RequestBuilder<P>,
    _output: PhantomData<fn() -> T>,
}

impl<P: Provider, T: DeserializeOwned> Call<P, T> {
    /// Acts as this user.
    pub fn sudo(mut self, sudo: Sudo) -> Self {
        self.request = self.request.sudo(sudo);
        self
    }

    /// Works on this tenant's data.
    pub fn tenant(mut self, tenant: Tenant) -> Self {
        self.request = self.request.tenant(tenant);
        self
    }

    /// Where the token goes on this call.
    pub fn token_in(mut self, token_in: TokenIn) -> Self {
        self.request = self.request.token_in(token_in);
        self
    }

    /// Sends the call and decodes the answer.
    pub async fn send(self) -> Result<T> {
        self.request.send().await
    }

    /// Sends the call and returns the raw answer.
    pub async fn send_raw(self) -> Result<RawResponse> {
        self.request.send_raw().await
    }

    /// The request underneath.
    pub fn into_request(self) -> RequestBuilder<P> {
        self.request
    }
}

impl<P: Provider, T: DeserializeOwned + Send + 'static> IntoFuture for Call<P, T> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
