//! A standard OAuth 2.0 provider, written from the RFCs alone: the client
//! credentials grant with HTTP Basic or `client_secret_post` (RFC 6749),
//! introspection (RFC 7662), revocation (RFC 7009), metadata (RFC 8414) and
//! protected resources that take bearer tokens (RFC 6750).
//!
//! The authorization server lives under `/oauth2/`, its resources under
//! `/oauth2/api/`, its metadata at `/.well-known/oauth-authorization-server/oauth2`.

mod answer;
mod bearer;
mod client_auth;
mod discovery;
mod form;
mod introspection;
mod resources;
mod revocation;
mod scope;
mod token;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};

use crate::Sandbox;

/// The OAuth 2.0 provider's routes; `sandbox` counts the resource calls.
pub(crate) fn routes(sandbox: &Sandbox) -> Router<Sandbox> {
    let counted = middleware::from_fn_with_state(sandbox.clone(), resources::count_calls);
    let api = Router::new()
        .route("/oauth2/api/me", get(resources::me))
        .route(
            "/oauth2/api/reports",
            get(resources::list_reports).post(resources::create_report),
        )
        .route_layer(counted);
    Router::new()
        .route("/oauth2/token", post(token::token))
        .route("/oauth2/introspect", post(introspection::introspect))
        .route("/oauth2/revoke", post(revocation::revoke))
        .route(
            "/.well-known/oauth-authorization-server/oauth2",
            get(discovery::authorization_server),
        )
        .route(
            "/oauth2/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .merge(api)
}
