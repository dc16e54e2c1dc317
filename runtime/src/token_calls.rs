//! Calls that send the token itself as a parameter: check and revoke.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::answer::{Opened, open_envelope, scalar_text, vendor_error};
use crate::body::{BodyError, TOKEN_ANSWER_LIMIT, read_body};
use crate::client::Client;
use crate::error::{Error, Result, Stage};
use crate::provider::{HasCheck, HasRevoke, ParamsIn, Provider, TokenCall};
use crate::redact::{BodyExcerpt, scrub};
use crate::token::Token;

/// Checks the current token (fetching one if none is cached).
pub(crate) async fn check<P: HasCheck>(client: &Client<P>) -> Result<P::CheckResponse> {
    let Some(call) = P::DEF.check.as_ref() else {
        return Err(Error::Config(format!(
            "`{}` has no check endpoint",
            P::DEF.name
        )));
    };
    let token = client.current_token().await?;
    let value = send(client, call, &token, Stage::TokenCheck).await?;
    decode(client, &token, Stage::TokenCheck, value)
}

/// Revokes the cached token, if any; drops it from the cache in every case.
pub(crate) async fn revoke<P: HasRevoke>(client: &Client<P>) -> Result<()> {
    let Some(revoke) = P::DEF.revoke.as_ref() else {
        return Err(Error::Config(format!(
            "`{}` has no revoke endpoint",
            P::DEF.name
        )));
    };
    let cache = &client.inner().cache;
    let Some(token) = cache.current() else {
        tracing::debug!(provider = P::DEF.name, "no token cached; nothing to revoke");
        return Ok(());
    };
    let answer = send(client, &revoke.call, &token, Stage::TokenRevoke).await;
    cache.invalidate_if_current(&token);
    let value = answer?;
    let code = value.get(revoke.code_field).and_then(scalar_text);
    if code.as_deref() == Some(revoke.success_code.to_string().as_str()) {
        tracing::info!(provider = P::DEF.name, "token revoked");
        return Ok(());
    }
    let message = revoke
        .message_field
        .and_then(|field| value.get(field))
        .and_then(scalar_text)
        .or_else(|| vendor_error(&value, P::DEF.envelope.as_ref()).1);
    Err(Error::Api {
        provider: P::DEF.name,
        stage: Stage::TokenRevoke,
        status: 200,
        code: clean(client, &token, code),
        message: clean(client, &token, message),
        body: excerpt(client, &token, value.to_string().as_bytes()),
    })
}

/// Sends `call` with the token as its parameter; returns the answer's JSON
/// (unwrapped from the envelope where declared) or a typed error.
async fn send<P: Provider>(
    client: &Client<P>,
    call: &TokenCall,
    token: &Token,
    stage: Stage,
) -> Result<Value> {
    let inner = client.inner();
    let def = inner.def;
    let url = crate::send::join(&inner.base_url, call.path)?;
    let mut builder = inner.http.request(call.method.to_reqwest(), url);
    for (name, value) in call.headers {
        builder = builder.header(*name, *value);
    }
    let param = [(call.token_param, token.access_token.expose())];
    builder = match call.params_in {
        ParamsIn::Query => builder.query(&param),
        ParamsIn::Form => builder.form(&param),
        ParamsIn::Json => {
            builder.json(&serde_json::json!({ call.token_param: token.access_token.expose() }))
        }
    };
    let response = builder
        .send()
        .await
        .map_err(|e| Error::from_reqwest(def.name, stage, e))?;
    let status = response.status().as_u16();
    let body = match read_body(response, TOKEN_ANSWER_LIMIT).await {
        Ok(body) => body,
        Err(BodyError::Transport(e)) => return Err(Error::from_reqwest(def.name, stage, e)),
        Err(BodyError::TooLong(start)) => {
            return Err(Error::Decode {
                provider: def.name,
                stage,
                reason: format!("the answer is longer than {TOKEN_ANSWER_LIMIT} bytes"),
                body: excerpt(client, token, &start),
            });
        }
    };
    let parsed = serde_json::from_slice::<Value>(&body);
    let failure = |code, message| Error::Api {
        provider: def.name,
        stage,
        status,
        code: clean(client, token, code),
        message: clean(client, token, message),
        body: excerpt(client, token, &body),
    };
    if !(200..300).contains(&status) {
        let (code, message) = parsed
            .as_ref()
            .map(|v| vendor_error(v, def.envelope.as_ref()))
            .unwrap_or_default();
        return Err(failure(code, message));
    }
    let value = parsed.map_err(|e| Error::Decode {
        provider: def.name,
        stage,
        reason: format!("the body is not JSON: {e}"),
        body: excerpt(client, token, &body),
    })?;
    match (call.enveloped, def.envelope.as_ref()) {
        (true, Some(envelope)) => match open_envelope(value, envelope) {
            Opened::Success(payload) => Ok(payload),
            Opened::Failure { code, message } => Err(failure(code, message)),
            Opened::NotEnveloped(_) => Err(Error::Decode {
                provider: def.name,
                stage,
                reason: format!(
                    "expected the envelope with a boolean `{}`",
                    envelope.success
                ),
                body: excerpt(client, token, &body),
            }),
        },
        _ => Ok(value),
    }
}

fn decode<P: Provider, T: DeserializeOwned>(
    client: &Client<P>,
    token: &Token,
    stage: Stage,
    value: Value,
) -> Result<T> {
    T::deserialize(&value).map_err(|e| Error::Decode {
        provider: P::DEF.name,
        stage,
        reason: e.to_string(),
        body: excerpt(client, token, value.to_string().as_bytes()),
    })
}

fn excerpt<P: Provider>(client: &Client<P>, token: &Token, body: &[u8]) -> BodyExcerpt {
    let secret = &client.inner().cache.fetcher().client_secret;
    BodyExcerpt::new(body, &[secret.expose(), token.access_token.expose()])
}

/// A vendor code or message with the secrets of this call hidden.
fn clean<P: Provider>(client: &Client<P>, token: &Token, text: Option<String>) -> Option<String> {
    let secret = &client.inner().cache.fetcher().client_secret;
    scrub(text, &[secret.expose(), token.access_token.expose()])
}
