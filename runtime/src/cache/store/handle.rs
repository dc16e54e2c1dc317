//! How the cache calls a store: behind one object-safe face, each call
//! bounded by `op_timeout`, and an outage logged once, when it starts, and
//! once more when it ends, however many calls fail in between.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::cache::store::{
    EntryName, Fingerprint, FleetSettings, News, SharedEntry, StoreError, TokenStore,
};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// [`TokenStore`] with its futures boxed, so a client can hold any store.
trait DynStore: Send + Sync {
    fn read<'a>(&'a self, name: &'a EntryName) -> BoxFuture<'a, Option<SharedEntry>>;
    fn write<'a>(
        &'a self,
        name: &'a EntryName,
        entry: SharedEntry,
        ttl: Duration,
    ) -> BoxFuture<'a, bool>;
    fn lock<'a>(
        &'a self,
        name: &'a EntryName,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Option<u64>>;
    fn extend<'a>(
        &'a self,
        name: &'a EntryName,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, bool>;
    fn unlock<'a>(&'a self, name: &'a EntryName, owner: &'a str) -> BoxFuture<'a, bool>;
    fn invalidate<'a>(&'a self, name: &'a EntryName, fp: &'a Fingerprint) -> BoxFuture<'a, bool>;
    fn subscribe(&self, name: &EntryName) -> News;
    fn identity(&self) -> usize;
}

impl<S: TokenStore> DynStore for S {
    fn read<'a>(&'a self, name: &'a EntryName) -> BoxFuture<'a, Option<SharedEntry>> {
        Box::pin(TokenStore::read(self, name))
    }
    fn write<'a>(
        &'a self,
        name: &'a EntryName,
        entry: SharedEntry,
        ttl: Duration,
    ) -> BoxFuture<'a, bool> {
        Box::pin(TokenStore::write(self, name, entry, ttl))
    }
    fn lock<'a>(
        &'a self,
        name: &'a EntryName,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Option<u64>> {
        Box::pin(TokenStore::lock(self, name, owner, lease))
    }
    fn extend<'a>(
        &'a self,
        name: &'a EntryName,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, bool> {
        Box::pin(TokenStore::extend(self, name, owner, lease))
    }
    fn unlock<'a>(&'a self, name: &'a EntryName, owner: &'a str) -> BoxFuture<'a, bool> {
        Box::pin(TokenStore::unlock(self, name, owner))
    }
    fn invalidate<'a>(&'a self, name: &'a EntryName, fp: &'a Fingerprint) -> BoxFuture<'a, bool> {
        Box::pin(TokenStore::invalidate(self, name, fp))
    }
    fn subscribe(&self, name: &EntryName) -> News {
        TokenStore::subscribe(self, name)
    }
    fn identity(&self) -> usize {
        TokenStore::identity(self)
    }
}

/// The store did not answer well in time: the caller goes on without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unavailable;

/// What a call's result does to the outage state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// The first failure of an outage: warn.
    Down,
    /// The first success after an outage: say so.
    Up,
    /// Nothing to say.
    Same,
}

/// The pure rule: one warning when an outage starts, one note when it ends.
fn change(was_down: bool, ok: bool) -> Change {
    match (was_down, ok) {
        (false, false) => Change::Down,
        (true, true) => Change::Up,
        _ => Change::Same,
    }
}

/// Any store, boxed: what a builder holds until it knows the settings.
pub(crate) struct ErasedStore(Box<dyn DynStore>);

impl ErasedStore {
    pub(crate) fn new(store: impl TokenStore) -> Self {
        Self(Box::new(store))
    }
}

/// A client's store, as the cache calls it.
pub(crate) struct StoreHandle {
    store: Box<dyn DynStore>,
    pub(crate) settings: FleetSettings,
    down: AtomicBool,
}

impl StoreHandle {
    #[cfg(test)]
    pub(crate) fn new(store: impl TokenStore, settings: FleetSettings) -> Arc<Self> {
        Self::erased(ErasedStore::new(store), settings)
    }

    pub(crate) fn erased(store: ErasedStore, settings: FleetSettings) -> Arc<Self> {
        Arc::new(Self {
            store: store.0,
            settings,
            down: AtomicBool::new(false),
        })
    }

    /// Which store this is: clients of one account share a cache only if
    /// they share the store too.
    pub(crate) fn identity(&self) -> usize {
        self.store.identity()
    }

    pub(crate) async fn read(&self, name: &EntryName) -> Result<Option<SharedEntry>, Unavailable> {
        self.call("read", self.store.read(name)).await
    }

    pub(crate) async fn write(
        &self,
        name: &EntryName,
        entry: SharedEntry,
        ttl: Duration,
    ) -> Result<bool, Unavailable> {
        self.call("write", self.store.write(name, entry, ttl)).await
    }

    pub(crate) async fn lock(
        &self,
        name: &EntryName,
        owner: &str,
    ) -> Result<Option<u64>, Unavailable> {
        self.call("lock", self.store.lock(name, owner, self.settings.lease))
            .await
    }

    pub(crate) async fn extend(&self, name: &EntryName, owner: &str) -> Result<bool, Unavailable> {
        self.call(
            "extend",
            self.store.extend(name, owner, self.settings.lease),
        )
        .await
    }

    pub(crate) async fn unlock(&self, name: &EntryName, owner: &str) -> Result<bool, Unavailable> {
        self.call("unlock", self.store.unlock(name, owner)).await
    }

    pub(crate) async fn invalidate(
        &self,
        name: &EntryName,
        fp: &Fingerprint,
    ) -> Result<bool, Unavailable> {
        self.call("invalidate", self.store.invalidate(name, fp))
            .await
    }

    pub(crate) fn subscribe(&self, name: &EntryName) -> News {
        self.store.subscribe(name)
    }

    /// Runs one store call within `op_timeout`, and keeps the outage state.
    async fn call<T>(
        &self,
        what: &'static str,
        call: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, Unavailable> {
        let result = match tokio::time::timeout(self.settings.op_timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::new(format!(
                "no answer within {} ms",
                self.settings.op_timeout.as_millis()
            ))),
        };
        let was_down = self.down.swap(result.is_err(), Ordering::Relaxed);
        match (&result, change(was_down, result.is_ok())) {
            (Err(error), Change::Down) => tracing::warn!(
                op = what,
                %error,
                "the token store is unavailable; renewing tokens in this process alone until it answers again"
            ),
            (Err(error), _) => tracing::debug!(op = what, %error, "token store still unavailable"),
            (Ok(_), Change::Up) => {
                tracing::info!("the token store answers again; sharing tokens with the fleet")
            }
            _ => {}
        }
        result.map_err(|_| Unavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_is_told_once_when_it_starts_and_once_when_it_ends() {
        assert_eq!(change(false, true), Change::Same);
        assert_eq!(change(false, false), Change::Down);
        assert_eq!(change(true, false), Change::Same);
        assert_eq!(change(true, true), Change::Up);
    }
}
