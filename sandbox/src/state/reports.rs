//! The OAuth 2.0 provider's reports: the seed ones plus those created
//! through `POST /oauth2/api/reports`.

use std::sync::{Mutex, PoisonError};

use serde::Serialize;

/// A report, serialized as the provider shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Report {
    pub id: u64,
    pub title: String,
    /// The client that created it; `sandbox` for the seed reports.
    pub created_by: String,
}

/// Every report, in creation order.
#[derive(Debug)]
pub(crate) struct ReportStore {
    reports: Mutex<Vec<Report>>,
}

const SEED_REPORTS: &[&str] = &["Quarterly usage", "Résumé des incidents (华东)"];

impl Default for ReportStore {
    fn default() -> Self {
        let seed = SEED_REPORTS.iter().zip(1..).map(|(title, id)| Report {
            id,
            title: (*title).to_owned(),
            created_by: "sandbox".to_owned(),
        });
        Self {
            reports: Mutex::new(seed.collect()),
        }
    }
}

impl ReportStore {
    /// Every report.
    pub fn all(&self) -> Vec<Report> {
        self.reports
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Adds a report by `client_id`, with the next id.
    pub fn create(&self, title: &str, client_id: &str) -> Report {
        let mut reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        let report = Report {
            id: reports.iter().map(|r| r.id).max().unwrap_or(0) + 1,
            title: title.to_owned(),
            created_by: client_id.to_owned(),
        };
        reports.push(report.clone());
        report
    }
}
