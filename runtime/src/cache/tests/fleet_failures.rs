//! A fleet whose store fails: every process renews on its own, one warning
//! per outage, and the fleet shares one token again once the store answers;
//! a lock holder that dies is taken over after its lease; an entry that
//! does not open is replaced.

use std::io::Write;
use std::sync::atomic::AtomicBool;

use super::fleet::{PAST_REFRESH, SETTINGS, entry_name, fetches, fleet, stored};
use super::*;
use crate::cache::store::{Fingerprint, SharedEntry};

/// Log lines, kept for the test to read.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Write for Lines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Lines {
    fn count(&self, text: &str) -> usize {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .matches(text)
            .count()
    }
}

const OUTAGE: &str = "the token store is unavailable";
const BACK: &str = "the token store answers again";

#[tokio::test(start_paused = true)]
async fn a_failing_store_leaves_each_process_its_own_single_flight_and_one_warning() {
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _log = tracing::subscriber::set_default(subscriber);

    let (store, caches) = fleet(&["a", "b"]);
    store.failing.store(true, Ordering::SeqCst);
    // Cold and down: each process fetches once for its 20 callers.
    for cache in &caches {
        let callers: Vec<_> = (0..20)
            .map(|_| {
                let cache = Arc::clone(cache);
                tokio::spawn(async move { cache.get().await })
            })
            .collect();
        for caller in callers {
            caller.await.unwrap().unwrap();
        }
    }
    assert_eq!(
        caches
            .iter()
            .map(|c| c.fetcher().calls())
            .collect::<Vec<_>>(),
        [1, 1]
    );
    // Renewals while still down: no error, no new warning.
    for _ in 0..3 {
        advance(PAST_REFRESH).await;
        for cache in &caches {
            cache.get().await.unwrap();
            settle().await;
        }
    }
    assert_eq!(fetches(&caches), 8);
    assert_eq!(
        lines.count(OUTAGE),
        2,
        "one warning per process, not per call"
    );
    // Alone, a process presents only the refresh tokens of tokens it fetched
    // alone and never shared.
    assert_eq!(
        caches[0].fetcher().previous(),
        [
            None,
            Some("at1".into()),
            Some("at2".into()),
            Some("at3".into())
        ]
    );
    // The store answers again: the next renewal shares, the fleet converges.
    store.failing.store(false, Ordering::SeqCst);
    advance(PAST_REFRESH).await;
    for cache in &caches {
        cache.get().await.unwrap();
        settle().await;
    }
    let now: Vec<String> = caches
        .iter()
        .map(|c| name(&c.current().unwrap()).to_owned())
        .collect();
    assert_eq!(now[0], now[1], "one token again");
    assert_eq!(stored(&store), Some(now[0].clone()));
    assert_eq!(lines.count(BACK), 2);
    assert_eq!(lines.count(OUTAGE), 2);
}

/// A store that never answers: every call waits for ever.
struct Silent(AtomicBool);

impl crate::cache::store::TokenStore for Silent {
    async fn read(
        &self,
        _: &crate::cache::store::EntryName,
    ) -> Result<Option<SharedEntry>, crate::cache::store::StoreError> {
        self.0.store(true, Ordering::SeqCst);
        std::future::pending().await
    }
    async fn write(
        &self,
        _: &crate::cache::store::EntryName,
        _: SharedEntry,
        _: Duration,
    ) -> Result<bool, crate::cache::store::StoreError> {
        std::future::pending().await
    }
    async fn lock(
        &self,
        _: &crate::cache::store::EntryName,
        _: &str,
        _: Duration,
    ) -> Result<Option<u64>, crate::cache::store::StoreError> {
        std::future::pending().await
    }
    async fn extend(
        &self,
        _: &crate::cache::store::EntryName,
        _: &str,
        _: Duration,
    ) -> Result<bool, crate::cache::store::StoreError> {
        std::future::pending().await
    }
    async fn unlock(
        &self,
        _: &crate::cache::store::EntryName,
        _: &str,
    ) -> Result<bool, crate::cache::store::StoreError> {
        std::future::pending().await
    }
    async fn invalidate(
        &self,
        _: &crate::cache::store::EntryName,
        _: &Fingerprint,
    ) -> Result<bool, crate::cache::store::StoreError> {
        std::future::pending().await
    }
    fn subscribe(&self, _: &crate::cache::store::EntryName) -> crate::cache::store::News {
        crate::cache::store::News::none()
    }
}

