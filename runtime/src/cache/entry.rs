//! A cached token and the timer that marks it due: the instants that decide
//! what the cache does with it, and the hot path's one test of it. Uses the
//! policy's deadlines and `token/`.

use std::cell::Cell;
use std::future::Future as _;
use std::sync::Arc;
use std::sync::Weak;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Wake, Waker};
use std::time::Duration;

use tokio::time::Instant;

use crate::cache::fleet::jittered;
use crate::cache::policy::{Deadlines, RefreshMargins};
use crate::token::granted::Token;

/// The hot path stops serving a token at the latest this long before it
/// expires, even with no refresh margin: a timer fires at or just after its
/// instant, and this covers its resolution.
pub(super) const DUE_LEAD: Duration = Duration::from_millis(10);

/// One hot-path hit in this many, per thread, also compares the clock with
/// the instant the entry's timer marks it due: a few microseconds of hits
/// at most, against the [`DUE_LEAD`] of 10 ms.
pub(super) const SPOT_CHECK: u32 = 64;

/// A cached token with the instants that decide what `get` does with it.
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) token: Arc<Token>,
    pub(super) deadlines: Deadlines,
    /// When the timer marks the entry due.
    due_at: Instant,
    /// Whether the provider has accepted the token on a call.
    pub(super) accepted: AtomicBool,
    /// Set by the entry's timer at its refresh instant (or by a spot check
    /// of the clock): the hot path then stops serving it.
    due: AtomicBool,
    /// The timer, stopped when the entry goes.
    timer: Option<tokio::task::AbortHandle>,
}

impl Entry {
    /// With `jitter` (a fleet), the refresh instant is drawn at random early
    /// in the refresh window, so the processes do not all renew at once.
    /// Arms the timer that marks the entry due, on the current runtime.
    pub(super) fn new(
        token: Arc<Token>,
        margins: &RefreshMargins,
        jitter: bool,
        gate: Option<Gate>,
    ) -> Arc<Self> {
        let deadlines = Deadlines::new(&token, margins);
        let deadlines = if jitter {
            jittered(deadlines, fastrand::f64())
        } else {
            deadlines
        };
        let due_at = deadlines.refresh_at.min(
            deadlines
                .expires_at
                .checked_sub(DUE_LEAD)
                .unwrap_or(token.obtained_at)
                .max(token.obtained_at),
        );
        Arc::new_cyclic(|this: &Weak<Self>| {
            let fires = gate.as_ref().is_none_or(|gate| gate.fires);
            let timer = tokio::runtime::Handle::try_current()
                .ok()
                .filter(|_| fires)
                .map(|runtime| arm(&runtime, due_at, this.clone(), gate));
            Self {
                deadlines,
                due_at,
                accepted: AtomicBool::new(false),
                // Without a runtime there is no timer: the slow path decides.
                // A timer fires on the time driver's next tick at the
                // earliest, so an instant already reached is marked here.
                due: AtomicBool::new((timer.is_none() && fires) || due_at <= Instant::now()),
                timer,
                token,
            }
        })
    }
}

/// Arms the timer that marks `entry` due at `due_at`. The mark is made by
/// the timer's waker, which tokio's time driver calls as it fires the
/// timer, not by the task once it runs: a busy runtime that runs the task
/// late does not delay it. The timer is registered here, before the task
/// first runs, so a clock that jumps (a paused test clock) cannot pass it
/// unseen.
fn arm(
    runtime: &tokio::runtime::Handle,
    due_at: Instant,
    entry: Weak<Entry>,
    gate: Option<Gate>,
) -> tokio::task::AbortHandle {
    let mut sleep = Box::pin(tokio::time::sleep_until(due_at));
    let marking = |entry: &Weak<Entry>, then: &Waker| {
        Waker::from(Arc::new(MarkDue {
            entry: entry.clone(),
            then: then.clone(),
        }))
    };
    let early = marking(&entry, Waker::noop());
    if sleep
        .as_mut()
        .poll(&mut Context::from_waker(&early))
        .is_ready()
    {
        mark_due(&entry);
    }
    runtime
        .spawn(async move {
            std::future::poll_fn(|cx| {
                let waker = marking(&entry, cx.waker());
                sleep.as_mut().poll(&mut Context::from_waker(&waker))
            })
            .await;
            mark_due(&entry);
            if let Some(gate) = gate {
                // Tests hold the task here to show it is not what marks the entry.
                gate.opened().await;
            }
        })
        .abort_handle()
}

/// A waker that marks its entry due, then wakes the timer's task.
struct MarkDue {
    entry: Weak<Entry>,
    then: Waker,
}

impl Wake for MarkDue {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        mark_due(&self.entry);
        self.then.wake_by_ref();
    }
}

fn mark_due(entry: &Weak<Entry>) {
    if let Some(entry) = entry.upgrade() {
        entry.due.store(true, Ordering::Release);
    }
}

impl Entry {
    /// Stops the timer: the entry is no longer the cache's (thread-local
    /// copies of it may outlive it there, see `current`).
    pub(super) fn stop(&self) {
        if let Some(timer) = &self.timer {
            timer.abort();
        }
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Holds entry timers' tasks back until opened, or keeps timers from
/// firing at all: for the tests of a timer that runs late or never.
#[derive(Debug, Clone)]
pub(super) struct Gate {
    permits: Arc<tokio::sync::Semaphore>,
    /// Whether timers are armed at all.
    fires: bool,
}

impl Gate {
    /// A closed gate: timers fire, their tasks wait.
    #[cfg(test)]
    pub(super) fn closed() -> Self {
        Self {
            permits: Arc::new(tokio::sync::Semaphore::new(0)),
            fires: true,
        }
    }

    /// Timers that never fire, as on a runtime too busy to run its timers.
    #[cfg(test)]
    pub(super) fn never() -> Self {
        Self {
            fires: false,
            ..Self::closed()
        }
    }

    async fn opened(&self) {
        let _ = self.permits.acquire().await;
    }

    /// Lets every held timer through.
    #[cfg(test)]
    pub(super) fn open(&self) {
        self.permits
            .add_permits(tokio::sync::Semaphore::MAX_PERMITS >> 1);
    }
}

/// The hot path's test: the entry's timer has not marked it due, and, on
/// one hit in [`SPOT_CHECK`], its instant has not passed either.
#[inline]
pub(super) fn is_fresh(entry: &Entry) -> bool {
    if entry.due.load(Ordering::Acquire) {
        return false;
    }
    if !spot_check() || Instant::now() < entry.due_at {
        return true;
    }
    entry.due.store(true, Ordering::Release);
    false
}

thread_local! {
    /// Hot-path hits on this thread, for [`spot_check`].
    static HITS: Cell<u32> = const { Cell::new(0) };
}

/// Whether this hit is the one in [`SPOT_CHECK`] that reads the clock.
#[inline]
fn spot_check() -> bool {
    HITS.with(|hits| {
        let n = hits.get().wrapping_add(1);
        hits.set(n);
        n % SPOT_CHECK == 0
    })
}
