//! One token cache per account (provider, base URL, where its tokens come
//! from, client id, token parameters), client secret and token store in the
//! process, so separately
//! built clients for the same account never fetch tokens side by side.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};

use crate::cache::account::Account;
use crate::cache::fleet::Fleet;
use crate::cache::store::StoreHandle;
use crate::cache::{RefreshMargins, TokenCache};
use crate::token::fetch::TokenFetcher;

#[derive(PartialEq, Eq, Hash)]
struct Key {
    account: Account,
    client_secret: String,
    /// The store's identity, if the client has one.
    store: Option<usize>,
}

type Caches = HashMap<Key, Weak<TokenCache<TokenFetcher>>>;

static CACHES: LazyLock<Mutex<Caches>> = LazyLock::new(Mutex::default);

/// A new cache for `fetcher`, sharing tokens through `store` if given.
pub(crate) fn new(
    fetcher: TokenFetcher,
    margins: RefreshMargins,
    store: Option<Arc<StoreHandle>>,
) -> Arc<TokenCache<TokenFetcher>> {
    let fleet = store.map(|store| {
        let name = Account::of(&fetcher).entry_name();
        Fleet::new(store, name, &fetcher.credentials().client_secret)
    });
    TokenCache::with_fleet(fetcher, margins, fleet)
}

/// The live cache for this fetcher's key, or a new one.
pub(crate) fn shared(
    fetcher: TokenFetcher,
    margins: RefreshMargins,
    store: Option<Arc<StoreHandle>>,
) -> Arc<TokenCache<TokenFetcher>> {
    let key = Key {
        account: Account::of(&fetcher),
        client_secret: fetcher.credentials().client_secret.expose().to_owned(),
        store: store.as_ref().map(|s| s.identity()),
    };
    let mut caches = CACHES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(cache) = caches.get(&key).and_then(Weak::upgrade) {
        return cache;
    }
    caches.retain(|_, cache| cache.strong_count() > 0);
    let cache = new(fetcher, margins, store);
    caches.insert(key, Arc::downgrade(&cache));
    cache
}

/// How many caches the registry holds, live or not yet swept.
pub(crate) fn len() -> usize {
    CACHES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .len()
}
