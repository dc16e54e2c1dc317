//! The server provider (seed document 001): client-credentials tokens over
//! `GET`, check and revoke, and protected demo resources under `/api/` that
//! honour `sudo`, `tenantId` and `tenantCode`.

mod caller;
mod error;
mod resources;
mod token;

use axum::Router;
use axum::routing::get;

use crate::Sandbox;

pub(crate) use error::ServerError;

/// The server provider's routes.
pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/api/oauth2/server/tokens", get(token::token))
        .route("/api/oauth2/server/tokens/check", get(token::check))
        .route("/api/oauth2/server/tokens/revoke", get(token::revoke))
        .route("/api/me", get(resources::me))
        .route(
            "/api/projects",
            get(resources::list_projects).post(resources::create_project),
        )
        .route("/api/echo", get(resources::echo))
}
