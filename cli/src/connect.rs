//! Where a command connects and as whom: flags, then the runtime's
//! `AUTHORIZED_<PROVIDER>_*` environment variables, then the config file;
//! with no base URL anywhere, an embedded sandbox with the demo credentials.

use authorized_api::{Secret, runtime};
use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox};

use crate::args::{Connection, ProviderName};
use crate::config::{ConfigFile, ProviderConfig};
use crate::error::{CliError, Result};
use crate::output;

/// A resolved connection, and the sandbox behind it if one was started.
pub(crate) struct Target {
    pub provider: ProviderName,
    base_url: String,
    client_id: String,
    client_secret: Secret,
    token_params: Vec<(String, String)>,
    allow_insecure_http: bool,
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

async fn resolve(connection: &Connection) -> Result<Target> {
    let provider = connection.provider;
    let file = match &connection.config {
        Some(path) => ConfigFile::load(path)?.provider(provider).clone(),
        None => ProviderConfig::default(),
    };
    let pick = |setting: &'static str, flag: Option<String>, from_file: Option<String>| {
        let var = env_var(provider, setting);
        let from_env = std::env::var(&var).ok().filter(|v| !v.is_empty());
        let (value, source) = match (flag, from_env, from_file) {
            (Some(v), _, _) => (Some(v), "a flag"),
            (None, Some(v), _) => (Some(v), "the environment"),
            (None, None, Some(v)) => (Some(v), "the config file"),
            (None, None, None) => (None, "nowhere"),
        };
        tracing::info!(
            provider = provider.as_str(),
            setting,
            source,
            "setting resolved"
        );
        value
    };
    let base_url = pick("BASE_URL", connection.base_url.clone(), file.base_url);
    let client_id = pick("CLIENT_ID", connection.client_id.clone(), file.client_id);
    let file_secret = file.client_secret.map(|s| s.expose().to_owned());
    let client_secret = pick(
        "CLIENT_SECRET",
        connection.client_secret.clone(),
        file_secret,
    );
    let token_params = file
        .token_params
        .iter()
        .map(|(name, value)| (name.clone(), value.to_string()))
        .collect();
    let (base_url, sandbox, client_id, client_secret) = match base_url {
        Some(url) => {
            let missing = |what: &str, flag: &str, key: &str| {
                CliError::Usage(format!(
                    "no {what} for `{}`: pass --{flag}, set {} or put `{key}` in the config file",
                    provider.as_str(),
                    env_var(provider, &key.to_uppercase())
                ))
            };
            let id = client_id.ok_or_else(|| missing("client id", "client-id", "client_id"))?;
            let secret = client_secret
                .ok_or_else(|| missing("client secret", "client-secret", "client_secret"))?;
            (url, None, id, secret)
        }
        None => {
            let sandbox = Sandbox::default()
                .start()
                .await
                .map_err(|source| CliError::Sandbox {
                    addr: "127.0.0.1".into(),
                    source,
                })?;
            let url = sandbox.base_url();
            output::note(format_args!(
                "note: no base URL (--base-url, {} or --config): using an embedded sandbox at {url}",
                env_var(provider, "BASE_URL")
            ));
            let id = client_id.unwrap_or_else(|| DEMO_CLIENT_ID.to_owned());
            let secret = client_secret.unwrap_or_else(|| DEMO_CLIENT_SECRET.to_owned());
            (url, Some(sandbox), id, secret)
        }
    };
    Ok(Target {
        provider,
        base_url,
        client_id,
        client_secret: Secret::new(client_secret),
        token_params,
        allow_insecure_http: connection.allow_insecure_http,
        sandbox,
    })
}

/// The runtime's variable names: `AUTHORIZED_SERVER_BASE_URL`, …
fn env_var(provider: ProviderName, setting: &str) -> String {
    format!("AUTHORIZED_{}_{setting}", provider.as_str().to_uppercase())
}

impl Target {
    /// A client for provider `P` on this connection.
    pub(crate) fn client<P: runtime::Provider>(&self) -> Result<runtime::Client<P>> {
        let mut builder = runtime::Client::<P>::builder()
            .base_url(&self.base_url)
            .client_id(&self.client_id)
            .client_secret(self.client_secret.clone())
            .allow_insecure_http(self.allow_insecure_http);
        for (name, value) in &self.token_params {
            builder = builder.token_param(name, value);
        }
        builder.build_runtime().map_err(|e| match e {
            // Name the flag, not the builder method the runtime suggests.
            runtime::Error::Config(message) if message.contains("allow_insecure_http") => {
                CliError::Usage(format!(
                    "configuration error: {}",
                    message.replace("`allow_insecure_http(true)`", "--allow-insecure-http")
                ))
            }
            other => other.into(),
        })
    }
}
