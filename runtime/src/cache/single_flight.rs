//! The token cache: one token per client, fetched lazily, renewed ahead of
//! expiry by a single background task, and shared by every caller.
//!
//! The hot path (a fresh token) reads this thread's copy of the current
//! entry (`current`) and its flag (`entry`): no shared write, and a clock
//! read only on one hit in 64 per thread.
//! The entry's timer marks it due at its refresh instant (at the latest
//! [`DUE_LEAD`](crate::cache::entry::DUE_LEAD) before it expires); from then
//! on callers take the slow path, whose decision is exact: a clock read and
//! the pure [`phase`] of the policy. All changes go through a small mutex
//! that is never held across an `await`; the renewal itself runs in a
//! spawned task, so no caller's cancellation can cancel or poison it.

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::backoff::exponential;
use crate::cache::current::{Copied, Current, HeldToken};
pub(super) use crate::cache::entry::Gate;
use crate::cache::entry::{Entry, is_fresh};
pub(crate) use crate::cache::fetch::FetchToken;
use crate::cache::fleet::{Fleet, Renewed};
use crate::cache::policy::{Phase, RefreshMargins, phase};
use crate::error::{Error, Result, Stage};
use crate::token::granted::Token;

/// The first wait after a failed renewal; it doubles with each failure…
const BACKOFF_BASE: Duration = Duration::from_millis(100);
/// …up to this.
const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// What a renewal ended with, shared by all its waiters.
type Outcome = Option<Result<Arc<Token>>>;

/// The renewal in flight.
pub(super) struct Renewal {
    id: u64,
    outcome: watch::Receiver<Outcome>,
}

/// Everything but the hot path, behind the mutex.
pub(super) struct State {
    /// Bumped on each `invalidate`; a renewal's result is stored only if it
    /// has not moved since the renewal started. (Renewals overlap only
    /// across an `invalidate`: a new one starts once the one in flight has
    /// ended or been forgotten by it.)
    pub(super) generation: u64,
    /// The renewal in flight, if any.
    pub(super) renewal: Option<Renewal>,
    /// Identifies renewals.
    next_renewal: u64,
    /// A token dropped by `invalidate_if_current`, kept for its refresh token.
    pub(super) dropped: Option<Arc<Token>>,
    /// Failed renewals in a row.
    failures: u32,
    /// No renewal starts before this (after a failure).
    retry_at: Option<Instant>,
    /// The last renewal failure, given to callers without a token during the backoff.
    last_error: Option<Error>,
    /// When a refusal last dropped a token.
    pub(super) last_refusal_drop: Option<Instant>,
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
    pub(super) current: Current,
    pub(super) state: Mutex<State>,
    fetcher: F,
    margins: RefreshMargins,
    /// The fleet's shared store, if the client has one.
    pub(super) fleet: Option<Arc<Fleet>>,
    /// Holds entry timers back (only set by tests of a late timer).
    pub(super) timer_gate: Mutex<Option<Gate>>,
    this: Weak<Self>,
}

impl<F: FetchToken> TokenCache<F> {
    /// An empty cache; the first `get` fetches.
    #[cfg(test)]
    pub(crate) fn new(fetcher: F, margins: RefreshMargins) -> Arc<Self> {
        Self::with_fleet(fetcher, margins, None)
    }

