//! Answers of API calls: raw, or decoded through the provider's envelope.

use std::sync::Arc;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::answer::{Opened, open_envelope, vendor_error};
use crate::body::{BodyError, read_body};
use crate::cache::TokenCache;
use crate::error::{Error, Result, Stage};
use crate::fetch::TokenFetcher;
use crate::provider::{EnvelopeUse, ProviderDef};
use crate::redact::{BodyExcerpt, scrub};
use crate::secret::Secret;
use crate::token::Token;

/// An answer as it came: status, headers and body.
///
/// `Debug` shows a redacted excerpt of the body, never the secrets used.
pub struct RawResponse {
    def: &'static ProviderDef,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    secrets: KnownSecrets,
}

/// The secrets an answer must never show: for an API call, shared with the
/// client rather than copied, since they are only read on an error.
pub(crate) enum KnownSecrets {
    /// The client's secret and the token the call used (with its refresh token).
    Call {
        cache: Arc<TokenCache<TokenFetcher>>,
        token: Arc<Token>,
    },
    /// Listed one by one.
    List(Vec<Secret>),
}

impl KnownSecrets {
    fn exposed(&self) -> Vec<&str> {
        match self {
            Self::Call { cache, token } => {
                let mut secrets = vec![
                    cache.fetcher().client_secret.expose(),
                    token.access_token.expose(),
                ];
                secrets.extend(token.refresh_token.as_ref().map(Secret::expose));
                secrets
            }
            Self::List(secrets) => secrets.iter().map(Secret::expose).collect(),
        }
    }
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("provider", &self.def.name)
            .field("status", &self.status)
            .field("body", &self.excerpt_hiding(&[]))
            .finish_non_exhaustive()
    }
}

impl RawResponse {
    pub(crate) async fn read(
        def: &'static ProviderDef,
        mut response: reqwest::Response,
        limit: usize,
        secrets: KnownSecrets,
    ) -> Result<Self> {
        let status = response.status();
        // Taken, not cloned: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = match read_body(response, limit).await {
            Ok(body) => body,
            Err(BodyError::Transport(e)) => {
                return Err(Error::from_reqwest(def.name, Stage::ApiCall, e));
            }
            Err(BodyError::TooLong(start)) => {
                return Err(Error::Decode {
                    provider: def.name,
                    stage: Stage::ApiCall,
                    reason: format!(
                        "the answer is longer than {limit} bytes (HTTP {status}); raise the client's `max_answer_bytes` if that is expected"
                    ),
                    body: BodyExcerpt::new(&start, &secrets.exposed()),
                });
            }
        };
        Ok(Self {
            def,
            status,
            headers,
            body,
            secrets,
        })
    }

    /// An answer already read (for `__private`'s decoder entry point).
    pub(crate) fn from_parts(
        def: &'static ProviderDef,
        status: StatusCode,
        body: Bytes,
        secrets: Vec<Secret>,
    ) -> Self {
        Self {
            def,
            status,
            headers: HeaderMap::new(),
            body,
            secrets: KnownSecrets::List(secrets),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, as it came.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Decodes the body as `T` the way [`RequestBuilder::send`] does:
    /// failures and envelopes handled.
    ///
    /// [`RequestBuilder::send`]: crate::RequestBuilder::send
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        let def = self.def;
        let value: serde_json::Value = if self.body.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Null
        } else {
            match serde_json::from_slice(&self.body) {
                Ok(value) => value,
                Err(e) if self.status.is_success() => {
                    return Err(self.decode_error(format!("the body is not JSON: {e}")));
                }
                Err(_) => serde_json::Value::Null,
            }
        };
        if !self.status.is_success() {
            let (code, message) = vendor_error(&value, def.envelope.as_ref());
            return Err(self.api_error(code, message));
        }
        let payload = match (def.api_envelope, def.envelope.as_ref()) {
            (EnvelopeUse::None, _) | (_, None) => value,
            (use_, Some(envelope)) => match open_envelope(value, envelope) {
                Opened::Success(payload) => payload,
                Opened::Failure { code, message } => return Err(self.api_error(code, message)),
                Opened::NotEnveloped(value) if use_ == EnvelopeUse::Detect => value,
                Opened::NotEnveloped(_) => {
                    return Err(self.decode_error(format!(
                        "expected the `{}` envelope with a boolean `{}`",
                        def.name, envelope.success
                    )));
                }
            },
        };
        T::deserialize(payload).map_err(|e| self.decode_error(e.to_string()))
    }

    pub(crate) fn excerpt_hiding(&self, more: &[&str]) -> BodyExcerpt {
        let mut secrets = self.secrets.exposed();
        secrets.extend_from_slice(more);
        BodyExcerpt::new(&self.body, &secrets)
    }

    fn api_error(&self, code: Option<String>, message: Option<String>) -> Error {
        let secrets = self.secrets.exposed();
        Error::Api {
            provider: self.def.name,
            stage: Stage::ApiCall,
            status: self.status.as_u16(),
            code: scrub(code, &secrets),
            message: scrub(message, &secrets),
            body: self.excerpt_hiding(&[]),
        }
    }

    fn decode_error(&self, reason: String) -> Error {
        Error::Decode {
            provider: self.def.name,
            stage: Stage::ApiCall,
            reason,
            body: self.excerpt_hiding(&[]),
        }
    }
}
