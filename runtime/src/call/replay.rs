//! The replay rule, for calls (`send.rs`) and the middleware alike: an
//! answer that refuses its token drops the token (if still current, and if
//! a new token can help) and the request is replayed once with a new one;
//! never twice, and never a body that can be read only once.

use std::sync::atomic::Ordering;

use crate::cache::HeldToken;
use crate::client::Inner;

/// What an attempt's answer decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The token was not refused (and is now known good): the answer stands.
    Accepted,
    /// The token was refused and a replay cannot help: the answer stands
    /// as a refusal.
    Refused,
    /// The token was refused and dropped: send the request once more, with
    /// a new token.
    Replay,
}

/// What an attempt's answer decides, for the attempt that sent `token`:
/// whether the answer `refuses` it, whether this attempt was already the
/// replay, and whether the request can be sent again (`replayable`: not a
/// stream). `status` is the answer's, for the logs.
pub(crate) fn decide(
    inner: &Inner,
    token: Option<&HeldToken>,
    refuses: bool,
    replayed: bool,
    replayable: bool,
    status: u16,
) -> Decision {
    if !refuses {
        if let Some(token) = token
            && token.first_acceptance()
        {
            inner.cache.accepted(token.shared());
        }
        return Decision::Accepted;
    }
    if replayed {
        // A token fetched for this very replay is refused too: the refusal
        // is about the call (permissions, a sudo user), not the token, so
        // the token stays cached; dropping it would only cost requests.
        tracing::warn!(status, "token refused again after the replay");
        return Decision::Refused;
    }
    if !token.is_some_and(|token| inner.cache.refused(token.shared())) {
        return Decision::Refused;
    }
    if !replayable {
        tracing::info!(
            status,
            "token refused; the body cannot be sent again, not replaying"
        );
        return Decision::Refused;
    }
    inner.counters.replays.fetch_add(1, Ordering::Relaxed);
    tracing::info!(status, "token refused; replaying once with a new token");
    Decision::Replay
}
