//! Four processes for about 20 s with 2 s tokens: no call fails, and the
//! fleet asks for as many tokens as one process alone would (not four
//! times as many), also when each new token revokes the earlier ones; and
//! nothing Redis holds during the run shows a token or the secret.

use std::time::{Duration, Instant};

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxConfig};

use crate::support::{
    Which, Work, World, assert_no_failures, bounded, contains, reports, token_bounds,
};

const LIFETIME: Duration = Duration::from_secs(2);
const SOAK_SECS: f64 = 20.0;
/// What a renewal may lag behind the safety window on a loaded machine.
const SLACK: Duration = Duration::from_millis(150);

/// Runs the soak; returns the sandbox's server counters and every dump of
/// Redis taken during it.
async fn soak(
    revoke_earlier: bool,
) -> (
    authorized_sandbox::ServerStats,
    Vec<Vec<(String, Vec<u8>)>>,
    Duration,
    World,
) {
    let config = SandboxConfig {
        server_token_lifetime: LIFETIME,
        new_token_revokes_earlier: revoke_earlier,
        ..SandboxConfig::default()
    };
    let world = World::start(config).await;
    let work = Work::Soak {
        secs: SOAK_SECS,
        workers: 4,
        pause_ms: 10,
    };
    let mut fleet = world.spawn(4, &world.job(Which::Server, work));
    let started = Instant::now();
    for child in &mut fleet {
        child.go();
    }
    // Look inside Redis every half second while the fleet runs.
    let mut waiting = tokio::task::spawn_blocking(move || {
        let reports = reports(&mut fleet, Duration::from_secs(60));
        (reports, fleet)
    });
    let mut dumps = Vec::new();
    let mut every = tokio::time::interval(Duration::from_millis(500));
    let (reports, _fleet) = loop {
        tokio::select! {
            done = &mut waiting => break done.unwrap(),
            _ = every.tick() => dumps.push(world.dump().await),
        }
    };
    let elapsed = started.elapsed();
    assert_no_failures(&reports);
    (world.sandbox.stats().server, dumps, elapsed, world)
}

fn assert_one_process_worth_of_tokens(stats: &authorized_sandbox::ServerStats, elapsed: Duration) {
    let tokens = stats.token_client_credentials;
    let bounds = token_bounds(elapsed, LIFETIME, SLACK);
    eprintln!(
        "{tokens} token requests in {:.1} s for 4 processes (one process: {bounds:?}); {} calls, {} refused and replayed ({} superseded)",
        elapsed.as_secs_f64(),
        stats.api_calls,
        stats.api_unauthorized,
        stats.api_superseded
    );
    assert!(
        bounds.contains(&tokens),
        "{tokens} token requests, outside {bounds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_for_twenty_seconds_ask_for_one_process_worth_of_tokens() {
    bounded(Duration::from_secs(120), async {
        let (stats, dumps, elapsed, world) = soak(false).await;
        assert_one_process_worth_of_tokens(&stats, elapsed);
        assert!(
            stats.api_unauthorized <= 2,
            "{} calls met an expired token",
            stats.api_unauthorized
        );

        // What Redis held, sampled through the run: no token ever issued,
        // no secret, not even the client id (key names are hashes).
        let full = dumps.iter().filter(|d| !d.is_empty()).count();
        assert!(full >= 10, "{full} dumps with keys of {}", dumps.len());
        let issued = world.sandbox.issued_tokens();
        assert!(issued.len() as u64 >= stats.token_client_credentials);
        for dump in &dumps {
            for (key, value) in dump {
                assert!(key.starts_with(crate::support::PREFIX), "{key}");
                let shown = [key.as_bytes(), value].concat();
                for secret in [DEMO_CLIENT_SECRET, DEMO_CLIENT_ID]
                    .iter()
                    .copied()
                    .chain(issued.iter().map(String::as_str))
                {
                    assert!(
                        !contains(&shown, secret.as_bytes()),
                        "{key} shows {secret:?}"
                    );
                }
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_each_new_token_revokes_the_earlier_ones_no_call_fails() {
    bounded(Duration::from_secs(120), async {
        let (stats, _, elapsed, _world) = soak(true).await;
        assert_one_process_worth_of_tokens(&stats, elapsed);
    })
    .await;
}
