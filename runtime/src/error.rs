//! The one error type of the runtime.

use std::fmt;
use std::sync::Arc;

use crate::redact::BodyExcerpt;

/// A `Result` whose error defaults to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the runtime was doing when something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Fetching a token with the client credentials.
    TokenRequest,
    /// Renewing a token with a refresh token.
    TokenRefresh,
    /// Checking a token.
    TokenCheck,
    /// Revoking a token.
    TokenRevoke,
    /// Calling an API endpoint.
    ApiCall,
    /// Reading the issuer's metadata (RFC 8414, OpenID Connect Discovery).
    Discovery,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::TokenRequest => "token request",
            Self::TokenRefresh => "token refresh",
            Self::TokenCheck => "token check",
            Self::TokenRevoke => "token revoke",
            Self::ApiCall => "API call",
            Self::Discovery => "metadata request",
        })
    }
}

/// Everything that can go wrong between a caller and a provider.
///
/// No variant ever holds a client secret, an access token or a refresh token:
/// bodies are quoted as redacted excerpts and URLs are never printed.
///
/// Errors are `Clone`: a renewal that fails gives every caller waiting on it
/// the same error, transport source included.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client or a request was set up wrongly; fix the code or settings.
    #[error("configuration error: {0}")]
    Config(String),

    /// A sudo, tenant or token placement that the request cannot carry.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// No answer in time.
    #[error("{stage} to `{provider}` timed out; the provider may be slow or unreachable")]
    Timeout {
        /// The provider's name.
        provider: &'static str,
        /// What was being done.
        stage: Stage,
    },

    /// The connection failed (refused, reset, DNS, TLS).
    #[error("{stage} to `{provider}` failed: {message}")]
    Transport {
        /// The provider's name.
        provider: &'static str,
        /// What was being done.
        stage: Stage,
        /// What failed, without the URL.
        message: String,
        /// The underlying error, with its URL removed.
        #[source]
        source: Option<Arc<reqwest::Error>>,
    },

    /// The token endpoint said no: bad credentials, grant or scope.
    #[error(
        "the token endpoint of `{provider}` rejected the {stage} (HTTP {status}{code}{message}); check the client id, secret and scope. Body: {body}",
        code = opt(" code ", code),
        message = opt(": ", message)
    )]
    TokenRejected {
        /// The provider's name.
        provider: &'static str,
        /// Which grant was rejected.
        stage: Stage,
        /// HTTP status.
        status: u16,
        /// The vendor's error code, whatever its field was called.
        code: Option<String>,
        /// The vendor's error message.
        message: Option<String>,
        /// A redacted excerpt of the answer.
        body: BodyExcerpt,
    },

    /// The token endpoint kept failing (5xx, 429, transport) through every retry.
    #[error("the token endpoint of `{provider}` is unavailable after {attempts} attempts: {last}")]
    TokenUnavailable {
        /// The provider's name.
        provider: &'static str,
        /// How many attempts were made.
        attempts: u32,
        /// The last failure.
        last: Box<Error>,
    },

    /// The provider answered an API, check or revoke call with a failure.
    #[error(
        "`{provider}` answered the {stage} with HTTP {status}{code}{message}. Body: {body}",
        code = opt(", code ", code),
        message = opt(": ", message)
    )]
    Api {
        /// The provider's name.
        provider: &'static str,
        /// What was being done.
        stage: Stage,
        /// HTTP status.
        status: u16,
        /// The vendor's error code.
        code: Option<String>,
        /// The vendor's error message.
        message: Option<String>,
        /// A redacted excerpt of the answer.
        body: BodyExcerpt,
    },

    /// The answer could not be read as what the spec says it is.
    #[error("could not decode the {stage} answer of `{provider}`: {reason}. Body: {body}")]
    Decode {
        /// The provider's name.
        provider: &'static str,
        /// What was being done.
        stage: Stage,
        /// What was wrong.
        reason: String,
        /// A redacted excerpt of the answer.
        body: BodyExcerpt,
    },

    /// The call was refused as unauthorized again after a new token and one replay.
    #[error(
        "`{provider}` refused the call as unauthorized (HTTP {status}) even with a fresh token; the client may lack permission. Body: {body}"
    )]
    Unauthorized {
        /// The provider's name.
        provider: &'static str,
        /// HTTP status of the last answer.
        status: u16,
        /// A redacted excerpt of the last answer.
        body: BodyExcerpt,
    },
}

