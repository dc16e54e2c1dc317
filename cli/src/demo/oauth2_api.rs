//! The oauth2 provider's demo resources (`/oauth2/api/…`) as a service
//! calls them: plain functions on the generated client, no attribute
//! needed (no sudo, no tenants). The token goes as `Authorization: Bearer`
//! (RFC 6750 §2.1); a refusal arrives as [`Error::Api`](authorized_api::Error::Api)
//! with the RFC 6749 `error` as its code.

use authorized_api::{Result, oauth2};
use serde::{Deserialize, Serialize};

/// Who a call acts as: the answer of `GET /oauth2/api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Me {
    /// The client the token was issued to.
    pub client_id: String,
    /// The token's scope, space-delimited.
    pub scope: String,
    /// Where the resource server found the token: `header` or `query`.
    pub token_in: String,
}

/// A report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Report {
    /// Its id.
    pub id: u64,
    /// Its title.
    pub title: String,
    /// The client that created it.
    pub created_by: String,
}

#[derive(Serialize)]
struct NewReport<'a> {
    title: &'a str,
}

/// Who the client is; any scope will do.
pub async fn me(api: &oauth2::Client) -> Result<Me> {
    api.get("/oauth2/api/me").send().await
}

/// Creates a report; needs scope `write` (403 `insufficient_scope` without).
pub async fn create_report(api: &oauth2::Client, title: &str) -> Result<Report> {
    api.post("/oauth2/api/reports")
        .json(&NewReport { title })
        .send()
        .await
}
