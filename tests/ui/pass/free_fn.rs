//! The documented form, every argument in any order, a trailing comma, and
//! no arguments at all.
#![deny(warnings)]

use authorized_api::runtime::JsonValue;
use authorized_api::{Sudo, Tenant, authorized, server};

#[authorized(sudo = Sudo::uid(user_id), tenant = Tenant::code("acme"))]
async fn list_projects(api: &server::Client, user_id: u64) -> authorized_api::Result<JsonValue> {
    api.get("/api/projects").send().await
}

#[authorized(token = query, tenant = Tenant::id(2), client = api, sudo = Sudo::uid(1002),)]
async fn every_argument(api: &server::Client) -> authorized_api::Result<JsonValue> {
    api.get("/api/projects").send().await
}

#[authorized]
async fn no_arguments(api: &server::Client) -> authorized_api::Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized()]
async fn empty_arguments(api: &server::Client) {
    let _ = api.get("/api/me").send::<JsonValue>().await;
}

fn main() {
    let _ = (list_projects, every_argument, no_arguments, empty_arguments);
}
