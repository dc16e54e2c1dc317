//! Where a command connects and as whom, resolved in this one place: each
//! setting from its flag, else the runtime's `AUTHORIZED_<PROVIDER>_*`
//! variable (the names `ClientBuilder::from_env` reads), else the config
//! file. No base URL anywhere stops the command with a usage error naming
//! what to pass; `--sandbox` asks for an embedded sandbox with the demo
//! credentials instead, and then reads flags only.
//!
//! A new connection setting is a field of [`Settings`], one `pick` in
//! [`resolve`] and one line in [`Target::client`]. `--redis` (the fleet's
//! token store) is the one setting named without a provider: clap reads
//! `AUTHORIZED_REDIS_URL` for it.

use authorized_api::redis::RedisStore;
use authorized_api::runtime::{self, ClientAuth};
use authorized_api::{Secret, runtime::Provider};
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox};

use crate::args::{ClientAuthArg, Connection, ProviderName};
use crate::config::{ConfigFile, ProviderConfig};
use crate::error::{CliError, Result};
use crate::output;

/// Everything a client is built from, resolved.
struct Settings {
    base_url: String,
    client_id: String,
    client_secret: Secret,
    client_auth: Option<ClientAuth>,
    issuer: Option<String>,
    token_url: Option<String>,
    check_url: Option<String>,
    revoke_url: Option<String>,
    token_params: Vec<(String, String)>,
    allow_insecure_http: bool,
    /// The fleet's Redis, if tokens are shared (`--redis`, `AUTHORIZED_REDIS_URL`).
    redis: Option<String>,
}

/// A resolved connection, and the sandbox behind it if `--sandbox` asked
/// for one.
pub(crate) struct Target {
    settings: Settings,
    sandbox: Option<RunningSandbox>,
}

/// Resolves `connection`, runs `work` against it, and stops the embedded
/// sandbox (if any) whatever `work` returned.
pub(crate) async fn with_target<T>(
    connection: &Connection,
    work: impl AsyncFnOnce(&Target) -> Result<T>,
) -> Result<T> {
    let target = resolve(connection).await?;
    let result = work(&target).await;
    if let Some(sandbox) = target.sandbox {
        sandbox.shutdown().await;
    }
    result
}

/// Where one setting is read from.
struct Sources {
    provider: ProviderName,
    /// Whether to read the environment: not under `--sandbox` (which
    /// excludes `--config` too), so a production setting never reaches the
    /// sandbox.
    outside: bool,
}

impl Sources {
    /// The flag's value, else the environment's (read by `parse`), else the file's.
    fn pick<T>(
        &self,
        setting: &'static str,
        flag: Option<T>,
        from_file: Option<T>,
        parse: impl FnOnce(&str, &str) -> Result<T>,
    ) -> Result<Option<T>> {
        let var = env_var(self.provider, setting);
        let from_env = (self.outside && flag.is_none())
            .then(|| std::env::var(&var).ok().filter(|v| !v.is_empty()))
            .flatten();
        let (value, source) = match (flag, from_env, from_file) {
            (Some(v), _, _) => (Some(v), "a flag"),
            (None, Some(text), _) => (Some(parse(&var, &text)?), "the environment"),
            (None, None, Some(v)) => (Some(v), "the config file"),
            (None, None, None) => (None, "nowhere"),
        };
        tracing::info!(
            provider = self.provider.as_str(),
            setting,
            source,
            "setting resolved"
        );
        Ok(value)
    }

    fn text(
        &self,
        setting: &'static str,
        flag: &Option<String>,
        from_file: Option<String>,
    ) -> Result<Option<String>> {
        self.pick(setting, flag.clone(), from_file, |_, text| {
            Ok(text.to_owned())
        })
    }
}

