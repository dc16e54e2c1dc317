//! The token cache: one token per client, fetched lazily, renewed ahead of
//! expiry by a single background task, and shared by every caller.
//!
//! The hot path (a fresh token) is one lock-free load and one clock read. All
//! changes go through a small mutex that is never held across an `await`; the
//! renewal itself runs in a spawned task, so no caller's cancellation can
//! cancel or poison it.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use arc_swap::ArcSwapOption;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::backoff::exponential;
use crate::error::{Error, Result, Stage};
use crate::fetch::{MAX_LIFETIME, TokenFetcher};
use crate::token::Token;

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

/// Gets a new token; the cache's only way to the provider.
pub(crate) trait FetchToken: Send + Sync + 'static {
    /// Fetches a token; `previous` is the token being renewed, if any (its
    /// refresh token may be used).
    fn fetch(&self, previous: Option<Arc<Token>>) -> impl Future<Output = Result<Token>> + Send;

    /// The provider's name, for errors the cache makes itself.
    fn provider(&self) -> &'static str {
        "provider"
    }
}

impl FetchToken for TokenFetcher {
    async fn fetch(&self, previous: Option<Arc<Token>>) -> Result<Token> {
        TokenFetcher::fetch(self, previous.as_deref()).await
    }

    fn provider(&self) -> &'static str {
        self.def.name
    }
}

/// The first wait after a failed renewal; it doubles with each failure…
const BACKOFF_BASE: Duration = Duration::from_millis(100);
/// …up to this.
const BACKOFF_MAX: Duration = Duration::from_secs(30);
/// A token the provider has never accepted is dropped on a refusal at most
/// this often: a call refused for another reason (a sudo user without
/// permission) must not turn every call into a token request.
const UNPROVEN_DROP_INTERVAL: Duration = Duration::from_secs(10);

/// A cached token with the instants that decide what `get` does with it.
#[derive(Debug)]
struct Entry {
    token: Arc<Token>,
    /// From here, renew in the background.
    refresh_at: Instant,
    /// From here, callers wait for the renewal.
    safety_at: Instant,
    /// From here, the token is no longer valid.
    expires_at: Instant,
    /// Whether the provider has accepted the token on a call.
    accepted: AtomicBool,
}

impl Entry {
    fn new(token: Arc<Token>, margins: &RefreshMargins) -> Self {
        let lifetime = token.lifetime.min(MAX_LIFETIME);
        let expires_at = token
            .obtained_at
            .checked_add(lifetime)
            .unwrap_or(token.obtained_at);
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
            token,
            accepted: AtomicBool::new(false),
        }
    }
}

/// What a renewal ended with, shared by all its waiters.
type Outcome = Option<std::result::Result<Arc<Token>, Arc<Error>>>;

/// The renewal in flight.
struct Renewal {
    id: u64,
    outcome: watch::Receiver<Outcome>,
}

/// Everything but the hot path, behind the mutex.
struct State {
    /// Bumped each time a token is stored and on `invalidate`; a renewal's
    /// result is stored only if it has not moved since the renewal started.
    generation: u64,
    /// The renewal in flight, if any.
    renewal: Option<Renewal>,
    /// Identifies renewals.
    next_renewal: u64,
    /// A token dropped by `invalidate_if_current`, kept for its refresh token.
    dropped: Option<Arc<Token>>,
    /// Failed renewals in a row.
    failures: u32,
    /// No renewal starts before this (after a failure).
    retry_at: Option<Instant>,
    /// The last renewal failure, given to callers without a token during the backoff.
    last_error: Option<Arc<Error>>,
    /// When a refusal last dropped a token.
    last_refusal_drop: Option<Instant>,
}

/// What `get` decided under the lock.
enum Next {
    Ready(Arc<Token>),
    Fail(Error),
    Wait {
        outcome: watch::Receiver<Outcome>,
        /// The token the caller had, still usable if the renewal fails before it expires.
        fallback: Option<(Arc<Token>, Instant)>,
    },
}

/// One token, shared by every caller; see the module docs.
pub(crate) struct TokenCache<F: FetchToken> {
    entry: ArcSwapOption<Entry>,
    state: Mutex<State>,
    fetcher: F,
    margins: RefreshMargins,
    this: Weak<Self>,
}

