//! Unix time for the answers that carry it (`exp`, `iat`), read off tokio's
//! clock so that it moves with `tokio::time::advance` like token expiry does.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

/// A tokio instant and the Unix time it was, taken together once.
#[derive(Debug)]
pub(crate) struct WallClock {
    instant: Instant,
    unix: Duration,
}

impl WallClock {
    /// Anchors tokio's clock to the system clock as they read now.
    pub fn new() -> Self {
        let unix = SystemTime::now().duration_since(UNIX_EPOCH);
        Self {
            instant: Instant::now(),
            unix: unix.unwrap_or_default(),
        }
    }

    /// Whole seconds since the Unix epoch at `at`.
    pub fn epoch_secs(&self, at: Instant) -> u64 {
        let unix = if at >= self.instant {
            self.unix + (at - self.instant)
        } else {
            self.unix.saturating_sub(self.instant - at)
        };
        unix.as_secs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_move_with_the_instant() {
        let clock = WallClock::new();
        let now = clock.epoch_secs(clock.instant);
        assert!(now > 1_500_000_000);
        let later = clock.instant + Duration::from_secs(3600);
        assert_eq!(clock.epoch_secs(later), now + 3600);
    }
}
