//! The server provider's protected demo resources: `/api/me`,
//! `/api/projects` and `/api/echo`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::ServerError;
use super::caller::{Acting, Caller};
use crate::Sandbox;
use crate::directory::{Tenant, User};
use crate::request::{TokenIn, content_type_is};

/// The answer of `GET /api/me`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Me<'a> {
    /// `app`, or `user` under sudo.
    actor: &'static str,
    client_id: &'a str,
    user: Option<&'static User>,
    tenant: Option<&'static Tenant>,
    token_in: TokenIn,
}

/// `GET /api/me`: who the call acts as.
pub(crate) async fn me(acting: Acting) -> Response {
    let me = Me {
        actor: if acting.user.is_some() { "user" } else { "app" },
        client_id: &acting.caller.client_id,
        user: acting.user,
        tenant: acting.tenant,
        token_in: acting.caller.token_in,
    };
    acting.reply(StatusCode::OK, me)
}

/// `GET /api/projects`: the projects in the tenant if one is named, else in
/// the sudo user's tenants, else all of them (the app sees everything).
pub(crate) async fn list_projects(
    AxumState(sandbox): AxumState<Sandbox>,
    acting: Acting,
) -> Response {
    let tenant_ids = match (acting.tenant, acting.user) {
        (Some(tenant), _) => Some(std::slice::from_ref(&tenant.tenant_id)),
        (None, Some(user)) => Some(user.tenants),
        (None, None) => None,
    };
    let projects = sandbox.state().projects.in_tenants(tenant_ids);
    acting.reply(StatusCode::OK, projects)
}

/// The body of `POST /api/projects`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewProject {
    name: String,
}

/// `POST /api/projects` with `{"name":…}`: creates a project owned by the
/// sudo user, in the tenant named or else the user's first tenant.
pub(crate) async fn create_project(
    AxumState(sandbox): AxumState<Sandbox>,
    acting: Acting,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ServerError> {
    let user = acting.user.ok_or_else(ServerError::sudo_required)?;
    if !content_type_is(&headers, "application/json") {
        return Err(ServerError::bad_request(
            "Content-Type must be application/json",
        ));
    }
    let new: NewProject = serde_json::from_slice(&body)
        .map_err(|e| ServerError::bad_request(format!("body must be {{\"name\": \"…\"}}: {e}")))?;
    if new.name.trim().is_empty() {
        return Err(ServerError::bad_request("name must not be empty"));
    }
    let tenant_id = acting.tenant.map_or(user.tenants[0], |t| t.tenant_id);
    let project = sandbox
        .state()
        .projects
        .create(&new.name, tenant_id, user.uid);
    Ok(acting.reply(StatusCode::CREATED, project))
}

/// `GET /api/echo`: every decoded query pair in order, except
/// `access_token`, so tests can see values arrive exactly as sent. `sudo`
/// and the tenant parameters are echoed, not interpreted.
pub(crate) async fn echo(caller: Caller) -> Response {
    let query: Vec<_> = caller
        .query
        .iter()
        .filter(|(name, _)| name != "access_token")
        .collect();
    Json(json!({ "query": query, "tokenIn": caller.token_in })).into_response()
}
