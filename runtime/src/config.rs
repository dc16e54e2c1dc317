//! `ClientBuilder`: configuration and its validation.

use std::fmt;
use std::marker::PhantomData;
use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use crate::backoff::RetryPolicy;
use crate::cache::RefreshMargins;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::provider::{ParamKind, Provider, TokenIn};
use crate::secret::Secret;

/// Configures a [`Client`]; get one from the generated `Client::builder()`.
///
/// Required: the base URL, client id and client secret, set here or read
/// from the environment by [`ClientBuilder::from_env`]. A base URL that is
/// not HTTPS is refused unless its host is loopback or
/// [`allow_insecure_http`](ClientBuilder::allow_insecure_http) is set: the
/// client secret must never travel in cleartext by accident.
pub struct ClientBuilder<P> {
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    params: Vec<(String, String)>,
    connect_timeout: Duration,
    timeout: Duration,
    http: Option<reqwest::Client>,
    margins: RefreshMargins,
    retry: RetryPolicy,
    token_in: Option<TokenIn>,
    allow_insecure_http: bool,
    share_cache: bool,
    max_answer_bytes: usize,
    _provider: PhantomData<fn() -> P>,
}

impl<P> fmt::Debug for ClientBuilder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("params", &self.params)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("margins", &self.margins)
            .field("token_in", &self.token_in)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish_non_exhaustive()
    }
}

impl<P: Provider> Default for ClientBuilder<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Provider> ClientBuilder<P> {
    /// A builder with the defaults: connect timeout 5 s, request timeout 30 s,
    /// default refresh margins and retry policy, the spec's token placement.
    pub fn new() -> Self {
        Self {
            base_url: None,
            client_id: None,
            client_secret: None,
            params: Vec::new(),
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            http: None,
            margins: RefreshMargins::default(),
            retry: RetryPolicy::default(),
            token_in: None,
            allow_insecure_http: false,
            share_cache: true,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
            _provider: PhantomData,
        }
    }

