//! Answers that come up the middleware stack: whether one refuses its token
//! (its body read only when vendor codes need it, the answer then rebuilt),
//! and its URL without the token. Uses `call/invalid_token.rs`, `wire/body.rs`, `client/`.

use bytes::Bytes;
use http::Extensions;
use reqwest::header::HeaderMap;
use reqwest::{Response, ResponseBuilderExt, StatusCode, Version};
use url::Url;

use crate::call::invalid_token::{Verdict, body_refuses, head_verdict};
use crate::client::Inner;
use crate::error::{Result, Stage};
use crate::token::granted::Token;
use crate::wire::body::{self, Limit};

/// An answer, and whether it refuses the token it was sent with.
pub(super) struct Judged {
    pub response: Response,
    pub refused: bool,
}

/// Judges `response` to a request sent with `token`. Only a provider with
/// vendor codes (WeChat's `errcode` 40001 on HTTP 200) has its answers'
/// bodies read, up to `max_answer_bytes` like the client's own calls; the
/// caller then gets the same answer (status, version, headers, URL,
/// extensions) with its body held in memory.
pub(super) async fn judge(inner: &Inner, response: Response, token: &Token) -> Result<Judged> {
    let refused = match head_verdict(response.status(), response.headers(), inner.def) {
        Verdict::Refused => true,
        Verdict::NotRefused => false,
        Verdict::NeedsBody => {
            let (response, body) = buffered(inner, response, token).await?;
            let refused = body_refuses(&body, inner.def);
            return Ok(Judged { response, refused });
        }
    };
    Ok(Judged { response, refused })
}

/// `response` with its body read, and that body.
async fn buffered(
    inner: &Inner,
    mut response: Response,
    token: &Token,
) -> Result<(Response, Bytes)> {
    let head = Head::take(&mut response);
    let limit = Limit {
        bytes: inner.max_answer_bytes,
        setting: Some("max_answer_bytes"),
    };
    let hidden = || inner.credentials().hidden(&[token], None);
    let body = body::read(response, limit, inner.def.name, Stage::ApiCall, hidden).await?;
    Ok((head.with_body(body.clone()), body))
}

/// `response` showing `unsent` as its URL if it came from `sent` (not
/// redirected): the URL a request had before its token went into the
/// query, so an answer printed or logged does not show the token.
pub(super) fn without_token_in_url(mut response: Response, sent: &Url, unsent: Url) -> Response {
    if response.url() != sent {
        return response;
    }
    let mut head = Head::take(&mut response);
    head.url = unsent;
    let body = http::Response::<reqwest::Body>::from(response).into_body();
    head.with_body(body)
}

/// Everything of an answer but its body.
struct Head {
    status: StatusCode,
    version: Version,
    url: Url,
    headers: HeaderMap,
    extensions: Extensions,
}

impl Head {
    /// Taken out of `response`, not cloned: its body can be read without them.
    fn take(response: &mut Response) -> Self {
        Self {
            status: response.status(),
            version: response.version(),
            url: response.url().clone(),
            headers: std::mem::take(response.headers_mut()),
            extensions: std::mem::take(response.extensions_mut()),
        }
    }

    /// The answer again, with `body`.
    fn with_body(self, body: impl Into<reqwest::Body>) -> Response {
        let mut answer = http::Response::new(body.into());
        *answer.status_mut() = self.status;
        *answer.version_mut() = self.version;
        *answer.headers_mut() = self.headers;
        *answer.extensions_mut() = self.extensions;
        // reqwest keeps an answer's URL in an extension of its own, which
        // only its extension of `http`'s builder writes.
        let mut with_url = http::response::Builder::new().url(self.url);
        if let Some(url) = with_url.extensions_mut() {
            answer.extensions_mut().extend(std::mem::take(url));
        }
        Response::from(answer)
    }
}
