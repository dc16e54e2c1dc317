//! Tokens: what one is, the client credentials that get it, fetching it
//! (grants, retries, reading the answer) and the check and revoke calls.
//! Uses `def/`, `wire/` and the leaf modules, nothing above.

pub(crate) mod calls;
pub(crate) mod credentials;
mod decode;
pub(crate) mod endpoints;
pub(crate) mod fetch;
pub(crate) mod granted;
mod judge;

pub(crate) use judge::read_answer;
