use authorized_api::{authorized, hotel};

#[authorized(tenant_code = "acme")]
async fn hotels(api: &hotel::Client) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/v1.0/hotels").send().await
}

fn main() {}
