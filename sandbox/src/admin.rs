//! `/__sandbox/…`: read the counters and turn the fault knobs and modes over
//! HTTP, for demos and for tests in another process. Admin calls are not
//! counted.

use std::time::Duration;

use axum::extract::State as AxumState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{FailureBody, Sandbox, Stats, TokenFailure};

/// The admin routes.
pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/__sandbox/stats", get(stats))
        .route("/__sandbox/reset", post(reset))
        .route("/__sandbox/faults", post(faults))
        .route("/__sandbox/mode", get(mode).post(set_mode))
        .route("/__sandbox/tokens/revoke-all", post(revoke_all))
        .route("/__sandbox/tokens/expire-all", post(expire_all))
}

async fn stats(AxumState(sandbox): AxumState<Sandbox>) -> Json<Stats> {
    Json(sandbox.stats())
}

/// Zeroes the counters, clears every fault, puts the modes back as configured.
async fn reset(AxumState(sandbox): AxumState<Sandbox>) -> StatusCode {
    sandbox.reset();
    StatusCode::NO_CONTENT
}

/// The modes, as `GET /__sandbox/mode` answers them and `POST` takes them
/// (every field optional there).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Mode {
    new_token_revokes_earlier: Option<bool>,
}

async fn mode(AxumState(sandbox): AxumState<Sandbox>) -> Json<Mode> {
    Json(Mode {
        new_token_revokes_earlier: Some(sandbox.new_token_revokes_earlier()),
    })
}

async fn set_mode(AxumState(sandbox): AxumState<Sandbox>, Json(mode): Json<Mode>) -> StatusCode {
    if let Some(on) = mode.new_token_revokes_earlier {
        sandbox.set_new_token_revokes_earlier(on);
    }
    StatusCode::NO_CONTENT
}

/// `POST /__sandbox/faults`; every field is optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsRequest {
    token_latency_ms: Option<u64>,
    api_latency_ms: Option<u64>,
    fail_next_token_requests: Option<FailNext>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FailNext {
    count: u32,
    #[serde(default = "service_unavailable")]
    status: u16,
    retry_after: Option<u64>,
    #[serde(default = "json_body")]
    body: FailureBody,
}

fn service_unavailable() -> u16 {
    503
}

fn json_body() -> FailureBody {
    FailureBody::Json
}

async fn faults(
    AxumState(sandbox): AxumState<Sandbox>,
    Json(request): Json<FaultsRequest>,
) -> Response {
    if let Some(fail) = &request.fail_next_token_requests
        && !(200..=599).contains(&fail.status)
    {
        let error = json!({ "error": "fail_next_token_requests.status must be within 200..=599" });
        return (StatusCode::BAD_REQUEST, Json(error)).into_response();
    }
    if let Some(ms) = request.token_latency_ms {
        sandbox.set_token_latency(Duration::from_millis(ms));
    }
    if let Some(ms) = request.api_latency_ms {
        sandbox.set_api_latency(Duration::from_millis(ms));
    }
    if let Some(fail) = request.fail_next_token_requests {
        let failure = TokenFailure {
            status: fail.status,
            retry_after: fail.retry_after,
            body: fail.body,
        };
        sandbox.fail_next_token_requests(fail.count, failure);
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn revoke_all(AxumState(sandbox): AxumState<Sandbox>) -> StatusCode {
    sandbox.revoke_all_tokens();
    StatusCode::NO_CONTENT
}

async fn expire_all(AxumState(sandbox): AxumState<Sandbox>) -> StatusCode {
    sandbox.expire_all_tokens();
    StatusCode::NO_CONTENT
}