fn opt(prefix: &str, value: &Option<String>) -> String {
    value
        .as_deref()
        .map(|v| format!("{prefix}{v}"))
        .unwrap_or_default()
}

impl Error {
    /// Whether trying the same thing again later could succeed: timeouts,
    /// transport failures, an unavailable token endpoint, 5xx and 429 answers.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Transport { .. } | Self::TokenUnavailable { .. } => true,
            Self::Api { status, .. } | Self::TokenRejected { status, .. } => {
                *status == 429 || *status >= 500
            }
            _ => false,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::TokenUnavailable { last, .. } => last.is_timeout(),
            _ => false,
        }
    }

    /// The HTTP status the provider answered, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::TokenRejected { status, .. }
            | Self::Api { status, .. }
            | Self::Unauthorized { status, .. } => Some(*status),
            Self::TokenUnavailable { last, .. } => last.status(),
            _ => None,
        }
    }

    /// The vendor's error code, if the answer carried one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::TokenRejected { code, .. } | Self::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// Converts a reqwest error, dropping its URL (which may hold secrets).
    /// A request reqwest could not build (a URL scheme it does not send
    /// to, say) is a configuration error: sending it again cannot help.
    pub(crate) fn from_reqwest(provider: &'static str, stage: Stage, err: reqwest::Error) -> Self {
        if err.is_timeout() {
            return Self::Timeout { provider, stage };
        }
        let err = err.without_url();
        let message = describe_reqwest(&err);
        if err.is_builder() {
            return Self::Config(format!("the {stage} request could not be built: {message}"));
        }
        Self::Transport {
            provider,
            stage,
            message,
            source: Some(Arc::new(err)),
        }
    }
}

/// The reqwest error and its causes as one line, without any URL.
fn describe_reqwest(err: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    crate::redact::redact_params(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unavailable(status: u16) -> Error {
        Error::TokenUnavailable {
            provider: "fake",
            attempts: 3,
            last: Box::new(Error::Api {
                provider: "fake",
                stage: Stage::TokenRequest,
                status,
                code: Some("E42".into()),
                message: Some("busy".into()),
                body: BodyExcerpt::new(b"{\"code\":\"E42\"}", &[]),
            }),
        }
    }

    /// What a renewal's waiters each get is a clone of its one error.
    #[test]
    fn duplicates_keep_what_callers_read() {
        let original = unavailable(503);
        let copy = original.clone();
        assert_eq!(copy.to_string(), original.to_string());
        assert_eq!(copy.status(), Some(503));
        assert!(copy.is_retryable());
        let rejected = Error::TokenRejected {
            provider: "p",
            stage: Stage::TokenRefresh,
            status: 401,
            code: Some("invalid_client".into()),
            message: Some("bad".into()),
            body: BodyExcerpt::new(b"{}", &[]),
        };
        assert_eq!(rejected.clone().to_string(), rejected.to_string());
        assert_eq!(rejected.clone().code(), Some("invalid_client"));
    }

    /// A request reqwest will not send is the configuration's fault: it is
    /// not retried, and its text shows no URL.
    #[tokio::test]
    async fn a_request_that_cannot_be_built_is_a_configuration_error() {
        let url = "ftp://user:pw_7q@example.invalid/x?access_token=tok_4k";
        let err = reqwest::Client::new().get(url).send().await.unwrap_err();
        assert!(err.is_builder(), "{err:?}");
        let error = Error::from_reqwest("p", Stage::TokenRequest, err);
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(!error.is_retryable());
        let text = format!("{error} || {error:?}");
        assert!(text.contains("could not be built"), "{text}");
        for secret in ["pw_7q", "tok_4k", "example.invalid"] {
            assert!(!text.contains(secret), "`{secret}` in {text}");
        }
    }
}
