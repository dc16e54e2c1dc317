use authorized_api::{authorized, server};

#[authorized(sudo = email("a+b", "example.com"))]
async fn me(api: &server::Client) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
    api.get("/api/me").send().await
}

fn main() {}
