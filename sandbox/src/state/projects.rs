//! The server provider's projects: the seed ones plus those created through
//! `POST /api/projects`.

use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use crate::directory::{SEED_PROJECTS, tenant_code};

/// A project, serialized as the server shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Project {
    pub id: u64,
    pub name: String,
    pub tenant_code: String,
    pub owner_uid: u64,
}

/// Every project, in creation order.
#[derive(Debug)]
pub(crate) struct ProjectStore {
    projects: Mutex<Vec<Project>>,
}

impl Default for ProjectStore {
    fn default() -> Self {
        let seed = SEED_PROJECTS
            .iter()
            .map(|&(id, name, tenant_code, owner_uid)| Project {
                id,
                name: name.to_owned(),
                tenant_code: tenant_code.to_owned(),
                owner_uid,
            });
        Self {
            projects: Mutex::new(seed.collect()),
        }
    }
}

impl ProjectStore {
    /// The projects in the tenants of `tenant_ids`, or every project for `None`.
    pub fn in_tenants(&self, tenant_ids: Option<&[u64]>) -> Vec<Project> {
        let projects = self.projects.lock().unwrap_or_else(PoisonError::into_inner);
        let visible = |p: &&Project| {
            tenant_ids.is_none_or(|ids| ids.iter().any(|&id| tenant_code(id) == p.tenant_code))
        };
        projects.iter().filter(visible).cloned().collect()
    }

    /// Adds a project to tenant `tenant_id`, owned by `owner_uid`.
    pub fn create(&self, name: &str, tenant_id: u64, owner_uid: u64) -> Project {
        let mut projects = self.projects.lock().unwrap_or_else(PoisonError::into_inner);
        let project = Project {
            id: projects.iter().map(|p| p.id).max().unwrap_or(0) + 1,
            name: name.to_owned(),
            tenant_code: tenant_code(tenant_id).to_owned(),
            owner_uid,
        };
        projects.push(project.clone());
        project
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_projects_get_the_next_id_and_show_in_their_tenant() {
        let store = ProjectStore::default();
        assert_eq!(store.in_tenants(None).len(), SEED_PROJECTS.len());
        assert!(store.in_tenants(Some(&[3])).is_empty());
        let created = store.create("Lab Notes", 3, 1001);
        assert_eq!(created.id, SEED_PROJECTS.len() as u64 + 1);
        assert_eq!(store.in_tenants(Some(&[3])), [created]);
    }
}
