//! Sending a request down the middleware stack with its token, and the
//! replay rule of `call/replay.rs` for answers instead of errors: a refused
//! token is dropped (if still current, and if a new token can help) and
//! renewed, and a request that can be cloned is sent once more.
//! Uses `inject.rs`, `answer.rs`, `call/span.rs`, `client/` and its cache,
//! and `redact.rs`.

use http::Extensions;
use reqwest::{Request, Response};
use reqwest_middleware::{Next, Result};

use crate::cache::HeldToken;
use crate::call::replay::{Decision, decide};
use crate::call::span::{call_span, in_span};
use crate::client::{Client, Inner};
use crate::def::{Provider, TokenIn};
use crate::middleware::answer::{Judged, judge, without_token_in_url};
use crate::middleware::inject::{place_token, prepare};
use crate::redact::scrub;
use crate::token::granted::Token;

/// Authorizes `request` and sends it down the stack: see
/// [`AuthorizedMiddleware`](super::AuthorizedMiddleware).
pub(super) async fn authorize<'a, P: Provider>(
    client: &'a Client<P>,
    mut request: Request,
    extensions: &'a mut Extensions,
    next: Next<'a>,
) -> Result<Response> {
    let token_in = prepare(client, &mut request, extensions)?;
    let def = client.inner().def;
    let span = call_span(|| {
        tracing::debug_span!(
            "api_call",
            provider = def.name,
            method = %request.method(),
            path = %request.url().path(),
            via = "middleware"
        )
    });
    in_span(span, attempts(client, request, token_in, extensions, next)).await
}

/// Sends the request; if the token is refused, drops it (if still current)
/// and, if the request can be cloned, sends it once more with a new one.
/// Either way the caller gets the last answer as it came.
async fn attempts<'a, P: Provider>(
    client: &'a Client<P>,
    request: Request,
    token_in: TokenIn,
    extensions: &'a mut Extensions,
    next: Next<'a>,
) -> Result<Response> {
    let inner = client.inner();
    // Copied before the token goes on, so a replay carries only the new
    // one; `None` for a body that can be read only once.
    let spare = request.try_clone();
    let token = client.held_token().await?;
    let first = send_once(inner, request, token_in, &token, extensions, next.clone()).await?;
    let status = first.response.status().as_u16();
    let decision = decide(
        inner,
        Some(&token),
        first.refused,
        false,
        spare.is_some(),
        status,
    );
    let (Decision::Replay, Some(spare)) = (decision, spare) else {
        return Ok(first.response);
    };
    drop(first);
    let renewed = client.held_token().await?;
    let second = send_once(inner, spare, token_in, &renewed, extensions, next).await?;
    let status = second.response.status().as_u16();
    // Accepted or refused again, the caller gets the answer as it came.
    decide(inner, Some(&renewed), second.refused, true, false, status);
    Ok(second.response)
}

/// One attempt: the token on, counted, sent down the stack, judged. The
/// answer's URL does not show a token sent in the query.
async fn send_once<'n>(
    inner: &Inner,
    mut request: Request,
    token_in: TokenIn,
    token: &HeldToken,
    extensions: &'n mut Extensions,
    next: Next<'n>,
) -> Result<Judged> {
    // With the token in the query, the URL as it was before, for the answer.
    let unsent = (token_in == TokenIn::Query).then(|| request.url().clone());
    place_token(inner, &mut request, token_in, token)?;
    let urls = unsent.map(|unsent| (request.url().clone(), unsent));
    inner.counters.requests.add_one();
    let mut response = next
        .run(request, extensions)
        .await
        .map_err(|error| without_secrets(error, inner, token))?;
    if let Some((sent, unsent)) = urls {
        response = without_token_in_url(response, &sent, unsent);
    }
    Ok(judge(inner, response, token).await?)
}

/// An error from further down the stack, as the caller may see it: a
/// reqwest error without its URL (whose query may hold the token), another
/// middleware's error with the client's secrets and `token=…`-style values
/// hidden if its text showed any (it is then only that text).
fn without_secrets(
    error: reqwest_middleware::Error,
    inner: &Inner,
    token: &Token,
) -> reqwest_middleware::Error {
    match error {
        reqwest_middleware::Error::Reqwest(error) => {
            reqwest_middleware::Error::Reqwest(error.without_url())
        }
        reqwest_middleware::Error::Middleware(error) => {
            // `{:#}` is the whole chain of causes, which is also all that
            // anyhow's `Debug` shows (with a backtrace, which holds none).
            let secrets = inner.credentials().hidden(&[token], None);
            let text = format!("{error:#}");
            match scrub(Some(text.clone()), &secrets) {
                Some(scrubbed) if scrubbed != text => {
                    reqwest_middleware::Error::Middleware(anyhow::Error::msg(scrubbed))
                }
                _ => reqwest_middleware::Error::Middleware(error),
            }
        }
    }
}
