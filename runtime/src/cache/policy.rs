//! When a cached token is renewed: the margins a client sets, the instants
//! they give a token, and the phase of its life at any instant, a pure
//! function that the cache acts on.

use std::time::Duration;

use tokio::time::Instant;

use crate::token::granted::{Token, capped};

/// When a cached token is renewed.
///
/// A token is *fresh* until its refresh window, the last
/// `min(lifetime × refresh_fraction, refresh_max)` of its lifetime. In the
/// refresh window, callers still get it at once while one background task
/// renews it. In the safety window, the last
/// `min(lifetime × safety_fraction, safety_max)`, and once it has expired,
/// callers wait for the renewal instead.
///
/// Fractions are clamped to `0.0..=1.0` (a fraction that is not a number
/// counts as zero).
///
/// ```
/// use std::time::Duration;
/// use authorized_runtime::RefreshMargins;
///
/// let margins = RefreshMargins { refresh_max: Duration::from_secs(60), ..RefreshMargins::default() };
/// assert_eq!(margins.refresh_fraction, 0.2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefreshMargins {
    /// Renew ahead, in the background, in this last part of the lifetime (0.2: the last 20%)…
    pub refresh_fraction: f64,
    /// …but at most in this last stretch of it.
    pub refresh_max: Duration,
    /// Callers wait for the renewal in this last part of the lifetime (0.1: the last 10%)…
    pub safety_fraction: f64,
    /// …but at most in this last stretch of it.
    pub safety_max: Duration,
}

impl Default for RefreshMargins {
    /// Refresh ahead in the last 20% of the lifetime (at most 5 minutes);
    /// wait for the renewal in the last 10% (at most 30 seconds).
    fn default() -> Self {
        Self {
            refresh_fraction: 0.2,
            refresh_max: Duration::from_secs(300),
            safety_fraction: 0.1,
            safety_max: Duration::from_secs(30),
        }
    }
}

impl RefreshMargins {
    /// `min(lifetime × fraction, max)`, never panicking.
    fn lead(lifetime: Duration, fraction: f64, max: Duration) -> Duration {
        let fraction = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        Duration::try_from_secs_f64(lifetime.as_secs_f64() * fraction)
            .unwrap_or(Duration::ZERO)
            .min(max)
            .min(lifetime)
    }
}

/// The instants at which a token changes phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Deadlines {
    /// From here, renew in the background.
    pub refresh_at: Instant,
    /// From here, callers wait for the renewal.
    pub safety_at: Instant,
    /// From here, the token is no longer valid.
    pub expires_at: Instant,
}

impl Deadlines {
    /// `token`'s deadlines under `margins`; each at or before its expiry.
    pub(crate) fn new(token: &Token, margins: &RefreshMargins) -> Self {
        let lifetime = capped(token.lifetime);
        let expires_at = token.expires_at();
        let before_expiry =
            |lead: Duration| expires_at.checked_sub(lead).unwrap_or(token.obtained_at);
        let refresh_lead =
            RefreshMargins::lead(lifetime, margins.refresh_fraction, margins.refresh_max);
        let safety_lead =
            RefreshMargins::lead(lifetime, margins.safety_fraction, margins.safety_max);
        Self {
            refresh_at: before_expiry(refresh_lead),
            safety_at: before_expiry(safety_lead),
            expires_at,
        }
    }
}

/// What a cached token is good for at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Served as it is.
    Fresh,
    /// In the refresh window: served at once while one background task
    /// renews it.
    Renew,
    /// In the safety window: still valid, but callers wait for the renewal
    /// (and fall back to it if the renewal fails).
    Wait,
    /// No longer valid: never served.
    Expired,
}

impl Phase {
    /// Whether a token in this phase may still be sent.
    pub(crate) fn is_valid(self) -> bool {
        self != Self::Expired
    }
}

