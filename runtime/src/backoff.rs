//! How long to wait before trying again: retry policies for token requests
//! and the exponential delays behind them.

use std::time::Duration;

/// How a token request is retried when the endpoint is unavailable (HTTP 429
/// or 5xx, a transport failure or a timeout).
///
/// Attempt `n` (counting from 1) that fails is followed by a wait of up to
/// `base_delay * 2^(n-1)`, at most `max_delay`; with `jitter` the wait is
/// drawn uniformly from zero to that bound ("full jitter"), so many clients
/// failing together do not retry together. A `Retry-After` answer header
/// replaces the computed wait (capped at `max_delay`).
///
/// ```
/// use std::time::Duration;
/// use authorized_runtime::RetryPolicy;
///
/// let policy = RetryPolicy { max_attempts: 5, ..RetryPolicy::default() };
/// assert_eq!(policy.base_delay, Duration::from_millis(200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 0 counts as 1.
    pub max_attempts: u32,
    /// The bound of the wait after the first failed attempt.
    pub base_delay: Duration,
    /// No wait is longer than this, `Retry-After` included.
    pub max_delay: Duration,
    /// Whether waits are drawn at random below their bound.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, waits from 200 ms up to 10 s, with jitter.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Attempts in all, at least one.
    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }

    /// The wait after failed attempt `attempt` (counting from 1), or the
    /// server's `Retry-After` capped at `max_delay` when it gave one.
    pub(crate) fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        let bound = exponential(self.base_delay, self.max_delay, attempt);
        if self.jitter {
            full_jitter(bound)
        } else {
            bound
        }
    }
}

/// `base * 2^(failures-1)`, at most `max`; zero failures give zero. Never
/// overflows.
pub(crate) fn exponential(base: Duration, max: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    let factor = 1u32.checked_shl(failures - 1).unwrap_or(u32::MAX);
    base.checked_mul(factor).unwrap_or(max).min(max)
}

/// A wait drawn uniformly from zero to `bound`.
fn full_jitter(bound: Duration) -> Duration {
    let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(..=nanos))
}

/// Reads a `Retry-After` header value (RFC 9110 §10.2.3): delta-seconds
/// (`120`) or an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`). A date in the
/// past gives zero; anything else unreadable gives `None`.
pub(crate) fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::*;

    #[test]
    fn exponential_grows_and_caps_without_overflow() {
        let (base, max) = (Duration::from_millis(100), Duration::from_secs(30));
        assert_eq!(exponential(base, max, 0), Duration::ZERO);
        assert_eq!(exponential(base, max, 1), Duration::from_millis(100));
        assert_eq!(exponential(base, max, 4), Duration::from_millis(800));
        assert_eq!(exponential(base, max, 20), max);
        assert_eq!(exponential(base, max, u32::MAX), max);
        assert_eq!(exponential(Duration::MAX, Duration::MAX, 3), Duration::MAX);
    }

    #[test]
    fn jittered_delays_stay_below_their_bound() {
        let policy = RetryPolicy::default();
        for attempt in 1..10 {
            let bound = exponential(policy.base_delay, policy.max_delay, attempt);
            assert!(policy.delay(attempt, None) <= bound);
        }
        let fixed = RetryPolicy {
            jitter: false,
            ..policy
        };
        assert_eq!(fixed.delay(2, None), Duration::from_millis(400));
        assert_eq!(fixed.attempts(), 3);
        assert_eq!(
            RetryPolicy {
                max_attempts: 0,
                ..policy
            }
            .attempts(),
            1
        );
    }

    #[test]
    fn retry_after_replaces_the_delay_but_is_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(3600))),
            policy.max_delay
        );
    }

    #[test]
    fn reads_retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        for bad in [
            "",
            "-1",
            "soon",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 99 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
        assert!(parse_retry_after("Thu, 01 Jan 2099 00:00:00 GMT", SystemTime::now()).is_some());
    }
}
