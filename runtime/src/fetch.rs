//! One token request, done right: shaped exactly as the provider's definition
//! says, retried while the endpoint is unavailable, and its answer read
//! without trusting it.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use serde_json::Value;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::backoff::{RetryPolicy, parse_retry_after};
use crate::body::{BodyError, TOKEN_ANSWER_LIMIT, read_body};
use crate::error::{Error, Result, Stage};
use crate::provider::{ParamKind, ParamsIn, ProviderDef, RefreshGrant};
use crate::secret::Secret;
use crate::token::Token;

mod decode;

pub(crate) use decode::MAX_LIFETIME;
use decode::{decode, error_fields, excerpt};

/// Gets tokens from one provider's token endpoint with one set of client
/// credentials.
///
/// Public only so that the runtime's own integration tests can drive it; not
/// part of the API.
#[doc(hidden)]
pub struct TokenFetcher {
    /// The provider's definition.
    pub def: &'static ProviderDef,
    /// The HTTP client, already configured (timeouts) by the caller.
    pub http: reqwest::Client,
    /// The provider's base URL; the endpoint path is joined below it, keeping
    /// any path prefix (`https://h/gw/` + `/api/x` → `https://h/gw/api/x`).
    pub base_url: url::Url,
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
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
}

/// What one attempt came to.
enum Attempt {
    /// A token, or an error that retrying will not fix.
    Done(Result<Token>),
    /// A failure worth retrying, after `retry_after` if the server said.
    Retry {
        error: Error,
        retry_after: Option<Duration>,
    },
}

impl TokenFetcher {
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
        let request = match self.build(grant) {
            Ok(request) => request,
            Err(error) => return Attempt::Done(Err(error)),
        };
        let started = Instant::now();
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) if err.is_builder() => {
                let message = format!(
                    "the {stage} request could not be built: {}",
                    err.without_url()
                );
                return Attempt::Done(Err(Error::Config(message)));
            }
            Err(err) => {
                let error = Error::from_reqwest(provider, stage, err);
                tracing::debug!(attempt, outcome = "transport error", %error);
                return Attempt::Retry {
                    error,
                    retry_after: None,
                };
            }
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        let secrets = self.known_secrets(grant);
        let body = match read_body(response, TOKEN_ANSWER_LIMIT).await {
            Ok(body) => body,
            Err(BodyError::Transport(err)) => {
                let error = Error::from_reqwest(provider, stage, err);
                tracing::debug!(attempt, status = status.as_u16(), outcome = "body read failed", %error);
                return Attempt::Retry {
                    error,
                    retry_after: None,
                };
            }
            Err(BodyError::TooLong(start)) => {
                tracing::debug!(
                    attempt,
                    status = status.as_u16(),
                    outcome = "answer too long"
                );
                return Attempt::Done(Err(Error::Decode {
                    provider,
                    stage,
                    reason: format!("the answer is longer than {TOKEN_ANSWER_LIMIT} bytes"),
                    body: excerpt(&start, &secrets),
                }));
            }
        };
        let answer = Answer {
            status,
            retry_after,
            body: &body,
        };
        judge(self.def, stage, answer, &secrets, started, attempt)
    }

    /// The request for `grant`, shaped by the definition.
    fn build(&self, grant: Grant<'_>) -> Result<reqwest::RequestBuilder> {
        let endpoint = &self.def.token;
        let url = join_url(&self.base_url, endpoint.path);
        let pairs = self.params(grant);
        let mut request = self.http.request(endpoint.method.to_reqwest(), url);
        request = match endpoint.params_in {
            ParamsIn::Query => request.query(&pairs),
            ParamsIn::Form => request.form(&pairs),
            ParamsIn::Json => request.json(&self.json_body(&pairs)),
        };
        let mut headers = HeaderMap::new();
        for (name, value) in endpoint.headers {
            let parsed = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            );
            let (Ok(header), Ok(value)) = parsed else {
                return Err(Error::Config(format!(
                    "the token endpoint of `{}` has an invalid header `{name}` in its definition",
                    self.def.name
                )));
            };
            headers.insert(header, value);
        }
        Ok(request.headers(headers))
    }

    /// The parameters of `grant`, each name once: the grant's constants, the
    /// client credentials, the refresh token, then the optional parameters
    /// the user set (on a refresh, only those sent on refresh). The first
    /// occurrence of a name wins.
    fn params<'a>(&'a self, grant: Grant<'a>) -> Vec<(&'static str, &'a str)> {
        let endpoint = &self.def.token;
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
        push(endpoint.client_id_param, &self.client_id);
        push(endpoint.client_secret_param, self.client_secret.expose());
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

    /// Strings that must never appear in an error: the client secret and the
    /// refresh token sent.
    fn known_secrets<'a>(&'a self, grant: Grant<'a>) -> Vec<&'a str> {
        let mut secrets = vec![self.client_secret.expose()];
        if let Grant::Refresh { refresh_token, .. } = grant {
            secrets.push(refresh_token.expose());
        }
        secrets
    }
}

