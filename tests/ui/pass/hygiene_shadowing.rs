//! The expansion names everything by absolute path: local items called
//! `Sudo`, `Tenant`, `TokenIn`, `Result`, `Error`, `scope`, `runtime` or
//! `authorized_api`, renamed imports, a module without the prelude, and
//! locals called like the expansion's own do not change its meaning.
#![deny(warnings)]
#![allow(dead_code)]

use ::authorized_api::authorized as scoped;
use ::authorized_api::server::Client as Api;

struct Sudo;
struct Tenant;
struct TokenIn;
enum Error {}
type Result<T> = ::std::result::Result<T, ::std::string::String>;
fn scope() {}
mod runtime {}
mod authorized_api {}
mod core {}
mod std {}

#[scoped(sudo = uid(1001), tenant_code = "acme", token = query)]
async fn renamed(api: &Api) -> Result<::authorized_api::runtime::JsonValue> {
    let __authorized_scope = "the user's own";
    let __authorized_output = __authorized_scope.len();
    let _ = __authorized_output;
    api.get("/api/me")
        .send()
        .await
        .map_err(|e| ::std::string::ToString::to_string(&e))
}

#[no_implicit_prelude]
mod strict {
    #[::authorized_api::authorized(sudo = login_name("bob"), tenant_id = 2)]
    pub async fn me(
        api: &::authorized_api::server::Client,
    ) -> ::authorized_api::Result<::authorized_api::runtime::JsonValue> {
        api.get("/api/me").send().await
    }
}

fn main() {
    let _ = (renamed, strict::me, scope);
}
