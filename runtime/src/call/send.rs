//! Sending an API request, and the replay rule: the token, sudo and tenant
//! go on; a refused token is dropped (if still current, and if a new token
//! can help), renewed, and the request replayed once.

use std::future::Future;

use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Span;

use crate::cache::HeldToken;
use crate::call::invalid_token::{refuses_token, unauthorized};
use crate::call::prepare::{Prepared, place_token, prepare};
use crate::call::replay::{Decision, decide};
use crate::call::request::{Body, RequestBuilder};
use crate::call::response::{KnownSecrets, RawResponse};
use crate::call::span::{call_span, in_span};
use crate::def::Provider;
use crate::error::{Error, Result, Stage};
use crate::wire::url::join;

impl<P: Provider> RequestBuilder<P> {
    /// Sends the request and decodes the answer as `T`, unwrapping the
    /// provider's envelope where the spec declares one. A non-success
    /// status or envelope becomes [`Error::Api`] with the vendor's code and
    /// message. An empty body decodes as JSON `null` (so `()` works).
    #[inline]
    pub fn send<T: DeserializeOwned>(self) -> impl Future<Output = Result<T>> {
        execute(self, |answer| answer.decode())
    }

    /// Sends the request and returns the answer as it came: status, headers
    /// and body, whatever the status. A refused token is still renewed and
    /// the request replayed once.
    #[inline]
    pub fn send_raw(self) -> impl Future<Output = Result<RawResponse>> {
        execute(self, Ok)
    }
}

// This is on every API call's path, and a future's size is copied each time
// one is made and awaited: so a call is one future, not a future per step,
// made in place (`execute` is inlined into the caller, which otherwise gets
// the future copied whole on its way out), and holding across an await only
// what it needs after it. Everything that needs no waiting (the URL, the
// span, the request itself) is done in plain functions.

/// Sends `req` with its token, sudo and tenant; if the token is refused,
/// drops it (if still current) and replays once with a new one (see
/// `replay.rs`); hands the last answer to `finish`.
#[inline]
fn execute<P: Provider, T>(
    mut req: RequestBuilder<P>,
    finish: impl FnOnce(RawResponse) -> Result<T>,
) -> impl Future<Output = Result<T>> {
    let span = call_span(|| api_call_span(&req));
    let call = async move {
        if let Some(error) = req.error.take() {
            return Err(*error);
        }
        let def = req.client.inner().def;
        // The token a replay replaces: its error hides both.
        let mut refused: Option<HeldToken> = None;
        loop {
            // Before a token is sought: a call that cannot be sent asks for none.
            let prepared = prepare(&req)?;
            // Awaited only when the cache has no fresh token: a hit makes no
            // future. Boxed: inline, that rare wait would size every call's
            // future for itself.
            let token = match req.client.inner().cache.held_now() {
                Some(token) => token,
                None => Box::pin(req.client.inner().cache.held_later()).await?,
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
                // The URL is built again at the top: for the rare replay
                // rather than copied for every call.
                Decision::Replay => refused = answer.used_token().cloned(),
            }
        }
    };
    in_span(span, call)
}

/// The call's span, naming the path its URL will carry, never its query
/// (worked out again here: this runs only when a subscriber takes the span).
fn api_call_span<P: Provider>(req: &RequestBuilder<P>) -> Span {
    let inner = req.client.inner();
    let url = join(&inner.base_url, &req.path);
    let given = || req.path.split(['?', '#']).next().unwrap_or_default();
    let path = url.as_ref().map_or_else(|_| given(), |url| url.path());
    tracing::debug_span!("api_call", provider = inner.def.name, method = ?req.method, path = %path)
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
    for (name, value) in &req.headers {
        request.headers_mut().append(name.clone(), value.clone());
    }
    match &mut req.body {
        Some(Body::Bytes { data, content_type }) => {
            if let Some(ct) = content_type
                && !req.headers.iter().any(|(name, _)| name == CONTENT_TYPE)
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
