use authorized_api::{authorized, server};

#[authorized(sudo = user_id)]
async fn me(
    api: &server::Client,
    user_id: u64,
) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/me").send().await
}

fn main() {}
