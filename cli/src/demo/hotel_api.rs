//! The hotel provider's demo resources as a service calls them. Hotel has
//! no sudo and no tenants, so these need no `#[authorized]` attribute: the
//! client puts the token on every request, and the `{success, result}`
//! envelope is unwrapped by the runtime.

use authorized_api::{Result, hotel};
use serde::Deserialize;

/// A hotel.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hotel {
    /// Its id, e.g. `H1001`.
    pub hotel_id: String,
    /// Its name.
    pub hotel_name: String,
    /// Its city.
    pub city: String,
    /// Its stars.
    pub stars: u8,
}

/// Every hotel.
pub async fn list_hotels(api: &hotel::Client) -> Result<Vec<Hotel>> {
    api.get("/api/v1.0/hotels").send().await
}

/// One hotel by id (ids are letters and digits, so need no escaping).
pub async fn hotel(api: &hotel::Client, hotel_id: &str) -> Result<Hotel> {
    api.get(format!("/api/v1.0/hotels/{hotel_id}")).send().await
}
