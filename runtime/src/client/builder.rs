//! `ClientBuilder`: what a client is configured with; `settings` checks it.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use url::Url;

use crate::backoff::RetryPolicy;
use crate::cache::store::{ErasedStore, FleetSettings, StoreHandle, TokenStore};
use crate::cache::{RefreshMargins, registry};
use crate::client::settings::{
    DEFAULT_MAX_ANSWER_BYTES, check_base_url, check_endpoint_url, check_margins, check_params,
    env_var, parse_client_auth, same_origin_redirects,
};
use crate::client::{Client, Counters, Inner};
use crate::def::{ClientAuth, Provider, TokenIn};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::token::credentials::Credentials;
use crate::token::endpoints::{Endpoints, Issuer, Overrides};
use crate::token::fetch::TokenFetcher;
use crate::wire::headers;
use crate::wire::placement::Placements;
use crate::wire::url::check_secure;

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
    client_auth: Option<ClientAuth>,
    /// `AUTHORIZED_<PROVIDER>_CLIENT_AUTH`, read by `from_env`, checked by `build`.
    client_auth_text: Option<String>,
    token_url: Option<String>,
    check_url: Option<String>,
    revoke_url: Option<String>,
    issuer: Option<String>,
    token_store: Option<ErasedStore>,
    fleet_settings: FleetSettings,
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
            .field("client_auth", &self.client_auth)
            .field("token_url", &self.token_url)
            .field("check_url", &self.check_url)
            .field("revoke_url", &self.revoke_url)
            .field("issuer", &self.issuer)
            .field("token_store", &self.token_store.is_some())
            .finish_non_exhaustive()
    }
}

impl<P: Provider> Client<P> {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder<P> {
        ClientBuilder::new()
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
            client_auth: None,
            client_auth_text: None,
            token_url: None,
            check_url: None,
            revoke_url: None,
            issuer: None,
            token_store: None,
            fleet_settings: FleetSettings::default(),
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

    /// How the client authenticates on token, refresh, check and revoke
    /// calls, among the methods the spec allows each (default: each call's
    /// first). `build()` refuses a method the token endpoint does not allow;
    /// a check or revoke call that does not allow it uses its own first.
    pub fn client_auth(mut self, method: ClientAuth) -> Self {
        self.client_auth = Some(method);
        self
    }

    /// Where the token endpoint is, when the deployment puts it elsewhere
    /// than the spec's path: a path below the base URL (`/oauth2/v1/token`)
    /// or a whole URL (HTTPS, as the base URL). Refresh grants go there too.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Where the check (introspection) endpoint is; as [`token_url`](Self::token_url).
    pub fn check_url(mut self, url: impl Into<String>) -> Self {
        self.check_url = Some(url.into());
        self
    }

    /// Where the revoke endpoint is; as [`token_url`](Self::token_url).
    pub fn revoke_url(mut self, url: impl Into<String>) -> Self {
        self.revoke_url = Some(url.into());
        self
    }

    /// The authorization server's issuer (`https://as.example.com`), for a
    /// provider whose spec lists `discovery`: its metadata (RFC 8414 or
    /// OpenID Connect Discovery) is read once, before the first token
    /// request, and names the token, check and revoke endpoints. URLs set
    /// with [`token_url`](Self::token_url) and its kin win over it.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Shares tokens with every process using the same store (the replicas
    /// of a service): one token, one renewal and one refresh chain for the
    /// fleet instead of one per process. The store is consulted only when
    /// this process would otherwise fetch or renew; if it fails, the process
    /// renews alone and says so once. See `authorized-redis` for Redis, and
    /// [`MemoryStore`](crate::store::MemoryStore) for tests.
    pub fn token_store(mut self, store: impl TokenStore) -> Self {
        self.token_store = Some(ErasedStore::new(store));
        self
    }

    /// [`token_store`](Self::token_store) if `store` is `Some`: for a store
    /// read from the environment, which may not be set.
    pub fn maybe_token_store(self, store: Option<impl TokenStore>) -> Self {
        match store {
            Some(store) => self.token_store(store),
            None => self,
        }
    }

    /// How the token store is used: lease, timeouts, polling (see
    /// [`FleetSettings`]).
    pub fn fleet_settings(mut self, settings: FleetSettings) -> Self {
        self.fleet_settings = settings;
        self
    }

