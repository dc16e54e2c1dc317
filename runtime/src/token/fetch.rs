//! One token request, done right: shaped exactly as the provider's definition
//! says, retried while the endpoint is unavailable, and its answer read
//! without trusting it (`judge`).

use std::sync::Arc;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;
use tokio::time::Instant;
use tracing::Instrument as _;
use url::Url;

use crate::backoff::{RetryPolicy, parse_retry_after};
use crate::def::{ClientAuth, ParamKind, ParamsIn, ProviderDef, RefreshGrant};
use crate::error::{Error, Result, Stage};
use crate::secret::Secret;
use crate::token::credentials::Credentials;
use crate::token::endpoints::{AuthCall, Endpoints, Overrides};
use crate::token::granted::Token;
use crate::token::judge::{Answer, Attempt, judge};
use crate::wire::body::{self, TOKEN_ANSWER_LIMIT};
use crate::wire::headers;

/// Gets tokens from one provider's token endpoint with one set of client
/// credentials.
///
/// Public only so that the runtime's own integration tests can drive it; not
/// part of the API.
#[doc(hidden)]
pub struct TokenFetcher {
    def: &'static ProviderDef,
    /// The HTTP client, already configured (timeouts) by the caller.
    pub http: reqwest::Client,
    /// Where the token, check and revoke calls go.
    endpoints: Endpoints,
    /// The endpoint's headers from the definition, parsed once.
    headers: HeaderMap,
    credentials: Arc<Credentials>,
    /// Optional parameters the user set (names from `def.token.optional_params`).
    pub params: Vec<(&'static str, String)>,
    /// How unavailable endpoints are retried.
    pub retry: RetryPolicy,
}

/// Which grant a request uses.
#[derive(Clone, Copy)]
enum Grant<'a> {
    ClientCredentials,
    Refresh {
        grant: &'static RefreshGrant,
        refresh_token: &'a Secret,
    },
}

impl Grant<'_> {
    fn stage(&self) -> Stage {
        match self {
            Self::ClientCredentials => Stage::TokenRequest,
            Self::Refresh { .. } => Stage::TokenRefresh,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::ClientCredentials => "client_credentials",
            Self::Refresh { .. } => "refresh_token",
        }
    }

    /// How the client may authenticate on this grant.
    fn client_auth(&self, def: &ProviderDef) -> &'static [ClientAuth] {
        match self {
            Self::ClientCredentials => def.token.client_auth,
            Self::Refresh { grant, .. } => grant.client_auth,
        }
    }

    fn refresh_token(&self) -> Option<&Secret> {
        match self {
            Self::ClientCredentials => None,
            Self::Refresh { refresh_token, .. } => Some(refresh_token),
        }
    }
}

