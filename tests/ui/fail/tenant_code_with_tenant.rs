use authorized_api::{Tenant, authorized, server};

#[authorized(tenant_code = "acme", tenant = Tenant::id(1))]
async fn projects(
    api: &server::Client,
) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/projects").send().await
}

fn main() {}