impl<F: FetchToken> TokenCache<F> {
    /// An empty cache; the first `get` fetches.
    pub(crate) fn new(fetcher: F, margins: RefreshMargins) -> Arc<Self> {
        Arc::new_cyclic(|this| Self {
            entry: ArcSwapOption::empty(),
            state: Mutex::new(State {
                generation: 0,
                renewal: None,
                next_renewal: 0,
                dropped: None,
                failures: 0,
                retry_at: None,
                last_error: None,
                last_refusal_drop: None,
            }),
            fetcher,
            margins,
            this: this.clone(),
        })
    }

    /// A valid token: the cached one while it is fresh, otherwise after the
    /// one renewal in flight (see [`RefreshMargins`]).
    pub(crate) async fn get(&self) -> Result<Arc<Token>> {
        if let Some(token) = self.fresh(Arc::clone) {
            return Ok(token);
        }
        self.get_slow().await
    }

    /// `f` of the cached token while it is fresh (the hot path): one
    /// lock-free load and one clock read. `f` sees the token in place, so a
    /// caller that only copies a field out leaves the token's reference
    /// count, which every task using the client shares, alone.
    pub(crate) fn fresh<R>(&self, f: impl FnOnce(&Arc<Token>) -> R) -> Option<R> {
        let entry = self.entry.load();
        let entry = entry.as_deref()?;
        (Instant::now() < entry.refresh_at).then(|| f(&entry.token))
    }

    /// Drops `token` if it is still the cached one; returns whether it did.
    /// A caller holding a token that has already been replaced drops nothing.
    pub(crate) fn invalidate_if_current(&self, token: &Arc<Token>) -> bool {
        let mut state = self.lock();
        self.drop_if_current(&mut state, token)
    }

    /// The provider accepted `token` on a call.
    pub(crate) fn accepted(&self, token: &Arc<Token>) {
        if let Some(entry) = self.entry.load().as_deref()
            && Arc::ptr_eq(&entry.token, token)
            && !entry.accepted.load(Ordering::Relaxed)
        {
            entry.accepted.store(true, Ordering::Relaxed);
        }
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
        let entry = self.entry.load();
        let Some(entry) = entry.as_deref().filter(|e| Arc::ptr_eq(&e.token, token)) else {
            return true;
        };
        let now = Instant::now();
        let proven = entry.accepted.load(Ordering::Relaxed);
        let recent = state
            .last_refusal_drop
            .is_some_and(|at| now < at + UNPROVEN_DROP_INTERVAL);
        if !proven && recent {
            tracing::warn!(
                provider = self.fetcher.provider(),
                "a token never accepted was refused soon after another renewal; not renewing again yet"
            );
            return false;
        }
        state.last_refusal_drop = Some(now);
        self.drop_if_current(&mut state, token)
    }

    fn drop_if_current(&self, state: &mut State, token: &Arc<Token>) -> bool {
        let current = self.entry.load();
        let is_current = current
            .as_deref()
            .is_some_and(|e| Arc::ptr_eq(&e.token, token));
        if is_current {
            self.entry.store(None);
            state.dropped = Some(Arc::clone(token));
            tracing::debug!(
                provider = self.fetcher.provider(),
                "cached token dropped as invalid"
            );
        }
        is_current
    }

    /// Drops whatever is cached (after a revoke): the next `get` fetches a
    /// new token, and a renewal already in flight will not be cached.
    pub(crate) fn invalidate(&self) {
        let mut state = self.lock();
        self.entry.store(None);
        state.generation += 1;
        state.dropped = None;
        state.renewal = None;
    }

    /// The cached token, valid or not, without fetching.
    pub(crate) fn current(&self) -> Option<Arc<Token>> {
        self.entry.load().as_deref().map(|e| Arc::clone(&e.token))
    }

