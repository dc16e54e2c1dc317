//! News from other processes: one pub/sub connection per store, subscribed
//! to every entry's channel under the prefix (`PSUBSCRIBE`), reconnecting
//! with a backoff; each message wakes the waiters of its entry. Missed news
//! is harmless: waiters poll as well, and a reconnection wakes them all.

use std::sync::Weak;
use std::time::Duration;

use authorized_runtime::store::EntryName;
use futures_util::StreamExt as _;

use crate::store::Inner;

const BACKOFF_MIN: Duration = Duration::from_millis(100);
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// How often a quiet listener checks that its store still exists.
const ALIVE_CHECK: Duration = Duration::from_secs(1);

/// The channel pattern of every entry under `prefix`, glob characters escaped.
pub(crate) fn pattern(prefix: &str) -> String {
    let mut escaped = String::with_capacity(prefix.len() + 8);
    for c in prefix.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push_str("{*}:news");
    escaped
}

/// The entry a channel under `prefix` is about.
pub(crate) fn entry_of(channel: &str, prefix: &str) -> Option<String> {
    let rest = channel.strip_prefix(prefix)?.strip_prefix('{')?;
    let name = rest.strip_suffix("}:news")?;
    Some(name.to_owned())
}

/// Listens until the store is dropped.
pub(crate) async fn listen(store: Weak<Inner>) {
    let mut backoff = BACKOFF_MIN;
    loop {
        let Some(inner) = store.upgrade() else { return };
        let client = inner.target.client.clone();
        let prefix = inner.prefix.clone();
        let timeout = inner.timeout;
        drop(inner);
        let connected = tokio::time::timeout(timeout, async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.psubscribe(pattern(&prefix)).await?;
            Ok::<_, redis::RedisError>(pubsub)
        })
        .await;
        let pubsub = match connected {
            Ok(Ok(pubsub)) => pubsub,
            Ok(Err(error)) => {
                if let Some(inner) = store.upgrade() {
                    tracing::debug!(error = %inner.target.redact(&error.to_string()), "token store news: no connection yet");
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
                continue;
            }
            Err(_) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(BACKOFF_MAX);
                continue;
            }
        };
        backoff = BACKOFF_MIN;
        // News may have been missed while disconnected.
        match store.upgrade() {
            Some(inner) => inner.news.publish_all(),
            None => return,
        }
        let mut messages = pubsub.into_on_message();
        loop {
            let message = tokio::time::timeout(ALIVE_CHECK, messages.next()).await;
            let Some(inner) = store.upgrade() else { return };
            match message {
                Err(_) => continue,
                Ok(None) => break,
                Ok(Some(message)) => {
                    if let Some(name) = entry_of(message.get_channel_name(), &inner.prefix)
                        && let Some(name) = inner
                            .names
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .get(&name)
                    {
                        inner.news.publish(&EntryName::clone(name));
                    }
                }
            }
        }
        tracing::debug!("token store news: connection lost, reconnecting");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_matches_our_channels_only() {
        assert_eq!(pattern("authorized:"), "authorized:{*}:news");
        assert_eq!(pattern("a*b?[c]\\:"), "a\\*b\\?\\[c\\]\\\\:{*}:news");
        assert_eq!(
            entry_of("authorized:{abc}:news", "authorized:").as_deref(),
            Some("abc")
        );
        assert_eq!(entry_of("other:{abc}:news", "authorized:"), None);
        assert_eq!(entry_of("authorized:{abc}:lock", "authorized:"), None);
    }
}
