//! What a refusal of the cached token by the provider does to the cache:
//! the token is dropped only if it is still the cached one, and a token the
//! provider never accepted is not dropped again and again when calls are
//! refused for another reason.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::time::Instant;

use crate::cache::single_flight::{FetchToken, State, TokenCache};
use crate::token::granted::Token;

/// A token the provider has never accepted is dropped on a refusal at most
/// this often: a call refused for another reason (a sudo user without
/// permission) must not turn every call into a token request.
pub(super) const UNPROVEN_DROP_INTERVAL: Duration = Duration::from_secs(10);

/// Whether a refused token is dropped: always once the provider accepted it
/// (it was revoked or expired early); a token never accepted only if no
/// refusal dropped one in the last [`UNPROVEN_DROP_INTERVAL`].
fn drop_refused(proven: bool, last_drop: Option<Instant>, now: Instant) -> bool {
    proven || last_drop.is_none_or(|at| now >= at + UNPROVEN_DROP_INTERVAL)
}

impl<F: FetchToken> TokenCache<F> {
    /// Drops `token` if it is still the cached one; returns whether it did.
    /// A caller holding a token that has already been replaced drops nothing.
    pub(crate) fn invalidate_if_current(&self, token: &Arc<Token>) -> bool {
        let mut state = self.lock();
        self.drop_if_current(&mut state, token)
    }

    /// Drops the fleet's shared entry if it still holds `token`, and waits
    /// until the store answered (a revoke, before the process may exit);
    /// nothing without a store.
    pub(crate) async fn drop_shared(&self, token: &Arc<Token>) {
        if let Some(fleet) = &self.fleet {
            fleet.drop_now(token).await;
        }
    }

    /// The provider accepted `token` on a call.
    pub(crate) fn accepted(&self, token: &Arc<Token>) {
        self.current.with(|entry| {
            if let Some(entry) = entry
                && Arc::ptr_eq(&entry.token, token)
                && !entry.accepted.load(Ordering::Relaxed)
            {
                entry.accepted.store(true, Ordering::Relaxed);
            }
        });
    }

    /// The provider refused `token` on a call. Drops it (if still cached)
    /// when a new token can help, and says whether replaying the call with
    /// the cached or a new token is worth it:
    /// - a token that was accepted before and is refused now was revoked or
    ///   expired early: drop it, replay;
    /// - a newer token is cached already: replay with it;
    /// - a token never accepted is dropped at most every
    ///   [`UNPROVEN_DROP_INTERVAL`]; in between, the refusal is likely not
    ///   about the token (a fresh one was refused too), so no replay.
    pub(crate) fn refused(&self, token: &Arc<Token>) -> bool {
        let mut state = self.lock();
        let entry = self.current.load();
        let Some(entry) = entry.filter(|e| Arc::ptr_eq(&e.token, token)) else {
            return true;
        };
        let now = Instant::now();
        let proven = entry.accepted.load(Ordering::Relaxed);
        if !drop_refused(proven, state.last_refusal_drop, now) {
            tracing::warn!(
                provider = self.fetcher().provider(),
                "a token never accepted was refused soon after another renewal; not renewing again yet"
            );
            return false;
        }
        state.last_refusal_drop = Some(now);
        self.drop_if_current(&mut state, token)
    }

    fn drop_if_current(&self, state: &mut State, token: &Arc<Token>) -> bool {
        let is_current = (self.current.load()).is_some_and(|e| Arc::ptr_eq(&e.token, token));
        if is_current {
            if let Some(fleet) = &self.fleet {
                fleet.dropped(token);
            }
            self.current.replace(None);
            state.dropped = Some(Arc::clone(token));
            tracing::debug!(
                provider = self.fetcher().provider(),
                "cached token dropped as invalid"
            );
        }
        is_current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accepted_token_is_always_dropped_an_unproven_one_at_most_every_ten_seconds() {
        let now = Instant::now();
        let second = Duration::from_secs(1);
        assert!(drop_refused(true, Some(now), now));
        assert!(drop_refused(false, None, now));
        assert!(!drop_refused(false, Some(now), now));
        assert!(!drop_refused(false, Some(now), now + 9 * second));
        assert!(drop_refused(false, Some(now), now + 10 * second));
    }
}
