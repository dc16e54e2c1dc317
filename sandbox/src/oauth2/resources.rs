//! The protected resources under `/oauth2/api/`, and the counting of calls
//! to them.

use axum::body::Bytes;
use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::bearer::{ApiError, Caller, Outcome};
use crate::Sandbox;
use crate::request::content_type_is;
use crate::state::stats::Counter;

/// Counts a call and its outcome, read off the answer. An answer without
/// an [`Outcome`] did not come from a handler (wrong method) and does not
/// count.
pub(crate) async fn count_calls(
    AxumState(sandbox): AxumState<Sandbox>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if let Some(outcome) = response.extensions().get::<Outcome>() {
        let counters = &sandbox.state().counters;
        counters.bump(Counter::OAuth2ApiCalls);
        outcome.counters().iter().for_each(|&c| counters.bump(c));
    }
    response
}

/// `GET /oauth2/api/me`: the client and scope behind the token; any scope.
pub(crate) async fn me(caller: Caller) -> Response {
    let me = json!({
        "client_id": caller.client_id,
        "scope": caller.scope,
        "token_in": caller.token_in,
    });
    caller.reply(StatusCode::OK, me)
}

/// `GET /oauth2/api/reports`: every report; needs scope `read`.
pub(crate) async fn list_reports(
    AxumState(sandbox): AxumState<Sandbox>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require("read")?;
    Ok(caller.reply(StatusCode::OK, sandbox.state().reports.all()))
}

/// The body of `POST /oauth2/api/reports`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewReport {
    title: String,
}

/// `POST /oauth2/api/reports` with `{"title":…}`: creates a report; needs
/// scope `write`. Answers 201 with the report.
pub(crate) async fn create_report(
    AxumState(sandbox): AxumState<Sandbox>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require("write")?;
    if !content_type_is(&headers, "application/json") {
        let why = "the body must be application/json";
        return Err(ApiError::BadBody(why.to_owned()));
    }
    let new: NewReport = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadBody(format!("the body must be {{\"title\": ...}}: {e}")))?;
    if new.title.trim().is_empty() {
        return Err(ApiError::BadBody("the title must not be empty".to_owned()));
    }
    let report = sandbox
        .state()
        .reports
        .create(&new.title, &caller.client_id);
    Ok(caller.reply(StatusCode::CREATED, report))
}
