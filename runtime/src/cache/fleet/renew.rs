//! The protocol, run by the cache's one renewal task in each process:
//!
//! 1. read the store; a fresh token there is taken, nothing fetched;
//! 2. otherwise take the renewal lock (lease, fence); if another process
//!    holds it, wait for news (or the poll) and go back to 1, so its token
//!    is taken when it writes, or the lock when its lease runs out;
//! 3. holding the lock: read again, fetch (presenting the stored refresh
//!    token, the only one the fleet may use) while extending the lease,
//!    write the sealed token under the fence, and release the lock once the
//!    process has the token;
//! 4. any store failure on the way: fetch alone, as without a store.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::time::Instant;

use crate::cache::fetch::FetchToken;
use crate::cache::fleet::policy::{
    Found, Refresh, Waiting, found, keepalive_every, refresh, ttl, waiting,
};
use crate::cache::fleet::{Fleet, lock};
use crate::cache::policy::{Deadlines, RefreshMargins};
use crate::cache::store::SharedEntry;
use crate::error::Result;
use crate::token::granted::Token;

/// What a fleet renewal ended with.
pub(crate) struct Renewed {
    /// The token for this process, fetched or taken from the store.
    pub(crate) result: Result<Token>,
    /// The lock to release once the process has the token.
    pub(crate) unlock: Option<String>,
}

impl Renewed {
    fn alone(result: Result<Token>) -> Self {
        Self {
            result,
            unlock: None,
        }
    }
}

impl Fleet {
    /// A token for this process; `local` is the one it has (or dropped).
    pub(crate) async fn renew<F: FetchToken>(
        &self,
        fetcher: &F,
        local: Option<Arc<Token>>,
        margins: &RefreshMargins,
    ) -> Renewed {
        let settings = self.store.settings;
        let since = Instant::now();
        let mut news = self.store.subscribe(&self.name);
        loop {
            let Ok(shared) = self.store.read(&self.name).await else {
                return self.alone(fetcher, local).await;
            };
            if let (Found::Fresh, Some(token)) = self.look(shared.as_ref(), margins) {
                tracing::debug!("took the fleet's token from the store");
                return Renewed::alone(Ok(token));
            }
            let owner = format!(
                "{}.{}",
                self.owner,
                self.attempts.fetch_add(1, Ordering::Relaxed)
            );
            match self.store.lock(&self.name, &owner).await {
                Err(_) => return self.alone(fetcher, local).await,
                Ok(Some(fence)) => return self.hold(fetcher, local, margins, owner, fence).await,
                Ok(None) => {}
            }
            match waiting(since, Instant::now(), &settings) {
                Waiting::For(wait) => {
                    news.wait(wait).await;
                }
                Waiting::GiveUp => {
                    tracing::warn!(
                        waited_ms = settings.max_wait.as_millis() as u64,
                        "another process has held the renewal lock too long; getting a token alone"
                    );
                    return self.alone(fetcher, local).await;
                }
            }
        }
    }

    /// What `entry` holds for this process: how it counts, and its token if it opens.
    fn look(
        &self,
        entry: Option<&SharedEntry>,
        margins: &RefreshMargins,
    ) -> (Found, Option<Token>) {
        let Some(entry) = entry else {
            return (Found::Nothing, None);
        };
        let Some(token) = self.sealer.open(entry) else {
            tracing::debug!(
                "the shared entry does not open (another secret or format, or garbage); counted as absent"
            );
            return (Found::Nothing, None);
        };
        let refused = *lock(&self.refused) == Some(entry.fingerprint);
        let deadlines = Deadlines::new(&token, margins);
        (
            found(Some(&deadlines), refused, Instant::now()),
            Some(token),
        )
    }

    /// Step 3: this process holds the lock under `fence`.
    async fn hold<F: FetchToken>(
        &self,
        fetcher: &F,
        local: Option<Arc<Token>>,
        margins: &RefreshMargins,
        owner: String,
        fence: u64,
    ) -> Renewed {
        tracing::debug!(fence, "took the fleet's renewal lock");
        // Read again: a holder that just let go may have written.
        let shared = self.store.read(&self.name).await.ok().flatten();
        let (found, stored) = self.look(shared.as_ref(), margins);
        if let (Found::Fresh, Some(token)) = (found, &stored) {
            return Renewed {
                result: Ok(token.clone()),
                unlock: Some(owner),
            };
        }
        let previous = match refresh(true, stored.is_some(), self.is_private(local.as_deref())) {
            Refresh::Stored => stored.map(Arc::new),
            Refresh::Own => local,
            Refresh::None => None,
        };
        let result = self.fetch_holding(fetcher, previous, &owner).await;
        let result = match result {
            Ok(token) => Ok(self.write(token, fence, margins).await),
            Err(error) => Err(error),
        };
        Renewed {
            result,
            unlock: Some(owner),
        }
    }

    /// The fetch, extending the lease every third of it meanwhile.
    async fn fetch_holding<F: FetchToken>(
        &self,
        fetcher: &F,
        previous: Option<Arc<Token>>,
        owner: &str,
    ) -> Result<Token> {
        let every = keepalive_every(self.store.settings.lease);
        let mut keepalive = tokio::time::interval_at(Instant::now() + every, every);
        keepalive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let fetch = fetcher.fetch(previous);
        tokio::pin!(fetch);
        loop {
            tokio::select! {
                result = &mut fetch => return result,
                _ = keepalive.tick() => {
                    if let Ok(false) = self.store.extend(&self.name, owner).await {
                        tracing::warn!("the renewal lock's lease ran out during the fetch; the write will be refused if another process renewed since");
                    }
                }
            }
        }
    }

    /// Writes `token` under `fence`; if the store refuses (a newer token was
    /// written under a later lock), this process takes that one instead.
    async fn write(&self, token: Token, fence: u64, margins: &RefreshMargins) -> Token {
        let Some(ttl) = ttl(token.expires_at(), Instant::now()) else {
            return token;
        };
        let Some(entry) = self.sealer.seal(&token, fence) else {
            tracing::warn!("the token could not be sealed; not shared");
            return token;
        };
        match self.store.write(&self.name, entry, ttl).await {
            Ok(true) => {
                *lock(&self.private) = None;
                tracing::debug!(fence, "wrote the fleet's token");
                token
            }
            Ok(false) => {
                tracing::warn!(
                    fence,
                    "the store refused this process's token: another process renewed under a later lock; taking its token"
                );
                let shared = self.store.read(&self.name).await.ok().flatten();
                match self.look(shared.as_ref(), margins) {
                    (Found::Fresh, Some(newer)) => newer,
                    _ => token,
                }
            }
            Err(_) => token,
        }
    }

    /// Step 4: as without a store. A refresh token is presented only if this
    /// process fetched its token alone and never shared it.
    async fn alone<F: FetchToken>(&self, fetcher: &F, local: Option<Arc<Token>>) -> Renewed {
        let previous = match refresh(false, false, self.is_private(local.as_deref())) {
            Refresh::Own => local,
            Refresh::Stored | Refresh::None => None,
        };
        let result = fetcher.fetch(previous).await;
        if let Ok(token) = &result {
            *lock(&self.private) = Some(self.sealer.fingerprint(&token.access_token));
        }
        Renewed::alone(result)
    }

    fn is_private(&self, token: Option<&Token>) -> bool {
        token
            .is_some_and(|t| *lock(&self.private) == Some(self.sealer.fingerprint(&t.access_token)))
    }

    /// Releases `owner`'s lock (after the process took its token).
    pub(crate) async fn unlock(&self, owner: &str) {
        let _ = self.store.unlock(&self.name, owner).await;
    }
}
