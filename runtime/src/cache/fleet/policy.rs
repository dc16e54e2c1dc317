//! The fleet's decisions as pure functions of instants and facts, which the
//! machinery in `renew` acts on: when a process starts renewing (jittered),
//! whether a shared token is worth taking, how long to wait for another
//! process's renewal, and which refresh token a fetch may present.

use std::time::Duration;

use tokio::time::Instant;

use crate::cache::policy::{Deadlines, Phase, phase};
use crate::cache::store::FleetSettings;

/// The part of the refresh window over which processes spread their renewal
/// starts: its first half, so the last half is left for the renewal itself.
pub(crate) const JITTER_SPAN: f64 = 0.5;

/// `deadlines` with the refresh instant moved to `draw` (in `0.0..1.0`) of
/// the first [`JITTER_SPAN`] of the refresh window: the first process of the
/// fleet to get there renews, the others find its token in the store.
pub(crate) fn jittered(deadlines: Deadlines, draw: f64) -> Deadlines {
    let window = deadlines
        .safety_at
        .saturating_duration_since(deadlines.refresh_at);
    let draw = if draw.is_nan() {
        0.0
    } else {
        draw.clamp(0.0, 1.0)
    };
    let delay = window.mul_f64(JITTER_SPAN * draw);
    Deadlines {
        refresh_at: deadlines.refresh_at + delay,
        ..deadlines
    }
}

/// What a read of the store found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// Nothing usable: no entry, one that does not open, or the token this
    /// process saw refused.
    Nothing,
    /// A token past its refresh instant: someone must renew it.
    Stale,
    /// A token before its refresh instant: take it, fetch nothing.
    Fresh,
}

/// How a shared token with `deadlines` (not jittered) counts at `now`;
/// `refused` if this process saw the provider refuse it.
pub(crate) fn found(deadlines: Option<&Deadlines>, refused: bool, now: Instant) -> Found {
    match deadlines {
        None => Found::Nothing,
        Some(_) if refused => Found::Nothing,
        Some(d) => match phase(d, now) {
            Phase::Fresh => Found::Fresh,
            Phase::Expired => Found::Nothing,
            Phase::Renew | Phase::Wait => Found::Stale,
        },
    }
}

/// While another process holds the lock: what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Waiting {
    /// Wait this long for news, then look at the store again (and take the
    /// lock if its holder is gone).
    For(Duration),
    /// Waited `max_wait`: get a token alone.
    GiveUp,
}

/// How long to wait for news, having waited since `since`.
pub(crate) fn waiting(since: Instant, now: Instant, settings: &FleetSettings) -> Waiting {
    let waited = now.saturating_duration_since(since);
    match settings.max_wait.checked_sub(waited) {
        Some(left) if !left.is_zero() => {
            Waiting::For(settings.poll.min(left).max(Duration::from_millis(1)))
        }
        _ => Waiting::GiveUp,
    }
}

/// How often the holder extends its lease while it fetches.
pub(crate) fn keepalive_every(lease: Duration) -> Duration {
    (lease / 3).max(Duration::from_millis(1))
}

/// Whose refresh token a fetch may present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refresh {
    /// The stored token's: the lock holder, after reading the store under
    /// the lock, is the only process that may use it.
    Stored,
    /// This process's own token's, which no other process ever saw.
    Own,
    /// None: the client credentials. A refresh token another process may
    /// also hold must never be presented without the lock.
    None,
}

/// Which refresh token to present: `holding` the lock (and the store read
/// under it), or alone; `own_private` if this process's token was fetched
/// here and never shared.
pub(crate) fn refresh(holding: bool, stored: bool, own_private: bool) -> Refresh {
    match (holding, stored, own_private) {
        (true, true, _) => Refresh::Stored,
        (true, false, true) | (false, _, true) => Refresh::Own,
        (true, false, false) => Refresh::None,
        (false, _, false) => Refresh::None,
    }
}

