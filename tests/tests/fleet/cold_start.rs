//! A cold fleet: every process's first calls at once, one token request.

use std::time::{Duration, Instant};

use authorized_sandbox::SandboxConfig;

use crate::support::{Which, Work, World, assert_no_failures, bounded, reports};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_cold_processes_with_200_first_calls_each_make_one_token_request() {
    bounded(Duration::from_secs(120), async {
        let world = World::start(SandboxConfig::default()).await;
        // A slow token endpoint, so every process asks while the first fetch runs.
        world.sandbox.set_token_latency(Duration::from_millis(300));
        let job = world.job(Which::Server, Work::Burst { calls: 200 });
        let mut fleet = world.spawn(6, &job);
        for child in &mut fleet {
            child.go();
        }
        let reports = reports(&mut fleet, Duration::from_secs(60));
        assert_no_failures(&reports);
        assert_eq!(reports.iter().map(|r| r.ok).sum::<u64>(), 1200);
        let stats = world.sandbox.stats().server;
        assert_eq!(
            stats.token_client_credentials, 1,
            "one token for the fleet: {stats:?}"
        );
    })
    .await;
}

/// Prints what a cold start of 8 processes costs: token requests, and the
/// time until every process's 20 first calls are answered. Run with
/// `cargo test -p authorized-tests --test fleet cold_start_of_8 -- --ignored --nocapture`
/// (BENCHMARKS.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a test"]
async fn cold_start_of_8_processes() {
    bounded(Duration::from_secs(120), async {
        let world = World::start(SandboxConfig::default()).await;
        for latency_ms in [0, 100] {
            world.sandbox.reset_stats();
            world.sandbox.set_token_latency(Duration::from_millis(latency_ms));
            let mut job = world.job(Which::Server, Work::Burst { calls: 20 });
            job.prefix = format!("cold-{latency_ms}:");
            let mut fleet = world.spawn(8, &job);
            let started = Instant::now();
            for child in &mut fleet {
                child.go();
            }
            let reports = reports(&mut fleet, Duration::from_secs(60));
            let all_served = started.elapsed();
            if std::env::var_os("FLEET_SHOW_LOGS").is_some() {
                for child in &fleet {
                    eprintln!("--- child {}:\n{}", child.pid(), child.stderr());
                }
            }
            eprintln!("first answers (ms): {:?}", reports.iter().map(|r| r.first_ms).collect::<Vec<_>>());
            assert_no_failures(&reports);
            let slowest = reports.iter().map(|r| r.elapsed_ms).max().unwrap();
            let tokened = reports.iter().map(|r| r.first_ms).max().unwrap();
            println!(
                "cold start, 8 processes × 20 calls, token endpoint latency {latency_ms} ms: {} token request(s); every process had its first answer {tokened} ms after go, all 160 calls answered after {slowest} ms ({:.0} ms until the parent had every report)",
                world.sandbox.stats().server.token_client_credentials,
                all_served.as_secs_f64() * 1000.0,
            );
        }
    })
    .await;
}
