//! `username(…)` warns as `Sudo::username` does, at the user's `username`;
//! denied here so the warning shows as this test's error.
#![deny(deprecated)]

use authorized_api::{authorized, server};

#[authorized(sudo = username("bob"))]
async fn me(api: &server::Client) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/me").send().await
}

fn main() {}
