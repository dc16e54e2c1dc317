//! API calls: building a request (`request`, `typed`), who it acts as and
//! for whom (`identity`, `scope` for `#[authorized]`), what it is before it
//! is sent (`prepare`), sending it (`send`, in a span only when a subscriber
//! takes it: `span`), when a refused token is
//! replayed (`replay`, the middleware's rule too), how a refused token is
//! recognised (`invalid_token`), and the answer (`response`). The top of
//! the crate: uses `client/` and everything below.

pub(crate) mod identity;
pub(crate) mod invalid_token;
pub(crate) mod prepare;
pub(crate) mod replay;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod scope;
mod send;
pub(crate) mod span;
pub(crate) mod typed;
