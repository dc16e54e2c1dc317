//! `MemoryStore`: the store contract in one process, for tests and benches,
//! and the reference for what a store must do.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

use crate::cache::store::{
    EntryName, Fingerprint, News, NewsBoard, SharedEntry, StoreError, TokenStore,
};

/// A [`TokenStore`] in this process's memory: clients built with the same
/// `MemoryStore` (clone an `Arc` of it) behave as replicas sharing Redis.
/// Leases and lifetimes follow tokio's clock, so tests can pause it.
///
/// ```
/// use std::sync::Arc;
/// use authorized_runtime::store::MemoryStore;
///
/// let store = Arc::new(MemoryStore::new());
/// // ClientBuilder::token_store(Arc::clone(&store)) on each "replica".
/// assert!(store.entries().is_empty());
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    slots: Mutex<HashMap<EntryName, Slot>>,
    news: NewsBoard,
}

#[derive(Debug, Default)]
struct Slot {
    entry: Option<(SharedEntry, Instant)>,
    lock: Option<(String, Instant)>,
    /// The last fence handed out.
    fence: u64,
}

impl Slot {
    fn live_entry(&mut self, now: Instant) -> Option<&SharedEntry> {
        if self.entry.as_ref().is_some_and(|(_, until)| now >= *until) {
            self.entry = None;
        }
        self.entry.as_ref().map(|(entry, _)| entry)
    }

