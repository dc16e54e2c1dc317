use authorized_api::{authorized, server};

#[authorized(sudo = uid(1001), token = query, sudo = uid(1002))]
async fn me(api: &server::Client) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/me").send().await
}

fn main() {}