    /// Fills what is not set yet from the environment:
    /// `AUTHORIZED_<PROVIDER>_BASE_URL`, `AUTHORIZED_<PROVIDER>_CLIENT_ID`,
    /// `AUTHORIZED_<PROVIDER>_CLIENT_SECRET`, and, when set,
    /// `AUTHORIZED_<PROVIDER>_CLIENT_AUTH` (`params`, `basic` or `none`),
    /// `AUTHORIZED_<PROVIDER>_TOKEN_URL`, `…_CHECK_URL`, `…_REVOKE_URL` and
    /// `…_ISSUER` (`<PROVIDER>` is the provider's name in capitals, e.g.
    /// `AUTHORIZED_SERVER_CLIENT_ID`). A `CLIENT_AUTH` that names no method
    /// is reported by `build()`.
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
        if self.client_auth_text.is_none() && self.client_auth.is_none() {
            self.client_auth_text = var("CLIENT_AUTH");
        }
        for (slot, what) in [
            (&mut self.token_url, "TOKEN_URL"),
            (&mut self.check_url, "CHECK_URL"),
            (&mut self.revoke_url, "REVOKE_URL"),
            (&mut self.issuer, "ISSUER"),
        ] {
            if slot.is_none() {
                *slot = var(what);
            }
        }
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<P::Client>
    where
        P::Client: From<Client<P>>,
    {
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
        let placements = Placements::parse(&def.placement, def.name)?;
        let token_in = self.token_in.unwrap_or(def.placement.default);
        if placements.get(token_in).is_none() {
            return Err(Error::Config(format!(
                "`{}` does not accept the token in the {}",
                def.name,
                token_in.as_str()
            )));
        }
        check_margins(&self.margins)?;
        let client_auth = match (self.client_auth, self.client_auth_text.as_deref()) {
            (Some(method), _) => Some(method),
            (None, Some(text)) => Some(parse_client_auth(text).ok_or_else(|| {
                Error::Config(format!(
                    "{} is `{text}`; expected `params`, `basic` or `none`",
                    env_var::<P>("CLIENT_AUTH")
                ))
            })?),
            (None, None) => None,
        };
        if let Some(method) = client_auth
            && !def.token.client_auth.contains(&method)
        {
            let allowed: Vec<&str> = def.token.client_auth.iter().map(|m| m.as_str()).collect();
            return Err(Error::Config(format!(
                "the token endpoint of `{}` does not take client authentication `{}`; it takes: {}",
                def.name,
                method.as_str(),
                allowed.join(", ")
            )));
        }
        let endpoint = |text: &Option<String>, what: &str| {
            text.as_deref()
                .map(|t| check_endpoint_url(t, &base_url, what, self.allow_insecure_http))
                .transpose()
        };
        let overrides = Overrides {
            token: endpoint(&self.token_url, "token url")?,
            check: endpoint(&self.check_url, "check url")?,
            revoke: endpoint(&self.revoke_url, "revoke url")?,
        };
        let issuer = match self.issuer.as_deref() {
            None => None,
            Some(_) if def.discovery.is_empty() => {
                return Err(Error::Config(format!(
                    "`{}` publishes no issuer metadata (its spec lists no `discovery`); set the endpoint URLs with `token_url(…)` and its kin",
                    def.name
                )));
            }
            Some(text) => {
                let url = Url::parse(text)
                    .map_err(|e| Error::Config(format!("the issuer `{text}` is not a URL: {e}")))?;
                check_secure(&url, "issuer", self.allow_insecure_http)?;
                Some(Issuer {
                    url,
                    documents: def.discovery,
                })
            }
        };
        let fleet = &self.fleet_settings;
        if self.token_store.is_some() && (fleet.lease.is_zero() || fleet.op_timeout.is_zero()) {
            return Err(Error::Config(
                "the token store's lease and call timeout must be longer than zero".into(),
            ));
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be longer than zero".into()));
        }
        let call_headers = |call: Option<&crate::def::TokenCall>, what: &str| match call {
            Some(call) => headers::parse(
                call.headers,
                &format!("the {what} endpoint of `{}`", def.name),
            ),
            None => Ok(Default::default()),
        };
        let check_headers = call_headers(def.check.as_ref(), "check")?;
        let revoke_headers = call_headers(def.revoke.as_ref(), "revoke")?;
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
        let endpoints = Endpoints::new(
            def,
            base_url.clone(),
            overrides,
            issuer,
            self.allow_insecure_http,
        );
        let credentials = Credentials::new(client_id, client_secret, client_auth);
        let fetcher = TokenFetcher::configured(
            def,
            http.clone(),
            endpoints,
            credentials,
            params,
            self.retry,
        )?;
        let store = (self.token_store).map(|s| StoreHandle::erased(s, self.fleet_settings));
        let cache = if self.share_cache {
            registry::shared(fetcher, self.margins, store)
        } else {
            registry::new(fetcher, self.margins, store)
        };
        Ok(Client::from_inner(Inner {
            def,
            http,
            base_url,
            cache,
            token_in,
            placements,
            check_headers,
            revoke_headers,
            max_answer_bytes: self.max_answer_bytes,
            counters: Counters::default(),
        }))
    }
}
