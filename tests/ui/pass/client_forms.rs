//! Every way to name the client: the first parameter by reference, by value,
//! in an `Arc`, generic or `impl Trait`; `client = <param>`; a field with
//! `client = self.api`; `client = self` in a trait impl on the client.
#![deny(warnings)]

use std::sync::Arc;

use authorized_api::runtime::{AuthorizedClient, JsonValue};
use authorized_api::{Result, authorized, server};

#[authorized(sudo = uid(1001))]
async fn by_reference(api: &server::Client) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = uid(1001))]
async fn by_value(api: server::Client) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = uid(1001))]
async fn mutable_by_value(mut api: server::Client) -> Result<JsonValue> {
    api = api.clone();
    api.get("/api/me").send().await
}

#[authorized(sudo = uid(1001))]
async fn in_an_arc(api: Arc<server::Client>) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = uid(1001))]
async fn by_reference_to_an_arc(api: &Arc<server::Client>) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = uid(1001))]
async fn the_runtime_client(
    api: &authorized_api::runtime::Client<server::Provider>,
) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(sudo = uid(1001))]
async fn generic<C: AuthorizedClient<Provider = server::Provider> + Sync>(
    api: &C,
) -> Result<JsonValue> {
    api.runtime().get("/api/me").send().await
}

#[authorized(sudo = uid(1001))]
async fn impl_trait(
    api: &(impl AuthorizedClient<Provider = server::Provider> + Sync),
) -> Result<JsonValue> {
    api.runtime().get("/api/me").send().await
}

#[authorized(client = api, sudo = uid(uid))]
async fn not_first(uid: u64, api: &server::Client) -> Result<JsonValue> {
    api.get("/api/me").send().await
}

#[authorized(client = east, sudo = uid(1002))]
async fn one_of_two(west: &server::Client, east: &server::Client) -> Result<JsonValue> {
    let _ = west;
    east.get("/api/me").send().await
}

struct Service {
    api: server::Client,
    login: String,
}

impl Service {
    #[authorized(client = self.api, sudo = login_name(&self.login))]
    async fn me(&self) -> Result<JsonValue> {
        self.api.get("/api/me").send().await
    }

    #[authorized(client = self.api, sudo = uid(uid))]
    async fn into_me(self, uid: u64) -> Result<JsonValue> {
        let Self { api, login } = self;
        let _ = login;
        api.get("/api/me").send().await
    }

    #[authorized(client = &self.api, tenant_code = "acme")]
    async fn mutably(&mut self) -> Result<JsonValue> {
        self.login.push('!');
        self.api.get("/api/projects").send().await
    }
}

trait Whoami {
    async fn whoami(&self, uid: u64) -> Result<JsonValue>;
}

impl Whoami for server::Client {
    #[authorized(client = self, sudo = uid(uid))]
    async fn whoami(&self, uid: u64) -> Result<JsonValue> {
        self.get("/api/me").send().await
    }
}

fn main() {
    let _ = (
        by_reference,
        by_value,
        mutable_by_value,
        in_an_arc,
        by_reference_to_an_arc,
    );
    let _ = (
        the_runtime_client,
        generic::<server::Client>,
        not_first,
        one_of_two,
    );
    let _ = |api: &'static server::Client| impl_trait(api);
    let _ = (Service::me, Service::into_me, Service::mutably);
    let _ = <server::Client as Whoami>::whoami;
}
