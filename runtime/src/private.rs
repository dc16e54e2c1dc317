//! Not public API: what generated code and `#[authorized]` expand to. Names
//! here may change in any release; the macro and codegen change with them.

use std::future::Future;
use std::marker::PhantomData;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub use serde;
pub use serde_json;

use crate::call::identity::{Sudo, Tenant};
use crate::call::response::RawResponse;
use crate::call::scope::{self, Entry};
use crate::client::AuthorizedClient;
use crate::def::{Provider, ProviderDef, SupportsSudo, SupportsTenant, TokenIn};

/// Everything but unreserved characters is encoded in a path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path parameter as an encoded segment (`a b/c` → `a%20b%2Fc`).
pub fn path_segment<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let text = match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    };
    utf8_percent_encode(&text, SEGMENT).to_string()
}

/// Starts a scope for `client`: what `#[authorized]` expands to.
pub fn scope<C: AuthorizedClient + ?Sized>(client: &C) -> ScopeBuilder<C::Provider> {
    ScopeBuilder {
        entry: Entry {
            client: client.runtime().identity(),
            ..Entry::default()
        },
        _provider: PhantomData,
    }
}

/// A scope being set up; `sudo` and `tenant` only exist for providers whose
/// spec supports them, so misuse fails to compile.
#[must_use]
pub struct ScopeBuilder<P> {
    entry: Entry,
    _provider: PhantomData<fn() -> P>,
}

impl<P: Provider> ScopeBuilder<P> {
    /// Requests carry this sudo identity.
    pub fn sudo(mut self, sudo: Sudo) -> Self
    where
        P: SupportsSudo,
    {
        self.entry.sudo = Some(sudo);
        self
    }

    /// Requests carry this tenant.
    pub fn tenant(mut self, tenant: Tenant) -> Self
    where
        P: SupportsTenant,
    {
        self.entry.tenant = Some(tenant);
        self
    }

    /// Requests carry the token here.
    pub fn token_in(mut self, token_in: TokenIn) -> Self {
        self.entry.token_in = Some(token_in);
        self
    }

    /// Runs `fut` inside the scope.
    #[inline]
    pub fn run<F: Future>(self, fut: F) -> impl Future<Output = F::Output> {
        scope::run(self.entry, fut)
    }
}

/// Reads `body` as `def`'s token endpoint answering `status`, exactly as a
/// token request does once the answer is in: for fuzz targets and property
/// tests. A failure that would be retried comes back as its error. `secrets`
/// are hidden in every error, as the client secret and refresh token are.
pub fn decode_token_answer(
    def: &'static ProviderDef,
    status: u16,
    body: &[u8],
    secrets: &[&str],
) -> crate::Result<crate::Token> {
    crate::token::read_answer(def, status, body, secrets)
}

/// Reads `body` as an API call to `def` answering `status`, the way
/// `RequestBuilder::send::<JsonValue>()` does (envelope, vendor errors):
/// for fuzz targets and property tests. Also formats the answer's `Debug`,
/// which quotes a redacted excerpt, and returns it next to the result.
/// `secrets` are hidden as the tokens and client secret of a call are.
pub fn decode_api_answer(
    def: &'static ProviderDef,
    status: u16,
    body: &[u8],
    secrets: &[&str],
) -> (crate::Result<serde_json::Value>, String) {
    let Ok(status) = reqwest::StatusCode::from_u16(status) else {
        let error = crate::Error::Config(format!("{status} is not an HTTP status"));
        return (Err(error), String::new());
    };
    let secrets = secrets.iter().map(|s| crate::Secret::new(*s)).collect();
    let answer = RawResponse::from_parts(def, status, body.to_vec().into(), secrets);
    (answer.decode(), format!("{answer:?}"))
}

/// How many token caches the process-wide registry of shared caches holds
/// (live ones, and dead ones not yet swept): for tests that check it does
/// not grow.
pub fn shared_token_caches() -> usize {
    crate::cache::registry::len()
}
