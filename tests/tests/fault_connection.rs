//! Connections cut in the middle of an answer's body, by a close or a
//! reset, on a raw loopback server: token answers are retried, API calls
//! are not sent again.

mod fault_support;

use fault_support::{Seen, scenarios};

#[tokio::test]
async fn connections_cut_mid_body() {
    scenarios::connections_cut_mid_body(&mut Seen::default()).await;
}
