//! Answers of API calls: raw, or decoded through the provider's envelope.

use std::future::Future;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::cache::HeldToken;
use crate::def::ProviderDef;
use crate::error::{Error, Result, Stage};
use crate::redact::{BodyExcerpt, scrub};
use crate::secret::Secret;
use crate::token::credentials::hidden;
use crate::token::granted::Token;
use crate::wire::answer::{Judged, judge};
use crate::wire::body::{self, Limit};

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
    /// The token the call used, held with the client's credentials.
    Call(HeldToken),
    /// Listed one by one.
    List(Vec<Secret>),
}

impl KnownSecrets {
    /// These secrets, and those of `more` tokens.
    fn exposed<'a>(&'a self, more: &[&'a Token]) -> Vec<&'a str> {
        match self {
            Self::Call(token) => {
                let mut tokens = Vec::with_capacity(1 + more.len());
                tokens.push(&**token);
                tokens.extend_from_slice(more);
                match token.credentials() {
                    Some(credentials) => credentials.hidden(&tokens, None),
                    None => hidden(None, &tokens, None),
                }
            }
            Self::List(secrets) => {
                let mut exposed = hidden(None, more, None);
                exposed.extend(secrets.iter().map(Secret::expose));
                exposed
            }
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
    /// Reads an answer's body (at most `limit` bytes). Not an `async fn`:
    /// the status and headers stay in the response while its body is read
    /// and are taken from it after, so the future holds each once (this is
    /// on every API call's path).
    pub(crate) fn read(
        def: &'static ProviderDef,
        response: reqwest::Response,
        limit: usize,
        secrets: KnownSecrets,
    ) -> impl Future<Output = Result<Self>> {
        body::read_body_then(response, limit, move |read, mut response| {
            let status = response.status();
            let body = read.map_err(|error| {
                let limit = Limit {
                    bytes: limit,
                    setting: Some("max_answer_bytes"),
                };
                error.into_error(limit, status.as_u16(), def.name, Stage::ApiCall, || {
                    secrets.exposed(&[])
                })
            })?;
            Ok(Self {
                def,
                status,
                // Taken, not cloned: the response is done with.
                headers: std::mem::take(response.headers_mut()),
                body,
                secrets,
            })
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

    /// The token the call that got this answer sent.
    pub(crate) fn used_token(&self) -> Option<&HeldToken> {
        match &self.secrets {
            KnownSecrets::Call(token) => Some(token),
            KnownSecrets::List(_) => None,
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

    /// Decodes the body as `T` the way [`RequestBuilder::send`] does: the
    /// answer judged by the provider's API answer rule (a failure becomes
    /// [`Error::Api`] with the vendor's code and message), the payload
    /// unwrapped.
    ///
    /// [`RequestBuilder::send`]: crate::RequestBuilder::send
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        let payload = match judge(&self.def.api_answer, self.status.as_u16(), &self.body) {
            Judged::Success(payload) => payload,
            Judged::Failure { code, message } => return Err(self.api_error(code, message)),
            Judged::SuccessWithoutJson(reason) | Judged::Unreadable(reason) => {
                return Err(self.decode_error(reason));
            }
        };
        T::deserialize(payload).map_err(|e| self.decode_error(e.to_string()))
    }

    /// The body's excerpt, hiding the call's secrets and those of `more`
    /// tokens.
    pub(crate) fn excerpt_hiding(&self, more: &[&Token]) -> BodyExcerpt {
        BodyExcerpt::new(&self.body, &self.secrets.exposed(more))
    }

    fn api_error(&self, code: Option<String>, message: Option<String>) -> Error {
        let secrets = self.secrets.exposed(&[]);
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
