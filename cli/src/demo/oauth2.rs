//! The oauth2 steps: a standard OAuth 2.0 provider, with the client
//! authenticated by HTTP Basic and by the parameters, introspection as the
//! check, revocation, a bearer call, a refusal for scope that is not the
//! token's fault, and endpoints found from the issuer's metadata.

use authorized_api::runtime::ClientAuth;
use authorized_api::{Error, oauth2};

use super::oauth2_api::{create_report, me};
use super::{Ctx, Failure, Progress, Recorder, ensure};

pub(crate) async fn run(ctx: &mut Ctx, rec: &mut Recorder<impl FnMut(Progress<'_>)>) {
    const P: &str = "oauth2";
    let api = match ctx.client::<oauth2::Provider>(|b| b) {
        Ok(api) => api,
        Err(failure) => return rec.record(P, "client setup", Err(failure)),
    };
    rec.record(P, "token with HTTP Basic", basic(ctx, &api).await);
    rec.record(
        P,
        "token with the client in the parameters",
        params(ctx).await,
    );
    rec.record(P, "introspection as check_token()", check(ctx, &api).await);
    rec.record(
        P,
        "revoke, then the revoked token introspects inactive",
        revoke(ctx, &api).await,
    );
    rec.record(
        P,
        "API call with the bearer header",
        bearer(ctx, &api).await,
    );
    rec.record(
        P,
        "insufficient scope: 403, not replayed",
        insufficient_scope(ctx).await,
    );
    rec.record(
        P,
        "endpoints from the issuer's metadata",
        discovery(ctx).await,
    );
}

/// The spec's first client authentication: RFC 6749 §2.3.1 Basic.
async fn basic(ctx: &Ctx, api: &oauth2::Client) -> Result<String, Failure> {
    let before = ctx.stats();
    let token = api.token().await?;
    let d = ctx.since(&before).oauth2;
    ensure(d.token_auth_basic == 1 && d.token_auth_post == 0, || {
        format!(
            "expected 1 request with Basic, the sandbox saw {} Basic and {} with the parameters",
            d.token_auth_basic, d.token_auth_post
        )
    })?;
    Ok(format!(
        "{} from 1 client_credentials grant, client id and secret in `Authorization: Basic`",
        token.masked()
    ))
}

/// `client_auth(ClientAuth::Params)`: `client_secret_post`.
async fn params(ctx: &mut Ctx) -> Result<String, Failure> {
    let api = ctx.client::<oauth2::Provider>(|b| b.client_auth(ClientAuth::Params))?;
    let before = ctx.stats();
    let token = api.token().await?;
    let d = ctx.since(&before).oauth2;
    ensure(d.token_auth_post == 1 && d.token_auth_basic == 0, || {
        format!(
            "expected 1 request with the parameters, the sandbox saw {} of them and {} Basic",
            d.token_auth_post, d.token_auth_basic
        )
    })?;
    Ok(format!(
        "{} with client_id and client_secret in the form (client_auth(ClientAuth::Params))",
        token.masked()
    ))
}

/// RFC 7662 introspection of the client's own token.
async fn check(ctx: &Ctx, api: &oauth2::Client) -> Result<String, Failure> {
    let before = ctx.stats();
    let answer = api.check_token().await?;
    let d = ctx.since(&before).oauth2;
    ensure(answer.active, || {
        format!("introspection answered {answer:?}")
    })?;
    ensure(d.introspect_active == 1 && d.token_issued == 0, || {
        format!(
            "expected 1 active introspection and no token request; the sandbox saw {} and {}",
            d.introspect_active, d.token_issued
        )
    })?;
    Ok(format!(
        "active: scope `{}`, client {}, type {}",
        answer.scope.unwrap_or_default(),
        answer.client_id.unwrap_or_default(),
        answer.token_type.unwrap_or_default()
    ))
}

/// RFC 7009: 200 with an empty body; then the token is inactive to
/// introspection, asked about by name since the cache dropped it.
async fn revoke(ctx: &Ctx, api: &oauth2::Client) -> Result<String, Failure> {
    let old = api.token().await?;
    let before = ctx.stats();
    api.revoke_token().await?;
    let answer = api.check_given_token(&old).await?;
    let d = ctx.since(&before).oauth2;
    ensure(d.revoke == 1 && d.revoke_rejected == 0, || {
        format!(
            "expected 1 accepted revocation; the sandbox saw {} ({} rejected)",
            d.revoke, d.revoke_rejected
        )
    })?;
    ensure(!answer.active && d.introspect_active == 0, || {
        format!("the revoked token introspects as {answer:?}")
    })?;
    ensure(d.token_issued == 0, || {
        format!("{} token request(s) for a named check", d.token_issued)
    })?;
    Ok(format!(
        "{} revoked (200, empty body); check_given_token → {{\"active\":false}}",
        old.masked()
    ))
}

/// RFC 6750 §2.1: the next call fetches a new token (the old one was
/// dropped with the revocation) and carries it as `Bearer`.
async fn bearer(ctx: &Ctx, api: &oauth2::Client) -> Result<String, Failure> {
    let before = ctx.stats();
    let me = me(api).await?;
    let d = ctx.since(&before).oauth2;
    ensure(me.token_in == "header", || {
        format!("/oauth2/api/me says {me:?}")
    })?;
    ensure(d.api_ok == 1 && d.token_issued == 1, || {
        format!(
            "expected 1 answered call and 1 new token; the sandbox saw {} and {}",
            d.api_ok, d.token_issued
        )
    })?;
    Ok(format!(
        "/oauth2/api/me: token_in={}, scope `{}` (a new token after the revocation)",
        me.token_in, me.scope
    ))
}

/// A token of scope `read` may not write: 403 `insufficient_scope` is
/// about the call, not the token, so nothing is renewed or replayed.
async fn insufficient_scope(ctx: &mut Ctx) -> Result<String, Failure> {
    let api = ctx.client::<oauth2::Provider>(|b| b.token_param("scope", "read"))?;
    let before = ctx.stats();
    let refused = create_report(&api, "Q3 plan").await;
    let d = ctx.since(&before).oauth2;
    let (status, code) = match &refused {
        Err(Error::Api { status, code, .. }) => (*status, code.clone()),
        other => return Err(Failure(format!("expected a 403, got {other:?}"))),
    };
    ensure(
        status == 403 && code.as_deref() == Some("insufficient_scope"),
        || format!("expected 403 insufficient_scope, got {status} {code:?}"),
    )?;
    ensure(
        d.api_calls == 1 && d.token_issued == 1 && api.stats().replays == 0,
        || {
            format!(
                "expected 1 call, 1 token and no replay; saw {}, {} and {}",
                d.api_calls,
                d.token_issued,
                api.stats().replays
            )
        },
    )?;
    Ok("POST /oauth2/api/reports with scope `read` → 403 insufficient_scope: 1 call, kept its token, no replay".into())
}

/// RFC 8414: below this base URL the spec's paths answer 404; the issuer's
/// metadata names the endpoints that answer.
async fn discovery(ctx: &mut Ctx) -> Result<String, Failure> {
    let base = ctx.sandbox.base_url();
    let elsewhere = format!("{base}/elsewhere");
    let issuer = format!("{base}/oauth2");
    let lost = ctx.client::<oauth2::Provider>(|b| b.base_url(&elsewhere))?;
    let found =
        ctx.client::<oauth2::Provider>(|b| b.base_url(&elsewhere).issuer(issuer.as_str()))?;
    let before = ctx.stats();
    let without = lost.token().await;
    let token = found.token().await?;
    let answer = found.check_token().await?;
    let d = ctx.since(&before).oauth2;
    ensure(without.is_err(), || {
        "a token came from below the wrong base URL".into()
    })?;
    ensure(
        answer.active && d.token_issued == 1 && d.introspect == 1,
        || {
            format!(
                "expected 1 token and 1 active introspection; saw {}, {} ({answer:?})",
                d.token_issued, d.introspect
            )
        },
    )?;
    Ok(format!(
        "issuer {issuer}: {} from its token_endpoint, introspected active at its introspection_endpoint (the spec's paths below {elsewhere} answer 404)",
        token.masked()
    ))
}
