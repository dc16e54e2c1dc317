//! The command line, as clap derive types. Every subcommand has `--help`.
//!
//! - this file: the subcommands, and `sandbox`, `gen` and `completions`;
//! - `connection`: where `token`, `check`, `revoke` and `call` connect, and
//!   how they print;
//! - `call`: what `call` sends.

mod call;
mod connection;

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

pub use call::{CallArgs, TokenPlacement};
pub use connection::{
    ClientAuthArg, Connection, GivenTokenArgs, OutputArgs, OutputFormat, ProviderName, TokenArgs,
};

/// Typed clients for token-protected vendor APIs: try them, call them,
/// generate them.
#[derive(Debug, Parser)]
#[command(name = "authorized", version, propagate_version = true)]
#[command(after_help = CONNECTION_HELP)]
pub struct Cli {
    /// Log what the runtime does on stderr: -v for info, -vv for debug.
    /// Secrets never appear in the log.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How `token`, `check`, `revoke` and `call` find their provider; shown
/// after the top-level help and after each of theirs.
pub(crate) const CONNECTION_HELP: &str = "\
Where `token`, `check`, `revoke` and `call` connect, first found wins:
  1. flags: --base-url, --client-id, --client-secret, --client-auth,
     --issuer, --token-url, --check-url, --revoke-url
  2. AUTHORIZED_<PROVIDER>_BASE_URL, _CLIENT_ID, _CLIENT_SECRET, _CLIENT_AUTH,
     _ISSUER, _TOKEN_URL, _CHECK_URL, _REVOKE_URL (e.g. AUTHORIZED_SERVER_BASE_URL)
  3. the --config file (YAML; see `authorized call --help`)
With no base URL anywhere they stop (exit code 2) and say what to pass.
--sandbox runs them against an embedded sandbox with the demo credentials
instead, ignoring the environment and the config file. With --redis URL (or
AUTHORIZED_REDIS_URL) they share the token with every process using that
Redis, as a service's replicas do.

Exit codes: 0 done; 1 the provider or the command said no (a refused call,
an inactive token, a vendor error); 2 the command line or the settings are
incomplete or wrong.";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a sandbox in process and walk through every capability of the
    /// hotel, server and oauth2 clients, step by step, with a summary;
    /// exits non-zero if any step misbehaves.
    Demo,
    /// Get an access token and print it (masked unless --show-secrets) with
    /// its lifetime and expiry.
    #[command(after_help = CONNECTION_HELP)]
    Token(TokenArgs),
    /// Ask the provider's check endpoint about a token: --token, or a fresh
    /// one (server and oauth2; hotel has none). Exits 1 if the provider says
    /// the token is not valid.
    #[command(after_help = CONNECTION_HELP)]
    Check(GivenTokenArgs),
    /// Revoke a token at the provider's revoke endpoint: --token, or a
    /// fresh one (server and oauth2; hotel has none).
    #[command(after_help = CONNECTION_HELP)]
    Revoke(GivenTokenArgs),
    /// Make an authorized API call and print what the client returns: the
    /// result (the provider's envelope unwrapped), or with --raw the whole
    /// answer.
    #[command(after_help = call::CONFIG_HELP)]
    Call(CallArgs),
    /// Run the sandbox in the foreground until Ctrl-C.
    Sandbox(SandboxArgs),
    /// Generate Rust client modules from provider specs.
    Gen(GenArgs),
    /// Print a shell completion script: `authorized completions bash >
    /// ~/.local/share/bash-completion/completions/authorized`.
    Completions(CompletionsArgs),
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

/// `completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn sandbox_excludes_a_base_url_and_a_config_file() {
        for other in [["--base-url", "https://x.example"], ["--config", "c.yaml"]] {
            let args = [&["authorized", "token", "--sandbox"][..], &other[..]].concat();
            assert!(Cli::try_parse_from(args).is_err());
        }
        assert!(Cli::try_parse_from(["authorized", "token", "--sandbox"]).is_ok());
    }
}
