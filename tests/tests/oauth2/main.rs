//! The standard OAuth 2.0 provider (`spec/oauth2.yaml`, `authorized_api::oauth2`):
//! - `wire.rs`: every call's request and answer pinned against the RFCs'
//!   own examples, on a mock server;
//! - `sandbox.rs`: end to end against the sandbox's RFC-faithful server:
//!   client authentication, introspection, revocation, bearer challenges,
//!   discovery, endpoints moved by the builder.

mod sandbox;
mod wire;
