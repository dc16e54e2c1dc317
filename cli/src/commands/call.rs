//! `call METHOD PATH`: one authorized API call, its status and JSON body.

use authorized_api::runtime::{self, Provider};
use authorized_api::{RawResponse, Tenant, hotel, server};

use crate::args::{CallArgs, ProviderName};
use crate::connect::{Target, with_target};
use crate::error::{CliError, Result};
use crate::output;

/// Makes the call and prints `HTTP <status>` and the body (pretty JSON when
/// it is JSON); a non-2xx answer is printed too, then fails the command.
pub(crate) async fn run(args: &CallArgs) -> Result<()> {
    let answer = with_target(&args.connection, async |target| match target.provider {
        ProviderName::Hotel => send::<hotel::Provider>(target, args).await,
        ProviderName::Server => send::<server::Provider>(target, args).await,
    })
    .await?;
    let status = answer.status();
    output::line(format_args!("HTTP {status}"))?;
    let body = answer.body();
    if !body.is_empty() {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(json) => output::line(serde_json::to_string_pretty(&json).unwrap_or_default())?,
            Err(_) => output::line(answer.text())?,
        }
    }
    if status.is_success() {
        Ok(())
    } else {
        Err(CliError::Failed(format!(
            "`{}` answered {status} to {} {}",
            args.connection.provider.as_str(),
            args.method.to_reqwest(),
            args.path
        )))
    }
}

async fn send<P: Provider>(target: &Target, args: &CallArgs) -> Result<RawResponse> {
    let client: runtime::Client<P> = target.client()?;
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
    Ok(request.send_raw().await?)
}
