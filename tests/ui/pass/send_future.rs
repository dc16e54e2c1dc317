//! The returned future is `Send` whenever the body is, so it can be spawned.
#![deny(warnings)]

use std::sync::Arc;

use authorized_api::runtime::JsonValue;
use authorized_api::{Result, Sudo, authorized, server};

fn assert_send<T: Send>(_: T) {}

#[authorized(sudo = uid(uid), tenant_id = 1, token = query)]
async fn free(api: &server::Client, uid: u64) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = who)]
async fn owned(api: Arc<server::Client>, who: Sudo) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

struct Service {
    api: server::Client,
}

impl Service {
    #[authorized(client = self.api, sudo = uid(1001))]
    async fn me(&self) -> Result<JsonValue> {
        self.api.get("/api/me").send().await
    }
}

fn main() {
    let api = server::Client::builder()
        .base_url("http://127.0.0.1:9")
        .client_id("id")
        .client_secret("secret")
        .build()
        .expect("a client");
    assert_send(free(&api, 1001));
    assert_send(owned(Arc::new(api.clone()), Sudo::uid(1002)));
    let service = Service { api };
    assert_send(service.me());
}
