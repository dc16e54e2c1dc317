//! Revoking with a token store: the fleet's shared entry goes with the
//! token revoked, and only with that token, so no replica takes a revoked
//! token from the store.

mod common;

use std::sync::Arc;

use authorized_runtime::store::MemoryStore;
use authorized_runtime::{Client, Secret};
use common::*;
use serde_json::json;

fn client(mock: &Scripted, store: &Arc<MemoryStore>) -> Client<Server> {
    server_client(mock.server.base_url())
        .token_store(Arc::clone(store))
        .build_runtime()
        .expect("a client")
}

fn revoked() -> Reply {
    Reply::json(200, json!({"code": 0, "msg": "ok"}))
}

#[tokio::test]
async fn revoking_the_token_drops_the_fleets_shared_entry() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), revoked()]).await;
    let store = Arc::new(MemoryStore::new());
    let api = client(&mock, &store);
    api.token().await.unwrap();
    assert_eq!(store.entries().len(), 1, "the token was shared");
    api.revoke_token().await.unwrap();
    assert!(
        store.entries().is_empty(),
        "no replica takes the revoked token"
    );
}

#[tokio::test]
async fn revoking_a_given_token_drops_the_shared_entry_only_if_it_holds_that_token() {
    let mock = Scripted::start(vec![server_ok(json!("3600")), revoked()]).await;
    let store = Arc::new(MemoryStore::new());
    let api = client(&mock, &store);
    let token = api.token().await.unwrap();

    api.revoke_given_token(&Secret::new("someone-elses-token"))
        .await
        .unwrap();
    assert_eq!(store.entries().len(), 1, "another token's revoke keeps it");

    api.revoke_given_token(&token).await.unwrap();
    assert!(
        store.entries().is_empty(),
        "its own token's revoke drops it"
    );
}

/// A client of account `client_id` sharing its cache (the default).
fn shared_client(mock: &Scripted, client_id: &str, store: &Arc<MemoryStore>) -> Client<Server> {
    server_client(mock.server.base_url())
        .client_id(client_id)
        .share_cache(true)
        .token_store(Arc::clone(store))
        .build_runtime()
        .expect("a client")
}

#[tokio::test]
async fn clients_share_a_cache_only_with_the_same_store() {
    let mock = Scripted::start(vec![server_ok(json!("3600"))]).await;
    let (one, other) = (Arc::new(MemoryStore::new()), Arc::new(MemoryStore::new()));
    let account = "account-of-clients_share_a_cache_only_with_the_same_store";
    let first = shared_client(&mock, account, &one);
    let same = shared_client(&mock, account, &one);
    let elsewhere = shared_client(&mock, account, &other);
    first.token().await.unwrap();
    same.token().await.unwrap();
    assert_eq!(mock.requests().len(), 1, "one store, one cache, one token");
    elsewhere.token().await.unwrap();
    assert_eq!(mock.requests().len(), 2, "another store is another fleet");
    assert_eq!((one.entries().len(), other.entries().len()), (1, 1));
}
