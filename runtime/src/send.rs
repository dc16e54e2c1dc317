//! Sending an API request: the token, sudo and tenant go on; a refused token
//! is dropped (if still current, and if a new token can help), renewed, and
//! the request replayed once.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::answer::vendor_error;
use crate::error::{Error, Result, Stage};
use crate::inject::{append_query, push_query_pairs};
use crate::provider::{Provider, ProviderDef, TokenIn};
use crate::redact::BodyExcerpt;
use crate::request::{Body, RequestBuilder};
use crate::response::{KnownSecrets, RawResponse};
use crate::token::Token;

/// Everything fixed before the first attempt.
struct Prepared {
    url: url::Url,
    token_in: TokenIn,
}

pub(crate) async fn execute<P: Provider>(req: &mut RequestBuilder<P>) -> Result<RawResponse> {
    if let Some(error) = req.error.take() {
        return Err(error);
    }
    let inner = req.client.inner();
    let def = inner.def;
    let prepared = prepare(req, def, &inner.base_url, inner.token_in)?;
    let span = tracing::debug_span!("api_call", provider = def.name, method = ?req.method, path = %prepared.url.path());
    attempts(req, prepared, def).instrument(span).await
}

/// Sends the request; if the token is refused, drops it (if still current)
/// and replays once with a new one.
async fn attempts<P: Provider>(
    req: &mut RequestBuilder<P>,
    prepared: Prepared,
    def: &'static ProviderDef,
) -> Result<RawResponse> {
    let token = req.client.current_token().await?;
    let first = send_once(req, prepared, &token).await?;
    if !refuses_token(&first, def) {
        req.client.inner().cache.accepted(&token);
        return Ok(first);
    }
    if !req.client.inner().cache.refused(&token) {
        return Err(unauthorized(def, &first, &[&token]));
    }
    if matches!(req.body, Some(Body::Stream(_))) {
        tracing::info!(
            status = first.status().as_u16(),
            "token refused; the body cannot be sent again, not replaying"
        );
        return Err(unauthorized(def, &first, &[&token]));
    }
    let counters = &req.client.inner().counters;
    counters.replays.fetch_add(1, Ordering::Relaxed);
    tracing::info!(
        status = first.status().as_u16(),
        "token refused; replaying once with a new token"
    );
    let renewed = req.client.current_token().await?;
    // The URL again: built for the rare replay rather than copied for every call.
    let inner = req.client.inner();
    let prepared = prepare(req, def, &inner.base_url, inner.token_in)?;
    let second = send_once(req, prepared, &renewed).await?;
    if refuses_token(&second, def) {
        // A token fetched for this very replay is refused too: the refusal
        // is about the call (permissions, a sudo user), not the token, so
        // the token stays cached; dropping it would only cost requests.
        tracing::warn!(
            status = second.status().as_u16(),
            "token refused again after the replay"
        );
        // The answer may echo either token this request used.
        return Err(unauthorized(def, &second, &[&token, &renewed]));
    }
    req.client.inner().cache.accepted(&renewed);
    Ok(second)
}

/// The URL with the request's own query, then sudo and tenant, percent-encoded.
fn prepare<P: Provider>(
    req: &RequestBuilder<P>,
    def: &'static ProviderDef,
    base: &url::Url,
    default_token_in: TokenIn,
) -> Result<Prepared> {
    let sudo = match req.effective_sudo() {
        Some(sudo) => Some(sudo.query_pair(def.name, def.sudo.as_ref())?),
        None => None,
    };
    let tenant = match req.effective_tenant() {
        Some(tenant) => Some(tenant.query_pair(def.name, def.tenant.as_ref())?),
        None => None,
    };
    let injected = sudo.iter().map(|(k, v)| (*k, v.as_str())).chain(tenant);
    let own = req.query.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let url = join_with_query(base, &req.path, own.chain(injected))?;
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
    join_with_query(base, path, [])
}

/// [`join`], with `pairs` percent-encoded after the path's own query: the
/// URL is built as text and parsed once (this is on every request's path).
fn join_with_query<'a>(
    base: &url::Url,
    path: &str,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<url::Url> {
    let relative = path.trim_start_matches('/');
    let (before, fragment) = match relative.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (relative, None),
    };
    let mut text = String::with_capacity(relative.len() + 96);
    text.push_str(before);
    let mut pairs = pairs.into_iter().peekable();
    if pairs.peek().is_some() {
        let separate = match before.split_once('?') {
            None => {
                text.push('?');
                false
            }
            Some((_, query)) => !query.is_empty(),
        };
        push_query_pairs(&mut text, pairs, separate);
    }
    if let Some(fragment) = fragment {
        text.push('#');
        text.push_str(fragment);
    }
    base.join(&text)
        .map_err(|e| Error::InvalidRequest(format!("`{path}` is not a valid path: {e}")))
}

async fn send_once<P: Provider>(
    req: &mut RequestBuilder<P>,
    prepared: Prepared,
    token: &Arc<Token>,
) -> Result<RawResponse> {
    let inner = req.client.inner();
    let def = inner.def;
    let mut url = prepared.url;
    let mut token_header = None;
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
                token_header = Some((name, value));
            }
        }
        TokenIn::Query => {
            if let Some(param) = def.placement.query {
                append_query(&mut url, [(param, token.access_token.expose())]);
            }
        }
    }
    let mut builder = inner.http.request(req.method.to_reqwest(), url);
    // Copied only if the call set any: most set none.
    if !req.headers.is_empty() {
        builder = builder.headers(req.headers.clone());
    }
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
    let reqwest_error = |e| Error::from_reqwest(def.name, Stage::ApiCall, e);
    let mut request = builder.build().map_err(reqwest_error)?;
    if let Some((name, value)) = token_header {
        // Straight into the request, replacing a header of that name the call set.
        request.headers_mut().insert(name, value);
    }
    let response = inner.http.execute(request).await.map_err(reqwest_error)?;
    let secrets = known_secrets(req, token);
    RawResponse::read(def, response, inner.max_answer_bytes, secrets).await
}

fn known_secrets<P: Provider>(req: &RequestBuilder<P>, token: &Arc<Token>) -> KnownSecrets {
    KnownSecrets::Call {
        cache: Arc::clone(&req.client.inner().cache),
        token: Arc::clone(token),
    }
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

    #[test]
    fn pairs_go_after_the_path_query_and_before_the_fragment() {
        let base = url::Url::parse("https://h/gw/").unwrap();
        let pairs = [("sudo", "email:a+b@example.com"), ("tenantCode", "华东 01")];
        for (path, expected) in [
            (
                "/api/x",
                "https://h/gw/api/x?sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001",
            ),
            (
                "api/x?page=2",
                "https://h/gw/api/x?page=2&sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001",
            ),
            (
                "api/x?",
                "https://h/gw/api/x?sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001",
            ),
            (
                "api/x#top",
                "https://h/gw/api/x?sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001#top",
            ),
        ] {
            let built = join_with_query(&base, path, pairs).unwrap();
            assert_eq!(built.as_str(), expected, "{path}");
            // The same as joining, then appending (what it replaces).
            let mut appended = join(&base, path).unwrap();
            append_query(&mut appended, pairs);
            assert_eq!(built, appended, "{path}");
        }
    }
}
