//! Sending an API request: the token, sudo and tenant go on; a refused token
//! is dropped (if still current), renewed, and the request replayed once.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::answer::vendor_error;
use crate::error::{Error, Result, Stage};
use crate::inject::append_query;
use crate::provider::{Provider, ProviderDef, TokenIn};
use crate::redact::BodyExcerpt;
use crate::request::{Body, RequestBuilder};
use crate::response::RawResponse;
use crate::token::Token;

/// Everything fixed before the first attempt.
struct Prepared {
    url: url::Url,
    token_in: TokenIn,
}

pub(crate) async fn execute<P: Provider>(mut req: RequestBuilder<P>) -> Result<RawResponse> {
    if let Some(error) = req.error.take() {
        return Err(error);
    }
    let client = req.client.clone();
    let def = client.inner().def;
    let prepared = prepare(&req, def, &client.inner().base_url, client.inner().token_in)?;
    let span = tracing::debug_span!("api_call", provider = def.name, method = ?req.method, path = %prepared.url.path());
    async move {
        let inner = client.inner();
        let token = client.current_token().await?;
        let first = send_once(&mut req, &prepared, &token).await?;
        if !refuses_token(&first, def) {
            return Ok(first);
        }
        inner.cache.invalidate_if_current(&token);
        if matches!(req.body, Some(Body::Stream(_))) {
            tracing::info!(
                status = first.status().as_u16(),
                "token refused; the body cannot be sent again, not replaying"
            );
            return Err(unauthorized(def, &first, &[&token]));
        }
        inner.counters.replays.fetch_add(1, Ordering::Relaxed);
        tracing::info!(
            status = first.status().as_u16(),
            "token refused; replaying once with a new token"
        );
        let renewed = client.current_token().await?;
        let second = send_once(&mut req, &prepared, &renewed).await?;
        if refuses_token(&second, def) {
            inner.cache.invalidate_if_current(&renewed);
            tracing::warn!(
                status = second.status().as_u16(),
                "token refused again after the replay"
            );
            // The answer may echo either token this request used.
            return Err(unauthorized(def, &second, &[&token, &renewed]));
        }
        Ok(second)
    }
    .instrument(span)
    .await
}

/// The URL with the request's own query, then sudo and tenant, percent-encoded.
fn prepare<P: Provider>(
    req: &RequestBuilder<P>,
    def: &'static ProviderDef,
    base: &url::Url,
    default_token_in: TokenIn,
) -> Result<Prepared> {
    let mut url = join(base, &req.path)?;
    let mut extra: Vec<(&str, String)> = req
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    if let Some(sudo) = &req.sudo {
        extra.push(sudo.query_pair(def.name, def.sudo.as_ref())?);
    }
    if let Some(tenant) = &req.tenant {
        extra.push(tenant.query_pair(def.name, def.tenant.as_ref())?);
    }
    append_query(&mut url, extra.iter().map(|(k, v)| (*k, v.as_str())));
    let token_in = req.token_in.unwrap_or(default_token_in);
    let available = match token_in {
        TokenIn::Header => def.placement.header.is_some(),
        TokenIn::Query => def.placement.query.is_some(),
    };
    if !available {
        return Err(Error::InvalidRequest(format!(
            "`{}` does not accept the token in the {token_in:?} placement",
            def.name
        )));
    }
    Ok(Prepared { url, token_in })
}

/// `base` + `path`, keeping the base's path prefix and the path's own query.
pub(crate) fn join(base: &url::Url, path: &str) -> Result<url::Url> {
    let relative = path.trim_start_matches('/');
    base.join(relative)
        .map_err(|e| Error::InvalidRequest(format!("`{path}` is not a valid path: {e}")))
}

async fn send_once<P: Provider>(
    req: &mut RequestBuilder<P>,
    prepared: &Prepared,
    token: &Arc<Token>,
) -> Result<RawResponse> {
    let inner = req.client.inner();
    let def = inner.def;
    let mut url = prepared.url.clone();
    let mut headers = req.headers.clone();
    match prepared.token_in {
        TokenIn::Header => {
            // Presence checked in `prepare`.
            if let Some(h) = &def.placement.header {
                let value = match h.scheme {
                    Some(scheme) => format!("{scheme} {}", token.access_token.expose()),
                    None => token.access_token.expose().to_owned(),
                };
                let mut value = HeaderValue::try_from(value).map_err(|_| Error::Decode {
                    provider: def.name,
                    stage: Stage::TokenRequest,
                    reason: "the access token cannot be sent in a header".into(),
                    body: BodyExcerpt::default(),
                })?;
                value.set_sensitive(true);
                let name = HeaderName::try_from(h.name).unwrap_or(AUTHORIZATION);
                headers.insert(name, value);
            }
        }
        TokenIn::Query => {
            if let Some(param) = def.placement.query {
                append_query(&mut url, [(param, token.access_token.expose())]);
            }
        }
    }
    let mut builder = inner
        .http
        .request(req.method.to_reqwest(), url)
        .headers(headers);
    match &mut req.body {
        Some(Body::Bytes { data, content_type }) => {
            if let Some(ct) = content_type
                && !req.headers.contains_key(CONTENT_TYPE)
            {
                builder = builder.header(CONTENT_TYPE, ct.clone());
            }
            builder = builder.body(data.clone());
        }
        Some(Body::Stream(body)) => {
            if let Some(body) = body.take() {
                builder = builder.body(body);
            }
        }
        None => {}
    }
    inner.counters.requests.fetch_add(1, Ordering::Relaxed);
    let response = builder
        .send()
        .await
        .map_err(|e| Error::from_reqwest(def.name, Stage::ApiCall, e))?;
    RawResponse::read(def, response, known_secrets(req, token)).await
}

fn known_secrets<P: Provider>(
    req: &RequestBuilder<P>,
    token: &Token,
) -> Vec<crate::secret::Secret> {
    let fetcher = req.client.inner().cache.fetcher();
    let mut secrets = vec![fetcher.client_secret.clone(), token.access_token.clone()];
    secrets.extend(token.refresh_token.clone());
    secrets
}

/// Whether the answer says the token is not valid: a listed status, or a
/// listed vendor code in the body.
fn refuses_token(answer: &RawResponse, def: &ProviderDef) -> bool {
    let signal = &def.invalid_token;
    if signal.statuses.contains(&answer.status().as_u16()) {
        return true;
    }
    if signal.codes.is_empty() {
        return false;
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(answer.body()) else {
        return false;
    };
    let (code, _) = vendor_error(&value, def.envelope.as_ref());
    code.is_some_and(|code| signal.codes.contains(&code.as_str()))
}

fn unauthorized(def: &ProviderDef, answer: &RawResponse, used: &[&Token]) -> Error {
    let used: Vec<&str> = used.iter().map(|t| t.access_token.expose()).collect();
    Error::Unauthorized {
        provider: def.name,
        status: answer.status().as_u16(),
        body: answer.excerpt_hiding(&used),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_below_the_base_path() {
        let base = url::Url::parse("https://h/gw/").unwrap();
        assert_eq!(
            join(&base, "/api/x?a=1").unwrap().as_str(),
            "https://h/gw/api/x?a=1"
        );
        assert_eq!(join(&base, "api/x").unwrap().as_str(), "https://h/gw/api/x");
    }
}
