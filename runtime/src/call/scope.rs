//! The authorization scope `#[authorized]` sets up: for the duration of one
//! future, requests made through a given client carry a sudo identity, a
//! tenant and a token placement.
//!
//! It lives in a thread-local that holds a scope's entries only while its
//! future is polled (as a tokio task-local would, without the copies of
//! every poll's result that tokio's `TaskLocalFuture` makes), so two scoped
//! futures on one shared client (even joined on one task) each see their
//! own identity, and requests made outside see none.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

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

thread_local! {
    /// The entries of the scoped future being polled on this thread, if any.
    static SCOPE: Cell<Option<Arc<[Entry]>>> = const { Cell::new(None) };
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
    with_current(|entries| {
        let entries = entries?;
        let index = entries.iter().position(|e| e.client == client)?;
        Some(Scoped {
            entries: Arc::clone(entries),
            index,
        })
    })
}

/// `f` of the current scope's entries (`None` outside every scope, and on a
/// thread being torn down).
fn with_current<R>(f: impl FnOnce(Option<&Arc<[Entry]>>) -> R) -> R {
    let current = SCOPE.try_with(Cell::take).ok().flatten();
    let result = f(current.as_ref());
    // Put back; nothing else ran on this thread in between.
    let _ = SCOPE.try_with(|cell| cell.set(current));
    result
}

/// Runs `fut` with `entry` in scope, on top of (and replacing, for the same
/// client) the entries of any enclosing scope.
#[inline]
pub(crate) fn run<F: Future>(entry: Entry, fut: F) -> impl Future<Output = F::Output> {
    InScope {
        entries: Some(entries(entry)),
        fut,
    }
}

/// `entry`, on top of (and replacing, for the same client) the entries of
/// any enclosing scope.
fn entries(entry: Entry) -> Arc<[Entry]> {
    let outer: Vec<Entry> = with_current(|outer| {
        outer.map_or_else(Vec::new, |outer| {
            outer
                .iter()
                .filter(|e| e.client != entry.client)
                .cloned()
                .collect()
        })
    });
    if outer.is_empty() {
        // The usual case, one client in scope: one allocation, not two.
        Arc::new([entry])
    } else {
        let mut entries = outer;
        entries.push(entry);
        entries.into()
    }
}

pin_project_lite::pin_project! {
    /// A future run with a scope's entries current while it is polled.
    struct InScope<F> {
        // Here between polls; the thread-local's during one.
        entries: Option<Arc<[Entry]>>,
        #[pin]
        fut: F,
    }
}

impl<F: Future> Future for InScope<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let _current = Current::enter(this.entries);
        this.fut.poll(cx)
    }
}

/// A scope made current for one poll: the entries swap places with the
/// thread-local's (an enclosing scope's, or none) and swap back when this
/// is dropped, also when the poll panics.
struct Current<'a> {
    entries: &'a mut Option<Arc<[Entry]>>,
}

impl<'a> Current<'a> {
    fn enter(entries: &'a mut Option<Arc<[Entry]>>) -> Self {
        swap(entries);
        Self { entries }
    }
}

impl Drop for Current<'_> {
    fn drop(&mut self) {
        swap(self.entries);
    }
}

/// Swaps `entries` with the thread-local's.
fn swap(entries: &mut Option<Arc<[Entry]>>) {
    // A thread being torn down has no thread-local left: the future then
    // runs without its scope, as requests made outside one do.
    let _ = SCOPE.try_with(|cell| *entries = cell.replace(entries.take()));
}
