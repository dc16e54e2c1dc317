//! What a request is before it is sent: its URL (the path below the base
//! URL, the call's own query, then sudo and tenant, percent-encoded) and
//! where its token goes, both checked against what the provider accepts.

use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use crate::cache::HeldToken;
use crate::call::identity::identity_pairs;
use crate::call::request::RequestBuilder;
use crate::client::Inner;
use crate::def::{Provider, TokenIn};
use crate::error::{Error, Result, Stage};
use crate::redact::BodyExcerpt;
use crate::wire::placement::Placed;
use crate::wire::url::{QueryValue, append_query, join_with_query};

/// Everything fixed before an attempt.
pub(crate) struct Prepared {
    pub url: Url,
    pub token_in: TokenIn,
}

/// The URL with the request's own query, then sudo and tenant, and where
/// its token goes.
pub(crate) fn prepare<P: Provider>(req: &RequestBuilder<P>) -> Result<Prepared> {
    let inner = req.client.inner();
    let injected = identity_pairs(inner.def, req.effective_sudo(), req.effective_tenant())?;
    let own = (req.query.iter()).map(|(k, v)| (k.as_str(), QueryValue::Text(v)));
    let url = join_with_query(&inner.base_url, &req.path, own.chain(injected))?;
    let token_in = req.token_in.unwrap_or(inner.token_in);
    inner.placement(token_in)?;
    Ok(Prepared { url, token_in })
}

/// Puts `token` where `prepared` says: into the URL's query, or as the
/// header (name and value) to set on the request.
pub(crate) fn place_token<P: Provider>(
    req: &RequestBuilder<P>,
    prepared: &mut Prepared,
    token: &HeldToken,
) -> Result<Option<(HeaderName, HeaderValue)>> {
    token_placement(
        req.client.inner(),
        prepared.token_in,
        &mut prepared.url,
        token,
    )
}

/// Puts `token` where a call asking for `token_in` sends it: into `url`'s
/// query, or as the header (name and value, marked sensitive) to set.
pub(crate) fn token_placement(
    inner: &Inner,
    token_in: TokenIn,
    url: &mut Url,
    token: &HeldToken,
) -> Result<Option<(HeaderName, HeaderValue)>> {
    match inner.placement(token_in)? {
        Placed::Header(header) => {
            let value = token.header_value(header).ok_or_else(|| Error::Decode {
                provider: inner.def.name,
                stage: Stage::TokenRequest,
                reason: "the access token cannot be sent in a header".into(),
                body: BodyExcerpt::default(),
            })?;
            Ok(Some((header.name().clone(), value)))
        }
        Placed::Query(param) => {
            append_query(
                url,
                [(param, QueryValue::Text(token.access_token.expose()))],
            );
            Ok(None)
        }
    }
}
