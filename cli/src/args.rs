//! The command line, as clap derive types. Every subcommand has `--help`.

use std::path::PathBuf;

use authorized_api::runtime::{HttpMethod, SudoKind};
use authorized_api::{Sudo, TokenIn};
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

/// Typed clients for token-protected vendor APIs: try them, call them,
/// generate them.
#[derive(Debug, Parser)]
#[command(name = "authorized", version, propagate_version = true)]
#[command(after_help = CREDENTIALS_HELP)]
pub struct Cli {
    /// Log what the runtime does on stderr: -v for info, -vv for debug.
    /// Secrets never appear in the log.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const CREDENTIALS_HELP: &str = "\
Where `token`, `check`, `revoke` and `call` connect, first found wins:
  1. --base-url, --client-id, --client-secret
  2. AUTHORIZED_<PROVIDER>_BASE_URL, _CLIENT_ID, _CLIENT_SECRET
     (e.g. AUTHORIZED_SERVER_BASE_URL)
  3. the --config file (YAML; see `authorized call --help`)
With no base URL anywhere, they run against an embedded sandbox started
for the command, with the demo credentials.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a sandbox in process and walk through every capability, step by
    /// step, with a summary; exits non-zero if any step misbehaves.
    Demo,
    /// Get an access token and print it (masked unless --show-secrets).
    Token(TokenArgs),
    /// Check a fresh token with the provider's check endpoint (server only).
    Check(TokenArgs),
    /// Get a token and revoke it with the provider's revoke endpoint (server only).
    Revoke(TokenArgs),
    /// Make an authorized API call and print the status and the JSON body.
    #[command(after_help = CONFIG_HELP)]
    Call(CallArgs),
    /// Run the sandbox in the foreground until Ctrl-C.
    Sandbox(SandboxArgs),
    /// Generate Rust client modules from provider specs.
    Gen(GenArgs),
}

const CONFIG_HELP: &str = "\
The --config file is YAML, one section per provider, every key optional:

  server:
    base_url: https://open.vendor.example
    client_id: my-client
    client_secret: my-secret
  hotel:
    base_url: https://hotel.vendor.example
    client_id: my-hotel-client
    client_secret: my-hotel-secret
    token_params: { expires_in: 7200 }

Unknown keys are errors. Flags and AUTHORIZED_<PROVIDER>_* variables win
over the file.";

/// The providers the CLI has clients for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderName {
    /// The hotel open platform (client credentials, refresh with rotation).
    Hotel,
    /// The server API (client credentials, check, revoke, sudo, tenants).
    Server,
}

impl ProviderName {
    /// The provider's name as its spec says it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hotel => "hotel",
            Self::Server => "server",
        }
    }
}

/// Where to connect and as whom.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// Which provider.
    #[arg(long, value_enum, default_value_t = ProviderName::Server)]
    pub provider: ProviderName,

    /// The provider's base URL (default: AUTHORIZED_<PROVIDER>_BASE_URL, the
    /// config file, or an embedded sandbox).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// The client id.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// The client secret (prefer the environment or a config file: a flag
    /// shows in the process list).
    #[arg(long, value_name = "SECRET")]
    pub client_secret: Option<String>,

    /// A YAML file with base URLs and credentials per provider.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Allow a plain http:// base URL on a host that is not loopback. Only
    /// on a network you trust: the client secret travels in cleartext.
    #[arg(long)]
    pub allow_insecure_http: bool,
}

/// `token`, `check` and `revoke`.
#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// Where to connect.
    #[command(flatten)]
    pub connection: Connection,

    /// Print tokens in full instead of masked.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `call`.
#[derive(Debug, Clone, Args)]
pub struct CallArgs {
    /// The HTTP method: GET, POST, PUT, PATCH or DELETE.
    #[arg(value_name = "METHOD", value_parser = parse_method)]
    pub method: HttpMethod,

    /// The path below the base URL, with its own query if any (`/api/me`).
    #[arg(value_name = "PATH")]
    pub path: String,

    /// Where to connect.
    #[command(flatten)]
    pub connection: Connection,

    /// Act as a user: uid:<UID>, loginName:<NAME>, email:<EMAIL>,
    /// mobile:<MOBILE> or (deprecated) username:<NAME>.
    #[arg(long, value_name = "FORM:VALUE", value_parser = parse_sudo)]
    pub sudo: Option<Sudo>,

