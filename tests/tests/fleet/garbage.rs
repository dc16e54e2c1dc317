//! Whatever sits at the token key that this fleet cannot open (random
//! bytes, a hash, an entry sealed under another secret) counts as absent:
//! the next process fetches and replaces it, and no call fails.

use std::time::Duration;

use authorized_sandbox::{ClientCredentials, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxConfig};
use redis::AsyncCommands as _;

use crate::support::{Which, Work, World, assert_no_failures, bounded, reports};

const ROTATED: &str = "rotated-secret-7d1e40";

/// One process making one call with `secret`; the token requests it cost.
async fn one_call(world: &World, secret: &str) -> u64 {
    let before = world.sandbox.stats().server.token_client_credentials;
    let mut job = world.job(Which::Server, Work::Burst { calls: 1 });
    job.client_secret = secret.into();
    let mut child = world.spawn(1, &job);
    child[0].go();
    assert_no_failures(&reports(&mut child, Duration::from_secs(30)));
    world.sandbox.stats().server.token_client_credentials - before
}

/// The fence in the token key's value, if it is one of ours.
async fn stored_fence(world: &World, key: &str) -> Option<u64> {
    let value: Vec<u8> = world.redis().await.get(key).await.ok()?;
    let text = String::from_utf8_lossy(&value);
    text.strip_prefix("a1:")?.split(':').next()?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_at_the_key_is_absent_and_replaced() {
    bounded(Duration::from_secs(90), async {
        let config = SandboxConfig {
            // The same client with its old and its new secret, as mid-rotation.
            clients: vec![
                ClientCredentials::demo(),
                ClientCredentials::new(DEMO_CLIENT_ID, ROTATED),
            ],
            ..SandboxConfig::default()
        };
        let world = World::start(config).await;
        assert_eq!(one_call(&world, DEMO_CLIENT_SECRET).await, 1);
        let key = world.token_key().await;
        assert_eq!(
            one_call(&world, DEMO_CLIENT_SECRET).await,
            0,
            "a good entry is taken"
        );
        let mut redis = world.redis().await;

        let random: Vec<u8> = (0..64).map(|_| fastrand::u8(..)).collect();
        let _: () = redis.set(&key, random).await.unwrap();
        assert_eq!(
            one_call(&world, DEMO_CLIENT_SECRET).await,
            1,
            "random bytes"
        );
        assert!(stored_fence(&world, &key).await.is_some(), "replaced");

        let _: () = redis.del(&key).await.unwrap();
        let _: () = redis.hset(&key, "access_token", "not ours").await.unwrap();
        assert_eq!(one_call(&world, DEMO_CLIENT_SECRET).await, 1, "a hash");
        assert!(stored_fence(&world, &key).await.is_some(), "replaced");

        let forged = format!("a1:999:{}:not sealed by us", "0".repeat(32));
        let _: () = redis.set(&key, forged).await.unwrap();
        assert_eq!(
            one_call(&world, DEMO_CLIENT_SECRET).await,
            1,
            "our header, not our seal"
        );
        assert!(
            stored_fence(&world, &key).await >= Some(1000),
            "written above the stored fence"
        );

        // Sealed under another secret: each side counts the other's as absent.
        assert_eq!(one_call(&world, ROTATED).await, 1, "another secret's entry");
        assert_eq!(one_call(&world, ROTATED).await, 0);
        assert_eq!(one_call(&world, DEMO_CLIENT_SECRET).await, 1);
    })
    .await;
}
