//! Sending an API request, and the replay rule: the token, sudo and tenant
//! go on; a refused token is dropped (if still current, and if a new token
//! can help), renewed, and the request replayed once.

use std::future::Future;

use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::{Instrument, Span};

use crate::cache::HeldToken;
use crate::call::invalid_token::{refuses_token, unauthorized};
use crate::call::prepare::{Prepared, place_token, prepare};
use crate::call::replay::{Decision, decide};
use crate::call::request::{Body, RequestBuilder};
use crate::call::response::{KnownSecrets, RawResponse};
use crate::def::Provider;
use crate::error::{Error, Result, Stage};

impl<P: Provider> RequestBuilder<P> {
    /// Sends the request and decodes the answer as `T`, unwrapping the
    /// provider's envelope where the spec declares one. A non-success
    /// status or envelope becomes [`Error::Api`] with the vendor's code and
    /// message. An empty body decodes as JSON `null` (so `()` works).
    pub fn send<T: DeserializeOwned>(self) -> impl Future<Output = Result<T>> {
        execute(self, |answer| answer.decode())
    }

    /// Sends the request and returns the answer as it came: status, headers
    /// and body, whatever the status. A refused token is still renewed and
    /// the request replayed once.
    pub fn send_raw(self) -> impl Future<Output = Result<RawResponse>> {
        execute(self, Ok)
    }
}

// This is on every API call's path, and a future's size is copied each time
// one is made and awaited: so a call is one future, not a future per step.
// Everything that needs no waiting (the URL, the span, the request itself)
// is done in plain functions, and what the future holds across an await is
// only what it needs after it.

/// Sends `req` with its token, sudo and tenant; if the token is refused,
/// drops it (if still current) and replays once with a new one (see
/// `replay.rs`); hands the last answer to `finish`.
fn execute<P: Provider, T>(
    mut req: RequestBuilder<P>,
    finish: impl FnOnce(RawResponse) -> Result<T>,
) -> impl Future<Output = Result<T>> {
    let prepared = match req.error.take() {
        Some(error) => Err(*error),
        None => prepare(&req),
    };
    let span = call_span(&req, prepared.as_ref().ok());
    async move {
        let def = req.client.inner().def;
        let mut prepared = prepared?;
        // The token a replay replaces: its error hides both.
        let mut refused: Option<HeldToken> = None;
        loop {
            // Awaited only when the cache has no fresh token: a hit makes no future.
            let token = match req.client.inner().cache.held_now() {
                Some(token) => token,
                None => req.client.inner().cache.held_later().await?,
            };
            let (pending, secrets) = start(&mut req, prepared, token)?;
            let inner = req.client.inner();
            let response = pending
                .await
                .map_err(|e| Error::from_reqwest(def.name, Stage::ApiCall, e))?;
            let answer = RawResponse::read(def, response, inner.max_answer_bytes, secrets).await?;
            let decision = decide(
                inner,
                answer.used_token(),
                refuses_token(&answer, def),
                refused.is_some(),
                !matches!(req.body, Some(Body::Stream(_))),
                answer.status().as_u16(),
            );
            match decision {
                Decision::Accepted => return finish(answer),
                Decision::Refused => {
                    // The answer may echo either token this request used.
                    return Err(unauthorized(def, &answer, refused.as_deref().as_slice()));
                }
                Decision::Replay => {
                    refused = answer.used_token().cloned();
                    // The URL again: built for the rare replay rather than
                    // copied for every call.
                    prepared = prepare(&req)?;
                }
            }
        }
    }
    .instrument(span)
}

/// The call's span, or none at all when no subscriber takes it: entering
/// and leaving a disabled span on every poll still costs (with tracing's
/// `log` feature, a look at the logger each time).
fn call_span<P: Provider>(req: &RequestBuilder<P>, prepared: Option<&Prepared>) -> Span {
    let Some(prepared) = prepared else {
        return Span::none();
    };
    let def = req.client.inner().def;
    let span = tracing::debug_span!("api_call", provider = def.name, method = ?req.method, path = %prepared.url.path());
    if span.is_disabled() {
        Span::none()
    } else {
        span
    }
}

