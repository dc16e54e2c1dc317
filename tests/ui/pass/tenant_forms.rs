//! `tenant = <expr of type Tenant>`, `tenant_id = e` and `tenant_code = e`.
#![deny(warnings)]

use authorized_api::runtime::JsonValue;
use authorized_api::{Result, Tenant, authorized, server};

#[authorized(tenant = Tenant::code("华东-01"))]
async fn by_expression(api: &server::Client) -> Result<JsonValue> {
    api.get("/api/projects").send().await
}

#[authorized(sudo = uid(1002), tenant_id = id)]
async fn by_id(api: &server::Client, id: u64) -> Result<JsonValue> {
    api.get("/api/projects").send().await
}

#[authorized(tenant_code = code)]
async fn by_code(api: &server::Client, code: String) -> Result<JsonValue> {
    api.get("/api/projects").send().await
}

fn main() {
    let _ = (by_expression, by_id, by_code);
}