/// How long a written entry lives in the store: until the token expires;
/// `None` if it has already.
pub(crate) fn ttl(expires_at: Instant, now: Instant) -> Option<Duration> {
    let left = expires_at.saturating_duration_since(now);
    (!left.is_zero()).then_some(left)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    fn deadlines(now: Instant) -> Deadlines {
        Deadlines {
            refresh_at: now + 80 * S,
            safety_at: now + 90 * S,
            expires_at: now + 100 * S,
        }
    }

    #[test]
    fn renewal_starts_spread_over_the_first_half_of_the_refresh_window() {
        let now = Instant::now();
        let d = deadlines(now);
        assert_eq!(jittered(d, 0.0), d);
        assert_eq!(
            jittered(d, 0.5).refresh_at,
            now + 82_500 * Duration::from_millis(1)
        );
        assert_eq!(jittered(d, 1.0).refresh_at, now + 85 * S);
        for odd in [f64::NAN, -1.0, 7.0] {
            let j = jittered(d, odd);
            assert!(j.refresh_at >= d.refresh_at && j.refresh_at <= now + 85 * S);
            assert_eq!((j.safety_at, j.expires_at), (d.safety_at, d.expires_at));
        }
        let none = Deadlines {
            refresh_at: d.safety_at,
            ..d
        };
        assert_eq!(
            jittered(none, 0.9),
            none,
            "no refresh window, nothing to spread"
        );
    }

    #[test]
    fn only_a_fresh_token_nobody_here_saw_refused_is_taken() {
        let now = Instant::now();
        let d = deadlines(now);
        assert_eq!(found(None, false, now), Found::Nothing);
        assert_eq!(found(Some(&d), false, now), Found::Fresh);
        assert_eq!(found(Some(&d), true, now), Found::Nothing);
        assert_eq!(found(Some(&d), false, now + 80 * S), Found::Stale);
        assert_eq!(found(Some(&d), false, now + 95 * S), Found::Stale);
        assert_eq!(found(Some(&d), false, now + 100 * S), Found::Nothing);
    }

    #[test]
    fn a_waiter_polls_at_most_every_poll_and_gives_up_after_max_wait() {
        let settings = FleetSettings {
            poll: Duration::from_millis(200),
            max_wait: 10 * S,
            ..FleetSettings::default()
        };
        let since = Instant::now();
        assert_eq!(
            waiting(since, since, &settings),
            Waiting::For(Duration::from_millis(200))
        );
        let near_end = since + Duration::from_millis(9_950);
        assert_eq!(
            waiting(since, near_end, &settings),
            Waiting::For(Duration::from_millis(50))
        );
        assert_eq!(waiting(since, since + 10 * S, &settings), Waiting::GiveUp);
        assert_eq!(waiting(since, since + 11 * S, &settings), Waiting::GiveUp);
        let zero_poll = FleetSettings {
            poll: Duration::ZERO,
            ..settings
        };
        assert_eq!(
            waiting(since, since, &zero_poll),
            Waiting::For(Duration::from_millis(1)),
            "never a busy loop"
        );
    }

    #[test]
    fn a_refresh_token_is_presented_only_under_the_lock_or_if_never_shared() {
        assert_eq!(refresh(true, true, false), Refresh::Stored);
        assert_eq!(refresh(true, true, true), Refresh::Stored);
        assert_eq!(
            refresh(true, false, false),
            Refresh::None,
            "the store has none: another process may hold ours"
        );
        assert_eq!(refresh(true, false, true), Refresh::Own);
        assert_eq!(refresh(false, true, true), Refresh::Own);
        assert_eq!(refresh(false, false, false), Refresh::None);
        assert_eq!(refresh(false, true, false), Refresh::None);
    }

    #[test]
    fn keepalive_and_ttl() {
        assert_eq!(keepalive_every(3 * S), S);
        assert_eq!(keepalive_every(Duration::ZERO), Duration::from_millis(1));
        let now = Instant::now();
        assert_eq!(ttl(now + 5 * S, now), Some(5 * S));
        assert_eq!(ttl(now, now), None);
        assert_eq!(ttl(now, now + S), None);
    }
}
