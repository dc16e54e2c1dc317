//! The seam between a process's token cache and a place its fleet shares
//! tokens through: the [`TokenStore`] trait, the opaque values and hashed
//! names it handles, news of changes (`news`), an in-process store for tests
//! and benches (`memory`), and how the cache calls any store: every call
//! bounded in time, an outage logged once (`handle`).
//!
//! Uses only the leaf modules: a store never sees a token, a secret or an
//! account, only [`EntryName`]s and sealed bytes (see the fleet layer).

mod handle;
mod memory;
mod news;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

pub(crate) use handle::{ErasedStore, StoreHandle};
pub use memory::MemoryStore;
pub use news::{News, NewsBoard};

/// A place where the replicas of a service share their tokens, so the whole
/// fleet fetches, renews and refreshes one token instead of one each.
///
/// The runtime calls a store only when its process would otherwise fetch or
/// renew a token, never on the hot path, and never with a token or a secret
/// in the clear: names are hashes ([`EntryName`]) and values are sealed
/// bytes ([`SharedEntry::sealed`]). Every call is bounded in time by the
/// runtime, and a store that fails or answers late makes the process fall
/// back to renewing on its own, so a store need not retry.
///
/// The contract, per entry name:
/// - [`lock`](TokenStore::lock) takes the renewal lock if nobody holds it,
///   for `lease`, and returns a *fence* greater than every fence returned
///   before for that name (and than the stored entry's);
/// - [`write`](TokenStore::write) stores the entry unless the stored one or
///   a lock taken since carries a greater fence (a holder that lost its
///   lease is refused), and tells subscribers;
/// - [`unlock`](TokenStore::unlock) and [`extend`](TokenStore::extend) act
///   only if `owner` still holds the lock;
/// - [`invalidate`](TokenStore::invalidate) drops the entry only if it still
///   has this fingerprint, and tells subscribers.
///
/// [`MemoryStore`] is the reference implementation; `authorized-redis` has
/// the one for Redis.
pub trait TokenStore: Send + Sync + 'static {
    /// The stored entry; `None` if there is none or it is unreadable.
    fn read(
        &self,
        name: &EntryName,
    ) -> impl Future<Output = Result<Option<SharedEntry>, StoreError>> + Send;

    /// Stores `entry` for `ttl` unless a greater fence is stored or was
    /// handed out since (then `Ok(false)`); tells subscribers on success.
    fn write(
        &self,
        name: &EntryName,
        entry: SharedEntry,
        ttl: Duration,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Takes the renewal lock for `owner` for `lease` if it is free: the
    /// fence to write with, or `None` if someone else holds it.
    fn lock(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<Option<u64>, StoreError>> + Send;

    /// Extends `owner`'s lock by `lease` from now; `Ok(false)` if `owner` no
    /// longer holds it.
    fn extend(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Releases `owner`'s lock (compare and delete) and tells subscribers;
    /// `Ok(false)` if `owner` no longer held it.
    fn unlock(
        &self,
        name: &EntryName,
        owner: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Drops the entry if its fingerprint is still `fingerprint` (compare
    /// and delete) and tells subscribers; whether it did.
    fn invalidate(
        &self,
        name: &EntryName,
        fingerprint: &Fingerprint,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// News of `name`: it changes after a write, an unlock or an
    /// invalidation (by any process). It may miss some: the runtime also
    /// polls, at most every [`FleetSettings::poll`].
    fn subscribe(&self, name: &EntryName) -> News;

    /// Which store this is: clients of one account built with stores of the
    /// same identity share one token cache in the process. Default: the
    /// store's address; a store whose clones share one connection should
    /// answer the same for every clone.
    fn identity(&self) -> usize {
        std::ptr::from_ref(self).cast::<()>() as usize
    }
}

impl<S: TokenStore> TokenStore for Arc<S> {
    fn read(
        &self,
        name: &EntryName,
    ) -> impl Future<Output = Result<Option<SharedEntry>, StoreError>> + Send {
        (**self).read(name)
    }
    fn write(
        &self,
        name: &EntryName,
        entry: SharedEntry,
        ttl: Duration,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        (**self).write(name, entry, ttl)
    }
    fn lock(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<Option<u64>, StoreError>> + Send {
        (**self).lock(name, owner, lease)
    }
    fn extend(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        (**self).extend(name, owner, lease)
    }
    fn unlock(
        &self,
        name: &EntryName,
        owner: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        (**self).unlock(name, owner)
    }
    fn invalidate(
        &self,
        name: &EntryName,
        fingerprint: &Fingerprint,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        (**self).invalidate(name, fingerprint)
    }
    fn subscribe(&self, name: &EntryName) -> News {
        (**self).subscribe(name)
    }
    fn identity(&self) -> usize {
        (**self).identity()
    }
}

/// Which shared entry: a hash of the provider, base URL, client id and token
/// parameters (32 hex digits), never the values themselves. A store builds
/// its keys from it (Redis: `<prefix>{<name>}:token`, `…:lock`, `…:fence`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryName(String);

impl EntryName {
    /// The name as text: 32 lowercase hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// From 32 hex digits, as [`as_str`](Self::as_str) gives them (any
    /// case; kept lowercase): for a store that reads names back from its
    /// own keys, and for testing a store.
    pub fn from_hex(text: &str) -> Option<Self> {
        Fingerprint::from_hex(text).map(|bytes| Self(hex(&bytes.0)))
    }

    pub(crate) fn from_digest(digest: &[u8]) -> Self {
        Self(hex(&digest[..16]))
    }
}

impl fmt::Debug for EntryName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntryName({})", self.0)
    }
}

impl fmt::Display for EntryName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A keyed hash of an access token (16 bytes): tells whether a stored entry
/// still holds a given token without holding the token.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 16]);

impl Fingerprint {
    /// As 32 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// From 32 hex digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 32 {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, pair) in bytes.chunks(2).enumerate() {
            let digit = |c: u8| (c as char).to_digit(16);
            out[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
        }
        Some(Self(out))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", self.to_hex())
    }
}

/// A stored entry as a store holds it: its fence and fingerprint in the
/// clear (stores compare them), the token sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct SharedEntry {
    /// The fence of the lock it was written under.
    pub fence: u64,
    /// The keyed hash of its access token.
    pub fingerprint: Fingerprint,
    /// The token, sealed (AEAD): opaque to the store.
    pub sealed: Vec<u8>,
}

impl fmt::Debug for SharedEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedEntry")
            .field("fence", &self.fence)
            .field("fingerprint", &self.fingerprint)
            .field("sealed_bytes", &self.sealed.len())
            .finish()
    }
}

