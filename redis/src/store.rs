//! `RedisStore`: the [`TokenStore`] contract on Redis. Keys of an entry
//! `<name>` under the prefix, one hash tag so one cluster slot:
//! `<prefix>{<name>}:token` (the sealed entry, expiring with the token),
//! `…:lock` (the owner, `SET NX PX`), `…:fence` (the last fence handed
//! out), and the channel `…:news`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use authorized_runtime::store::{
    EntryName, Fingerprint, News, NewsBoard, SharedEntry, StoreError, TokenStore,
};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::config::{DEFAULT_PREFIX, DEFAULT_TIMEOUT, PREFIX_VAR, Target, URL_VAR};
use crate::scripts::Scripts;
use crate::{news, value};

/// How long the fence key outlives its last lock: long enough that no
/// entry outlives it in practice (the lock script stays above a stored
/// entry's fence even if it does).
const FENCE_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// A token store on Redis (or Valkey, or a Redis Cluster): one token for
/// every replica of a service. Cheap to clone; clones share connections.
///
/// `Debug` shows the URL with its user and password replaced by `**`, and
/// no error it gives holds them.
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) target: Target,
    pub(crate) prefix: String,
    pub(crate) timeout: Duration,
    connection: Mutex<Option<ConnectionManager>>,
    scripts: Scripts,
    pub(crate) news: NewsBoard,
    /// The entries subscribed to, by name text, for the news listener.
    pub(crate) names: Mutex<HashMap<String, EntryName>>,
    listening: std::sync::atomic::AtomicBool,
}

/// Configures a [`RedisStore`]: [`RedisStore::builder`].
#[derive(Clone)]
pub struct RedisStoreBuilder {
    url: String,
    prefix: String,
    timeout: Duration,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.inner.target.shown)
            .field("prefix", &self.inner.prefix)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStoreBuilder {
    /// Every key starts with `prefix` (default `authorized:`): one per
    /// service or environment sharing a Redis.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long connecting or one command may take (default 500 ms); the
    /// runtime bounds each call by its own `FleetSettings::op_timeout` too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Checks the URL; connects on first use, never here, so a service
    /// starts even while Redis is down.
    pub fn build(self) -> Result<RedisStore, StoreError> {
        let target = Target::parse(&self.url)?;
        Ok(RedisStore {
            inner: Arc::new(Inner {
                target,
                prefix: self.prefix,
                timeout: self.timeout,
                connection: Mutex::new(None),
                scripts: Scripts::new(),
                news: NewsBoard::new(),
                names: Mutex::new(HashMap::new()),
                listening: false.into(),
            }),
        })
    }
}

