//! The server the HTTP benches talk to: a minimal axum app in a child
//! process (the bench binary itself, re-run with [`SERVER_ENV`] set), so the
//! client side and the server side each have their own file descriptors,
//! allocator and runtime.
//!
//! Routes, all trivial so that the clients are what is measured:
//! - `GET /api/oauth2/server/tokens`: the `server` provider's token endpoint
//!   (counts requests, waits the configured latency, grants a 12 h token);
//! - `GET /api/me`: the API call, `401` without a bearer token, else a small
//!   JSON object;
//! - `POST /__bench/reset?latency_ms=N`: zeroes the token count and sets the
//!   token endpoint's latency; `GET /__bench/tokens`: the token count.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// Set (to anything) in the child process: serve instead of benchmarking.
pub const SERVER_ENV: &str = "AUTHORIZED_BENCH_SERVER";
/// The credentials the benches use; the server does not check them.
pub const CLIENT_ID: &str = "bench-client";
/// See [`CLIENT_ID`].
pub const CLIENT_SECRET: &str = "bench-secret-0123456789";
/// The API answer.
pub const ME: &str = r#"{"id":42,"name":"bench","tenant":"acme"}"#;

#[derive(Default)]
struct Bench {
    tokens: AtomicU64,
    latency_ms: AtomicU64,
}

/// If this process is the server child, serves until the parent goes away
/// (its stdin closes) and never returns.
pub fn serve_if_child() {
    if std::env::var_os(SERVER_ENV).is_none() {
        return;
    }
    // The parent holds our stdin: end of file means it is gone.
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("server runtime");
    runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .expect("bind");
        // A long backlog: the stampede opens thousands of connections at once.
        let listener = socket.listen(8192).expect("listen");
        let addr = listener.local_addr().expect("address");
        println!("listening {addr}");
        let app = Router::new()
            .route("/api/oauth2/server/tokens", get(token))
            .route("/api/me", get(me))
            .route("/__bench/reset", post(reset))
            .route("/__bench/tokens", get(tokens))
            .with_state(Arc::new(Bench::default()));
        axum::serve(listener, app).await.expect("serve");
    });
    std::process::exit(0);
}

async fn token(State(bench): State<Arc<Bench>>) -> Response {
    let n = bench.tokens.fetch_add(1, Ordering::Relaxed) + 1;
    let latency = bench.latency_ms.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let body = format!(
        r#"{{"access_token":"bench-token-{n:08}","token_type":"bearer","expires_in":"43200","scope":"sudo"}}"#
    );
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn me(headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    if !bearer {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    ([(header::CONTENT_TYPE, "application/json")], ME).into_response()
}

#[derive(serde::Deserialize)]
struct Reset {
    latency_ms: u64,
}

async fn reset(State(bench): State<Arc<Bench>>, Query(reset): Query<Reset>) -> StatusCode {
    bench.tokens.store(0, Ordering::Relaxed);
    bench.latency_ms.store(reset.latency_ms, Ordering::Relaxed);
    StatusCode::NO_CONTENT
}

async fn tokens(State(bench): State<Arc<Bench>>) -> String {
    bench.tokens.load(Ordering::Relaxed).to_string()
}

/// The server child, stopped when dropped.
pub struct BenchServer {
    child: Child,
    base_url: String,
    admin: reqwest::Client,
}

impl BenchServer {
    /// Starts the child and waits until it listens.
    pub fn start() -> Self {
        let exe = std::env::current_exe().expect("own path");
        let mut child = Command::new(exe)
            .env(SERVER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the bench server");
        let stdout = child.stdout.take().expect("server stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("server address");
        let addr = line
            .trim()
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("unexpected server output: {line:?}"))
            .to_owned();
        Self {
            child,
            base_url: format!("http://{addr}/"),
            admin: reqwest::Client::new(),
        }
    }

    /// Stops the child by closing its stdin and waits until it has exited
    /// on its own (a profiler running it then writes its results).
    #[allow(dead_code)] // Only the per_request bench runs under a profiler.
    pub fn finish(mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }

    /// The server process's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Zeroes the token count and sets the token endpoint's latency.
    pub async fn reset(&self, token_latency: Duration) {
        let url = format!(
            "{}__bench/reset?latency_ms={}",
            self.base_url,
            token_latency.as_millis()
        );
        let status = self.admin.post(url).send().await.expect("reset").status();
        assert!(status.is_success(), "reset answered {status}");
    }

    /// Token requests since the last reset.
    pub async fn tokens(&self) -> u64 {
        let url = format!("{}__bench/tokens", self.base_url);
        let text = self
            .admin
            .get(url)
            .send()
            .await
            .expect("token count")
            .text()
            .await
            .expect("token count body");
        text.trim().parse().expect("a number")
    }
}

/// CPU time used so far by all threads of process `pid` (`"self"` for this
/// one), from `/proc/<pid>/task/*/schedstat`; zero where that is missing.
pub fn cpu_time(pid: &str) -> Duration {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Duration::ZERO;
    };
    let nanos: u64 = tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
