//! The renewal lock's holder in trouble: killed in the middle of a slow
//! token fetch, it is taken over after its lease and every other call
//! succeeds; stopped past its lease while another process renews, its late
//! write is refused and the store keeps the newer token.

use std::time::Duration;

use authorized_sandbox::SandboxConfig;
use redis::AsyncCommands as _;

use crate::support::{ChildProcess, Which, Work, World, assert_no_failures, bounded, reports};

/// Polls (every 20 ms) until the lock is held, by one of `candidates`; returns its index.
async fn holder_among(world: &World, candidates: &[ChildProcess]) -> usize {
    let mut every = tokio::time::interval(Duration::from_millis(20));
    loop {
        every.tick().await;
        if let Some(pid) = world.lock_holder().await {
            return candidates
                .iter()
                .position(|c| c.pid() == pid)
                .unwrap_or_else(|| panic!("the lock is held by {pid}, none of the fleet"));
        }
    }
}

/// Polls (every 20 ms) until nobody holds the lock.
async fn lock_free(world: &World) {
    let mut every = tokio::time::interval(Duration::from_millis(20));
    while world.lock_holder().await.is_some() {
        every.tick().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_killed_mid_fetch_is_taken_over_after_its_lease() {
    bounded(Duration::from_secs(90), async {
        let world = World::start(SandboxConfig::default()).await;
        world.sandbox.set_token_latency(Duration::from_secs(5));
        let mut fleet = world.spawn(4, &world.job(Which::Server, Work::Burst { calls: 50 }));
        for child in &mut fleet {
            child.go();
        }
        let holder = holder_among(&world, &fleet).await;
        world.sandbox.set_token_latency(Duration::from_millis(100));
        fleet[holder].signal("KILL");
        let mut others: Vec<ChildProcess> = fleet
            .into_iter()
            .enumerate()
            .filter_map(|(i, c)| (i != holder).then_some(c))
            .collect();
        let reports = reports(&mut others, Duration::from_secs(30));
        assert_no_failures(&reports);
        // The lease is 1.5 s: the others waited about that, not the 5 s fetch.
        let slowest = reports.iter().map(|r| r.elapsed_ms).max().unwrap();
        assert!(slowest < 4_500, "served after {slowest} ms");
        let stats = world.sandbox.stats().server;
        assert_eq!(
            stats.token_client_credentials, 2,
            "the dead holder's and its successor's: {stats:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_stopped_past_its_lease_cannot_overwrite_the_newer_token() {
    bounded(Duration::from_secs(90), async {
        let world = World::start(SandboxConfig::default()).await;
        let job = world.job(Which::Server, Work::Burst { calls: 1 });
        // a takes the lock, and its fetch is slow; it is stopped meanwhile.
        world.sandbox.set_token_latency(Duration::from_secs(2));
        let mut a = world.spawn(1, &job).remove(0);
        a.go();
        holder_among(&world, std::slice::from_ref(&a)).await;
        a.signal("STOP");
        lock_free(&world).await;
        // b renews while a sleeps, and writes under a later fence.
        world.sandbox.set_token_latency(Duration::ZERO);
        let mut b = world.spawn(1, &job);
        b[0].go();
        assert_no_failures(&reports(&mut b, Duration::from_secs(30)));
        let key = world.token_key().await;
        let mut redis = world.redis().await;
        let newer: Vec<u8> = redis.get(&key).await.unwrap();
        assert!(
            newer.starts_with(b"a1:2:"),
            "{}",
            String::from_utf8_lossy(&newer[..8])
        );
        // a goes on: its answer comes, its write (fence 1) is refused.
        a.signal("CONT");
        let a_report = reports(std::slice::from_mut(&mut a), Duration::from_secs(30));
        assert_no_failures(&a_report);
        let kept: Vec<u8> = redis.get(&key).await.unwrap();
        assert_eq!(kept, newer, "the store kept the newer token");
        assert!(
            a.stderr()
                .contains("the store refused this process's token"),
            "a's log:\n{}",
            a.stderr()
        );
        assert_eq!(world.sandbox.stats().server.token_client_credentials, 2);
    })
    .await;
}