    fn holder(&mut self, now: Instant) -> Option<&str> {
        if self.lock.as_ref().is_some_and(|(_, until)| now >= *until) {
            self.lock = None;
        }
        self.lock.as_ref().map(|(owner, _)| owner.as_str())
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every live entry, for tests that look inside.
    pub fn entries(&self) -> Vec<(EntryName, SharedEntry)> {
        let now = Instant::now();
        let mut slots = self.slots();
        let mut entries: Vec<_> = slots
            .iter_mut()
            .filter_map(|(name, slot)| Some((name.clone(), slot.live_entry(now)?.clone())))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries
    }

    /// Puts `entry` in place as is, fence or not: what an attacker with
    /// write access (or another format version) could leave.
    pub fn put_raw(&self, name: &EntryName, entry: SharedEntry, ttl: Duration) {
        let until = Instant::now() + ttl;
        self.slots().entry(name.clone()).or_default().entry = Some((entry, until));
    }

    fn slots(&self) -> MutexGuard<'_, HashMap<EntryName, Slot>> {
        self.slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl TokenStore for MemoryStore {
    async fn read(&self, name: &EntryName) -> Result<Option<SharedEntry>, StoreError> {
        let now = Instant::now();
        Ok(self
            .slots()
            .get_mut(name)
            .and_then(|slot| slot.live_entry(now).cloned()))
    }

    async fn write(
        &self,
        name: &EntryName,
        entry: SharedEntry,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let now = Instant::now();
        {
            let mut slots = self.slots();
            let slot = slots.entry(name.clone()).or_default();
            let stored = slot.live_entry(now).map_or(0, |e| e.fence);
            if entry.fence < slot.fence || entry.fence < stored {
                return Ok(false);
            }
            slot.entry = Some((entry, now + ttl));
        }
        self.news.publish(name);
        Ok(true)
    }

    async fn lock(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> Result<Option<u64>, StoreError> {
        let now = Instant::now();
        let mut slots = self.slots();
        let slot = slots.entry(name.clone()).or_default();
        if slot.holder(now).is_some() {
            return Ok(None);
        }
        let stored = slot.live_entry(now).map_or(0, |e| e.fence);
        slot.fence = slot.fence.max(stored) + 1;
        slot.lock = Some((owner.to_owned(), now + lease));
        Ok(Some(slot.fence))
    }

    async fn extend(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        let now = Instant::now();
        let mut slots = self.slots();
        let Some(slot) = slots.get_mut(name) else {
            return Ok(false);
        };
        if slot.holder(now) != Some(owner) {
            return Ok(false);
        }
        slot.lock = Some((owner.to_owned(), now + lease));
        Ok(true)
    }

    async fn unlock(&self, name: &EntryName, owner: &str) -> Result<bool, StoreError> {
        let now = Instant::now();
        let released = {
            let mut slots = self.slots();
            let slot = slots.get_mut(name);
            let held = slot.and_then(|slot| (slot.holder(now) == Some(owner)).then_some(slot));
            held.map(|slot| slot.lock = None).is_some()
        };
        if released {
            self.news.publish(name);
        }
        Ok(released)
    }

    async fn invalidate(
        &self,
        name: &EntryName,
        fingerprint: &Fingerprint,
    ) -> Result<bool, StoreError> {
        let now = Instant::now();
        let dropped = {
            let mut slots = self.slots();
            let slot = slots.get_mut(name);
            let holds = |slot: &mut Slot| {
                slot.live_entry(now)
                    .is_some_and(|e| e.fingerprint == *fingerprint)
            };
            let matching = slot.and_then(|slot| holds(slot).then_some(slot));
            matching.map(|slot| slot.entry = None).is_some()
        };
        if dropped {
            self.news.publish(name);
        }
        Ok(dropped)
    }

    fn subscribe(&self, name: &EntryName) -> News {
        self.news.subscribe(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name() -> EntryName {
        EntryName::from_digest(&[7; 32])
    }

    fn entry(fence: u64, fp: u8) -> SharedEntry {
        SharedEntry {
            fence,
            fingerprint: Fingerprint([fp; 16]),
            sealed: vec![fp; 8],
        }
    }

    const LEASE: Duration = Duration::from_secs(5);
    const TTL: Duration = Duration::from_secs(60);

    #[tokio::test(start_paused = true)]
    async fn one_holder_at_a_time_and_fences_only_grow() {
        let store = MemoryStore::new();
        let first = store.lock(&name(), "a", LEASE).await.unwrap();
        assert_eq!(first, Some(1));
        assert_eq!(store.lock(&name(), "b", LEASE).await.unwrap(), None);
        assert!(
            !store.unlock(&name(), "b").await.unwrap(),
            "only the holder unlocks"
        );
        assert!(!store.extend(&name(), "b", LEASE).await.unwrap());
        assert!(store.extend(&name(), "a", LEASE).await.unwrap());
        assert!(store.unlock(&name(), "a").await.unwrap());
        assert_eq!(store.lock(&name(), "b", LEASE).await.unwrap(), Some(2));
        // A lease that runs out frees the lock without an unlock.
        tokio::time::advance(LEASE).await;
        assert_eq!(store.lock(&name(), "c", LEASE).await.unwrap(), Some(3));
        assert!(!store.extend(&name(), "b", LEASE).await.unwrap());
    }

    #[tokio::test(start_paused = true)]
    async fn a_write_under_an_older_fence_is_refused() {
        let store = MemoryStore::new();
        let old = store.lock(&name(), "a", LEASE).await.unwrap().unwrap();
        tokio::time::advance(LEASE).await;
        let new = store.lock(&name(), "b", LEASE).await.unwrap().unwrap();
        assert!(
            !store.write(&name(), entry(old, 1), TTL).await.unwrap(),
            "a lock was taken since"
        );
        assert!(store.write(&name(), entry(new, 2), TTL).await.unwrap());
        assert!(!store.write(&name(), entry(old, 1), TTL).await.unwrap());
        assert_eq!(store.read(&name()).await.unwrap(), Some(entry(new, 2)));
        // The holder of the current fence may write again.
        assert!(store.write(&name(), entry(new, 4), TTL).await.unwrap());
        assert_eq!(store.read(&name()).await.unwrap(), Some(entry(new, 4)));
        // A stored entry with a higher fence (put by hand) keeps the next fence above it.
        store.put_raw(&name(), entry(99, 3), TTL);
        assert!(
            !store.write(&name(), entry(new, 5), TTL).await.unwrap(),
            "the stored entry's fence is higher"
        );
        store.unlock(&name(), "b").await.unwrap();
        assert_eq!(store.lock(&name(), "c", LEASE).await.unwrap(), Some(100));
    }

    #[tokio::test(start_paused = true)]
    async fn invalidate_compares_the_fingerprint_and_entries_expire() {
        let store = MemoryStore::new();
        let fence = store.lock(&name(), "a", LEASE).await.unwrap().unwrap();
        store.write(&name(), entry(fence, 5), TTL).await.unwrap();
        assert!(
            !store
                .invalidate(&name(), &Fingerprint([4; 16]))
                .await
                .unwrap()
        );
        assert_eq!(store.entries().len(), 1);
        assert!(
            store
                .invalidate(&name(), &Fingerprint([5; 16]))
                .await
                .unwrap()
        );
        assert!(store.read(&name()).await.unwrap().is_none());
        store.write(&name(), entry(fence, 6), TTL).await.unwrap();
        tokio::time::advance(TTL).await;
        assert!(store.read(&name()).await.unwrap().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn writes_unlocks_and_invalidations_are_news() {
        let store = MemoryStore::new();
        let mut news = store.subscribe(&name());
        let wait = Duration::from_millis(10);
        let fence = store.lock(&name(), "a", LEASE).await.unwrap().unwrap();
        assert!(!news.wait(wait).await, "taking the lock is no news");
        store.write(&name(), entry(fence, 1), TTL).await.unwrap();
        assert!(news.wait(wait).await);
        store.unlock(&name(), "a").await.unwrap();
        assert!(news.wait(wait).await);
        store
            .invalidate(&name(), &Fingerprint([1; 16]))
            .await
            .unwrap();
        assert!(news.wait(wait).await);
    }
}
