//! `token`, `check` and `revoke`: the token lifecycle by hand.

use authorized_api::{hotel, server};

use crate::args::{ProviderName, TokenArgs};
use crate::connect::with_target;
use crate::error::{CliError, Result};
use crate::output;

/// Gets a token and prints it, masked unless `--show-secrets`.
pub(crate) async fn token(args: &TokenArgs) -> Result<()> {
    let token = with_target(&args.connection, async |target| {
        Ok(match target.provider {
            ProviderName::Hotel => target.client::<hotel::Provider>()?.token().await?,
            ProviderName::Server => target.client::<server::Provider>()?.token().await?,
        })
    })
    .await?;
    output::line(output::secret(&token, args.show_secrets))?;
    if !args.show_secrets {
        output::note("note: the token is masked; --show-secrets prints it in full");
    }
    Ok(())
}

/// Checks a fresh token with the provider (server only).
pub(crate) async fn check(args: &TokenArgs) -> Result<()> {
    only_server(args.connection.provider, "check")?;
    let (token, answer) = with_target(&args.connection, async |target| {
        let client = target.client::<server::Provider>()?;
        let token = client.token().await?;
        Ok((token, client.check_token().await?))
    })
    .await?;
    output::line(format_args!(
        "valid: {} ({}, expires in {} s{})",
        output::secret(&token, args.show_secrets),
        answer.token_type,
        answer.expires_in.0,
        answer
            .scope
            .map(|s| format!(", scope {s}"))
            .unwrap_or_default()
    ))
}

/// Gets a token and revokes it (server only).
pub(crate) async fn revoke(args: &TokenArgs) -> Result<()> {
    only_server(args.connection.provider, "revoke")?;
    let token = with_target(&args.connection, async |target| {
        let client = target.client::<server::Provider>()?;
        let token = client.token().await?;
        client.revoke_token().await?;
        Ok(token)
    })
    .await?;
    output::line(format_args!(
        "revoked: {}",
        output::secret(&token, args.show_secrets)
    ))
}

fn only_server(provider: ProviderName, what: &str) -> Result<()> {
    match provider {
        ProviderName::Server => Ok(()),
        ProviderName::Hotel => Err(CliError::Usage(format!(
            "`hotel` has no {what} endpoint (its API document defines only the token and refresh grants); `{what}` works with --provider server"
        ))),
    }
}