impl TokenFetcher {
    /// A fetcher for `def`'s token endpoint below `base_url` (its path
    /// prefix is kept), with these credentials, optional parameters (names
    /// from `def.token.optional_params`) and retry policy. `http` is used
    /// as it is configured (timeouts). Fails if the definition's headers
    /// are not valid HTTP.
    pub fn new(
        def: &'static ProviderDef,
        http: reqwest::Client,
        base_url: Url,
        client_id: String,
        client_secret: Secret,
        params: Vec<(&'static str, String)>,
        retry: RetryPolicy,
    ) -> Result<Self> {
        let endpoints = Endpoints::new(def, base_url, Overrides::default(), None, false);
        let credentials = Credentials::new(client_id, client_secret, None);
        Self::configured(def, http, endpoints, credentials, params, retry)
    }

    /// A fetcher with its endpoints and credentials as the builder set them.
    pub(crate) fn configured(
        def: &'static ProviderDef,
        http: reqwest::Client,
        endpoints: Endpoints,
        credentials: Credentials,
        params: Vec<(&'static str, String)>,
        retry: RetryPolicy,
    ) -> Result<Self> {
        let what = format!("the token endpoint of `{}`", def.name);
        let headers = headers::parse(def.token.headers, &what)?;
        Ok(Self {
            def,
            http,
            endpoints,
            headers,
            credentials: Arc::new(credentials),
            params,
            retry,
        })
    }

    /// The provider's definition.
    pub(crate) fn def(&self) -> &'static ProviderDef {
        self.def
    }

    /// Where the token, check and revoke calls go.
    pub(crate) fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The client's credentials.
    pub(crate) fn credentials(&self) -> &Arc<Credentials> {
        &self.credentials
    }

    /// Gets a new token.
    ///
    /// With a `previous` token holding a refresh token, and a provider that
    /// has a refresh grant, renews with the refresh grant, keeping the rotated
    /// refresh token from the answer (or the old one when the answer has
    /// none); if the provider rejects that grant, falls back once to the
    /// client credentials. Otherwise uses the client credentials.
    pub async fn fetch(&self, previous: Option<&Token>) -> Result<Token> {
        let refresh = self
            .def
            .refresh
            .as_ref()
            .zip(previous.and_then(|t| t.refresh_token.as_ref()))
            .filter(|(_, token)| !token.is_empty());
        let Some((grant, refresh_token)) = refresh else {
            return self.request(Grant::ClientCredentials).await;
        };
        match self
            .request(Grant::Refresh {
                grant,
                refresh_token,
            })
            .await
        {
            Ok(mut token) => {
                if token.refresh_token.is_none() {
                    token.refresh_token = Some(refresh_token.clone());
                }
                Ok(token)
            }
            Err(error @ Error::TokenRejected { .. }) => {
                tracing::warn!(
                    provider = self.def.name,
                    %error,
                    "the refresh grant was rejected; falling back to the client credentials"
                );
                self.request(Grant::ClientCredentials).await
            }
            Err(error) => Err(error),
        }
    }

    /// One grant, with its retries.
    async fn request(&self, grant: Grant<'_>) -> Result<Token> {
        let span = tracing::info_span!(
            "token_fetch",
            provider = self.def.name,
            grant = grant.name()
        );
        async move {
            let attempts = self.retry.attempts();
            let mut attempt = 1;
            loop {
                let (error, retry_after) = match self.attempt(grant, attempt).await {
                    Attempt::Done(result) => return result,
                    Attempt::Retry { error, retry_after } => (error, retry_after),
                };
                if attempt >= attempts {
                    tracing::warn!(attempts, %error, "token endpoint unavailable, giving up");
                    return Err(Error::TokenUnavailable {
                        provider: self.def.name,
                        attempts,
                        last: Box::new(error),
                    });
                }
                let wait = self.retry.delay(attempt, retry_after);
                tracing::debug!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "retrying after a wait"
                );
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
        }
        .instrument(span)
        .await
    }

    /// One HTTP exchange and the reading of its answer.
    async fn attempt(&self, grant: Grant<'_>, attempt: u32) -> Attempt {
        let (provider, stage) = (self.def.name, grant.stage());
        let url = match self
            .endpoints
            .url(AuthCall::Token, self.def.token.path, &self.http)
            .await
        {
            Ok(url) => url,
            Err(error) => return Attempt::failed(error, attempt),
        };
        let started = Instant::now();
        let response = match self.build(grant, url).send().await {
            Ok(response) => response,
            Err(err) => return Attempt::failed(Error::from_reqwest(provider, stage, err), attempt),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        let secrets = self.credentials.hidden(&[], grant.refresh_token());
        let read = body::read(response, TOKEN_ANSWER_LIMIT, provider, stage, || {
            secrets.clone()
        });
        let body = match read.await {
            Ok(body) => body,
            Err(error @ Error::Decode { .. }) => {
                tracing::debug!(
                    attempt,
                    status = status.as_u16(),
                    outcome = "answer too long"
                );
                return Attempt::Done(Err(error));
            }
            Err(error) => {
                tracing::debug!(attempt, status = status.as_u16(), outcome = "body read failed", %error);
                return Attempt::Retry {
                    error,
                    retry_after: None,
                };
            }
        };
        let answer = Answer {
            status,
            retry_after,
            body: &body,
        };
        judge(self.def, stage, answer, &secrets, started, attempt)
    }

    /// The request for `grant` to `url`, shaped by the definition, the
    /// client authenticated by exactly one method.
    fn build(&self, grant: Grant<'_>, url: Url) -> reqwest::RequestBuilder {
        let endpoint = &self.def.token;
        let mut headers = self.headers.clone();
        let method = self.credentials.method(grant.client_auth(self.def));
        let pairs = self.pairs(grant, method, &mut headers);
        let request = self.http.request(endpoint.method.to_reqwest(), url);
        let request = match endpoint.params_in {
            ParamsIn::Query => request.query(&pairs),
            ParamsIn::Form => request.form(&pairs),
            ParamsIn::Json => request.json(&self.json_body(&pairs)),
        };
        request.headers(headers)
    }

    /// The parameters of `grant`, each name once: the grant's constants, the
    /// client credentials (when `method` puts them there), the refresh
    /// token, then the optional parameters the user set (on a refresh, only
    /// those sent on refresh). The first occurrence of a name wins.
    fn pairs<'a>(
        &'a self,
        grant: Grant<'a>,
        method: ClientAuth,
        headers: &mut HeaderMap,
    ) -> Vec<(&'static str, &'a str)> {
        let endpoint = &self.def.token;
        let mut credentials = Vec::new();
        let params = (endpoint.client_id_param, endpoint.client_secret_param);
        self.credentials
            .apply(method, params, &mut credentials, headers);
        let mut pairs: Vec<(&'static str, &'a str)> = Vec::new();
        let mut push = |name: &'static str, value: &'a str| {
            if !pairs.iter().any(|(n, _)| *n == name) {
                pairs.push((name, value));
            }
        };
        let constants = match grant {
            Grant::ClientCredentials => endpoint.constants,
            Grant::Refresh { grant, .. } => grant.constants,
        };
        for (name, value) in constants {
            push(name, value);
        }
        for (name, value) in credentials {
            push(name, value);
        }
        if let Grant::Refresh {
            grant,
            refresh_token,
        } = grant
        {
            push(grant.refresh_token_param, refresh_token.expose());
        }
        for (name, value) in &self.params {
            let Some(def) = endpoint.optional_params.iter().find(|p| p.name == *name) else {
                tracing::warn!(
                    provider = self.def.name,
                    param = name,
                    "not a parameter of this token endpoint; not sent"
                );
                continue;
            };
            if matches!(grant, Grant::Refresh { .. }) && !def.on_refresh {
                continue;
            }
            push(name, value);
        }
        pairs
    }

    /// A JSON object of the parameters; integer parameters as JSON numbers.
    fn json_body(&self, pairs: &[(&'static str, &str)]) -> serde_json::Map<String, Value> {
        pairs
            .iter()
            .map(|(name, value)| {
                let integer = self
                    .def
                    .token
                    .optional_params
                    .iter()
                    .any(|p| p.name == *name && p.kind == ParamKind::Integer);
                let value = match value.trim().parse::<i64>() {
                    Ok(n) if integer => Value::from(n),
                    _ => Value::from(*value),
                };
                ((*name).to_owned(), value)
            })
            .collect()
    }
}