/// The phase of a token with `deadlines` at `now`.
pub(crate) fn phase(deadlines: &Deadlines, now: Instant) -> Phase {
    if now < deadlines.refresh_at {
        Phase::Fresh
    } else if now < deadlines.safety_at {
        Phase::Renew
    } else if now < deadlines.expires_at {
        Phase::Wait
    } else {
        Phase::Expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    const LIFETIME: Duration = Duration::from_secs(100);
    // With the default margins and a 100 s lifetime: refresh from 80 s, wait from 90 s.
    const REFRESH_AT: Duration = Duration::from_secs(80);
    const SAFETY_AT: Duration = Duration::from_secs(90);

    fn token(lifetime: Duration) -> Token {
        Token {
            access_token: Secret::new("x"),
            refresh_token: None,
            lifetime,
            obtained_at: Instant::now(),
        }
    }

    #[test]
    fn a_token_goes_through_every_phase_in_order_at_its_deadlines() {
        let token = token(LIFETIME);
        let d = Deadlines::new(&token, &RefreshMargins::default());
        let at = |secs: u64| phase(&d, token.obtained_at + Duration::from_secs(secs));
        let just_before = |instant: Instant| phase(&d, instant - Duration::from_nanos(1));
        assert_eq!(at(0), Phase::Fresh);
        assert_eq!(just_before(d.refresh_at), Phase::Fresh);
        assert_eq!(at(80), Phase::Renew);
        assert_eq!(just_before(d.safety_at), Phase::Renew);
        assert_eq!(at(90), Phase::Wait);
        assert_eq!(just_before(d.expires_at), Phase::Wait);
        assert_eq!(at(100), Phase::Expired);
        assert_eq!(at(10_000), Phase::Expired);
        assert!(Phase::Wait.is_valid() && !Phase::Expired.is_valid());
    }

    #[test]
    fn with_no_margins_a_token_is_fresh_until_it_expires() {
        let none = RefreshMargins {
            refresh_fraction: 0.0,
            safety_fraction: 0.0,
            ..RefreshMargins::default()
        };
        let token = token(LIFETIME);
        let d = Deadlines::new(&token, &none);
        assert_eq!(
            phase(&d, d.expires_at - Duration::from_nanos(1)),
            Phase::Fresh
        );
        assert_eq!(phase(&d, d.expires_at), Phase::Expired);
    }

    #[test]
    fn odd_margins_and_lifetimes_never_panic() {
        let odd = [
            RefreshMargins {
                refresh_fraction: f64::NAN,
                safety_fraction: -1.0,
                ..Default::default()
            },
            RefreshMargins {
                refresh_fraction: f64::INFINITY,
                refresh_max: Duration::MAX,
                safety_fraction: 7.0,
                safety_max: Duration::MAX,
            },
            RefreshMargins {
                refresh_fraction: 0.0,
                safety_fraction: 0.0,
                ..Default::default()
            },
        ];
        for margins in odd {
            for lifetime in [
                Duration::ZERO,
                Duration::from_nanos(1),
                LIFETIME,
                Duration::MAX,
            ] {
                let entry = Deadlines::new(&token(lifetime), &margins);
                assert!(
                    entry.refresh_at <= entry.expires_at && entry.safety_at <= entry.expires_at
                );
            }
        }
        let token = token(LIFETIME);
        let entry = Deadlines::new(&token, &RefreshMargins::default());
        assert_eq!(entry.refresh_at - token.obtained_at, REFRESH_AT);
        assert_eq!(entry.safety_at - token.obtained_at, SAFETY_AT);
        // The caps: a day-long token is renewed 5 minutes ahead, waited for 30 s ahead.
        let day = Duration::from_secs(86_400);
        let entry = Deadlines::new(&self::token(day), &RefreshMargins::default());
        assert_eq!(
            entry.expires_at - entry.refresh_at,
            Duration::from_secs(300)
        );
        assert_eq!(entry.expires_at - entry.safety_at, Duration::from_secs(30));
    }
}
