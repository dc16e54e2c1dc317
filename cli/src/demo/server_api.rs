//! The server provider's demo resources (`/api/me`, `/api/projects`) as a
//! service calls them: plain async functions, each saying with
//! `#[authorized(…)]` whom it acts as and on whose data. This is the code a
//! user writes; the demo only calls it.

use authorized_api::{RawResponse, Result, Sudo, Tenant, authorized, server};
use serde::{Deserialize, Serialize};

/// Who a call acts as: the answer of `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// `app` for the client itself, `user` under sudo.
    pub actor: String,
    /// The client the token was issued to.
    pub client_id: String,
    /// The user acted as, under sudo.
    pub user: Option<User>,
    /// The tenant whose data the call uses, if one was named.
    pub tenant: Option<TenantInfo>,
    /// Where the server found the token: `header` or `query`.
    pub token_in: String,
}

/// A user of the provider.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The numeric id (`sudo=uid:…`).
    pub uid: u64,
    /// The login name (`sudo=loginName:…`).
    pub login_name: String,
    /// The email (`sudo=email:…`).
    pub email: String,
    /// The mobile number (`sudo=mobile:…`).
    pub mobile: String,
    /// The display name.
    pub name: String,
}

/// A tenant of the provider.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantInfo {
    /// `tenantId`.
    pub tenant_id: u64,
    /// `tenantCode`.
    pub tenant_code: String,
    /// The display name.
    pub name: String,
}

/// A project.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// The code of the tenant it belongs to.
    pub tenant_code: String,
    /// The uid of its owner.
    pub owner_uid: u64,
}

#[derive(Serialize)]
struct NewProject<'a> {
    name: &'a str,
}

/// Who the client is, acting as itself; the token goes where the client's
/// default says (the header, for `server`).
pub async fn whoami(api: &server::Client) -> Result<Me> {
    api.get("/api/me").send().await
}

/// The same, with the token in the query string (`?access_token=…`).
#[authorized(token = query)]
pub async fn whoami_token_in_query(api: &server::Client) -> Result<Me> {
    api.get("/api/me").send().await
}

/// `/api/me` acting as the user with this uid.
#[authorized(sudo = uid(uid))]
pub async fn me_by_uid(api: &server::Client, uid: u64) -> Result<Me> {
    api.get("/api/me").send().await
}

/// `/api/me` acting as the user with this login name.
#[authorized(sudo = login_name(login_name))]
pub async fn me_by_login_name(api: &server::Client, login_name: &str) -> Result<Me> {
    api.get("/api/me").send().await
}

/// `/api/me` acting as the user with this email (`+` and `@` arrive intact).
#[authorized(sudo = email(email))]
pub async fn me_by_email(api: &server::Client, email: &str) -> Result<Me> {
    api.get("/api/me").send().await
}

/// `/api/me` acting as the user with this mobile number.
#[authorized(sudo = mobile(mobile))]
pub async fn me_by_mobile(api: &server::Client, mobile: &str) -> Result<Me> {
    api.get("/api/me").send().await
}

/// `/api/me` acting as a login name the deprecated way (`sudo=username:…`):
/// the raw answer, so its `Deprecation` header can be read.
#[authorized(sudo = username(login_name))]
#[allow(deprecated)] // On purpose: the demo shows the provider flags it.
pub async fn me_by_username(api: &server::Client, login_name: &str) -> Result<RawResponse> {
    api.get("/api/me").send_raw().await
}

/// `/api/me` acting as `uid` on the data of the tenant with this id.
#[authorized(sudo = uid(uid), tenant_id = tenant_id)]
pub async fn me_in_tenant(api: &server::Client, uid: u64, tenant_id: u64) -> Result<Me> {
    api.get("/api/me").send().await
}

/// Who `login_name` is in the tenant with this code, and the tenant's
/// projects: one scope covers both requests.
#[authorized(sudo = login_name(login_name), tenant_code = tenant_code)]
pub async fn tenant_overview(
    api: &server::Client,
    login_name: &str,
    tenant_code: &str,
) -> Result<(Me, Vec<Project>)> {
    let me = api.get("/api/me").send().await?;
    let projects = api.get("/api/projects").send().await?;
    Ok((me, projects))
}

/// Creates a project owned by `owner` in the `acme` tenant.
#[authorized(sudo = Sudo::uid(owner), tenant = Tenant::code("acme"))]
pub async fn create_acme_project(api: &server::Client, owner: u64, name: &str) -> Result<Project> {
    api.post("/api/projects")
        .json(&NewProject { name })
        .send()
        .await
}
