//! `token`, `check` and `revoke`: the token lifecycle by hand, on any
//! provider of the table, printed for people or (`--output json`) scripts.

use std::io::BufRead as _;
use std::time::{Duration, SystemTime};

use authorized_api::Secret;
use authorized_api::runtime::Token;
use serde_json::{Value, json};

use crate::args::{GivenTokenArgs, OutputFormat, ProviderName, TokenArgs};
use crate::connect::with_target;
use crate::error::{CliError, Result};
use crate::output::{self, Mask};
use crate::providers::{self, ProviderOps};

/// Gets a token and prints it (masked unless `--show-secrets`) with its
/// lifetime and expiry.
pub(crate) async fn token(args: &TokenArgs) -> Result<()> {
    let provider = args.connection.provider;
    let ops = providers::ops(provider);
    let (granted, client_secret) = with_target(&args.connection, async |target| {
        let token = (ops.token)(target).await?;
        Ok((token, target.client_secret().clone()))
    })
    .await?;
    let token = &granted.access_token;
    let expiry = Expiry::of(&granted);
    let mask = Mask::new([token, &client_secret], args.output.show_secrets);
    match args.output.output {
        OutputFormat::Json => {
            output::json(&json!({
                "provider": provider.as_str(),
                "token": mask.secret(token),
                "lifetime_secs": expiry.lifetime.as_secs(),
                "expires_at": output::utc(expiry.at),
            }))?;
        }
        OutputFormat::Text => {
            output::line(mask.secret(token))?;
            output::line(expiry)?;
        }
    }
    if !args.output.show_secrets {
        output::note("note: the token is masked; --show-secrets prints it in full");
    }
    Ok(())
}

/// A token's lifetime and when it expires.
#[derive(Debug, Clone, Copy)]
struct Expiry {
    lifetime: Duration,
    at: SystemTime,
}

impl Expiry {
    fn of(token: &Token) -> Self {
        Self {
            lifetime: token.lifetime,
            at: SystemTime::now() + token.expires_in(),
        }
    }
}

impl std::fmt::Display for Expiry {
    /// `lifetime 3600 s, expires 2026-12-01T21:30:00Z (in 3600 s)`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let left = self
            .at
            .duration_since(SystemTime::now())
            .map_or(0, |left| (left + Duration::from_millis(500)).as_secs());
        write!(
            f,
            "lifetime {} s, expires {} (in {left} s)",
            self.lifetime.as_secs(),
            output::utc(self.at)
        )
    }
}

/// Checks `--token` or a fresh token and prints the provider's answer; an
/// answer saying the token is not active (RFC 7662) fails the command.
pub(crate) async fn check(args: &GivenTokenArgs) -> Result<()> {
    let provider = args.connection.provider;
    let ops = providers::ops(provider);
    let check = ops.check.ok_or_else(|| no_endpoint(ops, "check"))?;
    let given = given_token(args)?;
    let (checked, client_secret) = with_target(&args.connection, async |target| {
        let checked = check(target, given.as_ref()).await?;
        Ok((checked, target.client_secret().clone()))
    })
    .await?;
    let mask = Mask::new([&checked.token, &client_secret], args.output.show_secrets);
    // A check endpoint that answers at all says "valid", unless it says
    // `active: false`, as introspection does.
    let active = checked.answer.get("active").and_then(Value::as_bool) != Some(false);
    match args.output.output {
        OutputFormat::Json => output::json(&mask.json(checked.answer))?,
        OutputFormat::Text => {
            let verdict = if active { "valid" } else { "not active" };
            output::line(format_args!("{verdict}: {}", mask.secret(&checked.token)))?;
            let fields = checked.answer.as_object().into_iter().flatten();
            for (name, value) in fields {
                if value.as_str() != Some(checked.token.expose()) && name != "active" {
                    output::line(format_args!(
                        "  {name}: {}",
                        field(name, &mask.json(value.clone()))
                    ))?;
                }
            }
        }
    }
    if active {
        Ok(())
    } else {
        Err(CliError::Failed(format!(
            "`{}` says the token is not active (unknown, expired or revoked)",
            provider.as_str()
        )))
    }
}

/// One field of a check answer as text; the RFC 7662 instants (`exp`,
/// `iat`, `nbf`: seconds since the epoch) also in UTC.
fn field(name: &str, value: &Value) -> String {
    match (name, value.as_u64()) {
        ("exp" | "iat" | "nbf", Some(secs)) => {
            let at = SystemTime::UNIX_EPOCH + Duration::from_secs(secs.min(253_402_300_799));
            format!("{secs} ({})", output::utc(at))
        }
        _ => match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        },
    }
}

/// Revokes `--token` or a fresh token.
pub(crate) async fn revoke(args: &GivenTokenArgs) -> Result<()> {
    let provider = args.connection.provider;
    let ops = providers::ops(provider);
    let revoke = ops.revoke.ok_or_else(|| no_endpoint(ops, "revoke"))?;
    let given = given_token(args)?;
    let (token, client_secret) = with_target(&args.connection, async |target| {
        let token = revoke(target, given.as_ref()).await?;
        Ok((token, target.client_secret().clone()))
    })
    .await?;
    let mask = Mask::new([&token, &client_secret], args.output.show_secrets);
    match args.output.output {
        OutputFormat::Json => output::json(&json!({
            "provider": provider.as_str(),
            "token": mask.secret(&token),
            "revoked": true,
        })),
        OutputFormat::Text => output::line(format_args!("revoked: {}", mask.secret(&token))),
    }
}

/// `--token`, read from stdin when it is `-`.
fn given_token(args: &GivenTokenArgs) -> Result<Option<Secret>> {
    let Some(text) = &args.token else {
        return Ok(None);
    };
    let text = if text == "-" {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::Failed(format!("cannot read the token from stdin: {e}")))?;
        line.trim().to_owned()
    } else {
        text.trim().to_owned()
    };
    if text.is_empty() {
        return Err(CliError::Usage("--token is empty".into()));
    }
    Ok(Some(Secret::new(text)))
}

fn no_endpoint(ops: &ProviderOps, what: &str) -> CliError {
    let others = providers::having(|ops| match what {
        "check" => ops.check.is_some(),
        _ => ops.revoke.is_some(),
    });
    let name: ProviderName = ops.name;
    CliError::Usage(format!(
        "`{}` has no {what} endpoint (its spec defines none); `{what}` works with --provider {others}",
        name.as_str()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_reads_as_documented() {
        let hour = Token {
            access_token: Secret::new("t"),
            refresh_token: None,
            lifetime: Duration::from_secs(3600),
            obtained_at: tokio::time::Instant::now(),
        };
        let expiry = Expiry::of(&hour);
        assert_eq!(expiry.lifetime, Duration::from_secs(3600));
        let text = expiry.to_string();
        assert!(text.starts_with("lifetime 3600 s, expires 20"), "{text}");
        assert!(text.ends_with("(in 3600 s)"), "{text}");
        let spent = Token {
            lifetime: Duration::ZERO,
            ..hour
        };
        assert!(Expiry::of(&spent).to_string().ends_with("(in 0 s)"));
    }

    #[test]
    fn introspection_instants_read_in_utc() {
        assert_eq!(
            field("exp", &json!(1_796_160_600)),
            "1796160600 (2026-12-01T21:30:00Z)"
        );
        assert_eq!(field("scope", &json!("read write")), "read write");
        assert_eq!(field("active", &json!(true)), "true");
    }
}
