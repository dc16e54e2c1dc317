//! The cache's current entry, as every reader sees it: one `ArcSwapOption`
//! that each change goes through, a version that each change moves, and on
//! each thread a copy of the entry it last read. A read whose thread's copy
//! has the current version touches no shared memory but the version and
//! the entry's flags, which only change when the entry does: the hot path
//! writes nothing that other threads read, so it costs the same on one task
//! and under contention. Uses `entry`.
//!
//! A copy holds its entry until its thread reads the cache again or reads
//! others; at most [`COPIES`] per thread. An entry replaced meanwhile is
//! never served from it (its version is old), and its timer is stopped when
//! it is replaced, not when the last copy goes.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use arc_swap::ArcSwapOption;

use crate::cache::entry::Entry;

/// Caches a thread keeps a copy for; a thread reading more evicts one.
const COPIES: usize = 4;

/// Tells caches apart in the copies: never reused, unlike an address.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// The current entry of one cache.
pub(super) struct Current {
    id: u64,
    entry: ArcSwapOption<Entry>,
    /// Moved after each change of `entry`, never back.
    version: AtomicU64,
}

/// A thread's copy of one cache's entry, as of `version`.
struct Copy {
    cache: u64,
    version: u64,
    entry: Option<Arc<Entry>>,
}

/// A thread's copies, and where the next one goes when all are taken.
struct Copies {
    slots: [Option<Copy>; COPIES],
    next: usize,
}

thread_local! {
    static THREAD: RefCell<Copies> = const {
        RefCell::new(Copies {
            slots: [const { None }; COPIES],
            next: 0,
        })
    };
}

impl Current {
    /// No entry.
    pub(super) fn empty() -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            entry: ArcSwapOption::empty(),
            version: AtomicU64::new(0),
        }
    }

    /// `f` of the current entry, through this thread's copy (refreshed
    /// first if the entry changed since): the hot path.
    #[inline]
    pub(super) fn with<R>(&self, f: impl Fn(Option<&Arc<Entry>>) -> R) -> R {
        let version = self.version.load(Ordering::Acquire);
        let copied = THREAD.try_with(|thread| {
            // Busy only if `f` reads a cache itself, and gone while the
            // thread ends: then the shared entry is read instead.
            let mut thread = thread.try_borrow_mut().ok()?;
            let copy = thread.copy_of(self.id);
            if copy.version != version {
                // Read after the version: at least as new as the entry it
                // stands for (a change stores, then moves the version).
                copy.entry = self.entry.load_full();
                copy.version = version;
            }
            Some(f(copy.entry.as_ref()))
        });
        match copied {
            Ok(Some(result)) => result,
            _ => f(self.entry.load().as_ref()),
        }
    }

    /// The current entry, read from the shared one: for the slow paths.
    pub(super) fn load(&self) -> Option<Arc<Entry>> {
        self.entry.load_full()
    }

    /// Makes `entry` current; the one it replaces stops its timer.
    pub(super) fn replace(&self, entry: Option<Arc<Entry>>) {
        let old = self.entry.swap(entry);
        self.version.fetch_add(1, Ordering::Release);
        if let Some(old) = old {
            old.stop();
        }
    }
}

impl Drop for Current {
    fn drop(&mut self) {
        if let Some(entry) = self.entry.load().as_ref() {
            entry.stop();
        }
    }
}

impl Copies {
    /// The copy for cache `id`: its own, else a new one (stale, so the
    /// caller refreshes it) in an empty slot or the next one round.
    fn copy_of(&mut self, id: u64) -> &mut Copy {
        let own = (self.slots.iter()).position(|s| s.as_ref().is_some_and(|s| s.cache == id));
        let index = own.unwrap_or_else(|| {
            let index = (self.slots.iter().position(Option::is_none)).unwrap_or_else(|| {
                let index = self.next;
                self.next = (self.next + 1) % COPIES;
                index
            });
            self.slots[index] = None;
            index
        });
        self.slots[index].get_or_insert_with(|| Copy {
            cache: id,
            version: u64::MAX,
            entry: None,
        })
    }
}