    /// An empty cache whose renewals go through `fleet` when there is one.
    pub(crate) fn with_fleet(
        fetcher: F,
        margins: RefreshMargins,
        fleet: Option<Arc<Fleet>>,
    ) -> Arc<Self> {
        Arc::new_cyclic(|this| Self {
            current: Current::empty(fetcher.credentials().cloned()),
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
            fleet,
            timer_gate: Mutex::new(None),
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

    /// The token held for a request in flight while it is fresh, or `None`:
    /// a clone of this thread's handle, which writes nothing other threads
    /// write. A caller awaits [`held_later`](Self::held_later) only on
    /// `None`, so a cache hit makes no future at all.
    pub(crate) fn held_now(&self) -> Option<HeldToken> {
        self.fresh_copy(|copy| copy.held.clone())
    }

    /// [`held_now`](Self::held_now)'s slow path: the token held after the
    /// one renewal in flight (see [`RefreshMargins`]).
    pub(crate) async fn held_later(&self) -> Result<HeldToken> {
        let credentials = self.fetcher.credentials().cloned();
        Ok(HeldToken::new(self.get_slow().await?, credentials))
    }

    /// `f` of the cached token while it is fresh (the hot path): this
    /// thread's copy of the entry and its flag, and a clock read on one hit
    /// in `SPOT_CHECK`. `f` sees the token in
    /// place, so a caller that only copies a field out leaves the token's
    /// reference count, which every task using the client shares, alone.
    pub(crate) fn fresh<R>(&self, f: impl Fn(&Arc<Token>) -> R) -> Option<R> {
        self.fresh_copy(|copy| f(&copy.token))
    }

    /// `f` of this thread's copy of the entry while it is fresh: what
    /// [`fresh`](Self::fresh) and [`held`](Self::held) read.
    fn fresh_copy<R>(&self, f: impl Fn(&Copied) -> R) -> Option<R> {
        self.current.with(|copy| {
            let copy = copy.filter(|copy| is_fresh(copy))?;
            Some(f(copy))
        })
    }

    /// Drops whatever is cached (after a revoke): the next `get` fetches a
    /// new token, and a renewal already in flight will not be cached.
    pub(crate) fn invalidate(&self) {
        let mut state = self.lock();
        if let (Some(fleet), Some(entry)) = (&self.fleet, self.current.load()) {
            fleet.dropped(&entry.token);
        }
        self.current.replace(None);
        state.generation += 1;
        state.dropped = None;
        state.renewal = None;
    }

    /// The cached token, valid or not, without fetching.
    pub(crate) fn current(&self) -> Option<Arc<Token>> {
        self.current.load().map(|e| Arc::clone(&e.token))
    }

    /// The fetcher behind the cache.
    pub(crate) fn fetcher(&self) -> &F {
        &self.fetcher
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
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
                _ => Err(error),
            },
            None => Err(self.renewal_lost()),
        }
    }

    /// What to do for a caller that is not on the hot path, by the phase
    /// of the cached token.
    fn decide(&self) -> Next {
        let mut state = self.lock();
        let now = Instant::now();
        let entry = self.current.load();
        let backing_off = state.retry_at.is_some_and(|at| now < at);
        let phase = entry.as_ref().map(|e| phase(&e.deadlines, now));
        if let Some(entry) = &entry {
            match phase {
                Some(Phase::Fresh) => return Next::Ready(Arc::clone(&entry.token)),
                Some(Phase::Renew) => {
                    // Serve it, renew behind (unless the endpoint is failing).
                    if !backing_off && state.renewal.is_none() {
                        let previous = Some(Arc::clone(&entry.token));
                        if let Err(error) = self.start_renewal(&mut state, previous) {
                            tracing::warn!(%error, "background token renewal not started");
                        }
                    }
                    return Next::Ready(Arc::clone(&entry.token));
                }
                // A failing endpoint: serve the still-valid token meanwhile.
                Some(Phase::Wait) if backing_off => return Next::Ready(Arc::clone(&entry.token)),
                _ => {}
            }
        }
        let fallback = entry
            .as_ref()
            .filter(|_| phase.is_some_and(Phase::is_valid))
            .map(|e| (Arc::clone(&e.token), e.deadlines.expires_at));
        if let Some(renewal) = &state.renewal {
            return Next::Wait {
                outcome: renewal.outcome.clone(),
                fallback,
            };
        }
        if backing_off && let Some(error) = &state.last_error {
            return Next::Fail(error.clone());
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
            let cache = Arc::clone(&guard.cache);
            let Some(fleet) = &cache.fleet else {
                let result = cache.fetcher.fetch(previous).await;
                return guard.finish(Some(generation), result);
            };
            let Renewed { result, unlock } =
                fleet.renew(&cache.fetcher, previous, &cache.margins).await;
            guard.finish(Some(generation), result);
            if let Some(owner) = unlock {
                fleet.unlock(&owner).await;
            }
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
                        state.dropped = None;
                        state.failures = 0;
                        state.retry_at = None;
                        state.last_error = None;
                        let gate = self
                            .timer_gate
                            .lock()
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                            .clone();
                        self.current.replace(Some(Entry::new(
                            Arc::clone(&token),
                            &self.margins,
                            self.fleet.is_some(),
                            gate,
                        )));
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
                    if current {
                        state.failures = state.failures.saturating_add(1);
                        let wait = exponential(BACKOFF_BASE, BACKOFF_MAX, state.failures);
                        state.retry_at = Instant::now().checked_add(wait);
                        state.last_error = Some(error.clone());
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
