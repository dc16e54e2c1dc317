use authorized_api::{authorized, server};

#[authorized(tenant_id = 1, tenant_code = "acme")]
async fn projects(
    api: &server::Client,
) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/projects").send().await
}

fn main() {}
