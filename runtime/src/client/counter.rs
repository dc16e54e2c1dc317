//! A count that many threads add to on every request without sharing a
//! cache line: one stripe per thread (round robin over [`STRIPES`]), summed
//! when read. Uses nothing else of the crate.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Stripes per counter: a runtime's worker threads each get their own up
/// to this many.
const STRIPES: usize = 8;

/// The stripe the next thread to count takes.
static NEXT_STRIPE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static STRIPE: usize = NEXT_STRIPE.fetch_add(1, Ordering::Relaxed) % STRIPES;
}

/// One stripe, alone on its cache line (128 bytes: two lines on x86, where
/// the prefetcher pulls pairs, one on most others).
#[derive(Debug, Default)]
#[repr(align(128))]
struct Stripe(AtomicU64);

/// A count added to from many threads and read rarely.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    stripes: [Stripe; STRIPES],
}

impl Counter {
    /// Adds one, to this thread's stripe.
    #[inline]
    pub(crate) fn add_one(&self) {
        // While the thread ends its locals may be gone: any stripe will do.
        let stripe = STRIPE.try_with(|s| *s).unwrap_or(0);
        self.stripes[stripe].0.fetch_add(1, Ordering::Relaxed);
    }

    /// The count so far: every addition that happened before this read.
    pub(crate) fn get(&self) -> u64 {
        self.stripes
            .iter()
            .map(|s| s.0.load(Ordering::Relaxed))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_every_thread_add_up() {
        let counter = Counter::default();
        std::thread::scope(|scope| {
            for _ in 0..STRIPES + 3 {
                scope.spawn(|| (0..1000).for_each(|_| counter.add_one()));
            }
        });
        counter.add_one();
        assert_eq!(counter.get(), (STRIPES as u64 + 3) * 1000 + 1);
    }
}
