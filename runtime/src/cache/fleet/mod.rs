//! The fleet layer: one token for every process sharing a store. The cache's
//! renewal task asks it for a token instead of asking the fetcher: it takes a
//! fresh one from the store, or takes the fleet's renewal lock, fetches, and
//! writes the token back sealed (`renew`); what it decides is in `policy`;
//! sealing and fingerprints in `seal`; Unix time in `clock`.
//!
//! Uses `cache::store`, `cache::policy`, `token/` and the leaf modules.

mod clock;
mod policy;
mod renew;
mod seal;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

pub(crate) use policy::jittered;
pub(crate) use renew::Renewed;
pub(crate) use seal::Sealer;

use crate::cache::store::{EntryName, Fingerprint, StoreHandle};
use crate::secret::Secret;
use crate::token::granted::Token;

/// One cache's view of the fleet: its store, its entry, and its keys.
pub(crate) struct Fleet {
    store: Arc<StoreHandle>,
    name: EntryName,
    sealer: Sealer,
    /// `<pid>.<random>`: this process's lock owners start with it.
    owner: String,
    /// Numbers this process's lock attempts, so an old unlock never frees a newer lock.
    attempts: AtomicU64,
    /// The fingerprint of the last token this process dropped as refused:
    /// never taken from the store again.
    refused: Mutex<Option<Fingerprint>>,
    /// The fingerprint of a token this process fetched alone (the store
    /// down) and never shared: only its refresh token may be used alone.
    private: Mutex<Option<Fingerprint>>,
}

impl Fleet {
    /// Drops the shared entry now if it still holds `token` (after a
    /// revoke, before the process may exit).
    pub(crate) async fn drop_now(&self, token: &Token) {
        let fingerprint = self.refuse(token);
        let _ = self.store.invalidate(&self.name, &fingerprint).await;
    }

    /// Marks `token` as never to be taken from the store again.
    fn refuse(&self, token: &Token) -> Fingerprint {
        let fingerprint = self.sealer.fingerprint(&token.access_token);
        *lock(&self.refused) = Some(fingerprint);
        fingerprint
    }

    /// The fleet layer for entry `name` in `store`, sealed under `secret`.
    pub(crate) fn new(store: Arc<StoreHandle>, name: EntryName, secret: &Secret) -> Arc<Self> {
        Arc::new(Self {
            sealer: Sealer::new(secret, &name),
            store,
            name,
            owner: format!("{}.{:016x}", std::process::id(), fastrand::u64(..)),
            attempts: AtomicU64::new(0),
            refused: Mutex::new(None),
            private: Mutex::new(None),
        })
    }

    /// This process dropped `token` (refused, revoked, invalidated): it is
    /// never taken from the store again, and the shared entry is dropped if
    /// it still holds it, in the background.
    pub(crate) fn dropped(&self, token: &Token) {
        let fingerprint = self.refuse(token);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // No runtime to do it on: the next renewal replaces the entry anyway.
            return;
        };
        let (store, name) = (Arc::clone(&self.store), self.name.clone());
        runtime.spawn(async move {
            if let Ok(true) = store.invalidate(&name, &fingerprint).await {
                tracing::debug!("the shared token was dropped as invalid");
            }
        });
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
