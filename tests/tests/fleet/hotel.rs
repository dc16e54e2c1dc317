//! Hotel's refresh tokens rotate and are good once: across four processes
//! renewing 2 s tokens, none is ever presented twice, and no call fails.

use std::time::{Duration, Instant};

use authorized_sandbox::SandboxConfig;

use crate::support::{Which, Work, World, assert_no_failures, bounded, contains, reports};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_never_present_a_rotated_refresh_token_twice() {
    bounded(Duration::from_secs(90), async {
        let config = SandboxConfig {
            hotel_token_lifetime: Duration::from_secs(2),
            ..SandboxConfig::default()
        };
        let world = World::start(config).await;
        let work = Work::Soak {
            secs: 12.0,
            workers: 4,
            pause_ms: 10,
        };
        let mut fleet = world.spawn(4, &world.job(Which::Hotel, work));
        let started = Instant::now();
        for child in &mut fleet {
            child.go();
        }
        let reports = reports(&mut fleet, Duration::from_secs(60));
        let elapsed = started.elapsed();
        assert_no_failures(&reports);
        let stats = world.sandbox.stats().hotel;
        eprintln!(
            "hotel, 4 processes, {:.1} s: {} client-credentials and {} refresh requests, {} reused, {} invalid, {} calls",
            elapsed.as_secs_f64(),
            stats.token_client_credentials,
            stats.token_refresh,
            stats.refresh_token_reused,
            stats.refresh_token_invalid,
            stats.api_calls
        );
        assert_eq!(stats.refresh_token_reused, 0, "{stats:?}");
        assert_eq!(stats.refresh_token_invalid, 0, "{stats:?}");
        assert_eq!(stats.token_client_credentials, 1, "then only refreshes: {stats:?}");
        assert!(stats.token_refresh >= 5, "{stats:?}");
        // The refresh tokens, like the access tokens, never sit in Redis in the clear.
        let dump = world.dump().await;
        assert!(!dump.is_empty());
        for token in world.sandbox.issued_tokens() {
            assert!(dump.iter().all(|(k, v)| !contains(&[k.as_bytes(), v].concat(), token.as_bytes())));
        }
    })
    .await;
}
