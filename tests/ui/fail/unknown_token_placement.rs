use authorized_api::{authorized, server};

#[authorized(token = cookie)]
async fn me(api: &server::Client) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/me").send().await
}

fn main() {}