    /// Work on the data of the tenant with this id.
    #[arg(long, value_name = "ID", conflicts_with = "tenant_code")]
    pub tenant_id: Option<String>,

    /// Work on the data of the tenant with this code.
    #[arg(long, value_name = "CODE")]
    pub tenant_code: Option<String>,

    /// Where the token goes (default: the provider's spec).
    #[arg(long, value_enum, value_name = "WHERE")]
    pub token_in: Option<TokenPlacement>,

    /// A JSON body to send.
    #[arg(long, value_name = "JSON", value_parser = parse_json)]
    pub data: Option<serde_json::Value>,
}

/// Where the token goes on a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenPlacement {
    /// In the `Authorization` header.
    Header,
    /// In the query string.
    Query,
}

impl From<TokenPlacement> for TokenIn {
    fn from(placement: TokenPlacement) -> Self {
        match placement {
            TokenPlacement::Header => TokenIn::Header,
            TokenPlacement::Query => TokenIn::Query,
        }
    }
}

/// `sandbox`.
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

/// `gen`.
#[derive(Debug, Clone, Args)]
pub struct GenArgs {
    /// The spec files (YAML), one module each.
    #[arg(value_name = "SPEC", required = true)]
    pub specs: Vec<PathBuf>,

    /// Write the modules here instead of stdout (only when the content changes).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write nothing; fail if the output file differs from what would be generated.
    #[arg(long, requires = "output")]
    pub check: bool,

    /// The path generated code names the runtime by.
    #[arg(long, value_name = "PATH", default_value = authorized_codegen::DEFAULT_RUNTIME_CRATE)]
    pub runtime_crate: String,
}

fn parse_method(text: &str) -> Result<HttpMethod, String> {
    match text.to_ascii_uppercase().as_str() {
        "GET" => Ok(HttpMethod::Get),
        "POST" => Ok(HttpMethod::Post),
        "PUT" => Ok(HttpMethod::Put),
        "PATCH" => Ok(HttpMethod::Patch),
        "DELETE" => Ok(HttpMethod::Delete),
        _ => Err("expected GET, POST, PUT, PATCH or DELETE".into()),
    }
}

/// `uid:42`, `loginName:bob`, `email:a+b@example.com`, … The form ends at
/// the first colon; the value may hold colons.
fn parse_sudo(text: &str) -> Result<Sudo, String> {
    let (form, value) = text
        .split_once(':')
        .ok_or("expected FORM:VALUE, e.g. uid:42 or email:a+b@example.com")?;
    if value.is_empty() {
        return Err(format!("the {form} value is empty"));
    }
    let kind = match form {
        "uid" => {
            if !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("a uid is a number, not `{value}`"));
            }
            SudoKind::Uid
        }
        "loginName" | "login_name" => SudoKind::LoginName,
        "email" => SudoKind::Email,
        "mobile" => SudoKind::Mobile,
        "username" => SudoKind::Username,
        _ => {
            return Err(format!(
                "unknown form `{form}`: use uid, loginName, email, mobile or username"
            ));
        }
    };
    Ok(Sudo::new(kind, value))
}

fn parse_json(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sudo_forms() {
        let sudo = parse_sudo("email:a+b@example.com").unwrap();
        assert_eq!(
            (sudo.kind(), sudo.value()),
            (SudoKind::Email, "a+b@example.com")
        );
        assert_eq!(parse_sudo("loginName:a:b").unwrap().value(), "a:b");
        assert_eq!(
            parse_sudo("username:bob").unwrap().kind(),
            SudoKind::Username
        );
        assert!(parse_sudo("uid:x").is_err());
        assert!(parse_sudo("nick:bob").is_err());
        assert!(parse_sudo("bob").is_err());
        assert!(parse_sudo("email:").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }

    #[test]
    fn check_needs_an_output_file() {
        let parsed = Cli::try_parse_from(["authorized", "gen", "a.yaml", "--check"]);
        assert!(parsed.is_err());
        let parsed = Cli::try_parse_from(["authorized", "gen", "a.yaml", "-o", "x.rs", "--check"]);
        assert!(parsed.is_ok());
    }
}