/// An answer as read off the wire.
struct Answer<'a> {
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &'a [u8],
}

/// What a token endpoint's answer comes to: a token, a rejection, or a
/// failure worth retrying. `secrets` are hidden in every error.
fn judge(
    def: &ProviderDef,
    stage: Stage,
    answer: Answer<'_>,
    secrets: &[&str],
    started: Instant,
    attempt: u32,
) -> Attempt {
    let Answer {
        status,
        retry_after,
        body,
    } = answer;
    let provider = def.name;
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        let (code, message) = error_fields(body, def, secrets);
        let error = Error::Api {
            provider,
            stage,
            status: status.as_u16(),
            code,
            message,
            body: excerpt(body, secrets),
        };
        tracing::debug!(attempt, status = status.as_u16(), outcome = "unavailable");
        let honoured = matches!(status.as_u16(), 429 | 503);
        let retry_after = retry_after.filter(|_| honoured);
        return Attempt::Retry { error, retry_after };
    }
    if status.is_redirection() {
        tracing::debug!(attempt, status = status.as_u16(), outcome = "redirected");
        return Attempt::Done(Err(Error::Config(format!(
            "the token endpoint of `{provider}` answered HTTP {}, a redirect that is not followed (only redirects within the same origin are, so the client secret never goes elsewhere); set the base URL to the address the provider redirects to",
            status.as_u16()
        ))));
    }
    if !status.is_success() {
        let (code, message) = error_fields(body, def, secrets);
        tracing::debug!(
            attempt,
            status = status.as_u16(),
            outcome = "rejected",
            code = code.as_deref()
        );
        return Attempt::Done(Err(Error::TokenRejected {
            provider,
            stage,
            status: status.as_u16(),
            code,
            message,
            body: excerpt(body, secrets),
        }));
    }
    let result = decode(def, stage, status.as_u16(), body, secrets, started);
    match &result {
        Ok(token) => tracing::info!(
            attempt,
            status = status.as_u16(),
            outcome = "granted",
            lifetime_secs = token.lifetime.as_secs(),
            refresh_token_issued = token.refresh_token.is_some(),
        ),
        Err(error) => {
            let outcome = match error {
                Error::TokenRejected { .. } => "rejected",
                _ => "undecodable",
            };
            tracing::debug!(attempt, status = status.as_u16(), outcome, %error);
        }
    }
    Attempt::Done(result)
}

/// Reads a token endpoint's answer as the fetcher does, without the HTTP
/// exchange: for fuzzing and property tests (`__private`). A failure worth
/// retrying comes back as the error it would end with; `secrets` are hidden
/// in every error.
pub(crate) fn read_answer(
    def: &ProviderDef,
    status: u16,
    body: &[u8],
    secrets: &[&str],
) -> Result<Token> {
    let Ok(status) = StatusCode::from_u16(status) else {
        return Err(Error::Config(format!("{status} is not an HTTP status")));
    };
    let answer = Answer {
        status,
        retry_after: None,
        body,
    };
    match judge(def, Stage::TokenRequest, answer, secrets, Instant::now(), 1) {
        Attempt::Done(result) => result,
        Attempt::Retry { error, .. } => Err(error),
    }
}

/// The endpoint URL: `path` below `base`, keeping `base`'s path prefix.
fn join_url(base: &url::Url, path: &str) -> url::Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}/{}", path.trim_start_matches('/')));
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths_below_the_base_path() {
        let join = |base: &str, path: &str| join_url(&base.parse().unwrap(), path).to_string();
        assert_eq!(join("https://h/gw/", "/api/x"), "https://h/gw/api/x");
        assert_eq!(join("https://h/gw", "/api/x"), "https://h/gw/api/x");
        assert_eq!(
            join("http://127.0.0.1:1234/", "/api/x"),
            "http://127.0.0.1:1234/api/x"
        );
        assert_eq!(
            join("http://127.0.0.1:1234", "api/x"),
            "http://127.0.0.1:1234/api/x"
        );
    }
}