async fn resolve(connection: &Connection) -> Result<Target> {
    let provider = connection.provider;
    let file = match &connection.config {
        Some(path) => ConfigFile::load(path)?.provider(provider).clone(),
        None => ProviderConfig::default(),
    };
    let sources = Sources {
        provider,
        outside: !connection.sandbox,
    };
    let c = connection;
    let base_url = sources.text("BASE_URL", &c.base_url, file.base_url)?;
    let client_id = sources.text("CLIENT_ID", &c.client_id, file.client_id)?;
    let file_secret = file.client_secret.map(|s| s.expose().to_owned());
    let client_secret = sources.text("CLIENT_SECRET", &c.client_secret, file_secret)?;
    let client_auth = sources.pick(
        "CLIENT_AUTH",
        c.client_auth,
        file.client_auth,
        |var, text| {
            ClientAuthArg::parse(text).ok_or_else(|| {
                CliError::Usage(format!(
                    "{var} is `{text}`; expected `basic`, `params` or `none`"
                ))
            })
        },
    )?;
    let issuer = sources.text("ISSUER", &c.issuer, file.issuer)?;
    let token_url = sources.text("TOKEN_URL", &c.token_url, file.token_url)?;
    let check_url = sources.text("CHECK_URL", &c.check_url, file.check_url)?;
    let revoke_url = sources.text("REVOKE_URL", &c.revoke_url, file.revoke_url)?;
    let mut token_params: Vec<(String, String)> = file
        .token_params
        .iter()
        .map(|(name, value)| (name.clone(), value.to_string()))
        .collect();
    if let Some(scope) = &c.scope {
        token_params.retain(|(name, _)| name != "scope");
        token_params.push(("scope".to_owned(), scope.clone()));
    }
    let (base_url, sandbox) = match base_url {
        Some(url) => (url, None),
        None if connection.sandbox => {
            let sandbox = start_sandbox(provider).await?;
            (sandbox.base_url(), Some(sandbox))
        }
        None => return Err(no_base_url(provider)),
    };
    let (client_id, client_secret) = match (client_id, client_secret, &sandbox) {
        (Some(id), Some(secret), _) => (id, secret),
        (id, secret, Some(_)) => (
            id.unwrap_or_else(|| DEMO_CLIENT_ID.to_owned()),
            secret.unwrap_or_else(|| DEMO_CLIENT_SECRET.to_owned()),
        ),
        (None, _, None) => return Err(missing(provider, "client id", "client-id", "client_id")),
        (_, None, None) => {
            let what = ("client secret", "client-secret", "client_secret");
            return Err(missing(provider, what.0, what.1, what.2));
        }
    };
    let settings = Settings {
        base_url,
        client_id,
        client_secret: Secret::new(client_secret),
        client_auth: client_auth.map(ClientAuth::from),
        issuer,
        token_url,
        check_url,
        revoke_url,
        token_params,
        allow_insecure_http: connection.allow_insecure_http,
        redis: connection
            .redis
            .clone()
            .filter(|url| !url.trim().is_empty()),
    };
    Ok(Target { settings, sandbox })
}

/// The one line a command without a base URL stops with.
fn no_base_url(provider: ProviderName) -> CliError {
    CliError::Usage(format!(
        "no base URL for `{name}`: pass --base-url URL, set {var} or put `base_url` under `{name}:` in a --config file; or pass --sandbox to try the embedded sandbox",
        name = provider.as_str(),
        var = env_var(provider, "BASE_URL"),
    ))
}

fn missing(provider: ProviderName, what: &str, flag: &str, key: &str) -> CliError {
    CliError::Usage(format!(
        "no {what} for `{}`: pass --{flag}, set {} or put `{key}` in the config file",
        provider.as_str(),
        env_var(provider, &key.to_uppercase())
    ))
}

async fn start_sandbox(provider: ProviderName) -> Result<RunningSandbox> {
    let sandbox = Sandbox::default()
        .start()
        .await
        .map_err(|source| CliError::Sandbox {
            addr: "127.0.0.1".into(),
            source,
        })?;
    output::note(format_args!(
        "note: --sandbox: `{}` is an embedded sandbox at {}, not a real provider (client {DEMO_CLIENT_ID})",
        provider.as_str(),
        sandbox.base_url()
    ));
    Ok(sandbox)
}

/// The runtime's variable names: `AUTHORIZED_SERVER_BASE_URL`, …
pub(crate) fn env_var(provider: ProviderName, setting: &str) -> String {
    format!("AUTHORIZED_{}_{setting}", provider.as_str().to_uppercase())
}

impl Target {
    /// The client secret, to hide wherever output could show it.
    pub(crate) fn client_secret(&self) -> &Secret {
        &self.settings.client_secret
    }

    /// A client for provider `P` on this connection.
    pub(crate) fn client<P: Provider>(&self) -> Result<runtime::Client<P>> {
        let s = &self.settings;
        let mut builder = runtime::Client::<P>::builder()
            .base_url(&s.base_url)
            .client_id(&s.client_id)
            .client_secret(s.client_secret.clone())
            .allow_insecure_http(s.allow_insecure_http);
        if let Some(method) = s.client_auth {
            builder = builder.client_auth(method);
        }
        if let Some(issuer) = &s.issuer {
            builder = builder.issuer(issuer);
        }
        if let Some(url) = &s.token_url {
            builder = builder.token_url(url);
        }
        if let Some(url) = &s.check_url {
            builder = builder.check_url(url);
        }
        if let Some(url) = &s.revoke_url {
            builder = builder.revoke_url(url);
        }
        for (name, value) in &s.token_params {
            builder = builder.token_param(name, value);
        }
        if let Some(url) = &s.redis {
            let store = RedisStore::new(url.trim())
                .map_err(|e| CliError::Usage(format!("--redis / AUTHORIZED_REDIS_URL: {}", e.0)))?;
            builder = builder.token_store(store);
        }
        builder.build_runtime().map_err(|e| match e {
            // A setting that cannot be right: a usage error, naming the
            // flag rather than the builder method the runtime suggests.
            runtime::Error::Config(message) => CliError::Usage(format!(
                "configuration error: {}",
                message.replace("`allow_insecure_http(true)`", "--allow-insecure-http")
            )),
            other => other.into(),
        })
    }
}