/// A store that failed: unreachable, slow, refusing. The runtime logs it
/// (once per outage) and renews on its own; callers never see it. Its text
/// must hold no password (build it from a redacted message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token store: {0}")]
pub struct StoreError(pub String);

impl StoreError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// How a client uses its token store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FleetSettings {
    /// How long the renewal lock is held without being extended; the holder
    /// extends it every third of it while its fetch runs. A holder that dies
    /// is taken over after at most this (default 5 s).
    pub lease: Duration,
    /// The longest any one store call may take before it counts as failed
    /// (default 500 ms).
    pub op_timeout: Duration,
    /// The longest a process waiting for another's renewal goes without
    /// looking at the store again, news or not (default 200 ms).
    pub poll: Duration,
    /// The longest a process waits for another's renewal before it gets a
    /// token on its own (default 60 s).
    pub max_wait: Duration,
}

impl Default for FleetSettings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(5),
            op_timeout: Duration::from_millis(500),
            poll: Duration::from_millis(200),
            max_wait: Duration::from_secs(60),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_round_trip_through_hex() {
        let fp = Fingerprint([0xab; 16]);
        assert_eq!(fp.to_hex(), "ab".repeat(16));
        assert_eq!(Fingerprint::from_hex(&fp.to_hex()), Some(fp));
        assert_eq!(Fingerprint::from_hex("zz"), None);
        assert_eq!(Fingerprint::from_hex(&"g".repeat(32)), None);
    }

    #[test]
    fn entry_names_round_trip_through_hex_in_lowercase() {
        let name = EntryName::from_digest(&[0xcd; 32]);
        assert_eq!(name.as_str(), "cd".repeat(16));
        assert_eq!(EntryName::from_hex(name.as_str()), Some(name.clone()));
        assert_eq!(EntryName::from_hex(&"CD".repeat(16)), Some(name));
        assert_eq!(EntryName::from_hex("cd"), None);
        assert_eq!(EntryName::from_hex(&"x".repeat(32)), None);
    }

    #[test]
    fn names_and_entries_show_hashes_and_lengths_never_sealed_bytes() {
        let name = EntryName::from_digest(&[0x0f; 32]);
        assert_eq!(name.to_string(), "0f".repeat(16));
        assert_eq!(
            format!("{name:?}"),
            format!("EntryName({})", "0f".repeat(16))
        );
        let entry = SharedEntry {
            fence: 7,
            fingerprint: Fingerprint([1; 16]),
            sealed: b"sealed-secret-bytes".to_vec(),
        };
        assert_eq!(
            format!("{entry:?}"),
            format!(
                "SharedEntry {{ fence: 7, fingerprint: Fingerprint({}), sealed_bytes: 19 }}",
                "01".repeat(16)
            )
        );
    }
}
