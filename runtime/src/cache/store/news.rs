//! News of an entry: a counter per name that a store bumps when the entry
//! or its lock changes, and that a waiting process watches.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;

use crate::cache::store::EntryName;

/// Where a store posts news of its entries, for
/// [`TokenStore::subscribe`](crate::store::TokenStore::subscribe) to hand
/// out. A channel is dropped once nobody watches it.
#[derive(Debug, Default)]
pub struct NewsBoard {
    channels: Mutex<HashMap<EntryName, watch::Sender<u64>>>,
}

impl NewsBoard {
    /// An empty board.
    pub fn new() -> Self {
        Self::default()
    }

    /// News of `name` from now on.
    pub fn subscribe(&self, name: &EntryName) -> News {
        let mut channels = self.lock();
        channels.retain(|_, sender| sender.receiver_count() > 0);
        let sender = channels
            .entry(name.clone())
            .or_insert_with(|| watch::channel(0).0);
        News {
            receiver: sender.subscribe(),
            _open: None,
        }
    }

    /// Tells everyone watching `name`.
    pub fn publish(&self, name: &EntryName) {
        if let Some(sender) = self.lock().get(name) {
            sender.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Tells everyone watching any entry (after a reconnection, when news
    /// may have been missed).
    pub fn publish_all(&self) {
        for sender in self.lock().values() {
            sender.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<EntryName, watch::Sender<u64>>> {
        self.channels
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A subscription to news of one entry.
#[derive(Debug)]
pub struct News {
    receiver: watch::Receiver<u64>,
    /// Keeps the channel of [`News::none`] open.
    _open: Option<watch::Sender<u64>>,
}

impl News {
    /// A subscription that never hears anything (the runtime then polls).
    pub fn none() -> Self {
        let (sender, receiver) = watch::channel(0);
        Self {
            receiver,
            _open: Some(sender),
        }
    }

    /// Waits until news arrives or `at_most` has passed; whether news came.
    pub async fn wait(&mut self, at_most: Duration) -> bool {
        match tokio::time::timeout(at_most, self.receiver.changed()).await {
            Ok(Ok(())) => true,
            Ok(Err(_)) => {
                // The board went away: nothing more will come; wait out the poll.
                tokio::time::sleep(at_most).await;
                false
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: u8) -> EntryName {
        EntryName::from_digest(&[n; 32])
    }

    #[tokio::test(start_paused = true)]
    async fn subscribers_hear_their_entry_only_and_unwatched_channels_go() {
        let board = NewsBoard::new();
        let mut one = board.subscribe(&name(1));
        let mut two = board.subscribe(&name(2));
        board.publish(&name(1));
        assert!(one.wait(Duration::from_millis(10)).await);
        assert!(!two.wait(Duration::from_millis(10)).await);
        drop(two);
        let _three = board.subscribe(&name(3));
        assert_eq!(
            board.lock().len(),
            2,
            "the channel nobody watched was dropped"
        );
        board.publish_all();
        assert!(one.wait(Duration::from_millis(10)).await);
        let mut none = News::none();
        assert!(!none.wait(Duration::from_millis(10)).await);
    }
}
