//! Redis killed in the middle of a soak, and started again (empty): no call
//! fails, each process warns once, and the fleet is back to one token (one
//! process's worth of token requests) within two lifetimes of the restart.

use std::time::{Duration, Instant};

use authorized_sandbox::SandboxConfig;

use crate::support::{Which, Work, World, assert_no_failures, bounded, reports, token_bounds};

const LIFETIME: Duration = Duration::from_secs(2);
const OUTAGE_WARNING: &str = "the token store is unavailable";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted_mid_soak_fails_no_call_and_the_fleet_converges() {
    bounded(Duration::from_secs(120), async {
        let config = SandboxConfig {
            server_token_lifetime: LIFETIME,
            ..SandboxConfig::default()
        };
        let mut world = World::start(config).await;
        let work = Work::Soak {
            secs: 20.0,
            workers: 4,
            pause_ms: 10,
        };
        let mut fleet = world.spawn(4, &world.job(Which::Server, work));
        let started = Instant::now();
        for child in &mut fleet {
            child.go();
        }
        let tokens = |world: &World| world.sandbox.stats().server.token_client_credentials;
        let mut waiting = tokio::task::spawn_blocking(move || {
            let reports = reports(&mut fleet, Duration::from_secs(60));
            (reports, fleet)
        });
        // Sample the token count every 50 ms; kill Redis after two renewals,
        // start it again after four more token requests made without it.
        let mut samples: Vec<(Duration, u64)> = Vec::new();
        let (mut killed_at, mut restarted_at) = (None, None);
        let mut every = tokio::time::interval(Duration::from_millis(50));
        let (reports, fleet) = loop {
            tokio::select! {
                done = &mut waiting => break done.unwrap(),
                _ = every.tick() => {
                    let now = (started.elapsed(), tokens(&world));
                    samples.push(now);
                    match (killed_at, restarted_at) {
                        (None, _) if now.1 >= 3 => {
                            tokio::task::block_in_place(|| world.redis.kill());
                            killed_at = Some(now);
                        }
                        (Some((_, at_kill)), None) if now.1 >= at_kill + 4 => {
                            tokio::task::block_in_place(|| world.redis.restart());
                            restarted_at = Some(now);
                        }
                        _ => {}
                    }
                }
            }
        };
        assert_no_failures(&reports);
        let (killed, restarted) = (killed_at.unwrap(), restarted_at.expect("Redis was restarted"));
        for (i, child) in fleet.iter().enumerate() {
            let log = child.stderr();
            assert_eq!(log.matches(OUTAGE_WARNING).count(), 1, "child {i}'s log:\n{log}");
        }
        // From two lifetimes after the restart on: one process's worth.
        let converged = restarted.0 + 2 * LIFETIME;
        let (from, at_from) = *samples.iter().find(|(t, _)| *t >= converged).expect("a sample after convergence");
        let (to, at_end) = *samples.last().unwrap();
        let since = at_end - at_from;
        let most = *token_bounds(to - from, LIFETIME, Duration::ZERO).end();
        eprintln!(
            "Redis down {:.1} s → {:.1} s ({} token requests meanwhile); after {:.1} s: {since} token requests in {:.1} s (one process: at most {most})",
            killed.0.as_secs_f64(),
            restarted.0.as_secs_f64(),
            restarted.1 - killed.1,
            from.as_secs_f64(),
            (to - from).as_secs_f64(),
        );
        assert!(since <= most, "{since} token requests after convergence, more than {most}");
    })
    .await;
}
