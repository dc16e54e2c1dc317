//! `call METHOD PATH`: one authorized API call. By default it prints what
//! the client returns, `RequestBuilder::send::<JsonValue>()`'s result: the
//! payload with the provider's envelope unwrapped, or the vendor's error
//! (its code and message, exit code 1) whatever the HTTP status. `--raw`
//! prints the whole answer instead.

use authorized_api::Error;
use authorized_api::runtime::{JsonValue, RawResponse};
use serde_json::json;

use crate::args::{CallArgs, OutputFormat};
use crate::connect::with_target;
use crate::error::{CliError, Result};
use crate::output::{self, Mask};
use crate::providers;

/// Makes the call and prints its result, or with `--raw` its answer.
pub(crate) async fn run(args: &CallArgs) -> Result<()> {
    let ops = providers::ops(args.connection.provider);
    let (called, client_secret) = with_target(&args.connection, async |target| {
        let called = (ops.call)(target, args).await?;
        Ok((called, target.client_secret().clone()))
    })
    .await?;
    let secrets = called.tokens.iter().chain([&client_secret]);
    let mask = Mask::new(secrets, args.output.show_secrets);
    let answer = Answer {
        args,
        raw: &called.answer,
        mask,
    };
    if args.raw {
        answer.print_raw()
    } else {
        answer.print_result()
    }
}

/// A call's answer and how to print it.
struct Answer<'a> {
    args: &'a CallArgs,
    raw: &'a RawResponse,
    mask: Mask<'a>,
}

impl Answer<'_> {
    /// The result the client decodes; a vendor error fails the command.
    fn print_result(&self) -> Result<()> {
        let status = self.raw.status();
        match self.raw.decode::<JsonValue>() {
            Ok(result) => {
                let result = self.mask.json(result);
                match self.args.output.output {
                    OutputFormat::Json => {
                        output::json(&json!({ "status": status.as_u16(), "body": result }))
                    }
                    OutputFormat::Text => {
                        output::note(format_args!("HTTP {status}"));
                        match result {
                            JsonValue::Null => Ok(()),
                            result => output::line(pretty(&result)),
                        }
                    }
                }
            }
            Err(Error::Api {
                status,
                code,
                message,
                ..
            }) => {
                let code = code.map(|c| self.mask.text(&c));
                let message = message.map(|m| self.mask.text(&m));
                if self.args.output.output == OutputFormat::Json {
                    let error = json!({ "code": code, "message": message });
                    output::json(&json!({ "status": status, "error": error }))?;
                }
                let code = code.map(|c| format!(", code {c}")).unwrap_or_default();
                let message = message.map(|m| format!(": {m}")).unwrap_or_default();
                Err(CliError::Failed(format!(
                    "`{}` answered {} with HTTP {status}{code}{message}",
                    self.args.connection.provider.as_str(),
                    self.request()
                )))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// The whole answer; a non-2xx status fails the command.
    fn print_raw(&self) -> Result<()> {
        let status = self.raw.status();
        let body = self.raw.body();
        let parsed = serde_json::from_slice::<JsonValue>(body).ok();
        match self.args.output.output {
            OutputFormat::Json => {
                let body = match parsed {
                    Some(json) => self.mask.json(json),
                    None if body.is_empty() => JsonValue::Null,
                    None => JsonValue::String(self.mask.text(&self.raw.text())),
                };
                output::json(&json!({ "status": status.as_u16(), "body": body }))?;
            }
            OutputFormat::Text => {
                output::line(format_args!("HTTP {status}"))?;
                match parsed {
                    Some(json) => output::line(pretty(&self.mask.json(json)))?,
                    None if body.is_empty() => {}
                    None => output::line(self.mask.text(&self.raw.text()))?,
                }
            }
        }
        if status.is_success() {
            Ok(())
        } else {
            Err(CliError::Failed(format!(
                "`{}` answered {status} to {}",
                self.args.connection.provider.as_str(),
                self.request()
            )))
        }
    }

    /// `GET /api/me`.
    fn request(&self) -> String {
        format!("{} {}", self.args.method.to_reqwest(), self.args.path)
    }
}

fn pretty(json: &JsonValue) -> String {
    serde_json::to_string_pretty(json).unwrap_or_else(|_| json.to_string())
}
