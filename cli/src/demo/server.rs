//! The server steps: token placement, every sudo form, tenants by id and
//! code, check, revoke, recovery from a token revoked behind the client's
//! back, and (in `burst.rs`) concurrent calls on a cold cache.

use authorized_api::server;

use super::burst::burst;
use super::server_api::{
    Me, create_acme_project, me_by_email, me_by_login_name, me_by_mobile, me_by_uid,
    me_by_username, me_in_tenant, tenant_overview, whoami, whoami_token_in_query,
};
use super::{Ctx, Failure, Progress, Recorder, ensure};

pub(crate) async fn run(ctx: &mut Ctx, rec: &mut Recorder<impl FnMut(Progress<'_>)>) {
    const P: &str = "server";
    let api = match ctx.client::<server::Provider>(|b| b) {
        Ok(api) => api,
        Err(failure) => return rec.record(P, "client setup", Err(failure)),
    };
    rec.record(
        P,
        "token from the client credentials grant",
        first_token(ctx, &api).await,
    );
    rec.record(
        P,
        "token in the Authorization header",
        in_header(&api).await,
    );
    rec.record(P, "token in the query string", in_query(&api).await);
    rec.record(
        P,
        "sudo by uid",
        sudo(ctx, "uid:1001", 1001, me_by_uid(&api, 1001)).await,
    );
    rec.record(
        P,
        "sudo by loginName",
        sudo(ctx, "loginName:李雷", 1003, me_by_login_name(&api, "李雷")).await,
    );
    rec.record(
        P,
        "sudo by email",
        sudo(
            ctx,
            "email:a+b@example.com",
            1002,
            me_by_email(&api, "a+b@example.com"),
        )
        .await,
    );
    rec.record(
        P,
        "sudo by mobile",
        sudo(
            ctx,
            "mobile:+8613800000002",
            1002,
            me_by_mobile(&api, "+8613800000002"),
        )
        .await,
    );
    rec.record(
        P,
        "sudo by username (deprecated)",
        deprecated_sudo(&api).await,
    );
    rec.record(P, "tenant by tenantId", tenant_by_id(&api).await);
    rec.record(P, "tenant by tenantCode", tenant_by_code(&api).await);
    rec.record(P, "POST as a user in a tenant", create(&api).await);
    rec.record(P, "check the token", check(ctx, &api).await);
    rec.record(
        P,
        "revoke, then a new token on the next call",
        revoke(ctx, &api).await,
    );
    rec.record(
        P,
        "token revoked behind the client's back",
        revoked_behind(ctx, &api).await,
    );
    rec.record(
        P,
        "1,000 concurrent calls on a cold cache",
        burst(ctx).await,
    );
}

async fn first_token(ctx: &Ctx, api: &server::Client) -> Result<String, Failure> {
    let before = ctx.stats();
    let token = api.token().await?;
    let d = ctx.since(&before).server;
    ensure(d.token_client_credentials == 1, || {
        format!(
            "expected 1 token request, the sandbox saw {}",
            d.token_client_credentials
        )
    })?;
    Ok(format!(
        "{} from 1 client_credentials grant",
        token.masked()
    ))
}

async fn in_header(api: &server::Client) -> Result<String, Failure> {
    let me = whoami(api).await?;
    ensure(me.token_in == "header" && me.actor == "app", || {
        format!("/api/me says {me:?}")
    })?;
    Ok(format!(
        "/api/me: tokenIn={}, actor={}, clientId={}",
        me.token_in, me.actor, me.client_id
    ))
}

async fn in_query(api: &server::Client) -> Result<String, Failure> {
    let me = whoami_token_in_query(api).await?;
    ensure(me.token_in == "query", || {
        format!("/api/me says tokenIn={}", me.token_in)
    })?;
    Ok(format!(
        "#[authorized(token = query)] → /api/me: tokenIn={}",
        me.token_in
    ))
}

/// One sudo form: the server must resolve the user sent, byte for byte.
async fn sudo(
    ctx: &Ctx,
    sent: &str,
    uid: u64,
    call: impl Future<Output = authorized_api::Result<Me>>,
) -> Result<String, Failure> {
    let before = ctx.stats();
    let me = call.await?;
    let d = ctx.since(&before).server;
    let user = me
        .user
        .as_ref()
        .ok_or_else(|| Failure(format!("sudo={sent} acted as the app")))?;
    ensure(user.uid == uid && me.actor == "user", || {
        format!("sudo={sent} acted as uid {} (expected {uid})", user.uid)
    })?;
    ensure(d.sudo_calls == 1, || {
        format!("the sandbox counted {} sudo calls", d.sudo_calls)
    })?;
    Ok(format!(
        "sudo={sent} → uid {} {} <{}> {}",
        user.uid, user.login_name, user.email, user.mobile
    ))
}

async fn deprecated_sudo(api: &server::Client) -> Result<String, Failure> {
    let answer = me_by_username(api, "bob").await?;
    let flagged = answer
        .headers()
        .get("deprecation")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let me: Me = answer.decode()?;
    let uid = me.user.as_ref().map(|u| u.uid);
    ensure(uid == Some(1002), || {
        format!("sudo=username:bob acted as {uid:?}")
    })?;
    ensure(flagged.as_deref() == Some("true"), || {
        format!("expected `Deprecation: true`, got {flagged:?}")
    })?;
    Ok("sudo=username:bob → uid 1002, answered with `Deprecation: true` (use login_name)".into())
}

async fn tenant_by_id(api: &server::Client) -> Result<String, Failure> {
    let me = me_in_tenant(api, 1002, 2).await?;
    let tenant = me
        .tenant
        .ok_or_else(|| Failure("no tenant in the answer".into()))?;
    ensure(
        tenant.tenant_id == 2 && tenant.tenant_code == "华东-01",
        || format!("tenantId=2 resolved to {tenant:?}"),
    )?;
    Ok(format!(
        "sudo=uid:1002&tenantId=2 → tenant {} `{}` ({})",
        tenant.tenant_id, tenant.tenant_code, tenant.name
    ))
}

async fn tenant_by_code(api: &server::Client) -> Result<String, Failure> {
    let (me, projects) = tenant_overview(api, "李雷", "华东-01").await?;
    let tenant = me
        .tenant
        .ok_or_else(|| Failure("no tenant in the answer".into()))?;
    ensure(tenant.tenant_id == 2, || {
        format!("tenantCode=华东-01 resolved to {tenant:?}")
    })?;
    ensure(
        !projects.is_empty() && projects.iter().all(|p| p.tenant_code == "华东-01"),
        || format!("projects of 华东-01: {projects:?}"),
    )?;
    Ok(format!(
        "tenantCode=华东-01 (non-ASCII, percent-encoded) → tenant {}; {} project(s) of 华东-01 in the same scope",
        tenant.tenant_id,
        projects.len()
    ))
}

async fn create(api: &server::Client) -> Result<String, Failure> {
    let project = create_acme_project(api, 1001, "Quarterly report").await?;
    ensure(
        project.owner_uid == 1001 && project.tenant_code == "acme",
        || format!("created {project:?}"),
    )?;
    Ok(format!(
        "POST /api/projects → project #{} `{}` in {} owned by uid {}",
        project.id, project.name, project.tenant_code, project.owner_uid
    ))
}

async fn check(ctx: &Ctx, api: &server::Client) -> Result<String, Failure> {
    let before = ctx.stats();
    let answer = api.check_token().await?;
    let d = ctx.since(&before).server;
    ensure(d.check == 1 && d.token_client_credentials == 0, || {
        format!(
            "expected 1 check and no token request, the sandbox saw {} and {}",
            d.check, d.token_client_credentials
        )
    })?;
    ensure(
        answer.token_type.as_deref() == Some("bearer")
            && answer.expires_in.is_some_and(|s| s.0 > 0),
        || format!("check answered {answer:?}"),
    )?;
    Ok(format!(
        "valid: {} {}, expires in {} s (`expires_in` arrives as a string)",
        answer.access_token.masked(),
        answer.token_type.as_deref().unwrap_or("?"),
        answer.expires_in.map_or(0, |s| s.0)
    ))
}

async fn revoke(ctx: &Ctx, api: &server::Client) -> Result<String, Failure> {
    let old = api.token().await?;
    let before = ctx.stats();
    api.revoke_token().await?;
    let me = whoami(api).await?;
    let new = api.token().await?;
    let d = ctx.since(&before).server;
    ensure(
        d.revoke == 1 && d.token_client_credentials == 1 && d.api_unauthorized == 0,
        || {
            format!(
                "expected 1 revoke, 1 new token and no refused call; the sandbox saw {}, {} and {}",
                d.revoke, d.token_client_credentials, d.api_unauthorized
            )
        },
    )?;
    ensure(new != old && me.actor == "app", || {
        "the token did not change".into()
    })?;
    Ok(format!(
        "{} revoked and dropped; the next call fetched a new token (1 token request, no 401)",
        old.masked()
    ))
}

async fn revoked_behind(ctx: &Ctx, api: &server::Client) -> Result<String, Failure> {
    let old = api.token().await?;
    ctx.sandbox.revoke_all_tokens();
    let before = ctx.stats();
    let replays = api.stats().replays;
    let me = whoami(api).await?;
    let d = ctx.since(&before).server;
    let replayed = api.stats().replays - replays;
    ensure(
        d.api_unauthorized == 1 && d.token_client_credentials == 1 && replayed == 1,
        || {
            format!(
                "expected 1 refused call, 1 new token and 1 replay; saw {}, {} and {replayed}",
                d.api_unauthorized, d.token_client_credentials
            )
        },
    )?;
    ensure(me.actor == "app", || format!("/api/me says {me:?}"))?;
    Ok(format!(
        "{} refused (401) → 1 new token → call replayed once and answered",
        old.masked()
    ))
}
