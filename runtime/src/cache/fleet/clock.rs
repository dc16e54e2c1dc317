//! Instants across processes: a token's instants travel as Unix time, read
//! through one anchor per process that pairs the wall clock with tokio's
//! monotonic clock, so a paused clock in tests moves both.

use std::sync::LazyLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

/// The process's pairing of a monotonic instant with Unix time.
struct Anchor {
    instant: std::time::Instant,
    unix: Duration,
}

static ANCHOR: LazyLock<Anchor> = LazyLock::new(|| Anchor {
    instant: std::time::Instant::now(),
    unix: SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default(),
});

/// `instant` as time since the Unix epoch.
pub(crate) fn unix(instant: Instant) -> Duration {
    let anchor = &*ANCHOR;
    let instant = instant.into_std();
    match instant.checked_duration_since(anchor.instant) {
        Some(after) => anchor.unix.saturating_add(after),
        None => anchor
            .unix
            .saturating_sub(anchor.instant.duration_since(instant)),
    }
}

/// The local instant of a Unix time, or `None` if it is too far from now to
/// be one (a garbled entry).
pub(crate) fn instant(unix_time: Duration) -> Option<Instant> {
    let now = Instant::now();
    let unix_now = unix(now);
    if unix_time <= unix_now {
        now.checked_sub(unix_now - unix_time)
    } else {
        now.checked_add(unix_time - unix_now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn instants_round_trip_and_follow_the_paused_clock() {
        let now = Instant::now();
        let earlier = now - Duration::from_secs(30);
        let at = unix(earlier);
        tokio::time::advance(Duration::from_secs(100)).await;
        assert_eq!(unix(Instant::now()) - at, Duration::from_secs(130));
        let back = instant(at).unwrap();
        let off = if back > earlier {
            back - earlier
        } else {
            earlier - back
        };
        assert!(off < Duration::from_millis(1), "{off:?}");
        assert!(instant(Duration::MAX).is_none());
    }
}
