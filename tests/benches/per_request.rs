//! What one authorized GET costs, in counts that the machine's load does not
//! move: the size of the request's future (printed by this bench), and,
//! under valgrind, user-space instructions and heap allocations per request
//! of the client and of the server (`tests/benches/per_request.sh` runs
//! this binary under callgrind and DHAT with two request counts and divides
//! the difference, which removes start-up and warm-up).
//!
//! `cargo bench -p authorized-tests --bench per_request`: future sizes.
//! `tests/benches/per_request.sh`: instructions and allocations, ours and raw.
//! Run with `--requests ours|raw N [IN_FLIGHT]`, the binary makes N
//! requests, 64 in flight unless told otherwise (1: one at a time), after a
//! warm-up of 500, and prints nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[allow(dead_code)]
#[path = "support/clients.rs"]
mod clients;
#[path = "support/extra.rs"]
mod extra;
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

/// One of the two clients compared.
#[derive(Clone)]
enum Side {
    Ours(Arc<authorized_api::server::Client>),
    Raw {
        http: reqwest::Client,
        url: Arc<str>,
        authorization: Arc<str>,
    },
}

impl Side {
    async fn call(&self) -> usize {
        match self {
            Self::Ours(api) => clients::ours_call(api).await,
            Self::Raw {
                http,
                url,
                authorization,
            } => clients::raw_call(http, url, authorization).await,
        }
    }
}

/// Makes `n` calls, `in_flight` at a time.
fn run(rt: &tokio::runtime::Runtime, side: &Side, in_flight: u64, n: u64) {
    rt.block_on(async {
        let left = Arc::new(AtomicU64::new(n));
        let workers: Vec<_> = (0..in_flight.min(n))
            .map(|_| {
                let side = side.clone();
                let left = Arc::clone(&left);
                tokio::spawn(async move {
                    while left
                        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                        .is_ok()
                    {
                        std::hint::black_box(side.call().await);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("bench task");
        }
    });
}

fn main() {
    server::serve_if_child();
    let server = server::BenchServer::start();
    let rt = clients::runtime();
    let api = Arc::new(clients::ours(server.base_url(), None));
    let token = rt.block_on(api.token()).expect("first token");
    let http = clients::reqwest_client();
    let url = format!("{}api/me", server.base_url());
    let authorization = format!("Bearer {}", token.expose());

    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, which, n, rest @ ..] = args.as_slice()
        && flag == "--requests"
    {
        let in_flight = match rest {
            [in_flight] => in_flight.parse().expect("a number of requests in flight"),
            _ => 64,
        };
        let side = match which.as_str() {
            "raw" => Side::Raw {
                http,
                url: url.into(),
                authorization: authorization.into(),
            },
            _ => Side::Ours(api),
        };
        run(&rt, &side, in_flight, 500);
        run(&rt, &side, in_flight, n.parse().expect("a request count"));
        drop(side);
        server.finish();
        return;
    }

    let ours = std::mem::size_of_val(&clients::get_me(&api));
    let raw = std::mem::size_of_val(&clients::raw_call(&http, &url, &authorization));
    println!("per_request/future: ours get_me {ours} B, raw_call {raw} B");
    extra::record(
        "per_request",
        &serde_json::json!({ "future_ours": ours, "future_raw": raw }),
    );
}
