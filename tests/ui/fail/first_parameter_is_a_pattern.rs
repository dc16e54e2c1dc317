use authorized_api::{authorized, server};

#[authorized(sudo = uid(1001))]
async fn me(
    (api, _id): (&server::Client, u64),
) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/me").send().await
}

fn main() {}