    /// The fetcher behind the cache.
    pub(crate) fn fetcher(&self) -> &F {
        &self.fetcher
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // No code panics while holding the lock; recover anyway rather than spread a panic.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn get_slow(&self) -> Result<Arc<Token>> {
        let next = self.decide();
        let (mut outcome, fallback) = match next {
            Next::Ready(token) => return Ok(token),
            Next::Fail(error) => return Err(error),
            Next::Wait { outcome, fallback } => (outcome, fallback),
        };
        let result = match outcome.wait_for(Option::is_some).await {
            Ok(outcome) => (*outcome).clone(),
            Err(_) => None,
        };
        match result {
            Some(Ok(token)) => Ok(token),
            Some(Err(error)) => match fallback {
                Some((token, expires_at)) if Instant::now() < expires_at => Ok(token),
                _ => Err(duplicate(&error)),
            },
            None => Err(self.renewal_lost()),
        }
    }

    /// What to do for a caller that is not on the hot path.
    fn decide(&self) -> Next {
        let mut state = self.lock();
        let now = Instant::now();
        let entry = self.entry.load_full();
        let backing_off = state.retry_at.is_some_and(|at| now < at);
        if let Some(entry) = &entry {
            let token = Arc::clone(&entry.token);
            if now < entry.refresh_at {
                return Next::Ready(token);
            }
            let valid = now < entry.expires_at;
            if now < entry.safety_at || (valid && backing_off) {
                // Refresh window (or a failing endpoint): serve it, renew behind.
                if !backing_off && state.renewal.is_none() {
                    let previous = Some(Arc::clone(&entry.token));
                    if let Err(error) = self.start_renewal(&mut state, previous) {
                        tracing::warn!(%error, "background token renewal not started");
                    }
                }
                return Next::Ready(token);
            }
        }
        let fallback = entry
            .as_ref()
            .filter(|e| now < e.expires_at)
            .map(|e| (Arc::clone(&e.token), e.expires_at));
        if let Some(renewal) = &state.renewal {
            return Next::Wait {
                outcome: renewal.outcome.clone(),
                fallback,
            };
        }
        if backing_off && let Some(error) = &state.last_error {
            return Next::Fail(duplicate(error));
        }
        let previous = entry
            .map(|e| Arc::clone(&e.token))
            .or_else(|| state.dropped.clone());
        match self.start_renewal(&mut state, previous) {
            Ok(outcome) => Next::Wait { outcome, fallback },
            Err(error) => Next::Fail(error),
        }
    }

    /// Spawns the renewal of `previous` (or the first fetch) and records it
    /// as the one in flight.
    fn start_renewal(
        &self,
        state: &mut State,
        previous: Option<Arc<Token>>,
    ) -> Result<watch::Receiver<Outcome>> {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Err(Error::Config(
                "the token cache renews tokens on a Tokio runtime; call it from within one".into(),
            ));
        };
        let (sender, receiver) = watch::channel(None);
        let Some(this) = self.this.upgrade() else {
            // Only while the cache is being dropped; the receiver reports a lost renewal.
            return Ok(receiver);
        };
        state.next_renewal += 1;
        let id = state.next_renewal;
        let generation = state.generation;
        state.renewal = Some(Renewal {
            id,
            outcome: receiver.clone(),
        });
        tracing::debug!(
            provider = self.fetcher.provider(),
            renewal = id,
            has_previous = previous.is_some(),
            "token renewal started"
        );
        let mut guard = RenewalGuard {
            cache: this,
            id,
            sender: Some(sender),
        };
        runtime.spawn(async move {
            let result = guard.cache.fetcher.fetch(previous).await;
            guard.finish(Some(generation), result);
        });
        Ok(receiver)
    }

    /// Records the end of renewal `id` and tells its waiters.
    /// `generation` is the one the renewal started from; `None` stores nothing.
    fn finish(
        &self,
        id: u64,
        generation: Option<u64>,
        result: Result<Token>,
        sender: &watch::Sender<Outcome>,
    ) {
        let provider = self.fetcher.provider();
        let outcome = {
            let mut state = self.lock();
            let current = state.renewal.as_ref().is_some_and(|r| r.id == id);
            if current {
                state.renewal = None;
            }
            match result {
                Ok(token) => {
                    let token = Arc::new(token);
                    if Some(state.generation) == generation {
                        state.generation += 1;
                        state.dropped = None;
                        state.failures = 0;
                        state.retry_at = None;
                        state.last_error = None;
                        self.entry.store(Some(Arc::new(Entry::new(
                            Arc::clone(&token),
                            &self.margins,
                        ))));
                        tracing::debug!(
                            provider,
                            renewal = id,
                            lifetime_secs = token.lifetime.as_secs(),
                            "token renewed"
                        );
                    } else {
                        tracing::debug!(
                            provider,
                            renewal = id,
                            "token renewed after an invalidation; not cached"
                        );
                    }
                    Ok(token)
                }
                Err(error) => {
                    let error = Arc::new(error);
                    if current {
                        state.failures = state.failures.saturating_add(1);
                        let wait = exponential(BACKOFF_BASE, BACKOFF_MAX, state.failures);
                        state.retry_at = Instant::now().checked_add(wait);
                        state.last_error = Some(Arc::clone(&error));
                        tracing::warn!(
                            provider,
                            renewal = id,
                            failures = state.failures,
                            retry_in_ms = wait.as_millis() as u64,
                            %error,
                            "token renewal failed"
                        );
                    }
                    Err(error)
                }
            }
        };
        sender.send_replace(Some(outcome));
    }

    /// The error for waiters whose renewal ended without an answer.
    fn renewal_lost(&self) -> Error {
        Error::Transport {
            provider: self.fetcher.provider(),
            stage: Stage::TokenRequest,
            message: "the token renewal stopped before it finished (its task panicked or the runtime is shutting down)".into(),
            source: None,
        }
    }
}

