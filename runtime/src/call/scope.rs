//! The authorization scope `#[authorized]` sets up: for the duration of one
//! future, requests made through a given client carry a sudo identity, a
//! tenant and a token placement.
//!
//! It lives in a tokio task-local that is set only while that future is
//! polled, so two scoped futures on one shared client (even joined on one
//! task) each see their own identity, and requests made outside see none.

use std::future::Future;
use std::sync::Arc;

use crate::call::identity::{Sudo, Tenant};
use crate::def::TokenIn;

/// What a scope applies to one client's requests.
#[derive(Debug, Clone, Default)]
pub(crate) struct Entry {
    /// The client's identity (its shared state's address).
    pub client: usize,
    pub sudo: Option<Sudo>,
    pub tenant: Option<Tenant>,
    pub token_in: Option<TokenIn>,
}

tokio::task_local! {
    static SCOPE: Arc<[Entry]>;
}

/// A scope's entry for one client, shared with the scope rather than copied
/// (a request is built inside a scope on every call).
#[derive(Debug, Clone)]
pub(crate) struct Scoped {
    entries: Arc<[Entry]>,
    index: usize,
}

impl Scoped {
    /// The entry.
    pub(crate) fn entry(&self) -> &Entry {
        &self.entries[self.index]
    }
}

/// The scope entry for `client` in the current future, if any.
pub(crate) fn lookup(client: usize) -> Option<Scoped> {
    SCOPE
        .try_with(|entries| {
            let index = entries.iter().position(|e| e.client == client)?;
            Some(Scoped {
                entries: Arc::clone(entries),
                index,
            })
        })
        .ok()
        .flatten()
}

/// Runs `fut` with `entry` in scope, on top of (and replacing, for the same
/// client) the entries of any enclosing scope.
pub(crate) fn run<F: Future>(entry: Entry, fut: F) -> impl Future<Output = F::Output> {
    let outer: Vec<Entry> = SCOPE
        .try_with(|outer| {
            outer
                .iter()
                .filter(|e| e.client != entry.client)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let entries: Arc<[Entry]> = if outer.is_empty() {
        // The usual case, one client in scope: one allocation, not two.
        Arc::new([entry])
    } else {
        let mut entries = outer;
        entries.push(entry);
        entries.into()
    };
    SCOPE.scope(entries, fut)
}
