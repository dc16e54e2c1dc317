use authorized_api::{authorized, server};

#[authorized(sudo = uid(1001), tennant_id = 1)]
async fn me(api: &server::Client) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/me").send().await
}

fn main() {}
