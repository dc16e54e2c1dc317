use authorized_api::{authorized, hotel};

#[authorized(sudo = uid(1001))]
async fn hotels(api: &hotel::Client) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/v1.0/hotels").send().await
}

fn main() {}
