//! A token as the runtime holds it, and the one cap on its lifetime.

use std::time::Duration;

use tokio::time::Instant;

use crate::secret::Secret;

/// The longest lifetime a token is given, whatever the provider says: ten
/// years keeps every `Instant` computation far from overflowing.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// `lifetime`, cut to ten years.
pub(crate) fn capped(lifetime: Duration) -> Duration {
    lifetime.min(MAX_LIFETIME)
}

/// An access token with its lifetime, as granted by the provider.
///
/// `Debug` never shows the token values.
#[derive(Debug, Clone)]
pub struct Token {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token, if the provider issued one.
    pub refresh_token: Option<Secret>,
    /// The lifetime the provider granted.
    pub lifetime: Duration,
    /// When the token was received.
    pub obtained_at: Instant,
}

impl Token {
    /// When the token stops being valid: its lifetime after it was
    /// obtained, the lifetime cut to ten years.
    pub fn expires_at(&self) -> Instant {
        self.obtained_at + capped(self.lifetime)
    }

    /// How long the token has left, from now (zero once expired).
    pub fn expires_in(&self) -> Duration {
        self.expires_at().saturating_duration_since(Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_cut_to_ten_years() {
        let day = Duration::from_secs(86_400);
        assert_eq!(capped(day), day);
        assert_eq!(capped(Duration::MAX), MAX_LIFETIME);
        let token = Token {
            access_token: Secret::new("t"),
            refresh_token: None,
            lifetime: Duration::MAX,
            obtained_at: Instant::now(),
        };
        assert_eq!(token.expires_at() - token.obtained_at, MAX_LIFETIME);
        assert!(token.expires_in() <= MAX_LIFETIME);
        let spent = Token {
            lifetime: Duration::ZERO,
            ..token
        };
        assert_eq!(spent.expires_in(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn expires_in_counts_down_to_zero() {
        let token = Token {
            access_token: Secret::new("t"),
            refresh_token: None,
            lifetime: Duration::from_secs(60),
            obtained_at: Instant::now(),
        };
        assert_eq!(token.expires_in(), Duration::from_secs(60));
        tokio::time::advance(Duration::from_secs(45)).await;
        assert_eq!(token.expires_in(), Duration::from_secs(15));
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(token.expires_in(), Duration::ZERO);
    }
}
