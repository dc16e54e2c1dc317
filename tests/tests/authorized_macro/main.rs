//! What `#[authorized]` does at run time, against the sandbox: one test
//! binary (one link on CI), one file per subject.
//!
//! - `arguments.rs`: what the macro's arguments put on the requests made
//!   inside the function, and nothing outside it.
//! - `scopes.rs`: concurrent and nested scopes, each with its own identity.
//! - `functions.rs`: the functions it wraps: which client, `self`, `?` and
//!   `return`, arguments evaluated once.
//! - `support.rs`: the sandbox, its client, and `Seen`.

mod arguments;
mod functions;
mod scopes;
mod support;
