use authorized_api::{authorized, server};

struct Service {
    api: server::Client,
    name: String,
}

impl Service {
    #[authorized(client = self.name, sudo = uid(1001))]
    async fn me(&self) -> authorized_api::Result<authorized_api::runtime::JsonValue> {
        self.api.get("/api/me").send().await
    }
}

fn main() {}
