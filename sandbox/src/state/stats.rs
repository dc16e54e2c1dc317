//! Request counters: atomics on the hot path, [`Stats`] snapshots for tests.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// A snapshot of the request counters of every provider, as
/// [`Sandbox::stats`](crate::Sandbox::stats) and `GET /__sandbox/stats`
/// give it.
///
/// A request counts when it reaches a handler, whatever it is answered;
/// requests that fail routing (wrong path, wrong method) do not count.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// The hotel provider's counters.
    pub hotel: HotelStats,
    /// The server provider's counters.
    pub server: ServerStats,
    /// The OAuth 2.0 provider's counters.
    #[serde(default)]
    pub oauth2: OAuth2Stats,
}

/// Counters of the hotel provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HotelStats {
    /// Token requests with `grant_type=client_credentials`, answered or not.
    pub token_client_credentials: u64,
    /// Token requests with `grant_type=refresh_token`, answered or not.
    pub token_refresh: u64,
    /// Token requests answered with an error of any kind, injected ones too.
    pub token_rejected: u64,
    /// Refresh requests (good client credentials) that presented one of the
    /// client's refresh tokens which had already been used, that is rotated
    /// away by an earlier refresh. Answered `invalid_grant`.
    pub refresh_token_reused: u64,
    /// Refresh requests (good client credentials) refused `invalid_grant`
    /// for any other reason: a refresh token never issued, of another kind
    /// or client, or revoked through the admin API.
    pub refresh_token_invalid: u64,
    /// Calls to the protected demo resources.
    pub api_calls: u64,
    /// Calls to the protected demo resources answered 401.
    pub api_unauthorized: u64,
    /// Calls answered 401 because their token had been revoked when a newer
    /// one was issued to the same client (new-token-revokes-earlier mode);
    /// also counted in `api_unauthorized`.
    pub api_superseded: u64,
}

/// Counters of the server provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerStats {
    /// Token requests with `grant_type=client_credentials`, answered or not.
    pub token_client_credentials: u64,
    /// Token requests answered with an error of any kind, injected ones too.
    pub token_rejected: u64,
    /// Calls to `/api/oauth2/server/tokens/check`.
    pub check: u64,
    /// Calls to `/api/oauth2/server/tokens/revoke`.
    pub revoke: u64,
    /// Calls to the protected demo resources.
    pub api_calls: u64,
    /// Calls to the protected demo resources answered 401.
    pub api_unauthorized: u64,
    /// Calls answered 401 because their token had been revoked when a newer
    /// one was issued to the same client (new-token-revokes-earlier mode);
    /// also counted in `api_unauthorized`.
    pub api_superseded: u64,
    /// Calls to the protected demo resources with a good token and a `sudo`
    /// parameter.
    pub sudo_calls: u64,
}

/// Counters of the OAuth 2.0 provider (`/oauth2/…`).
///
/// Each token request counts once in exactly one `token_auth_*` field, by
/// the client authentication it carried, whatever it is answered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuth2Stats {
    /// Token requests with an `Authorization` header (HTTP Basic, or another
    /// scheme, which is refused) and no `client_secret` in the body.
    pub token_auth_basic: u64,
    /// Token requests with `client_secret` in the body and no
    /// `Authorization` header (`client_secret_post`).
    pub token_auth_post: u64,
    /// Token requests with both an `Authorization` header and
    /// `client_secret` in the body: refused `invalid_request`, RFC 6749
    /// §2.3 allows one method a request.
    pub token_auth_both: u64,
    /// Token requests with no client authentication at all.
    pub token_auth_none: u64,
    /// Token requests answered with an access token.
    pub token_issued: u64,
    /// Token requests answered with an error of any kind, injected ones too.
    pub token_rejected: u64,
    /// Calls to `POST /oauth2/introspect`.
    pub introspect: u64,
    /// Introspections answered `"active": true`.
    pub introspect_active: u64,
    /// Introspections answered with an error (bad client authentication or
    /// a malformed request), not `"active": false`.
    pub introspect_rejected: u64,
    /// Calls to `POST /oauth2/revoke`.
    pub revoke: u64,
    /// Revocations of a good token of another client: answered 200 and the
    /// token left alone.
    pub revoke_foreign: u64,
    /// Revocations answered with an error (bad client authentication or a
    /// malformed request).
    pub revoke_rejected: u64,
    /// Calls to the protected resources under `/oauth2/api/`.
    pub api_calls: u64,
    /// Calls answered 2xx.
    pub api_ok: u64,
    /// Calls answered 401 without an `error`: no bearer token at all.
    pub api_no_token: u64,
    /// Calls answered 401 `invalid_token`: unknown, expired or revoked.
    pub api_invalid_token: u64,
    /// The part of `api_invalid_token` whose token had been revoked when a
    /// newer one was issued to the same client (new-token-revokes-earlier
    /// mode).
    pub api_superseded: u64,
    /// Calls answered 403 `insufficient_scope`.
    pub api_insufficient_scope: u64,
    /// Calls answered 400 `invalid_request`: a malformed token, a token sent
    /// two ways, or a malformed body.
    pub api_invalid_request: u64,
}

