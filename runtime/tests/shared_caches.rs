//! The process-wide registry of shared token caches: clients of one account
//! share one cache, each account has its own, and the caches of clients
//! that are gone are swept instead of piling up. The only test in its
//! binary, since the registry is the process's.

mod common;

use authorized_runtime::__private::shared_token_caches;
use authorized_runtime::Client;
use common::*;

/// A client sharing its cache (the default), for account `client_id`.
fn client(client_id: &str) -> Client<Server> {
    server_client("http://127.0.0.1:9/")
        .client_id(client_id)
        .share_cache(true)
        .build_runtime()
        .expect("a client")
}

#[tokio::test]
async fn one_cache_per_live_account_and_none_for_accounts_gone() {
    let live: Vec<_> = (0..3).map(|i| client(&format!("live-{i}"))).collect();
    let again = client("live-0");
    assert_eq!(
        shared_token_caches(),
        3,
        "one per account, shared by clients"
    );
    for i in 0..100 {
        drop(client(&format!("gone-{i}")));
    }
    // Sweeping happens when a cache is added: at most the one just gone
    // remains beside the live ones.
    assert!(
        (3..=4).contains(&shared_token_caches()),
        "{} caches",
        shared_token_caches()
    );
    drop((live, again));
    let _last = client("last");
    assert_eq!(shared_token_caches(), 1);
}
