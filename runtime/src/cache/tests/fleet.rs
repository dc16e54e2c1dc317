//! Several caches over one in-process store, as the processes of a fleet:
//! a shared token is taken without a fetch, only the lock holder fetches,
//! a refused or stale write never replaces a newer token, and refresh
//! tokens are presented by the lock holder only.

use std::sync::atomic::{AtomicBool, AtomicU64};

use super::*;
use crate::cache::fleet::Fleet;
use crate::cache::store::{
    EntryName, Fingerprint, FleetSettings, MemoryStore, News, SharedEntry, StoreError, StoreHandle,
    TokenStore,
};

pub(super) const SETTINGS: FleetSettings = FleetSettings {
    lease: Duration::from_secs(3),
    op_timeout: Duration::from_millis(500),
    poll: Duration::from_millis(200),
    max_wait: Duration::from_secs(60),
};
/// Past every process's jittered refresh instant, before the safety window.
pub(super) const PAST_REFRESH: Duration = Duration::from_secs(86);
pub(super) const SECRET: &str = "fleet-secret";

/// A store in front of a shared [`MemoryStore`] that can fail every call,
/// or refuse to extend leases (as for a holder that was paused), and counts
/// the calls that reach it.
#[derive(Default)]
pub(super) struct Flaky {
    pub(super) inner: Arc<MemoryStore>,
    pub(super) failing: AtomicBool,
    pub(super) no_extend: AtomicBool,
    pub(super) calls: AtomicU64,
}

impl Flaky {
    fn enter(&self) -> Result<(), StoreError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if self.failing.load(Ordering::SeqCst) {
            Err(StoreError::new("connection refused"))
        } else {
            Ok(())
        }
    }
}

