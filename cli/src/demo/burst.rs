//! The burst: a thousand calls at once on a fresh client's cold cache cost
//! exactly one token request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use authorized_api::server;
use tokio::sync::Semaphore;

use super::server_api::whoami;
use super::{Ctx, Failure, ensure};

/// Calls in the burst.
const BURST: usize = 1000;

/// A fresh client (cold cache), `BURST` calls spawned at once while the
/// sandbox holds token answers for 100 ms: every call waits on the same
/// token request. Where the open-file limit is low, calls in flight are
/// capped below it (each connection costs a descriptor on both ends, in this
/// one process); the cold-cache callers still all share one token request.
pub(crate) async fn burst(ctx: &mut Ctx) -> Result<String, Failure> {
    let api = ctx.client::<server::Provider>(|b| b)?;
    let in_flight = connection_budget();
    let gate = Arc::new(Semaphore::new(in_flight));
    ctx.sandbox.set_token_latency(Duration::from_millis(100));
    let before = ctx.stats();
    let started = Instant::now();
    let calls: Vec<_> = (0..BURST)
        .map(|_| {
            let (api, gate) = (api.clone(), Arc::clone(&gate));
            tokio::spawn(async move {
                let _permit = gate.acquire().await;
                whoami(&api).await
            })
        })
        .collect();
    let mut answered = 0;
    let mut first_error = None;
    for call in calls {
        match call.await {
            Ok(Ok(_)) => answered += 1,
            Ok(Err(error)) => {
                first_error.get_or_insert_with(|| error.to_string());
            }
            Err(join) => {
                first_error.get_or_insert_with(|| format!("a call's task failed: {join}"));
            }
        }
    }
    let elapsed = started.elapsed();
    ctx.sandbox.set_token_latency(Duration::ZERO);
    let d = ctx.since(&before).server;
    let stats = api.stats();
    ensure(answered == BURST, || {
        format!(
            "{answered} of {BURST} answered; first error: {}",
            first_error.unwrap_or_default()
        )
    })?;
    ensure(d.token_client_credentials == 1, || {
        format!(
            "expected exactly 1 token request, the sandbox saw {}",
            d.token_client_credentials
        )
    })?;
    ensure(d.api_calls == BURST as u64 && stats.replays == 0, || {
        format!(
            "expected {BURST} calls and no replay; saw {} and {}",
            d.api_calls, stats.replays
        )
    })?;
    let cap = if in_flight < BURST {
        format!(", at most {in_flight} in flight (open-file limit)")
    } else {
        String::new()
    };
    Ok(format!(
        "{BURST} answered in {:.2} s: 1 token request (held 100 ms, shared by all), {} calls, 0 replays{cap}",
        elapsed.as_secs_f64(),
        d.api_calls
    ))
}

/// How many connections the burst may hold open: all of them unless the
/// soft open-file limit (read from `/proc` where there is one) is low.
fn connection_budget() -> usize {
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
            match line.split_whitespace().nth(3)? {
                "unlimited" => Some(usize::MAX),
                soft => soft.parse::<usize>().ok(),
            }
        });
    // Two descriptors per connection (client and sandbox), and the client's
    // pool may open a new connection before a finished one is back: a
    // quarter of what is left after room for the rest.
    let budget = soft.map_or(64, |soft| soft.saturating_sub(128) / 4);
    budget.clamp(16, BURST)
}
