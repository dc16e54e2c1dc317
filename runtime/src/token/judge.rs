//! What a token endpoint's answer comes to: a token, a rejection, or a
//! failure worth retrying.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use tokio::time::Instant;

use crate::def::ProviderDef;
use crate::error::{Error, Result, Stage};
use crate::token::decode::{decode, error_fields, excerpt};
use crate::token::granted::Token;

/// What one attempt came to.
pub(crate) enum Attempt {
    /// A token, or an error that retrying will not fix.
    Done(Result<Token>),
    /// A failure worth retrying, after `retry_after` if the server said.
    Retry {
        error: Error,
        retry_after: Option<Duration>,
    },
}

impl Attempt {
    /// An attempt that got no answer to judge (the request failed, or the
    /// issuer's metadata could not be read): retried if the error says
    /// trying again could help, else the end of the fetch.
    pub(crate) fn failed(error: Error, attempt: u32) -> Self {
        if error.is_retryable() {
            tracing::debug!(attempt, outcome = "no answer", %error);
            Self::Retry {
                error,
                retry_after: None,
            }
        } else {
            Self::Done(Err(error))
        }
    }
}

/// An answer as read off the wire.
pub(crate) struct Answer<'a> {
    pub status: StatusCode,
    pub retry_after: Option<Duration>,
    pub body: &'a [u8],
}

/// What a token endpoint's answer comes to: a token, a rejection, or a
/// failure worth retrying. `secrets` are hidden in every error.
pub(crate) fn judge(
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
    let result = decode(
        def,
        stage,
        status.as_u16(),
        body,
        secrets,
        started,
        SystemTime::now(),
    );
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
