//! `token = header` and `token = query`.
#![deny(warnings)]

use authorized_api::runtime::JsonValue;
use authorized_api::{Result, authorized, hotel, server};

#[authorized(token = header)]
async fn in_header(api: &server::Client) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(token = query)]
async fn in_query(api: &server::Client) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

/// A provider without sudo or tenants still takes a placement.
#[authorized(token = query)]
async fn hotels(api: &hotel::Client) -> Result<JsonValue> {
    api.get("/api/v1.0/hotels").send().await
}

fn main() {
    let _ = (in_header, in_query, hotels);
}
