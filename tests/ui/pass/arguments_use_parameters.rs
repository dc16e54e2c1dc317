//! Argument expressions use the parameters and are evaluated at entry, so
//! the body may move those parameters afterwards.
#![deny(warnings)]

use authorized_api::runtime::JsonValue;
use authorized_api::{Result, authorized, server};

#[authorized(sudo = login_name(&login), tenant_code = &tenant)]
async fn moves_after(
    api: server::Client,
    login: String,
    tenant: String,
) -> Result<(String, String)> {
    let consumed = (login, tenant);
    drop(api.get("/api/me").send::<JsonValue>().await?);
    drop(api);
    Ok(consumed)
}

#[authorized(sudo = uid(ids[0]), tenant_id = ids[1])]
async fn indexes(api: &server::Client, ids: Vec<u64>) -> Result<Vec<u64>> {
    api.get("/api/me").send::<JsonValue>().await?;
    Ok(ids)
}

fn main() {
    let _ = (moves_after, indexes);
}
