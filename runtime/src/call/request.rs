//! Building an API request: path, query, headers, body, and what to inject
//! (sudo, tenant, token placement); the client's `request`, `get`, `post`…
//! start one.

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

use crate::call::identity::{Sudo, Tenant};
use crate::call::scope::{self, Scoped};
use crate::client::Client;
use crate::def::{HttpMethod, Provider, TokenIn};
use crate::error::Error;

impl<P: Provider> Client<P> {
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
}

/// A request body: bytes can be sent again after a refused token; a stream
/// cannot, so such a request is not replayed.
pub(crate) enum Body {
    Bytes {
        data: Bytes,
        /// The content type the body's encoding implies (`application/json`).
        content_type: Option<&'static str>,
    },
    Stream(Option<reqwest::Body>),
}

/// An API request being built; send it with [`send`](Self::send) (typed) or
/// [`send_raw`](Self::send_raw).
///
/// Inside an `#[authorized]` function, requests made through that
/// function's client start with its sudo, tenant and token placement;
/// the methods here override them per call.
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder<P: Provider> {
    pub(crate) client: Client<P>,
    pub(crate) method: HttpMethod,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    /// The call's own headers, in order (a list rather than a `HeaderMap`:
    /// most calls set none, and a call's future holds its request).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<Body>,
    /// The `#[authorized]` scope the request was made in, shared rather
    /// than copied: its sudo and tenant apply unless the call sets its own.
    pub(crate) scope: Option<Scoped>,
    /// The call's own sudo; `Some(None)` is none at all (`without_sudo`).
    pub(crate) sudo: Option<Option<Sudo>>,
    /// The call's own tenant.
    pub(crate) tenant: Option<Tenant>,
    pub(crate) token_in: Option<TokenIn>,
    /// The first problem met while building; reported when sent.
    /// Boxed: rare, and the request is held in every call's future.
    pub(crate) error: Option<Box<Error>>,
}

impl<P: Provider> RequestBuilder<P> {
    pub(crate) fn new(client: Client<P>, method: HttpMethod, path: String) -> Self {
        let scope = scope::lookup(client.identity());
        let token_in = scope.as_ref().and_then(|s| s.entry().token_in);
        Self {
            client,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            scope,
            sudo: None,
            tenant: None,
            token_in,
            error: None,
        }
    }

    /// The sudo to send: the call's own, else the scope's.
    pub(crate) fn effective_sudo(&self) -> Option<&Sudo> {
        match &self.sudo {
            Some(own) => own.as_ref(),
            None => self.scope.as_ref()?.entry().sudo.as_ref(),
        }
    }

    /// The tenant to send: the call's own, else the scope's.
    pub(crate) fn effective_tenant(&self) -> Option<&Tenant> {
        match &self.tenant {
            Some(own) => Some(own),
            None => self.scope.as_ref()?.entry().tenant.as_ref(),
        }
    }

    fn fail(mut self, error: Error) -> Self {
        self.error.get_or_insert_with(|| Box::new(error));
        self
    }

    /// Adds a query parameter; `None` adds nothing, a list adds one pair per item.
    pub fn query_value<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => match query_texts(&value) {
                Some(texts) => {
                    self.query
                        .extend(texts.into_iter().map(|t| (name.to_owned(), t)));
                    self
                }
                None => self.fail(Error::InvalidRequest(format!(
                    "the query parameter `{name}` must be a scalar or a list of scalars"
                ))),
            },
            Err(e) => self.fail(Error::InvalidRequest(format!(
                "query parameter `{name}`: {e}"
            ))),
        }
    }

    /// Adds every field of a struct (or map) as query parameters.
    pub fn query<T: Serialize + ?Sized>(mut self, params: &T) -> Self {
        match serde_json::to_value(params) {
            Ok(serde_json::Value::Object(map)) => {
                for (name, value) in map {
                    self = self.query_value(&name, &value);
                }
                self
            }
            Ok(_) => self.fail(Error::InvalidRequest(
                "query parameters must be a struct or a map".into(),
            )),
            Err(e) => self.fail(Error::InvalidRequest(format!("query parameters: {e}"))),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.push((name, value));
                self
            }
            _ => self.fail(Error::InvalidRequest(format!(
                "`{name}` is not a valid header"
            ))),
        }
    }

    /// Sends `body` as JSON.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(data) => {
                self.body = Some(Body::Bytes {
                    data: data.into(),
                    content_type: Some("application/json"),
                });
                self
            }
            Err(e) => self.fail(Error::InvalidRequest(format!("the JSON body: {e}"))),
        }
    }

    /// Sends `body` as an `application/x-www-form-urlencoded` form.
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_urlencoded::to_string(body) {
            Ok(data) => {
                self.body = Some(Body::Bytes {
                    data: data.into(),
                    content_type: Some("application/x-www-form-urlencoded"),
                });
                self
            }
            Err(e) => self.fail(Error::InvalidRequest(format!("the form body: {e}"))),
        }
    }

    /// Sends these bytes as the body (set the content type with [`header`](Self::header)).
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some(Body::Bytes {
            data: body.into(),
            content_type: None,
        });
        self
    }

    /// Sends a body that can be read only once (a stream). If the provider
    /// refuses the token, such a request is not replayed: the error is
    /// returned instead.
    pub fn body_once(mut self, body: impl Into<reqwest::Body>) -> Self {
        self.body = Some(Body::Stream(Some(body.into())));
        self
    }

    /// Acts as this user (`sudo=…`); checked against the spec when sent.
    pub fn sudo(mut self, sudo: Sudo) -> Self {
        self.sudo = Some(Some(sudo));
        self
    }

    /// Works on this tenant's data (`tenantId` / `tenantCode`).
    pub fn tenant(mut self, tenant: Tenant) -> Self {
        self.tenant = Some(tenant);
        self
    }

    /// No sudo on this call, even inside an `#[authorized(sudo = …)]` function.
    pub fn without_sudo(mut self) -> Self {
        self.sudo = Some(None);
        self
    }

    /// Where the token goes on this call.
    pub fn token_in(mut self, token_in: TokenIn) -> Self {
        self.token_in = Some(token_in);
        self
    }
}

/// Query texts for a JSON value: scalars give one, lists one per item, null none.
fn query_texts(value: &serde_json::Value) -> Option<Vec<String>> {
    use serde_json::Value;
    match value {
        Value::Null => Some(Vec::new()),
        Value::String(s) => Some(vec![s.clone()]),
        Value::Number(n) => Some(vec![n.to_string()]),
        Value::Bool(b) => Some(vec![b.to_string()]),
        Value::Array(items) => items
            .iter()
            .try_fold(Vec::new(), |mut all, item| match item {
                Value::Array(_) | Value::Object(_) => None,
                _ => {
                    all.extend(query_texts(item)?);
                    Some(all)
                }
            }),
        Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn query_texts_flatten_lists_and_skip_null() {
        assert_eq!(query_texts(&json!(null)), Some(vec![]));
        assert_eq!(
            query_texts(&json!([1, "a", true])),
            Some(vec!["1".into(), "a".into(), "true".into()])
        );
        assert_eq!(query_texts(&json!({"a": 1})), None);
        assert_eq!(query_texts(&json!([[1]])), None);
    }
}
