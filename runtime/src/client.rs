//! The client users hold: one per provider and set of credentials, cheap to
//! clone, sharing one token cache.

use std::marker::PhantomData;

use crate::provider::Provider;

/// A client for provider `P`. Work in progress: filled in by the client module.
pub struct Client<P: Provider> {
    _provider: PhantomData<P>,
}
