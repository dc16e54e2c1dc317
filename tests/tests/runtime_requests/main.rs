//! What every request made through a client carries, and how answers come
//! back, against loopback servers started here: one test binary (one link on
//! CI), one file per subject.
//!
//! - `placement.rs`: the token in the bearer header or the query, never both.
//! - `injection.rs`: sudo and tenant values, and what fails before sending.
//! - `envelopes.rs`: hotel's answer envelope, its errors, non-JSON answers.
//! - `replay.rs`: a refused token replayed once, one renewal for all callers.
//! - `token_calls.rs`: what the check and revoke calls send and answer.
//! - `answer_limits.rs`: answers over the size limits, a decode error.
//! - `support.rs`: the credentials, the server client and its token endpoint.

mod answer_limits;
mod envelopes;
mod injection;
mod placement;
mod replay;
mod support;
mod token_calls;
