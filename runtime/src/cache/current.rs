//! The cache's current entry, as every reader sees it: one `ArcSwapOption`
//! that each change goes through, a version that each change moves, and on
//! each thread a copy of the entry it last read. A read whose thread's copy
//! has the current version touches no shared memory but the version and
//! the entry's flags, which only change when the entry does: the hot path
//! writes nothing that other threads read, so it costs the same on one task
//! and under contention.
//!
//! A copy holds its entry until its thread reads the cache again or reads
//! others; at most [`COPIES`] per thread. An entry replaced meanwhile is
//! never served from it (its version is old), and its timer is stopped when
//! it is replaced, not when the last copy goes.
//!
//! A copy also holds a [`HeldToken`] of its own: a reference to the token
//! (and the credentials) that a request keeps while it is in flight, the
//! token's header value, made once per thread rather than per request, and
//! whether an answer accepted the token, so that the cache is told once.
//! Cloning either counts on this thread's allocation, not on the token's,
//! which every thread shares. Uses `entry`, `token/` and `wire/placement`.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use arc_swap::ArcSwapOption;
use reqwest::header::HeaderValue;

use crate::cache::entry::Entry;
use crate::token::credentials::Credentials;
use crate::token::granted::Token;
use crate::wire::placement::TokenHeader;

/// Caches a thread keeps a copy for; a thread reading more evicts one.
const COPIES: usize = 4;

/// Tells caches apart in the copies: never reused, unlike an address.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// The current entry of one cache.
pub(super) struct Current {
    id: u64,
    /// What each [`HeldToken`] also holds: the fetcher's credentials.
    credentials: Option<Arc<Credentials>>,
    entry: ArcSwapOption<Entry>,
    /// Moved after each change of `entry`, never back.
    version: AtomicU64,
}

/// A thread's copy of one cache's entry, as of `version`.
struct Copy {
    cache: u64,
    version: u64,
    entry: Option<Copied>,
}

/// An entry as a thread holds it: the entry, and its token held from this
/// thread. Derefs to the entry.
pub(super) struct Copied {
    entry: Arc<Entry>,
    /// `entry`'s token, held from this thread.
    pub(super) held: HeldToken,
}

impl Copied {
    fn new(entry: Arc<Entry>, credentials: &Option<Arc<Credentials>>) -> Self {
        let held = HeldToken::new(Arc::clone(&entry.token), credentials.clone());
        Self { entry, held }
    }
}

impl std::ops::Deref for Copied {
    type Target = Arc<Entry>;
    fn deref(&self) -> &Arc<Entry> {
        &self.entry
    }
}

/// A token held while a request is in flight, with the credentials it was
/// granted for (which its answer must not show either). Clones share one
/// count that is made per thread (by the thread's copy of the entry), so
/// the requests of one thread do not write to memory that the others'
/// requests write to. Derefs to the token; [`shared`](Self::shared) is the
/// cache's own reference, which says which token it is.
#[derive(Clone)]
pub(crate) struct HeldToken(Arc<Held>);

struct Held {
    token: Arc<Token>,
    credentials: Option<Arc<Credentials>>,
    /// The token as a header value, once a request has asked for it
    /// (`None` inside: a token no header can carry).
    header: OnceLock<Option<HeaderValue>>,
    /// Whether an answer through this handle has accepted the token.
    accepted: AtomicBool,
}

impl HeldToken {
    /// Holds `token` (and `credentials`) with a count of its own.
    pub(crate) fn new(token: Arc<Token>, credentials: Option<Arc<Credentials>>) -> Self {
        Self(Arc::new(Held {
            token,
            credentials,
            header: OnceLock::new(),
            accepted: AtomicBool::new(false),
        }))
    }

    /// Notes that the provider accepted the token; `true` the first time
    /// for this handle (and its clones), when the cache is to be told. A
    /// token stays accepted once it is, so the requests after the first
    /// need not look at the cache's entry again.
    pub(crate) fn first_acceptance(&self) -> bool {
        let accepted = &self.0.accepted;
        !accepted.load(Ordering::Relaxed) && !accepted.swap(true, Ordering::Relaxed)
    }

