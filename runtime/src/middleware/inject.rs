//! What the middleware puts on a request: sudo and tenant on its URL, once,
//! and the token where it goes, on every attempt. Uses `call/` (identity,
//! scope, the token placement), `client/`, `wire/url.rs` and `def/`.

use http::Extensions;
use reqwest::Request;

use crate::cache::HeldToken;
use crate::call::identity::{Sudo, Tenant, identity_pairs};
use crate::call::prepare::token_placement;
use crate::call::scope;
use crate::client::{Client, Inner};
use crate::def::{Provider, TokenIn};
use crate::error::{Error, Result};
use crate::middleware::WithoutSudo;
use crate::wire::url::{append_query, same_origin};

/// Puts the request's sudo and tenant on its URL, percent-encoded as the
/// client's own calls are, and says where its token goes. Each is taken
/// from the request's extensions first, then from the `#[authorized]`
/// scope of `client` the request is sent in, then (the placement) from
/// the client. All are checked against what the provider accepts before
/// anything is sent, and the request must go to the client's origin: the
/// token is never sent anywhere else.
pub(super) fn prepare<P: Provider>(
    client: &Client<P>,
    request: &mut Request,
    extensions: &Extensions,
) -> Result<TokenIn> {
    let inner = client.inner();
    let def = inner.def;
    if !same_origin(request.url(), &inner.base_url) {
        return Err(Error::InvalidRequest(format!(
            "a request to `{}` is not on the origin of `{}`'s base URL; the middleware sends its token only to its provider",
            request.url().host_str().unwrap_or_default(),
            def.name
        )));
    }
    let scoped = scope::lookup(client.identity());
    let entry = scoped.as_ref().map(|scoped| scoped.entry());
    let sudo = match extensions.get::<WithoutSudo>() {
        Some(WithoutSudo) => None,
        None => extensions
            .get::<Sudo>()
            .or_else(|| entry.and_then(|e| e.sudo.as_ref())),
    };
    let tenant = extensions
        .get::<Tenant>()
        .or_else(|| entry.and_then(|e| e.tenant.as_ref()));
    let token_in = extensions
        .get::<TokenIn>()
        .copied()
        .or_else(|| entry.and_then(|e| e.token_in))
        .unwrap_or(inner.token_in);
    let mut pairs = identity_pairs(def, sudo, tenant)?.peekable();
    inner.placement(token_in)?;
    if pairs.peek().is_some() {
        append_query(request.url_mut(), pairs);
    }
    Ok(token_in)
}

/// Puts `token` on the request where `token_in` says: the header (marked
/// sensitive, replacing one of that name) or the query, never both.
pub(super) fn place_token(
    inner: &Inner,
    request: &mut Request,
    token_in: TokenIn,
    token: &HeldToken,
) -> Result<()> {
    if let Some((name, value)) = token_placement(inner, token_in, request.url_mut(), token)? {
        request.headers_mut().insert(name, value);
    }
    Ok(())
}
