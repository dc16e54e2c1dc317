//! The hotel provider (seed document 000): one form-encoded token endpoint for
//! both grants, answers in a `success`/`timestamp` envelope, and a few
//! protected demo resources.

mod envelope;
mod resources;
mod token;

use axum::Router;
use axum::routing::{get, post};

use crate::Sandbox;

/// The hotel provider's routes.
pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route(
            "/api/v1.0/invoke/open-ability/method/oauth2/token",
            post(token::token),
        )
        .route("/api/v1.0/hotels", get(resources::list_hotels))
        .route("/api/v1.0/hotels/{hotel_id}", get(resources::one_hotel))
}
