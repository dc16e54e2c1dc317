//! A token as the runtime holds it.

use std::time::Duration;

use tokio::time::Instant;

use crate::secret::Secret;

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
    /// When the token stops being valid (saturating far in the future).
    pub fn expires_at(&self) -> Instant {
        self.obtained_at
            .checked_add(self.lifetime)
            .unwrap_or_else(|| self.obtained_at + Duration::from_secs(10 * 365 * 24 * 3600))
    }

    /// Whether the token has expired at `now`.
    pub fn is_expired_at(&self, now: Instant) -> bool {
        now >= self.expires_at()
    }
}
