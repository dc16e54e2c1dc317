//! The providers the CLI drives, as one table: a row per provider, each
//! pointing at the same generic work instantiated for its generated
//! client, with check and revoke only where its spec has them (the
//! compiler holds a row to `HasCheck` and `HasRevoke`). A new provider is
//! one row and one [`ProviderName`] variant.

use std::future::Future;
use std::pin::Pin;

use authorized_api::runtime::{HasCheck, HasRevoke, Provider, Token};
use authorized_api::{RawResponse, Secret, Tenant, hotel, oauth2, server};
use serde::Serialize;

use crate::args::{CallArgs, ProviderName};
use crate::connect::Target;
use crate::error::{CliError, Result};

/// The future of one provider's work, boxed so that rows hold plain `fn`s.
pub(crate) type Work<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + 'a>>;

/// Work on a token: the one given (`--token`), or the client's own.
pub(crate) type OnToken<T> = for<'a> fn(&'a Target, Option<&'a Secret>) -> Work<'a, T>;

/// What a command can ask of one provider.
pub(crate) struct ProviderOps {
    /// The name on the command line.
    pub name: ProviderName,
    /// A token from a client on the target (fetched on first use), with
    /// its lifetime.
    pub token: for<'a> fn(&'a Target) -> Work<'a, Token>,
    /// Checks the given token, or a fresh one; `None`: no check endpoint.
    pub check: Option<OnToken<Checked>>,
    /// Revokes the given token, or a fresh one, returning the token
    /// revoked; `None`: no revoke endpoint.
    pub revoke: Option<OnToken<Secret>>,
    /// Makes an API call.
    pub call: for<'a> fn(&'a Target, &'a CallArgs) -> Work<'a, Called>,
}

/// A check's outcome: the token checked and the provider's typed answer,
/// as JSON (secrets in it still whole: mask before printing).
pub(crate) struct Checked {
    /// The token that was checked.
    pub token: Secret,
    /// The provider's answer, its spec's type serialized.
    pub answer: serde_json::Value,
}

/// A call's answer as it came, and the tokens it may have used.
pub(crate) struct Called {
    /// Status, headers and body.
    pub answer: RawResponse,
    /// The client's token before and after the call (a refused token is
    /// renewed and the call replayed).
    pub tokens: Vec<Secret>,
}

/// Every provider, in the order `--provider` lists them.
static PROVIDERS: [ProviderOps; 3] = [
    ProviderOps::new::<hotel::Provider>(ProviderName::Hotel),
    ProviderOps::new::<server::Provider>(ProviderName::Server)
        .with_check::<server::Provider>()
        .with_revoke::<server::Provider>(),
    ProviderOps::new::<oauth2::Provider>(ProviderName::Oauth2)
        .with_check::<oauth2::Provider>()
        .with_revoke::<oauth2::Provider>(),
];

/// The row of `name`.
pub(crate) fn ops(name: ProviderName) -> &'static ProviderOps {
    PROVIDERS
        .iter()
        .find(|ops| ops.name == name)
        .expect("every provider name has a row")
}

/// The names of the providers that have an endpoint, for messages:
/// `server or oauth2`.
pub(crate) fn having(endpoint: impl Fn(&ProviderOps) -> bool) -> String {
    let names: Vec<&str> = PROVIDERS
        .iter()
        .filter(|ops| endpoint(ops))
        .map(|ops| ops.name.as_str())
        .collect();
    names.join(" or ")
}

impl ProviderOps {
    const fn new<P: Provider>(name: ProviderName) -> Self {
        Self {
            name,
            token: token::<P>,
            check: None,
            revoke: None,
            call: call::<P>,
        }
    }

    const fn with_check<P: HasCheck>(mut self) -> Self
    where
        P::CheckResponse: Serialize,
    {
        self.check = Some(check::<P>);
        self
    }

    const fn with_revoke<P: HasRevoke>(mut self) -> Self {
        self.revoke = Some(revoke::<P>);
        self
    }
}

fn token<P: Provider>(target: &Target) -> Work<'_, Token> {
    Box::pin(async move { Ok(target.client::<P>()?.token_details().await?) })
}

fn check<'a, P: HasCheck>(target: &'a Target, given: Option<&'a Secret>) -> Work<'a, Checked>
where
    P::CheckResponse: Serialize,
{
    Box::pin(async move {
        let client = target.client::<P>()?;
        let (token, answer) = match given {
            Some(token) => (token.clone(), client.check_given_token(token).await?),
            None => (client.token().await?, client.check_token().await?),
        };
        let answer = serde_json::to_value(&answer).map_err(|e| {
            CliError::Failed(format!("the check answer does not convert to JSON: {e}"))
        })?;
        Ok(Checked { token, answer })
    })
}

fn revoke<'a, P: HasRevoke>(target: &'a Target, given: Option<&'a Secret>) -> Work<'a, Secret> {
    Box::pin(async move {
        let client = target.client::<P>()?;
        match given {
            Some(token) => {
                client.revoke_given_token(token).await?;
                Ok(token.clone())
            }
            None => {
                let token = client.token().await?;
                client.revoke_token().await?;
                Ok(token)
            }
        }
    })
}

fn call<'a, P: Provider>(target: &'a Target, args: &'a CallArgs) -> Work<'a, Called> {
    Box::pin(async move {
        let client = target.client::<P>()?;
        // The token the call will use: fetched now rather than by the call,
        // so the answer can be searched for it.
        let before = client.token().await?;
        let mut request = client.request(args.method, args.path.as_str());
        if let Some(sudo) = &args.sudo {
            request = request.sudo(sudo.clone());
        }
        if let Some(id) = &args.tenant_id {
            request = request.tenant(Tenant::id(id));
        }
        if let Some(code) = &args.tenant_code {
            request = request.tenant(Tenant::code(code));
        }
        if let Some(token_in) = args.token_in {
            request = request.token_in(token_in.into());
        }
        if let Some(data) = &args.data {
            request = request.json(data);
        }
        let answer = request.send_raw().await?;
        let mut tokens = vec![before];
        // Fresh in the cache after the call: no request.
        let after = client.token().await?;
        if tokens[0] != after {
            tokens.push(after);
        }
        Ok(Called { answer, tokens })
    })
}

#[cfg(test)]
mod tests {
    use authorized_api::runtime::ProviderDef;
    use clap::ValueEnum as _;

    use super::*;

    /// The spec behind each name, written out again to hold the table to.
    fn spec(name: ProviderName) -> &'static ProviderDef {
        match name {
            ProviderName::Hotel => hotel::Provider::DEF,
            ProviderName::Server => server::Provider::DEF,
            ProviderName::Oauth2 => oauth2::Provider::DEF,
        }
    }

    #[test]
    fn the_table_matches_the_specs() {
        assert_eq!(PROVIDERS.len(), ProviderName::value_variants().len());
        for &name in ProviderName::value_variants() {
            let (row, def) = (ops(name), spec(name));
            assert_eq!(def.name, name.as_str());
            assert_eq!(row.check.is_some(), def.check.is_some(), "{name:?}");
            assert_eq!(row.revoke.is_some(), def.revoke.is_some(), "{name:?}");
        }
        assert_eq!(having(|ops| ops.check.is_some()), "server or oauth2");
    }
}
