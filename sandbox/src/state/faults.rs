//! Faults to inject: token requests that fail on purpose, and added latency.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// How an injected token failure is answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenFailure {
    /// The HTTP status of the answer; one outside `200..=599` becomes 500.
    pub status: u16,
    /// A `Retry-After` header, in seconds, when set.
    pub retry_after: Option<u64>,
    /// What the body holds.
    pub body: FailureBody,
}

impl TokenFailure {
    /// A failure with `status` and `body` and no `Retry-After`.
    pub fn new(status: u16, body: FailureBody) -> Self {
        Self {
            status,
            retry_after: None,
            body,
        }
    }

    /// The same failure with a `Retry-After: secs` header.
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// Renders the answer. `error_json` is the provider's own error body;
    /// `valid_answer` builds a success body to cut in half.
    pub(crate) fn render(
        &self,
        error_json: impl FnOnce(StatusCode) -> Vec<u8>,
        valid_answer: impl FnOnce() -> Vec<u8>,
    ) -> Response {
        let status = StatusCode::from_u16(self.status)
            .ok()
            .filter(|s| (200..=599).contains(&s.as_u16()))
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (content_type, body) = match self.body {
            FailureBody::Json => (Some(JSON), error_json(status)),
            FailureBody::Html => (
                Some("text/html; charset=utf-8"),
                html_page(status).into_bytes(),
            ),
            FailureBody::Garbage => (Some(JSON), b"not json {{".to_vec()),
            FailureBody::Empty => (None, Vec::new()),
            FailureBody::Truncated => {
                let mut body = valid_answer();
                body.truncate(body.len() / 2);
                (Some(JSON), body)
            }
        };
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        match content_type {
            Some(ct) => headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct)),
            None => headers.remove(header::CONTENT_TYPE),
        };
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

const JSON: &str = "application/json";

fn html_page(status: StatusCode) -> String {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n\
         <center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// The body of an injected token failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureBody {
    /// The provider's own error JSON (hotel envelope or server `code`/`msg`).
    Json,
    /// An HTML error page, as a proxy in front of the provider would send.
    Html,
    /// `not json {{`, labelled `application/json`.
    Garbage,
    /// No body at all.
    Empty,
    /// A success answer cut in half. The request is not processed: the
    /// tokens in the answer are recorded as issued but were never good.
    Truncated,
}

/// The fault knobs, shared by both providers.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// Failures still to hand out, in order, with how many times each.
    queue: Mutex<VecDeque<(u32, TokenFailure)>>,
    /// The sum of the counts in `queue`, read without the lock.
    pending: AtomicU64,
    token_latency_nanos: AtomicU64,
    api_latency_nanos: AtomicU64,
}

impl Faults {
    /// Queues `failure` for the next `n` token requests after those already queued.
    pub fn fail_next(&self, n: u32, failure: TokenFailure) {
        if n == 0 {
            return;
        }
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.push_back((n, failure));
        self.pending.fetch_add(u64::from(n), Ordering::SeqCst);
    }

    /// The failure this token request must answer with, if any.
    pub fn take_failure(&self) -> Option<TokenFailure> {
        if self.pending.load(Ordering::SeqCst) == 0 {
            return None;
        }
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let (left, failure) = queue.front_mut()?;
        *left -= 1;
        let failure = if *left == 0 {
            queue.pop_front().map(|(_, f)| f)?
        } else {
            failure.clone()
        };
        self.pending.fetch_sub(1, Ordering::SeqCst);
        Some(failure)
    }

    /// Drops every queued failure and sets both latencies to zero.
    pub fn clear(&self) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.clear();
        self.pending.store(0, Ordering::SeqCst);
        self.set_token_latency(Duration::ZERO);
        self.set_api_latency(Duration::ZERO);
    }

    pub fn set_token_latency(&self, latency: Duration) {
        self.token_latency_nanos
            .store(nanos(latency), Ordering::Relaxed);
    }

    pub fn set_api_latency(&self, latency: Duration) {
        self.api_latency_nanos
            .store(nanos(latency), Ordering::Relaxed);
    }

    /// Waits as long as the token latency says.
    pub async fn token_delay(&self) {
        delay(&self.token_latency_nanos).await;
    }

    /// Waits as long as the API latency says.
    pub async fn api_delay(&self) {
        delay(&self.api_latency_nanos).await;
    }
}

fn nanos(latency: Duration) -> u64 {
    u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX)
}

async fn delay(latency_nanos: &AtomicU64) {
    let nanos = latency_nanos.load(Ordering::Relaxed);
    if nanos > 0 {
        tokio::time::sleep(Duration::from_nanos(nanos)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: u16) -> TokenFailure {
        TokenFailure::new(status, FailureBody::Json)
    }

    #[test]
    fn failures_come_out_in_the_order_they_were_queued() {
        let faults = Faults::default();
        faults.fail_next(2, failure(503));
        faults.fail_next(0, failure(400));
        faults.fail_next(1, failure(429));
        let statuses: Vec<u16> = std::iter::from_fn(|| faults.take_failure())
            .map(|f| f.status)
            .collect();
        assert_eq!(statuses, [503, 503, 429]);
    }

    #[test]
    fn clear_forgets_queued_failures() {
        let faults = Faults::default();
        faults.fail_next(3, failure(503));
        faults.clear();
        assert_eq!(faults.take_failure(), None);
    }

    #[test]
    fn the_body_names_are_lowercase() {
        let f: TokenFailure =
            serde_json::from_str(r#"{"status":503,"retry_after":null,"body":"truncated"}"#)
                .unwrap();
        assert_eq!(f.body, FailureBody::Truncated);
    }
}
