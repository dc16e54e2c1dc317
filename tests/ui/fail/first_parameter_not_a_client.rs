use authorized_api::{authorized, server};

#[authorized(sudo = uid(user_id))]
async fn me(
    user_id: u64,
    api: &server::Client,
) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/me").send().await
}

fn main() {}