impl Stats {
    /// What was counted since `before`, field by field (zero where a counter
    /// went down, as after a reset): the cost of one scenario.
    pub fn since(&self, before: &Stats) -> Stats {
        let (mut now, mut then) = (self.clone(), before.clone());
        let mut delta = Stats::default();
        for counter in Counter::ALL {
            let (now, then) = (*now.field_mut(counter), *then.field_mut(counter));
            *delta.field_mut(counter) = now.saturating_sub(then);
        }
        delta
    }

    /// The field that holds `counter`: the one place counters meet fields.
    fn field_mut(&mut self, counter: Counter) -> &mut u64 {
        let (h, s, o) = (&mut self.hotel, &mut self.server, &mut self.oauth2);
        match counter {
            Counter::HotelTokenClientCredentials => &mut h.token_client_credentials,
            Counter::HotelTokenRefresh => &mut h.token_refresh,
            Counter::HotelTokenRejected => &mut h.token_rejected,
            Counter::HotelRefreshTokenReused => &mut h.refresh_token_reused,
            Counter::HotelRefreshTokenInvalid => &mut h.refresh_token_invalid,
            Counter::HotelApiCalls => &mut h.api_calls,
            Counter::HotelApiUnauthorized => &mut h.api_unauthorized,
            Counter::HotelApiSuperseded => &mut h.api_superseded,
            Counter::ServerTokenClientCredentials => &mut s.token_client_credentials,
            Counter::ServerTokenRejected => &mut s.token_rejected,
            Counter::ServerCheck => &mut s.check,
            Counter::ServerRevoke => &mut s.revoke,
            Counter::ServerApiCalls => &mut s.api_calls,
            Counter::ServerApiUnauthorized => &mut s.api_unauthorized,
            Counter::ServerApiSuperseded => &mut s.api_superseded,
            Counter::ServerSudoCalls => &mut s.sudo_calls,
            Counter::OAuth2TokenAuthBasic => &mut o.token_auth_basic,
            Counter::OAuth2TokenAuthPost => &mut o.token_auth_post,
            Counter::OAuth2TokenAuthBoth => &mut o.token_auth_both,
            Counter::OAuth2TokenAuthNone => &mut o.token_auth_none,
            Counter::OAuth2TokenIssued => &mut o.token_issued,
            Counter::OAuth2TokenRejected => &mut o.token_rejected,
            Counter::OAuth2Introspect => &mut o.introspect,
            Counter::OAuth2IntrospectActive => &mut o.introspect_active,
            Counter::OAuth2IntrospectRejected => &mut o.introspect_rejected,
            Counter::OAuth2Revoke => &mut o.revoke,
            Counter::OAuth2RevokeForeign => &mut o.revoke_foreign,
            Counter::OAuth2RevokeRejected => &mut o.revoke_rejected,
            Counter::OAuth2ApiCalls => &mut o.api_calls,
            Counter::OAuth2ApiOk => &mut o.api_ok,
            Counter::OAuth2ApiNoToken => &mut o.api_no_token,
            Counter::OAuth2ApiInvalidToken => &mut o.api_invalid_token,
            Counter::OAuth2ApiSuperseded => &mut o.api_superseded,
            Counter::OAuth2ApiInsufficientScope => &mut o.api_insufficient_scope,
            Counter::OAuth2ApiInvalidRequest => &mut o.api_invalid_request,
        }
    }
}

/// One counter of [`Stats`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Counter {
    HotelTokenClientCredentials,
    HotelTokenRefresh,
    HotelTokenRejected,
    HotelRefreshTokenReused,
    HotelRefreshTokenInvalid,
    HotelApiCalls,
    HotelApiUnauthorized,
    HotelApiSuperseded,
    ServerTokenClientCredentials,
    ServerTokenRejected,
    ServerCheck,
    ServerRevoke,
    ServerApiCalls,
    ServerApiUnauthorized,
    ServerApiSuperseded,
    ServerSudoCalls,
    OAuth2TokenAuthBasic,
    OAuth2TokenAuthPost,
    OAuth2TokenAuthBoth,
    OAuth2TokenAuthNone,
    OAuth2TokenIssued,
    OAuth2TokenRejected,
    OAuth2Introspect,
    OAuth2IntrospectActive,
    OAuth2IntrospectRejected,
    OAuth2Revoke,
    OAuth2RevokeForeign,
    OAuth2RevokeRejected,
    OAuth2ApiCalls,
    OAuth2ApiOk,
    OAuth2ApiNoToken,
    OAuth2ApiInvalidToken,
    OAuth2ApiSuperseded,
    OAuth2ApiInsufficientScope,
    OAuth2ApiInvalidRequest,
}

