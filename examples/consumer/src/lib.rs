//! An example service consuming a token-protected API through `authorized`.
//!
//! - `spec/workspace.yaml` describes the API; `build.rs` generates the
//!   [`workspace`] module from it (client, types, one method per endpoint).
//! - The functions below are the service's own: each says with
//!   `#[authorized(…)]` whom it acts as and on whose data, and the runtime
//!   puts the token, `sudo` and tenant on every request they make.
//! - `src/main.rs` runs them against the provider named by the
//!   `AUTHORIZED_WORKSPACE_*` environment variables.

use authorized_api::authorized;

include!(concat!(env!("OUT_DIR"), "/authorized_providers.rs"));

use workspace::{CreateProjectRequest, NewProject, Project};

/// What can go wrong in this service.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The provider, or reaching it.
    #[error(transparent)]
    Api(#[from] authorized_api::Error),
    /// The provider answered, but not as the service needs.
    #[error("{0}")]
    Unexpected(String),
}

/// What a user sees on their dashboard: who they are in a tenant, and the
/// tenant's projects.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// The user's display name.
    pub user: String,
    /// The tenant's code.
    pub tenant: String,
    /// The tenant's project names.
    pub projects: Vec<String>,
}

/// Builds user `uid`'s dashboard in the tenant with code `tenant`: two
/// requests, both acting as the user on the tenant's data.
#[authorized(sudo = uid(uid), tenant_code = tenant)]
pub async fn dashboard(
    api: &workspace::Client,
    uid: u64,
    tenant: &str,
) -> Result<Dashboard, AppError> {
    let me = api.me().await?;
    let (Some(user), Some(tenant)) = (me.user, me.tenant) else {
        return Err(AppError::Unexpected(
            "the provider did not act as the user in the tenant".into(),
        ));
    };
    let projects = api.list_projects().await?;
    Ok(Dashboard {
        user: user.name,
        tenant: tenant.tenant_code,
        projects: projects.into_iter().map(|p| p.name).collect(),
    })
}

/// Creates a project for the user with this email in the tenant with this id.
#[authorized(sudo = email(email), tenant_id = tenant_id)]
pub async fn start_project(
    api: &workspace::Client,
    email: &str,
    tenant_id: u64,
    name: &str,
) -> Result<Project, AppError> {
    let request = CreateProjectRequest {
        body: NewProject {
            name: name.to_owned(),
        },
    };
    Ok(api.create_project(&request).await?)
}

/// A client for the provider named by `AUTHORIZED_WORKSPACE_BASE_URL`,
/// `AUTHORIZED_WORKSPACE_CLIENT_ID` and `AUTHORIZED_WORKSPACE_CLIENT_SECRET`.
pub fn client_from_env() -> Result<workspace::Client, AppError> {
    Ok(workspace::Client::builder().from_env().build()?)
}