/// Finishes a renewal even if its task panics or is dropped, so no renewal
/// stays "in flight" for ever.
struct RenewalGuard<F: FetchToken> {
    cache: Arc<TokenCache<F>>,
    id: u64,
    sender: Option<watch::Sender<Outcome>>,
}

impl<F: FetchToken> RenewalGuard<F> {
    fn finish(&mut self, generation: Option<u64>, result: Result<Token>) {
        if let Some(sender) = self.sender.take() {
            self.cache.finish(self.id, generation, result, &sender);
        }
    }
}

impl<F: FetchToken> Drop for RenewalGuard<F> {
    fn drop(&mut self) {
        if self.sender.is_some() {
            let error = self.cache.renewal_lost();
            self.finish(None, Err(error));
        }
    }
}

/// A copy of a shared error for one caller: same variant, provider, stage,
/// status, code, message and body; a transport error loses its source.
pub(crate) fn duplicate(error: &Error) -> Error {
    match error {
        Error::Config(message) => Error::Config(message.clone()),
        Error::InvalidRequest(message) => Error::InvalidRequest(message.clone()),
        Error::Timeout { provider, stage } => Error::Timeout {
            provider,
            stage: *stage,
        },
        Error::Transport {
            provider,
            stage,
            message,
            ..
        } => Error::Transport {
            provider,
            stage: *stage,
            message: message.clone(),
            source: None,
        },
        Error::TokenRejected {
            provider,
            stage,
            status,
            code,
            message,
            body,
        } => Error::TokenRejected {
            provider,
            stage: *stage,
            status: *status,
            code: code.clone(),
            message: message.clone(),
            body: body.clone(),
        },
        Error::TokenUnavailable {
            provider,
            attempts,
            last,
        } => Error::TokenUnavailable {
            provider,
            attempts: *attempts,
            last: Box::new(duplicate(last)),
        },
        Error::Api {
            provider,
            stage,
            status,
            code,
            message,
            body,
        } => Error::Api {
            provider,
            stage: *stage,
            status: *status,
            code: code.clone(),
            message: message.clone(),
            body: body.clone(),
        },
        Error::Decode {
            provider,
            stage,
            reason,
            body,
        } => Error::Decode {
            provider,
            stage: *stage,
            reason: reason.clone(),
            body: body.clone(),
        },
        Error::Unauthorized {
            provider,
            status,
            body,
        } => Error::Unauthorized {
            provider,
            status: *status,
            body: body.clone(),
        },
    }
}

#[cfg(test)]
mod tests;