/// Starts one attempt with `token`: the request, built and handed to
/// reqwest, and the secrets its answer must hide.
fn start<P: Provider>(
    req: &mut RequestBuilder<P>,
    mut prepared: Prepared,
    token: HeldToken,
) -> Result<(
    impl Future<Output = reqwest::Result<reqwest::Response>> + use<P>,
    KnownSecrets,
)> {
    let token_header = place_token(req, &mut prepared, &token)?;
    let inner = req.client.inner();
    // Made in place rather than through `inner.http.request(…)`, whose
    // builder holds (and so counts) a clone of the shared reqwest client.
    let mut request = reqwest::Request::new(req.method.to_reqwest(), prepared.url);
    // Copied only if the call set any: most set none.
    if !req.headers.is_empty() {
        *request.headers_mut() = req.headers.clone();
    }
    match &mut req.body {
        Some(Body::Bytes { data, content_type }) => {
            if let Some(ct) = content_type
                && !req.headers.contains_key(CONTENT_TYPE)
            {
                let value = HeaderValue::from_static(ct);
                request.headers_mut().insert(CONTENT_TYPE, value);
            }
            *request.body_mut() = Some(data.clone().into());
        }
        Some(Body::Stream(body)) => {
            *request.body_mut() = body.take();
        }
        None => {}
    }
    if let Some((name, value)) = token_header {
        // Straight into the request, replacing a header of that name the call set.
        request.headers_mut().insert(name, value);
    }
    inner.counters.requests.add_one();
    Ok((inner.http.execute(request), KnownSecrets::Call(token)))
}

#[cfg(test)]
mod sizes {
    //! Prints the size of each layer of a request's future; run with
    //! `cargo test -p authorized-runtime --release --lib call::send::sizes -- --ignored --nocapture`.
    //! It asserts nothing: sizes are measured, not tested.

    use std::sync::Arc;

    use super::*;
    use crate::def::ProviderDef;
    use crate::token::granted::Token;

    struct P;
    static DEF: ProviderDef = crate::def::TEST_DEF;
    impl crate::def::Provider for P {
        const DEF: &'static ProviderDef = &DEF;
        type Client = crate::Client<P>;
    }

    fn size<T>(_: &T) -> usize {
        std::mem::size_of::<T>()
    }

    #[tokio::test]
    #[ignore = "a measurement"]
    async fn future_sizes() {
        let client = crate::Client::<P>::builder()
            .base_url("http://127.0.0.1:9")
            .client_id("id")
            .client_secret("secret")
            .share_cache(false)
            .build_runtime()
            .unwrap();
        let token = Arc::new(Token {
            access_token: crate::Secret::new("t"),
            refresh_token: None,
            lifetime: std::time::Duration::from_secs(60),
            obtained_at: tokio::time::Instant::now(),
        });
        let mut req = client.get("/api/me");
        eprintln!(
            "RequestBuilder        {:5}",
            std::mem::size_of::<RequestBuilder<P>>()
        );
        eprintln!("Error                 {:5}", std::mem::size_of::<Error>());
        eprintln!(
            "RawResponse           {:5}",
            std::mem::size_of::<RawResponse>()
        );
        eprintln!(
            "reqwest::Response     {:5}",
            std::mem::size_of::<reqwest::Response>()
        );
        eprintln!(
            "Pending (execute)     {:5}",
            size(&client.inner().http.execute(reqwest::Request::new(
                reqwest::Method::GET,
                "http://127.0.0.1:9".parse().unwrap()
            )))
        );
        eprintln!(
            "cache.get()           {:5}",
            size(&client.inner().cache.get())
        );
        {
            let f = start(
                &mut req,
                prepare(&client.get("/x")).unwrap(),
                HeldToken::new(Arc::clone(&token), None),
            )
            .unwrap();
            eprintln!("start                 {:5}", size(&f));
        }
        let f = client.get("/x").send_raw();
        eprintln!("send_raw              {:5}", size(&f));
        drop(f);
        let response = || reqwest::Response::from(http::Response::new(Vec::<u8>::new()));
        let secrets = || KnownSecrets::List(Vec::new());
        let f = RawResponse::read(&DEF, response(), 100, secrets());
        eprintln!("RawResponse::read     {:5}", size(&f));
        drop(f);
        let f = crate::wire::body::read_body(response(), 100);
        eprintln!("read_body             {:5}", size(&f));
        drop(f);
        let mut r = response();
        let f = r.chunk();
        eprintln!("Response::chunk       {:5}", size(&f));
    }
}
