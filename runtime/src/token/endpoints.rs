//! Where a client's token, check and revoke calls go: a URL set on the
//! builder, else the one the issuer's metadata names (RFC 8414 or OpenID
//! Connect Discovery, read once and kept), else the spec's path below the
//! base URL.

use reqwest::header::{ACCEPT, HeaderValue};
use serde_json::Value;
use tokio::sync::OnceCell;
use url::Url;

use crate::def::{Discovery, ProviderDef};
use crate::error::{Error, Result, Stage};
use crate::redact::BodyExcerpt;
use crate::wire::body::{self, TOKEN_ANSWER_LIMIT};
use crate::wire::url::{check_secure, join};

/// The calls whose endpoint can move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthCall {
    /// The token endpoint (client credentials and refresh).
    Token,
    /// Token check (introspection).
    Check,
    /// Token revocation.
    Revoke,
}

impl AuthCall {
    /// The metadata field naming this call's endpoint.
    fn metadata_field(self) -> &'static str {
        match self {
            Self::Token => "token_endpoint",
            Self::Check => "introspection_endpoint",
            Self::Revoke => "revocation_endpoint",
        }
    }
}

/// URLs set on the builder for the calls, each winning over everything.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    pub token: Option<Url>,
    pub check: Option<Url>,
    pub revoke: Option<Url>,
}

/// The issuer whose metadata says where the endpoints are.
#[derive(Debug)]
pub(crate) struct Issuer {
    pub url: Url,
    /// The metadata documents to try, in order.
    pub documents: &'static [Discovery],
}

/// Where each call goes; see the module docs.
#[derive(Debug)]
pub(crate) struct Endpoints {
    def: &'static ProviderDef,
    base_url: Url,
    overrides: Overrides,
    issuer: Option<Issuer>,
    allow_insecure_http: bool,
    /// The issuer's metadata, read once.
    metadata: OnceCell<Value>,
}

impl Endpoints {
    /// Endpoints below `base_url`, moved by `overrides` and an `issuer`'s metadata.
    pub(crate) fn new(
        def: &'static ProviderDef,
        base_url: Url,
        overrides: Overrides,
        issuer: Option<Issuer>,
        allow_insecure_http: bool,
    ) -> Self {
        Self {
            def,
            base_url,
            overrides,
            issuer,
            allow_insecure_http,
            metadata: OnceCell::new(),
        }
    }

    /// The base URL.
    pub(crate) fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// Where tokens come from besides the base URL: the token URL set on
    /// the builder, or the issuer; empty for neither.
    pub(crate) fn token_source(&self) -> String {
        match (&self.overrides.token, &self.issuer) {
            (Some(url), _) => url.to_string(),
            (None, Some(issuer)) => format!("issuer {}", issuer.url),
            (None, None) => String::new(),
        }
    }

    /// The URL of `call`, whose spec path is `path`. Reads the issuer's
    /// metadata the first time it is needed (a failure is tried again on
    /// the next call).
    pub(crate) async fn url(
        &self,
        call: AuthCall,
        path: &str,
        http: &reqwest::Client,
    ) -> Result<Url> {
        let set = match call {
            AuthCall::Token => &self.overrides.token,
            AuthCall::Check => &self.overrides.check,
            AuthCall::Revoke => &self.overrides.revoke,
        };
        if let Some(url) = set {
            return Ok(url.clone());
        }
        if let Some(issuer) = &self.issuer {
            let metadata = self
                .metadata
                .get_or_try_init(|| self.discover(issuer, http))
                .await?;
            if let Some(url) = self.named(metadata, call)? {
                return Ok(url);
            }
        }
        join(&self.base_url, path)
            .map_err(|e| Error::Config(format!("the {call:?} path of `{}`: {e}", self.def.name)))
    }

