//! Where a command connects and as whom, and how it prints what it got.

use std::path::PathBuf;

use authorized_api::runtime::ClientAuth;
use clap::{Args, ValueEnum};
use serde::Deserialize;

/// The providers the CLI has clients for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderName {
    /// The hotel open platform (client credentials, refresh with rotation,
    /// `{success, result}` envelopes; no check, no revoke).
    Hotel,
    /// The server API (client credentials, check, revoke, sudo, tenants).
    Server,
    /// A standard OAuth 2.0 provider (RFC 6749 client credentials with
    /// Basic or parameters, RFC 7662 introspection as check, RFC 7009
    /// revocation, RFC 8414 discovery with --issuer).
    Oauth2,
}

impl ProviderName {
    /// The provider's name as its spec says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hotel => "hotel",
            Self::Server => "server",
            Self::Oauth2 => "oauth2",
        }
    }
}

/// How the client authenticates to the token, check and revoke endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuthArg {
    /// HTTP Basic (RFC 6749 §2.3.1, `client_secret_basic`).
    Basic,
    /// `client_id` and `client_secret` as request parameters
    /// (`client_secret_post`).
    Params,
    /// No client secret sent (a public client).
    None,
}

impl From<ClientAuthArg> for ClientAuth {
    fn from(method: ClientAuthArg) -> Self {
        match method {
            ClientAuthArg::Basic => ClientAuth::Basic,
            ClientAuthArg::Params => ClientAuth::Params,
            ClientAuthArg::None => ClientAuth::None,
        }
    }
}

impl ClientAuthArg {
    /// Reads `basic`, `params` or `none` (any case), as the runtime's
    /// `AUTHORIZED_<PROVIDER>_CLIENT_AUTH` does.
    pub fn parse(text: &str) -> Option<Self> {
        <Self as ValueEnum>::from_str(text.trim(), true).ok()
    }
}

/// Where to connect and as whom. Resolved, with the environment and the
/// config file, in one place: `connect.rs`.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// Which provider.
    #[arg(long, value_enum, default_value_t = ProviderName::Server)]
    pub provider: ProviderName,

    /// The provider's base URL (or `AUTHORIZED_<PROVIDER>_BASE_URL`, or
    /// `base_url` in the config file). Required unless --sandbox.
    #[arg(long, value_name = "URL", help_heading = "Connection")]
    pub base_url: Option<String>,

    /// Run against an embedded sandbox started for this command, with the
    /// demo credentials; the environment and the config file are not read.
    #[arg(
        long,
        conflicts_with_all = ["base_url", "config"],
        help_heading = "Connection"
    )]
    pub sandbox: bool,

    /// The client id.
    #[arg(long, value_name = "ID", help_heading = "Connection")]
    pub client_id: Option<String>,

    /// The client secret (prefer the environment or a config file: a flag
    /// shows in the process list).
    #[arg(long, value_name = "SECRET", help_heading = "Connection")]
    pub client_secret: Option<String>,

    /// A YAML file with the settings per provider (see `authorized call --help`).
    #[arg(long, value_name = "FILE", help_heading = "Connection")]
    pub config: Option<PathBuf>,

    /// Allow a plain http:// URL on a host that is not loopback. Only on a
    /// network you trust: the client secret travels in cleartext.
    #[arg(long, help_heading = "Connection")]
    pub allow_insecure_http: bool,

    /// How the client authenticates on token, check and revoke calls
    /// (default: the spec's first method; oauth2: basic).
    #[arg(long, value_enum, value_name = "HOW", help_heading = "Endpoints")]
    pub client_auth: Option<ClientAuthArg>,

    /// The authorization server's issuer: its metadata (RFC 8414) names the
    /// token, check and revoke endpoints (oauth2).
    #[arg(long, value_name = "URL", help_heading = "Endpoints")]
    pub issuer: Option<String>,

    /// The token endpoint, when not at the spec's path: a path below the
    /// base URL or a whole URL.
    #[arg(long, value_name = "URL", help_heading = "Endpoints")]
    pub token_url: Option<String>,

    /// The check (introspection) endpoint, as --token-url.
    #[arg(long, value_name = "URL", help_heading = "Endpoints")]
    pub check_url: Option<String>,

    /// The revoke endpoint, as --token-url.
    #[arg(long, value_name = "URL", help_heading = "Endpoints")]
    pub revoke_url: Option<String>,

    /// The scope to ask for, space-delimited (the `scope` token parameter,
    /// for providers whose spec takes one: oauth2).
    #[arg(long, value_name = "SCOPE", help_heading = "Endpoints")]
    pub scope: Option<String>,

    /// Share the token with a fleet through this Redis
    /// (redis://user:password@host:port/db, or rediss:// for TLS): take
    /// the fleet's token instead of fetching one, and renew it for everyone.
    #[arg(
        long = "redis",
        value_name = "URL",
        env = "AUTHORIZED_REDIS_URL",
        hide_env_values = true,
        help_heading = "Connection"
    )]
    pub redis: Option<String>,
}

/// How a command prints its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    /// For people.
    #[default]
    Text,
    /// One JSON object on stdout, for scripts.
    Json,
}

/// `--output` and `--show-secrets`.
#[derive(Debug, Clone, Copy, Args)]
pub struct OutputArgs {
    /// How to print the result.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Print tokens in full instead of masked.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `token`.
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// Where to connect.
    #[command(flatten)]
    pub connection: Connection,

    /// How to print.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `check` and `revoke`: a named token, or a fresh one.
#[derive(Debug, Clone, Args)]
pub struct GivenTokenArgs {
    /// The token to act on; `-` reads it from stdin (keeps it out of the
    /// process list). Without it, a token is fetched first.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,

    /// Where to connect.
    #[command(flatten)]
    pub connection: Connection,

    /// How to print.
    #[command(flatten)]
    pub output: OutputArgs,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_auth_reads_like_the_runtime() {
        assert_eq!(ClientAuthArg::parse("Basic"), Some(ClientAuthArg::Basic));
        assert_eq!(
            ClientAuthArg::parse(" params "),
            Some(ClientAuthArg::Params)
        );
        assert_eq!(ClientAuthArg::parse("none"), Some(ClientAuthArg::None));
        assert_eq!(ClientAuthArg::parse("post"), None);
    }
}