impl TokenStore for Flaky {
    async fn read(&self, name: &EntryName) -> Result<Option<SharedEntry>, StoreError> {
        self.enter()?;
        self.inner.read(name).await
    }
    async fn write(
        &self,
        name: &EntryName,
        entry: SharedEntry,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        self.enter()?;
        self.inner.write(name, entry, ttl).await
    }
    async fn lock(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> Result<Option<u64>, StoreError> {
        self.enter()?;
        self.inner.lock(name, owner, lease).await
    }
    async fn extend(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        self.enter()?;
        if self.no_extend.load(Ordering::SeqCst) {
            return Ok(false);
        }
        self.inner.extend(name, owner, lease).await
    }
    async fn unlock(&self, name: &EntryName, owner: &str) -> Result<bool, StoreError> {
        self.enter()?;
        self.inner.unlock(name, owner).await
    }
    async fn invalidate(&self, name: &EntryName, fp: &Fingerprint) -> Result<bool, StoreError> {
        self.enter()?;
        self.inner.invalidate(name, fp).await
    }
    fn subscribe(&self, name: &EntryName) -> News {
        self.inner.subscribe(name)
    }
}

pub(super) fn entry_name() -> EntryName {
    EntryName::from_digest(&[42; 32])
}

/// One "process": a cache over `store` whose tokens are named `<prefix>t<n>`.
pub(super) fn process(prefix: &'static str, store: Arc<Flaky>) -> Arc<TokenCache<Fake>> {
    process_with_secret(prefix, store, SECRET)
}

/// [`process`] with another client secret.
pub(super) fn process_with_secret(
    prefix: &'static str,
    store: Arc<Flaky>,
    secret: &str,
) -> Arc<TokenCache<Fake>> {
    let handle = StoreHandle::new(store, SETTINGS);
    let fleet = Fleet::new(handle, entry_name(), &Secret::new(secret));
    let fake = Fake {
        prefix,
        ..Fake::default()
    };
    TokenCache::with_fleet(fake, RefreshMargins::default(), Some(fleet))
}

pub(super) fn fleet(prefixes: &[&'static str]) -> (Arc<Flaky>, Vec<Arc<TokenCache<Fake>>>) {
    let store = Arc::new(Flaky::default());
    let caches = prefixes
        .iter()
        .map(|p| process(p, Arc::clone(&store)))
        .collect();
    (store, caches)
}

pub(super) fn fetches(caches: &[Arc<TokenCache<Fake>>]) -> u32 {
    caches.iter().map(|c| c.fetcher().calls()).sum()
}

/// The name of the token in the store, opened with the fleet's secret.
pub(super) fn stored(store: &Flaky) -> Option<String> {
    let sealer = crate::cache::fleet::Sealer::new(&Secret::new(SECRET), &entry_name());
    let (_, entry) = store.inner.entries().into_iter().next()?;
    Some(sealer.open(&entry)?.access_token.expose().to_owned())
}

#[tokio::test(start_paused = true)]
async fn a_fresher_shared_token_is_taken_without_a_fetch() {
    let (store, caches) = fleet(&["a", "b"]);
    let (a, b) = (&caches[0], &caches[1]);
    assert_eq!(name(&a.get().await.unwrap()), "at1");
    assert_eq!(stored(&store).as_deref(), Some("at1"));
    assert_eq!(name(&b.get().await.unwrap()), "at1", "b took a's token");
    assert_eq!(b.fetcher().calls(), 0);
    // The hot path never touches the store.
    let before = store.calls.load(Ordering::SeqCst);
    for _ in 0..1000 {
        b.get().await.unwrap();
        a.get().await.unwrap();
    }
    assert_eq!(store.calls.load(Ordering::SeqCst), before);
    // In the refresh window, one process renews; the other takes its token.
    advance(PAST_REFRESH).await;
    a.get().await.unwrap();
    b.get().await.unwrap();
    settle().await;
    let renewed = [a.get().await.unwrap(), b.get().await.unwrap()];
    assert_eq!(name(&renewed[0]), name(&renewed[1]));
    assert_eq!(
        fetches(&caches),
        2,
        "one first fetch and one renewal for the fleet"
    );
}

#[tokio::test(start_paused = true)]
async fn only_the_lock_holder_fetches_and_everyone_waits_for_its_token() {
    let (store, caches) = fleet(&["a", "b", "c", "d", "e"]);
    let gates: Vec<_> = caches
        .iter()
        .map(|c| c.fetcher().push_gated(Step::Ok))
        .collect();
    let callers: Vec<_> = caches
        .iter()
        .flat_map(|cache| (0..20).map(move |_| Arc::clone(cache)))
        .map(|cache| tokio::spawn(async move { cache.get().await }))
        .collect();
    settle().await;
    assert_eq!(fetches(&caches), 1, "one fetch for five cold processes");
    // Others wait through several polls while the holder's fetch runs.
    for _ in 0..60 {
        advance(SETTINGS.lease / 30).await;
        settle().await;
    }
    assert_eq!(fetches(&caches), 1, "the holder kept its lease alive");
    drop(gates);
    let mut names: Vec<String> = Vec::new();
    for caller in callers {
        names.push(name(&caller.await.unwrap().unwrap()).to_owned());
    }
    names.dedup();
    assert_eq!(names.len(), 1, "{names:?}");
    assert_eq!(stored(&store), Some(names[0].clone()));
}

#[tokio::test(start_paused = true)]
async fn a_holder_that_lost_its_lease_cannot_overwrite_a_newer_token() {
    let (store, caches) = fleet(&["a", "b"]);
    let (a, b) = (&caches[0], &caches[1]);
    // a takes the lock and then "pauses": its lease is not extended.
    store.no_extend.store(true, Ordering::SeqCst);
    let open_a = a.fetcher().push_gated(Step::Ok);
    let slow = tokio::spawn({
        let a = Arc::clone(a);
        async move { a.get().await }
    });
    settle().await;
    assert_eq!(a.fetcher().calls(), 1);
    // b waits, then takes over once a's lease has run out, and writes.
    let b_get = tokio::spawn({
        let b = Arc::clone(b);
        async move { b.get().await }
    });
    settle().await;
    assert!(!b_get.is_finished());
    advance(SETTINGS.lease + SETTINGS.poll).await;
    assert_eq!(name(&b_get.await.unwrap().unwrap()), "bt1");
    assert_eq!(stored(&store).as_deref(), Some("bt1"));
    // a goes on: its write, under the older fence, is refused, and it takes b's token.
    open_a.send(()).unwrap();
    assert_eq!(name(&slow.await.unwrap().unwrap()), "bt1");
    assert_eq!(
        stored(&store).as_deref(),
        Some("bt1"),
        "the store kept the newer token"
    );
}

#[tokio::test(start_paused = true)]
async fn compare_then_invalidate_keeps_a_token_another_process_just_fetched() {
    let (store, caches) = fleet(&["a", "b"]);
    let (a, b) = (&caches[0], &caches[1]);
    let first = a.get().await.unwrap();
    let seen_by_b = b.get().await.unwrap();
    b.accepted(&seen_by_b);
    // a sees the token refused first, drops it everywhere and gets a new one.
    assert!(a.invalidate_if_current(&first));
    settle().await;
    assert_eq!(
        stored(&store),
        None,
        "a dropped the shared entry: it held that token"
    );
    assert_eq!(name(&a.get().await.unwrap()), "at2");
    // Then b sees the old token refused: the store holds a's new one, kept.
    assert!(b.refused(&seen_by_b));
    settle().await;
    assert_eq!(stored(&store).as_deref(), Some("at2"));
    assert_eq!(name(&b.get().await.unwrap()), "at2");
    assert_eq!(b.fetcher().calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_token_this_process_saw_refused_is_never_taken_from_the_store_again() {
    let (store, caches) = fleet(&["a", "b"]);
    let (a, b) = (&caches[0], &caches[1]);
    let first = a.get().await.unwrap();
    // b drops the token, but its invalidation has not reached the store yet.
    let seen = b.get().await.unwrap();
    store.failing.store(true, Ordering::SeqCst);
    assert!(b.invalidate_if_current(&seen));
    settle().await;
    store.failing.store(false, Ordering::SeqCst);
    assert_eq!(stored(&store).as_deref(), Some(name(&first)));
    assert_eq!(
        name(&b.get().await.unwrap()),
        "bt1",
        "fetched, not the refused one"
    );
    assert_eq!(stored(&store).as_deref(), Some("bt1"));
}

#[tokio::test(start_paused = true)]
async fn only_the_lock_holder_presents_the_refresh_token_and_only_the_stored_one() {
    let (_store, caches) = fleet(&["a", "b", "c"]);
    for cache in &caches {
        cache.get().await.unwrap();
    }
    for round in 1..=3u32 {
        advance(PAST_REFRESH).await;
        for cache in &caches {
            cache.get().await.unwrap();
            settle().await;
        }
        assert_eq!(
            fetches(&caches),
            1 + round,
            "one renewal per round for the fleet"
        );
    }
    // Every renewal presented the token the store held, whoever made it.
    let mut presented: Vec<String> = caches
        .iter()
        .flat_map(|c| c.fetcher().previous())
        .flatten()
        .collect();
    presented.sort();
    let before = presented.len();
    presented.dedup();
    assert_eq!(
        (before, presented.len()),
        (3, 3),
        "no token renewed twice: {presented:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_holder_releases_the_lock_once_its_token_is_written() {
    let (store, caches) = fleet(&["a"]);
    caches[0].get().await.unwrap();
    settle().await;
    assert!(stored(&store).is_some());
    // Free at once, not when the lease runs out: the next renewal anywhere
    // in the fleet need not wait for it.
    let name = entry_name();
    let lease = store
        .inner
        .lock(&name, "someone else", Duration::from_secs(1));
    assert!(lease.await.unwrap().is_some(), "the lock is free");
}