#[tokio::test(start_paused = true)]
async fn a_store_that_never_answers_costs_one_timeout_then_the_process_fetches() {
    let silent = Silent(AtomicBool::new(false));
    let handle = crate::cache::store::StoreHandle::new(silent, SETTINGS);
    let fleet = crate::cache::fleet::Fleet::new(handle, entry_name(), &Secret::new("s"));
    let cache = TokenCache::with_fleet(Fake::default(), RefreshMargins::default(), Some(fleet));
    let started = Instant::now();
    assert_eq!(name(&cache.get().await.unwrap()), "t1");
    assert_eq!(started.elapsed(), SETTINGS.op_timeout);
}

#[tokio::test(start_paused = true)]
async fn a_holder_that_dies_is_taken_over_after_its_lease() {
    let (store, caches) = fleet(&["a", "b"]);
    let (a, b) = (&caches[0], &caches[1]);
    // a takes the lock and its fetch hangs; then a "dies" (its task and lease end).
    let _never = a.fetcher().push_gated(Step::Ok);
    let a_call = tokio::spawn({
        let a = Arc::clone(a);
        async move { a.get().await }
    });
    settle().await;
    store.no_extend.store(true, Ordering::SeqCst);
    a_call.abort();
    let started = Instant::now();
    let token = b.get().await.unwrap();
    assert_eq!(name(&token), "bt1");
    let waited = started.elapsed();
    assert!(
        waited <= SETTINGS.lease + SETTINGS.poll,
        "took over after {waited:?}"
    );
    assert_eq!(stored(&store).as_deref(), Some("bt1"));
}

#[tokio::test(start_paused = true)]
async fn an_entry_that_does_not_open_counts_as_absent_and_is_replaced() {
    let (store, caches) = fleet(&["a"]);
    let garbage = [
        SharedEntry {
            fence: 0,
            fingerprint: Fingerprint([0; 16]),
            sealed: vec![],
        },
        SharedEntry {
            fence: 999,
            fingerprint: Fingerprint([1; 16]),
            sealed: vec![0xff; 64],
        },
    ];
    for (round, entry) in garbage.into_iter().enumerate() {
        caches[0].invalidate();
        settle().await;
        store.inner.put_raw(&entry_name(), entry, LIFETIME);
        let token = caches[0].get().await.unwrap();
        assert_eq!(name(&token), format!("at{}", round + 1));
        assert_eq!(stored(&store).as_deref(), Some(name(&token)), "replaced");
    }
    // One sealed under another secret (the secret was rotated) too.
    let (other, old) = fleet(&["old"]);
    old[0].get().await.unwrap();
    let (_, sealed) = other.inner.entries().remove(0);
    caches[0].invalidate();
    settle().await;
    store.inner.put_raw(&entry_name(), sealed, LIFETIME);
    let rotated = super::fleet::process_with_secret("new", Arc::clone(&store), "rotated-secret");
    assert_eq!(name(&rotated.get().await.unwrap()), "newt1");
}

#[tokio::test(start_paused = true)]
async fn alone_a_process_never_presents_the_refresh_token_of_a_shared_token() {
    let (store, caches) = fleet(&["a", "b"]);
    caches[0].get().await.unwrap();
    settle().await;
    let shared = caches[1].get().await.unwrap();
    assert_eq!(
        caches[1].fetcher().calls(),
        0,
        "b took a's token from the store"
    );
    // The store goes down; b renews alone. The shared token's refresh token
    // may be rotated by a's renewal meanwhile: b must not present it.
    store.failing.store(true, Ordering::SeqCst);
    advance(PAST_REFRESH).await;
    caches[1].get().await.unwrap();
    settle().await;
    assert_eq!(caches[1].fetcher().previous(), [None]);
    assert_ne!(name(&caches[1].current().unwrap()), name(&shared));
}