impl fmt::Debug for RedisStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown =
            Target::parse(&self.url).map_or_else(|_| "(not a Redis URL)".into(), |t| t.shown);
        f.debug_struct("RedisStoreBuilder")
            .field("url", &shown)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store at `url` (`redis://[user:password@]host[:port][/db]`, or
    /// `rediss://` for TLS) with the default prefix and timeout.
    pub fn new(url: &str) -> Result<Self, StoreError> {
        Self::builder(url).build()
    }

    /// Starts configuring a store at `url`.
    pub fn builder(url: impl Into<String>) -> RedisStoreBuilder {
        RedisStoreBuilder {
            url: url.into(),
            prefix: DEFAULT_PREFIX.into(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The store named by `AUTHORIZED_REDIS_URL` (with the prefix in
    /// `AUTHORIZED_REDIS_PREFIX`, if set); `Ok(None)` when the URL is not
    /// set, an error when it is set but not a Redis URL.
    pub fn from_env() -> Result<Option<Self>, StoreError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let Some(url) = var(URL_VAR) else {
            return Ok(None);
        };
        let mut builder = Self::builder(url.trim());
        if let Some(prefix) = var(PREFIX_VAR) {
            builder = builder.prefix(prefix);
        }
        builder
            .build()
            .map(Some)
            .map_err(|e| StoreError::new(format!("{URL_VAR}: {}", e.0)))
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.inner.prefix
    }

    /// The keys of entry `name`: token, lock, fence, and the news channel.
    pub fn keys(&self, name: &EntryName) -> Keys {
        let base = format!("{}{{{}}}", self.inner.prefix, name.as_str());
        Keys {
            token: format!("{base}:token"),
            lock: format!("{base}:lock"),
            fence: format!("{base}:fence"),
            news: format!("{base}:news"),
        }
    }

    fn connection(&self) -> Result<ConnectionManager, StoreError> {
        let mut slot = self
            .inner
            .connection
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(connection) = &*slot {
            return Ok(connection.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.inner.timeout))
            .set_response_timeout(Some(self.inner.timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(1));
        let connection =
            ConnectionManager::new_lazy_with_config(self.inner.target.client.clone(), config)
                .map_err(|e| self.error("connect", &e))?;
        *slot = Some(connection.clone());
        Ok(connection)
    }

    fn error(&self, what: &str, error: &redis::RedisError) -> StoreError {
        StoreError::new(format!(
            "{what} at {}: {}",
            self.inner.target.shown,
            self.inner.target.redact(&error.to_string())
        ))
    }

    fn listen(&self) {
        use std::sync::atomic::Ordering;
        if self.inner.listening.load(Ordering::Relaxed) {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current()
            && !self.inner.listening.swap(true, Ordering::Relaxed)
        {
            runtime.spawn(news::listen(Arc::downgrade(&self.inner)));
        }
    }
}

/// The Redis keys of one entry (all in one hash slot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// The sealed entry: `a1:<fence>:<fingerprint>:<sealed bytes>`.
    pub token: String,
    /// The renewal lock: its holder's owner id.
    pub lock: String,
    /// The last fence handed out.
    pub fence: String,
    /// The channel news of the entry is published on.
    pub news: String,
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

impl TokenStore for RedisStore {
    async fn read(&self, name: &EntryName) -> Result<Option<SharedEntry>, StoreError> {
        let keys = self.keys(name);
        let mut connection = self.connection()?;
        let found: Result<Option<Vec<u8>>, _> = redis::cmd("GET")
            .arg(&keys.token)
            .query_async(&mut connection)
            .await;
        match found {
            Ok(value) => Ok(value.as_deref().and_then(value::decode)),
            // Another type at the key: absent, replaced by the next write.
            Err(error) if error.code() == Some("WRONGTYPE") => Ok(None),
            Err(error) => Err(self.error("read", &error)),
        }
    }

    async fn write(
        &self,
        name: &EntryName,
        entry: SharedEntry,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let keys = self.keys(name);
        let mut connection = self.connection()?;
        let written: i64 = self
            .inner
            .scripts
            .write
            .key(&keys.token)
            .key(&keys.fence)
            .arg(entry.fence)
            .arg(value::encode(&entry))
            .arg(millis(ttl))
            .arg(&keys.news)
            .invoke_async(&mut connection)
            .await
            .map_err(|e| self.error("write", &e))?;
        Ok(written == 1)
    }

    async fn lock(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> Result<Option<u64>, StoreError> {
        let keys = self.keys(name);
        let mut connection = self.connection()?;
        self.inner
            .scripts
            .lock
            .key(&keys.token)
            .key(&keys.lock)
            .key(&keys.fence)
            .arg(owner)
            .arg(millis(lease))
            .arg(millis(FENCE_TTL))
            .invoke_async(&mut connection)
            .await
            .map_err(|e| self.error("lock", &e))
    }

    async fn extend(
        &self,
        name: &EntryName,
        owner: &str,
        lease: Duration,
    ) -> Result<bool, StoreError> {
        let keys = self.keys(name);
        let mut connection = self.connection()?;
        let extended: i64 = self
            .inner
            .scripts
            .extend
            .key(&keys.lock)
            .arg(owner)
            .arg(millis(lease))
            .invoke_async(&mut connection)
            .await
            .map_err(|e| self.error("extend", &e))?;
        Ok(extended == 1)
    }

    async fn unlock(&self, name: &EntryName, owner: &str) -> Result<bool, StoreError> {
        let keys = self.keys(name);
        let mut connection = self.connection()?;
        let released: i64 = self
            .inner
            .scripts
            .unlock
            .key(&keys.lock)
            .arg(owner)
            .arg(&keys.news)
            .invoke_async(&mut connection)
            .await
            .map_err(|e| self.error("unlock", &e))?;
        Ok(released == 1)
    }

    async fn invalidate(
        &self,
        name: &EntryName,
        fingerprint: &Fingerprint,
    ) -> Result<bool, StoreError> {
        let keys = self.keys(name);
        let mut connection = self.connection()?;
        let dropped: i64 = self
            .inner
            .scripts
            .invalidate
            .key(&keys.token)
            .arg(fingerprint.to_hex())
            .arg(&keys.news)
            .invoke_async(&mut connection)
            .await
            .map_err(|e| self.error("invalidate", &e))?;
        Ok(dropped == 1)
    }

    fn subscribe(&self, name: &EntryName) -> News {
        self.inner
            .names
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.as_str().to_owned(), name.clone());
        self.listen();
        self.inner.news.subscribe(name)
    }

    fn identity(&self) -> usize {
        Arc::as_ptr(&self.inner) as usize
    }
}