const COUNTERS: usize = Counter::OAuth2ApiInvalidRequest as usize + 1;

impl Counter {
    /// Every counter, in declaration order.
    const ALL: [Counter; COUNTERS] = {
        use Counter::*;
        [
            HotelTokenClientCredentials,
            HotelTokenRefresh,
            HotelTokenRejected,
            HotelRefreshTokenReused,
            HotelRefreshTokenInvalid,
            HotelApiCalls,
            HotelApiUnauthorized,
            HotelApiSuperseded,
            ServerTokenClientCredentials,
            ServerTokenRejected,
            ServerCheck,
            ServerRevoke,
            ServerApiCalls,
            ServerApiUnauthorized,
            ServerApiSuperseded,
            ServerSudoCalls,
            OAuth2TokenAuthBasic,
            OAuth2TokenAuthPost,
            OAuth2TokenAuthBoth,
            OAuth2TokenAuthNone,
            OAuth2TokenIssued,
            OAuth2TokenRejected,
            OAuth2Introspect,
            OAuth2IntrospectActive,
            OAuth2IntrospectRejected,
            OAuth2Revoke,
            OAuth2RevokeForeign,
            OAuth2RevokeRejected,
            OAuth2ApiCalls,
            OAuth2ApiOk,
            OAuth2ApiNoToken,
            OAuth2ApiInvalidToken,
            OAuth2ApiSuperseded,
            OAuth2ApiInsufficientScope,
            OAuth2ApiInvalidRequest,
        ]
    };
}

/// The live counters, one atomic each.
#[derive(Debug)]
pub(crate) struct Counters([AtomicU64; COUNTERS]);

impl Default for Counters {
    fn default() -> Self {
        Self(std::array::from_fn(|_| AtomicU64::new(0)))
    }
}

impl Counters {
    /// Adds one to `counter`.
    pub fn bump(&self, counter: Counter) {
        self.0[counter as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Sets every counter to zero.
    pub fn reset(&self) {
        self.0.iter().for_each(|c| c.store(0, Ordering::Relaxed));
    }

    /// The counters as they are now.
    pub fn snapshot(&self) -> Stats {
        let mut stats = Stats::default();
        for counter in Counter::ALL {
            *stats.field_mut(counter) = self.0[counter as usize].load(Ordering::Relaxed);
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_counter_lands_in_its_own_field() {
        let counters = Counters::default();
        counters.bump(Counter::HotelTokenRefresh);
        counters.bump(Counter::ServerSudoCalls);
        counters.bump(Counter::ServerSudoCalls);
        let stats = counters.snapshot();
        assert_eq!(stats.hotel.token_refresh, 1);
        assert_eq!(stats.server.sudo_calls, 2);
        assert_eq!(stats.hotel.token_client_credentials + stats.server.check, 0);
        counters.reset();
        assert_eq!(counters.snapshot(), Stats::default());
    }

    #[test]
    fn all_lists_every_counter_in_order_and_no_two_share_a_field() {
        for (i, counter) in Counter::ALL.into_iter().enumerate() {
            assert_eq!(counter as usize, i, "{counter:?}");
            let counters = Counters::default();
            counters.bump(counter);
            let json = serde_json::to_value(counters.snapshot()).unwrap();
            let ones: Vec<_> = json
                .as_object()
                .unwrap()
                .values()
                .flat_map(|provider| provider.as_object().unwrap().values())
                .filter(|v| **v == 1)
                .collect();
            assert_eq!(ones.len(), 1, "{counter:?}: {json}");
        }
    }

    #[test]
    fn since_subtracts_field_by_field_and_never_goes_below_zero() {
        let counters = Counters::default();
        counters.bump(Counter::OAuth2ApiOk);
        let before = counters.snapshot();
        counters.bump(Counter::OAuth2ApiOk);
        counters.bump(Counter::HotelRefreshTokenReused);
        let delta = counters.snapshot().since(&before);
        assert_eq!(delta.oauth2.api_ok, 1);
        assert_eq!(delta.hotel.refresh_token_reused, 1);
        assert_eq!(Stats::default().since(&before), Stats::default());
    }

    #[test]
    fn stats_serialize_with_snake_case_fields() {
        let json = serde_json::to_value(Stats::default()).unwrap();
        assert_eq!(json["hotel"]["token_client_credentials"], 0);
        assert_eq!(json["server"]["api_unauthorized"], 0);
        assert_eq!(json["oauth2"]["token_auth_both"], 0);
        assert_eq!(json["hotel"]["refresh_token_reused"], 0);
    }

    #[test]
    fn stats_of_an_older_sandbox_still_parse() {
        let old = r#"{"hotel":{"token_client_credentials":1},"server":{"check":2}}"#;
        let stats: Stats = serde_json::from_str(old).unwrap();
        assert_eq!(
            (stats.hotel.token_client_credentials, stats.server.check),
            (1, 2)
        );
    }
}