    /// The provider's base URL, e.g. `https://open.vendor.com` (a path prefix is kept).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// The client secret.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// An optional token request parameter the spec allows, e.g.
    /// `token_param("expires_in", 7200)` for hotel. `build()` refuses names
    /// the spec does not list and values of the wrong type.
    pub fn token_param(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        let name = name.into();
        self.params.retain(|(n, _)| *n != name);
        self.params.push((name, value.to_string()));
        self
    }

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take in all (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Use this reqwest client (its own timeouts, proxies, TLS settings and
    /// redirect policy apply; the timeouts set here do not). The client built
    /// otherwise follows redirects only within the same origin, so the client
    /// secret is never resent elsewhere: give this one a policy as strict.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// When to renew tokens ahead of expiry.
    pub fn refresh_margins(mut self, margins: RefreshMargins) -> Self {
        self.margins = margins;
        self
    }

    /// How an unavailable token endpoint is retried.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Where the token goes on this client's calls, unless a call says
    /// otherwise. Default: the spec's `placement.default`.
    pub fn token_in(mut self, token_in: TokenIn) -> Self {
        self.token_in = Some(token_in);
        self
    }

    /// Allow a plain `http://` base URL on a non-loopback host. Only for
    /// networks you trust: the client secret travels in cleartext.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Whether clients built with the same provider, base URL, credentials
    /// and token parameters share one token cache in this process (default:
    /// yes, so a service never asks for more tokens than it needs).
    pub fn share_cache(mut self, share: bool) -> Self {
        self.share_cache = share;
        self
    }

    /// The longest API answer this client reads (default: 16 MiB). A longer
    /// one fails the call with [`Error::Decode`] quoting its start, rather
    /// than being buffered whole; `usize::MAX` lifts the limit. Token, check
    /// and revoke answers are always limited to 1 MiB.
    pub fn max_answer_bytes(mut self, limit: usize) -> Self {
        self.max_answer_bytes = limit;
        self
    }

    /// Fills what is not set yet from the environment:
    /// `AUTHORIZED_<PROVIDER>_BASE_URL`, `AUTHORIZED_<PROVIDER>_CLIENT_ID` and
    /// `AUTHORIZED_<PROVIDER>_CLIENT_SECRET` (`<PROVIDER>` is the provider's
    /// name in capitals, e.g. `AUTHORIZED_SERVER_CLIENT_ID`).
    pub fn from_env(mut self) -> Self {
        let var = |what: &str| {
            std::env::var(env_var::<P>(what))
                .ok()
                .filter(|v| !v.is_empty())
        };
        if self.base_url.is_none() {
            self.base_url = var("BASE_URL");
        }
        if self.client_id.is_none() {
            self.client_id = var("CLIENT_ID");
        }
        if self.client_secret.is_none() {
            self.client_secret = var("CLIENT_SECRET").map(Secret::new);
        }
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<P::Client> {
        self.build_runtime().map(P::Client::from)
    }

    /// Builds the runtime client (the generated client wraps it).
    pub fn build_runtime(self) -> Result<Client<P>> {
        let def = P::DEF;
        let missing = |what: &str, setter: &str| {
            Error::Config(format!(
                "no {what} for `{}`: call `.{setter}(…)` or set {}",
                def.name,
                env_var::<P>(&what.replace(' ', "_").to_uppercase())
            ))
        };
        let base_url = self
            .base_url
            .as_deref()
            .ok_or_else(|| missing("base url", "base_url"))?;
        let base_url = check_base_url(base_url, self.allow_insecure_http)?;
        let client_id = self
            .client_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| missing("client id", "client_id"))?;
        let client_secret = self
            .client_secret
            .filter(|s| !s.is_empty())
            .ok_or_else(|| missing("client secret", "client_secret"))?;
        let params = check_params::<P>(&self.params)?;
        let token_in = self.token_in.unwrap_or(def.placement.default);
        check_token_in(def, token_in)?;
        check_margins(&self.margins)?;
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be longer than zero".into()));
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .user_agent(concat!("authorized/", env!("CARGO_PKG_VERSION")))
                .redirect(same_origin_redirects())
                .build()
                .map_err(|e| {
                    Error::Config(format!("cannot build the HTTP client: {}", e.without_url()))
                })?,
        };
        Ok(Client::assemble(crate::client::Parts {
            def,
            http,
            base_url,
            client_id,
            client_secret,
            params,
            margins: self.margins,
            retry: self.retry,
            token_in,
            share_cache: self.share_cache,
            max_answer_bytes: self.max_answer_bytes,
        }))
    }
}

/// The default of [`ClientBuilder::max_answer_bytes`].
const DEFAULT_MAX_ANSWER_BYTES: usize = 16 << 20;

/// Redirects are followed only within the origin (scheme, host and port) of
/// the request, at most 10 times. A 307 or 308 resends the body, and token
/// requests carry the client secret: elsewhere, or from https down to http,
/// it would leave the provider. A redirect elsewhere is not followed; the
/// caller gets the 3xx answer itself.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let previous = attempt.previous();
        let same_origin = previous
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if previous.len() > 10 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn env_var<P: Provider>(what: &str) -> String {
    format!("AUTHORIZED_{}_{what}", P::DEF.name.to_uppercase())
}

fn check_base_url(text: &str, allow_insecure_http: bool) -> Result<Url> {
    let mut url = Url::parse(text)
        .map_err(|e| Error::Config(format!("the base url `{text}` is not a URL: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() || url.password().is_some() {
        return Err(Error::Config(
            "the base url must not carry a query, a fragment or a password".into(),
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "refusing plain http to `{}`: the client secret would travel in cleartext; use https, or `allow_insecure_http(true)` on a network you trust",
                url.host_str().unwrap_or_default()
            )));
        }
        other => {
            return Err(Error::Config(format!(
                "the base url scheme must be https, not `{other}`"
            )));
        }
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

fn check_params<P: Provider>(params: &[(String, String)]) -> Result<Vec<(&'static str, String)>> {
    let def = P::DEF;
    params
        .iter()
        .map(|(name, value)| {
            let allowed = def
                .token
                .optional_params
                .iter()
                .find(|p| p.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> =
                        def.token.optional_params.iter().map(|p| p.name).collect();
                    Error::Config(format!(
                        "`{}` takes no token parameter `{name}`; it takes: {}",
                        def.name,
                        if names.is_empty() {
                            "none".to_owned()
                        } else {
                            names.join(", ")
                        }
                    ))
                })?;
            if allowed.kind == ParamKind::Integer && value.parse::<i64>().is_err() {
                return Err(Error::Config(format!(
                    "the token parameter `{name}` takes an integer, not `{value}`"
                )));
            }
            Ok((allowed.name, value.clone()))
        })
        .collect()
}

fn check_token_in(def: &crate::provider::ProviderDef, token_in: TokenIn) -> Result<()> {
    let available = match token_in {
        TokenIn::Header => def.placement.header.is_some(),
        TokenIn::Query => def.placement.query.is_some(),
    };
    if available {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "`{}` does not accept the token in the {}",
            def.name,
            match token_in {
                TokenIn::Header => "header",
                TokenIn::Query => "query",
            }
        )))
    }
}

fn check_margins(m: &RefreshMargins) -> Result<()> {
    let fraction_ok = |f: f64| (0.0..=1.0).contains(&f);
    if !fraction_ok(m.refresh_fraction) || !fraction_ok(m.safety_fraction) {
        return Err(Error::Config(
            "refresh margin fractions must be between 0 and 1".into(),
        ));
    }
    if m.safety_fraction > m.refresh_fraction || m.safety_max > m.refresh_max {
        return Err(Error::Config(
            "the safety margin must not be larger than the refresh window".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_or_loopback_only() {
        assert!(check_base_url("https://vendor.example.com", false).is_ok());
        assert!(check_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(check_base_url("http://[::1]:8080", false).is_ok());
        assert!(check_base_url("http://localhost", false).is_ok());
        let err = check_base_url("http://vendor.example.com", false).unwrap_err();
        assert!(err.to_string().contains("cleartext"), "{err}");
        assert!(check_base_url("http://vendor.example.com", true).is_ok());
        assert!(check_base_url("ftp://vendor.example.com", true).is_err());
        assert!(check_base_url("https://h/?client_secret=x", false).is_err());
        assert_eq!(
            check_base_url("https://h/gw", false).unwrap().as_str(),
            "https://h/gw/"
        );
    }
}
