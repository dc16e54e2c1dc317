//! Sending an API request, and the replay rule: the token, sudo and tenant
//! go on; a refused token is dropped (if still current, and if a new token
//! can help), renewed, and the request replayed once.

use std::future::Future;
use std::sync::atomic::Ordering;

use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::cache::HeldToken;
use crate::call::invalid_token::{refuses_token, unauthorized};
use crate::call::prepare::{Prepared, place_token, prepare};
use crate::call::request::{Body, RequestBuilder};
use crate::call::response::{KnownSecrets, RawResponse};
use crate::def::Provider;
use crate::error::{Error, Result, Stage};

impl<P: Provider> RequestBuilder<P> {
    /// Sends the request and decodes the answer as `T`, unwrapping the
    /// provider's envelope where the spec declares one. A non-success
    /// status or envelope becomes [`Error::Api`] with the vendor's code and
    /// message. An empty body decodes as JSON `null` (so `()` works).
    #[allow(clippy::manual_async_fn)] // An `async fn` holds `self` twice.
    pub fn send<T: DeserializeOwned>(mut self) -> impl Future<Output = Result<T>> {
        // Not an `async fn`, which would hold the request twice (as its
        // argument and as its local); by reference below, so once in all.
        async move { execute(&mut self).await?.decode() }
    }

    /// Sends the request and returns the answer as it came: status, headers
    /// and body, whatever the status. A refused token is still renewed and
    /// the request replayed once.
    #[allow(clippy::manual_async_fn)] // An `async fn` holds `self` twice.
    pub fn send_raw(mut self) -> impl Future<Output = Result<RawResponse>> {
        async move { execute(&mut self).await }
    }
}

// The futures below are on every API call's path, and their size is copied
// as they move through the layers: each layer holds across an await only
// what it needs after it (values built for a request live in blocks that
// end before the request is awaited), and `send_once` does all it can
// before its future starts.

async fn execute<P: Provider>(req: &mut RequestBuilder<P>) -> Result<RawResponse> {
    if let Some(error) = req.error.take() {
        return Err(*error);
    }
    let (prepared, span) = {
        let prepared = prepare(req)?;
        let def = req.client.inner().def;
        let span = tracing::debug_span!("api_call", provider = def.name, method = ?req.method, path = %prepared.url.path());
        (prepared, span)
    };
    attempts(req, prepared).instrument(span).await
}

/// Sends the request; if the token is refused, drops it (if still current)
/// and replays once with a new one.
async fn attempts<P: Provider>(
    req: &mut RequestBuilder<P>,
    prepared: Prepared,
) -> Result<RawResponse> {
    let def = req.client.inner().def;
    let token = req.client.held_token().await?;
    // The first answer lives in this block only: it is either returned or
    // turned into a decision before the replay's awaits. The token rides in
    // the answer (which hides it), not in a second reference beside it.
    let refused: Option<HeldToken> = {
        // Bound before it is awaited: a `?` inside the await would keep
        // the `Result` around the future alive across it, twice the size.
        let sending = send_once(req, prepared, token)?;
        let first = sending.await?;
        let used = first.used_token();
        if !refuses_token(&first, def) {
            if let Some(token) = used {
                req.client.inner().cache.accepted(token.shared());
            }
            return Ok(first);
        }
        if !used.is_some_and(|token| req.client.inner().cache.refused(token.shared())) {
            return Err(unauthorized(def, &first, &[]));
        }
        if matches!(req.body, Some(Body::Stream(_))) {
            tracing::info!(
                status = first.status().as_u16(),
                "token refused; the body cannot be sent again, not replaying"
            );
            return Err(unauthorized(def, &first, &[]));
        }
        let counters = &req.client.inner().counters;
        counters.replays.fetch_add(1, Ordering::Relaxed);
        tracing::info!(
            status = first.status().as_u16(),
            "token refused; replaying once with a new token"
        );
        used.cloned()
    };
    let renewed = req.client.held_token().await?;
    // The URL again: built for the rare replay rather than copied for every call.
    let sending = send_once(req, prepare(req)?, renewed)?;
    let second = sending.await?;
    if refuses_token(&second, def) {
        // A token fetched for this very replay is refused too: the refusal
        // is about the call (permissions, a sudo user), not the token, so
        // the token stays cached; dropping it would only cost requests.
        tracing::warn!(
            status = second.status().as_u16(),
            "token refused again after the replay"
        );
        // The answer may echo either token this request used.
        return Err(unauthorized(def, &second, refused.as_deref().as_slice()));
    }
    if let Some(token) = second.used_token() {
        req.client.inner().cache.accepted(token.shared());
    }
    Ok(second)
}

/// Sends the request once with `token`: everything is built before the
/// returned future starts, which holds only the request in flight and what
/// reading its answer needs.
fn send_once<P: Provider>(
    req: &mut RequestBuilder<P>,
    mut prepared: Prepared,
    token: HeldToken,
) -> Result<impl Future<Output = Result<RawResponse>> + use<P>> {
    let token_header = place_token(req, &mut prepared, &token)?;
    let inner = req.client.inner();
    let def = inner.def;
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
    let pending = inner.http.execute(request);
    let secrets = KnownSecrets::Call(token);
    let limit = inner.max_answer_bytes;
    let reqwest_error = move |e| Error::from_reqwest(def.name, Stage::ApiCall, e);
    Ok(async move {
        let response = pending.await.map_err(reqwest_error)?;
        RawResponse::read(def, response, limit, secrets).await
    })
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
            let f = send_once(
                &mut req,
                prepare(&client.get("/x")).unwrap(),
                HeldToken::new(Arc::clone(&token), None),
            )
            .unwrap();
            eprintln!("send_once             {:5}", size(&f));
        }
        {
            let prepared = prepare(&req).unwrap();
            let f = attempts(&mut req, prepared);
            eprintln!("attempts              {:5}", size(&f));
        }
        {
            let f = execute(&mut req);
            eprintln!("execute               {:5}", size(&f));
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
