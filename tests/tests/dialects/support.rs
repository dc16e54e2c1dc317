//! What the dialect tests share: credentials, and a token endpoint that
//! hands out a new token on each request.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use httpmock::{HttpMockRequest, HttpMockResponse};

pub const APP_ID: &str = "wx-app-1001";
pub const APP_SECRET: &str = "app-secret-3c9f0a77e1";

/// Answers the `n`th request (from 1) with `answer(n)`, counting them.
pub fn numbered(
    answer: impl Fn(usize) -> String + Send + Sync + 'static,
) -> (
    Arc<AtomicUsize>,
    impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static,
) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let respond = move |_: &HttpMockRequest| {
        let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
        HttpMockResponse::builder()
            .status(200)
            .header("Content-Type", "application/json")
            .body(answer(n))
            .build()
    };
    (count, respond)
}
