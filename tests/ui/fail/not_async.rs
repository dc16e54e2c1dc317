use authorized_api::{authorized, server};

#[authorized(sudo = uid(1001))]
fn me(api: &server::Client) -> authorized_api::RequestBuilder<server::Provider> {
    api.get("/api/me")
}

fn main() {}
