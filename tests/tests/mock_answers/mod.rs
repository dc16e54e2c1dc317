//! An httpmock answer that counts its requests, shared by the test binaries
//! that include this file (`dialects`, `middleware`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use httpmock::{HttpMockRequest, HttpMockResponse};

/// Answers the `n`th request (from 1) with `answer(n)` as JSON, counting them.
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
