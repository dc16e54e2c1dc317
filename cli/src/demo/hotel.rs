//! The hotel steps: client credentials, a typed call, renewal with the
//! refresh grant (after expiry and ahead of it) and refresh token rotation.

use std::time::Duration;

use authorized_api::{RefreshMargins, hotel};

use super::hotel_api::{hotel, list_hotels};
use super::{Ctx, Failure, Progress, Recorder, ensure};

/// Lifetime the main hotel client asks for (`expires_in`).
const LIFETIME_SECS: u64 = 3600;

pub(crate) async fn run(ctx: &mut Ctx, rec: &mut Recorder<impl FnMut(Progress<'_>)>) {
    const P: &str = "hotel";
    let api = match ctx.client::<hotel::Provider>(|b| b.token_param("expires_in", LIFETIME_SECS)) {
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
        "typed API calls with the cached token",
        calls(ctx, &api).await,
    );
    rec.record(
        P,
        "expired token renewed with the refresh grant",
        after_expiry(ctx, &api).await,
    );
    rec.record(
        P,
        "refresh tokens rotate: the newest is kept",
        rotation(ctx, &api).await,
    );
    rec.record(
        P,
        "renewal ahead of expiry uses the refresh grant",
        ahead(ctx).await,
    );
}

async fn first_token(ctx: &Ctx, api: &hotel::Client) -> Result<String, Failure> {
    let before = ctx.stats();
    let token = api.token().await?;
    let d = ctx.since(&before).hotel;
    ensure(
        d.token_client_credentials == 1 && d.token_refresh == 0,
        || {
            format!(
                "expected 1 client_credentials grant, the sandbox saw {} (and {} refresh)",
                d.token_client_credentials, d.token_refresh
            )
        },
    )?;
    Ok(format!(
        "{} from 1 client_credentials grant (expires_in={LIFETIME_SECS} asked)",
        token.masked()
    ))
}

async fn calls(ctx: &Ctx, api: &hotel::Client) -> Result<String, Failure> {
    let before = ctx.stats();
    let hotels = list_hotels(api).await?;
    let one = hotel(api, "H1002").await?;
    let d = ctx.since(&before).hotel;
    ensure(hotels.len() == 3, || {
        format!("expected 3 hotels, got {}", hotels.len())
    })?;
    ensure(one.hotel_name == "上海外滩酒店", || {
        format!("H1002 is `{}`", one.hotel_name)
    })?;
    ensure(
        d.api_calls == 2 && d.token_client_credentials + d.token_refresh == 0,
        || {
            format!(
                "expected 2 calls and no token request, the sandbox saw {} calls and {} token requests",
                d.api_calls,
                d.token_client_credentials + d.token_refresh
            )
        },
    )?;
    let names: Vec<&str> = hotels.iter().map(|h| h.hotel_name.as_str()).collect();
    Ok(format!(
        "{} hotels ({}), H1002 = {} {}★; 2 calls, no new token",
        hotels.len(),
        names.join(", "),
        one.hotel_name,
        one.stars
    ))
}

/// The sandbox expires the token behind the client's back: the client still
/// thinks it good, the call gets a 401, and the runtime renews with the
/// refresh token it holds, then replays the call once.
async fn after_expiry(ctx: &Ctx, api: &hotel::Client) -> Result<String, Failure> {
    let old = api.token().await?;
    ctx.sandbox.expire_all_tokens();
    let before = ctx.stats();
    let replays = api.stats().replays;
    let hotels = list_hotels(api).await?;
    let new = api.token().await?;
    let d = ctx.since(&before).hotel;
    let replayed = api.stats().replays - replays;
    ensure(hotels.len() == 3, || {
        format!("expected 3 hotels, got {}", hotels.len())
    })?;
    ensure(
        d.api_unauthorized == 1 && d.token_refresh == 1 && d.token_client_credentials == 0,
        || {
            format!(
                "expected 1 refused call, 1 refresh grant and no client_credentials; the sandbox saw {}, {} and {}",
                d.api_unauthorized, d.token_refresh, d.token_client_credentials
            )
        },
    )?;
    ensure(replayed == 1 && new != old, || {
        format!(
            "expected 1 replay with a new token; saw {replayed} replays, token changed: {}",
            new != old
        )
    })?;
    Ok(format!(
        "{} expired → 401 → 1 refresh grant (0 client_credentials) → a new token, call replayed once",
        old.masked()
    ))
}

/// Sandbox refresh tokens are good once: a second refresh succeeds only
/// with the rotated refresh token from the first refresh's answer.
async fn rotation(ctx: &Ctx, api: &hotel::Client) -> Result<String, Failure> {
    let refresh_tokens = |ctx: &Ctx| {
        ctx.sandbox
            .issued_tokens()
            .iter()
            .filter(|t| t.starts_with("hrt_"))
            .count()
    };
    let issued = refresh_tokens(ctx);
    ctx.sandbox.expire_all_tokens();
    let before = ctx.stats();
    list_hotels(api).await?;
    let d = ctx.since(&before).hotel;
    let new_refresh_tokens = refresh_tokens(ctx) - issued;
    ensure(
        d.token_refresh == 1 && d.token_client_credentials == 0 && d.token_rejected == 0,
        || {
            format!(
                "expected 1 accepted refresh grant and no client_credentials; the sandbox saw {} refresh, {} client_credentials, {} rejected",
                d.token_refresh, d.token_client_credentials, d.token_rejected
            )
        },
    )?;
    ensure(new_refresh_tokens == 1, || {
        format!("expected 1 new refresh token, {new_refresh_tokens} were issued")
    })?;
    Ok("2nd refresh accepted with the rotated refresh token (each is good once); a new one issued, 0 client_credentials".into())
}

/// With margins covering a token's whole lifetime, a token is due for
/// renewal as soon as it arrives: the next call renews it while it is still
/// valid, with the refresh grant, and no call is refused. (Real services keep
/// the default margins: renew in the last 20% of the lifetime.)
async fn ahead(ctx: &mut Ctx) -> Result<String, Failure> {
    let lifetime = Duration::from_secs(30);
    let margins = RefreshMargins {
        refresh_fraction: 1.0,
        refresh_max: lifetime,
        safety_fraction: 1.0,
        safety_max: lifetime,
    };
    let api = ctx.client::<hotel::Provider>(|b| {
        b.token_param("expires_in", lifetime.as_secs())
            .refresh_margins(margins)
    })?;
    let before = ctx.stats();
    let first = api.token().await?;
    let hotels = list_hotels(&api).await?;
    let d = ctx.since(&before).hotel;
    ensure(hotels.len() == 3, || {
        format!("expected 3 hotels, got {}", hotels.len())
    })?;
    ensure(
        d.token_client_credentials == 1 && d.token_refresh == 1 && d.api_unauthorized == 0,
        || {
            format!(
                "expected 1 client_credentials, 1 refresh and no refused call; the sandbox saw {}, {} and {}",
                d.token_client_credentials, d.token_refresh, d.api_unauthorized
            )
        },
    )?;
    Ok(format!(
        "{} (30 s, due at once by the margins) renewed with 1 refresh grant before expiry; no call refused",
        first.masked()
    ))
}