    /// The token as `header`'s value (marked sensitive), or `None` if the
    /// token holds bytes a header cannot carry: made the first time it is
    /// asked for, then shared by the requests of this handle's thread.
    pub(crate) fn header_value(&self, header: &TokenHeader) -> Option<HeaderValue> {
        let token = &self.0.token.access_token;
        let made = self.0.header.get_or_init(|| header.value(token));
        match made {
            // A client of this cache whose header differs (none does: a
            // cache serves one provider) gets a value of its own.
            Some(value) if header.is_value_of(value, token) => Some(value.clone()),
            _ => header.value(token),
        }
    }

    /// The token as the cache holds it, shared by every thread.
    pub(crate) fn shared(&self) -> &Arc<Token> {
        &self.0.token
    }

    /// The credentials the token was granted for, if the cache's fetcher
    /// has any (the tests' fetchers do not).
    pub(crate) fn credentials(&self) -> Option<&Credentials> {
        self.0.credentials.as_deref()
    }
}

impl std::ops::Deref for HeldToken {
    type Target = Token;
    fn deref(&self) -> &Token {
        &self.0.token
    }
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
    /// No entry; its tokens are held with `credentials`.
    pub(super) fn empty(credentials: Option<Arc<Credentials>>) -> Self {
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            credentials,
            entry: ArcSwapOption::empty(),
            version: AtomicU64::new(0),
        }
    }

    /// `f` of the current entry, through this thread's copy (refreshed
    /// first if the entry changed since): the hot path.
    #[inline]
    pub(super) fn with<R>(&self, f: impl Fn(Option<&Copied>) -> R) -> R {
        let version = self.version.load(Ordering::Acquire);
        let copied = THREAD.try_with(|thread| {
            // Busy only if `f` reads a cache itself, and gone while the
            // thread ends: then the shared entry is read instead.
            let mut thread = thread.try_borrow_mut().ok()?;
            let copy = thread.copy_of(self.id);
            if copy.version != version {
                // Read after the version: at least as new as the entry it
                // stands for (a change stores, then moves the version).
                copy.entry = (self.entry.load_full()).map(|e| Copied::new(e, &self.credentials));
                copy.version = version;
            }
            Some(f(copy.entry.as_ref()))
        });
        match copied {
            Ok(Some(result)) => result,
            _ => f((self.entry.load_full())
                .map(|e| Copied::new(e, &self.credentials))
                .as_ref()),
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::def::HeaderPlacement;
    use crate::secret::Secret;

    fn held(access_token: &str) -> HeldToken {
        let token = Token {
            access_token: Secret::new(access_token),
            refresh_token: None,
            lifetime: Duration::from_secs(60),
            obtained_at: tokio::time::Instant::now(),
        };
        HeldToken::new(Arc::new(token), None)
    }

    fn header(scheme: Option<&'static str>) -> TokenHeader {
        let placement = HeaderPlacement {
            name: "Authorization",
            scheme,
        };
        TokenHeader::parse(&placement, "p").unwrap()
    }

    #[test]
    fn a_held_token_makes_its_header_value_once() {
        let token = held("t0k");
        let bearer = header(Some("Bearer"));
        let first = token.header_value(&bearer).unwrap();
        let again = token.clone().header_value(&bearer).unwrap();
        assert_eq!(first, "Bearer t0k");
        assert!(first.is_sensitive() && again.is_sensitive());
        // The same bytes, shared rather than made again.
        assert_eq!(first.as_bytes().as_ptr(), again.as_bytes().as_ptr());
    }

    #[test]
    fn a_handle_tells_of_its_tokens_acceptance_once() {
        let token = held("t0k");
        let clone = token.clone();
        assert!(token.first_acceptance());
        assert!(!token.first_acceptance());
        assert!(!clone.first_acceptance());
        // Another handle on the same token (another thread's, or a new entry's) tells again.
        let other = HeldToken::new(Arc::clone(token.shared()), None);
        assert!(other.first_acceptance());
    }

    #[test]
    fn another_header_gets_a_value_of_its_own() {
        let token = held("t0k");
        assert_eq!(
            token.header_value(&header(Some("Bearer"))).unwrap(),
            "Bearer t0k"
        );
        let bare = token.header_value(&header(None)).unwrap();
        assert_eq!(bare, "t0k");
        assert!(bare.is_sensitive());
        assert_eq!(
            token.header_value(&header(Some("Token"))).unwrap(),
            "Token t0k"
        );
        // A token no header can carry has no value, asked once or twice.
        let bad = held("a\nb");
        assert!(bad.header_value(&header(Some("Bearer"))).is_none());
        assert!(bad.header_value(&header(Some("Bearer"))).is_none());
    }
}
