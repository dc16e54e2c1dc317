//! A fleet of OS processes sharing tokens through a real `redis-server`,
//! against one sandbox in this process: each process is this test binary
//! run again (the `child` test, see `support/child.rs`). One test binary,
//! one test at a time, each bounded in time; `redis-server` must be
//! installed (`apt-get install -y redis-server`), or they fail saying so.
//!
//! - `cold_start.rs`: 6 processes × 200 first calls, one token request; and
//!   the measured cold start of 8 processes (ignored, prints).
//! - `soak.rs`: 4 processes for 20 s with 2 s tokens, as many token requests
//!   as one process would make, plain and when a new token revokes the old;
//!   nothing in Redis shows a token or the secret.
//! - `hotel.rs`: rotating refresh tokens, none presented twice.
//! - `holder.rs`: the lock holder killed mid-fetch, taken over; a holder
//!   stopped past its lease, whose late write is refused.
//! - `outage.rs`: Redis killed mid-soak and restarted: no failed call, one
//!   warning per process, one token again within two lifetimes.
//! - `garbage.rs`: random bytes, a hash, or another secret's entry at the
//!   key: absent, and replaced.

mod cold_start;
mod garbage;
mod holder;
mod hotel;
mod outage;
mod soak;
mod support;

/// Not a test: the entry point of the fleet's child processes, which the
/// tests start with `child --exact --ignored`.
#[test]
#[ignore = "the fleet tests' child processes run this; alone it does nothing"]
fn child() {
    support::child::run_if_child();
}
