//! One token cache per (provider, base URL, credentials, token parameters) in
//! the process, so separately built clients for the same account never
//! fetch tokens side by side.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};

use crate::cache::{RefreshMargins, TokenCache};
use crate::fetch::TokenFetcher;

#[derive(PartialEq, Eq, Hash)]
struct Key {
    provider: &'static str,
    base_url: String,
    client_id: String,
    client_secret: String,
    params: Vec<(&'static str, String)>,
}

type Caches = HashMap<Key, Weak<TokenCache<TokenFetcher>>>;

static CACHES: LazyLock<Mutex<Caches>> = LazyLock::new(Mutex::default);

/// The live cache for this fetcher's key, or a new one.
pub(crate) fn shared(
    fetcher: TokenFetcher,
    margins: RefreshMargins,
) -> Arc<TokenCache<TokenFetcher>> {
    let mut params = fetcher.params.clone();
    params.sort();
    let key = Key {
        provider: fetcher.def.name,
        base_url: fetcher.base_url.to_string(),
        client_id: fetcher.client_id.clone(),
        client_secret: fetcher.client_secret.expose().to_owned(),
        params,
    };
    let mut caches = CACHES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(cache) = caches.get(&key).and_then(Weak::upgrade) {
        return cache;
    }
    caches.retain(|_, cache| cache.strong_count() > 0);
    let cache = TokenCache::new(fetcher, margins);
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
