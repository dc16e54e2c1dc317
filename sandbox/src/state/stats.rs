//! Request counters: atomics on the hot path, [`Stats`] snapshots for tests.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// A snapshot of the request counters of both providers.
///
/// A request counts when it reaches a handler, whatever it is answered;
/// requests that fail routing (wrong path, wrong method) do not count.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// The hotel provider's counters.
    pub hotel: HotelStats,
    /// The server provider's counters.
    pub server: ServerStats,
}

/// Counters of the hotel provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotelStats {
    /// Token requests with `grant_type=client_credentials`, answered or not.
    pub token_client_credentials: u64,
    /// Token requests with `grant_type=refresh_token`, answered or not.
    pub token_refresh: u64,
    /// Token requests answered with an error of any kind, injected ones too.
    pub token_rejected: u64,
    /// Calls to the protected demo resources.
    pub api_calls: u64,
    /// Calls to the protected demo resources answered 401.
    pub api_unauthorized: u64,
}

/// Counters of the server provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Calls to the protected demo resources with a good token and a `sudo`
    /// parameter.
    pub sudo_calls: u64,
}

/// One counter of [`Stats`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Counter {
    HotelTokenClientCredentials,
    HotelTokenRefresh,
    HotelTokenRejected,
    HotelApiCalls,
    HotelApiUnauthorized,
    ServerTokenClientCredentials,
    ServerTokenRejected,
    ServerCheck,
    ServerRevoke,
    ServerApiCalls,
    ServerApiUnauthorized,
    ServerSudoCalls,
}

const COUNTERS: usize = Counter::ServerSudoCalls as usize + 1;

/// The live counters, one atomic each.
#[derive(Debug, Default)]
pub(crate) struct Counters([AtomicU64; COUNTERS]);

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
        let get = |counter: Counter| self.0[counter as usize].load(Ordering::Relaxed);
        Stats {
            hotel: HotelStats {
                token_client_credentials: get(Counter::HotelTokenClientCredentials),
                token_refresh: get(Counter::HotelTokenRefresh),
                token_rejected: get(Counter::HotelTokenRejected),
                api_calls: get(Counter::HotelApiCalls),
                api_unauthorized: get(Counter::HotelApiUnauthorized),
            },
            server: ServerStats {
                token_client_credentials: get(Counter::ServerTokenClientCredentials),
                token_rejected: get(Counter::ServerTokenRejected),
                check: get(Counter::ServerCheck),
                revoke: get(Counter::ServerRevoke),
                api_calls: get(Counter::ServerApiCalls),
                api_unauthorized: get(Counter::ServerApiUnauthorized),
                sudo_calls: get(Counter::ServerSudoCalls),
            },
        }
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
    fn stats_serialize_with_snake_case_fields() {
        let json = serde_json::to_value(Stats::default()).unwrap();
        assert_eq!(json["hotel"]["token_client_credentials"], 0);
        assert_eq!(json["server"]["api_unauthorized"], 0);
    }
}