    /// The endpoint the metadata names for `call`, checked; `None` if it
    /// names none (the spec's path is used then).
    fn named(&self, metadata: &Value, call: AuthCall) -> Result<Option<Url>> {
        let field = call.metadata_field();
        let Some(text) = metadata.get(field).and_then(Value::as_str) else {
            return Ok(None);
        };
        let url = Url::parse(text)
            .map_err(|e| self.metadata_error(format!("`{field}` is not a URL: {e}")))?;
        check_secure(&url, field, self.allow_insecure_http)?;
        Ok(Some(url))
    }

    /// Reads the first metadata document the issuer serves.
    async fn discover(&self, issuer: &Issuer, http: &reqwest::Client) -> Result<Value> {
        let mut tried = Vec::new();
        for document in issuer.documents {
            let url = well_known(&issuer.url, *document);
            let provider = self.def.name;
            let response = http
                .get(url.clone())
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .send()
                .await
                .map_err(|e| Error::from_reqwest(provider, Stage::Discovery, e))?;
            let status = response.status().as_u16();
            let body = body::read(
                response,
                TOKEN_ANSWER_LIMIT,
                provider,
                Stage::Discovery,
                Vec::new,
            )
            .await?;
            if status == 404 {
                tried.push(url.path().to_owned());
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(Error::Api {
                    provider,
                    stage: Stage::Discovery,
                    status,
                    code: None,
                    message: None,
                    body: BodyExcerpt::new(&body, &[]),
                });
            }
            let metadata: Value = serde_json::from_slice(&body).map_err(|e| Error::Decode {
                provider,
                stage: Stage::Discovery,
                reason: format!("the metadata is not JSON: {e}"),
                body: BodyExcerpt::new(&body, &[]),
            })?;
            // RFC 8414 §3.3: the issuer must be the one asked, or the
            // metadata is another server's (a mix-up).
            let named = metadata
                .get("issuer")
                .and_then(Value::as_str)
                .and_then(|i| Url::parse(i).ok());
            if named.as_ref() != Some(&issuer.url) {
                return Err(self.metadata_error(format!(
                    "its `issuer` is {}, not `{}`",
                    metadata
                        .get("issuer")
                        .map_or("missing".to_owned(), |i| format!("`{i}`")),
                    issuer.url
                )));
            }
            tracing::info!(provider, document = url.path(), "issuer metadata read");
            return Ok(metadata);
        }
        Err(Error::Config(format!(
            "the issuer `{}` of `{}` serves no metadata (tried {}); set the endpoint URLs on the builder instead",
            issuer.url,
            self.def.name,
            tried.join(", ")
        )))
    }

    fn metadata_error(&self, what: String) -> Error {
        Error::Config(format!(
            "the issuer metadata of `{}` is unusable: {what}",
            self.def.name
        ))
    }
}

/// Where `document` is for `issuer`: RFC 8414 §3 puts the well-known part
/// before the issuer's path; OpenID Connect Discovery appends it.
pub(crate) fn well_known(issuer: &Url, document: Discovery) -> Url {
    let path = issuer.path().trim_end_matches('/');
    let mut url = issuer.clone();
    url.set_query(None);
    url.set_fragment(None);
    match document {
        Discovery::OAuthAuthorizationServer => {
            url.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
        }
        Discovery::OpenIdConfiguration => {
            url.set_path(&format!("{path}/.well-known/openid-configuration"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_urls_are_where_each_standard_puts_them() {
        let at =
            |issuer: &str, document| well_known(&issuer.parse().unwrap(), document).to_string();
        assert_eq!(
            at("https://as.example", Discovery::OAuthAuthorizationServer),
            "https://as.example/.well-known/oauth-authorization-server"
        );
        assert_eq!(
            at(
                "https://as.example/tenant1",
                Discovery::OAuthAuthorizationServer
            ),
            "https://as.example/.well-known/oauth-authorization-server/tenant1"
        );
        assert_eq!(
            at("https://as.example/", Discovery::OpenIdConfiguration),
            "https://as.example/.well-known/openid-configuration"
        );
        assert_eq!(
            at(
                "https://as.example/tenant1/",
                Discovery::OpenIdConfiguration
            ),
            "https://as.example/tenant1/.well-known/openid-configuration"
        );
    }
}
