//! The fleet's processes: this test binary run again as a child (the
//! `child` test, with [`CHILD_ENV`] holding its job), one client sharing
//! tokens through Redis. A child builds its client, says `FLEET ready`,
//! waits for `go` on stdin, does its work, prints `FLEET report {…}` and
//! exits; it logs warnings on stderr, which the parent keeps.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use authorized_api::redis::RedisStore;
use authorized_api::runtime::{Client, FleetSettings, Provider};
use authorized_api::{hotel, server};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Set in a child: its [`Job`] as JSON.
pub const CHILD_ENV: &str = "AUTHORIZED_FLEET_CHILD";

/// Which provider a child calls.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub enum Which {
    /// `GET /api/me`.
    Server,
    /// `GET /api/v1.0/hotels`, 2 s tokens asked for with `expires_in`.
    Hotel,
}

/// What a child does.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Work {
    /// `calls` calls at once.
    Burst { calls: usize },
    /// `workers` loops of one call and a `pause_ms` pause, for `secs`.
    Soak {
        secs: f64,
        workers: usize,
        pause_ms: u64,
    },
}

/// A child's whole instructions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub which: Which,
    pub base_url: String,
    pub redis_url: String,
    pub prefix: String,
    pub client_secret: String,
    pub lease_ms: u64,
    pub work: Work,
}

/// What a child did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    pub ok: u64,
    pub failed: u64,
    /// The first few failures' messages.
    pub failures: Vec<String>,
    /// From `go` to the last call's answer.
    pub elapsed_ms: u64,
    /// From `go` to the first call's answer: when the process had a token.
    pub first_ms: u64,
}

/// A running child, seen from the parent.
pub struct ChildProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl ChildProcess {
    /// Starts a child for `job` and waits until its client is built.
    pub fn spawn(job: &Job) -> Self {
        let exe = std::env::current_exe().expect("own path");
        let mut child = Command::new(exe)
            .args([
                "child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CHILD_ENV, serde_json::to_string(job).unwrap())
            .env("RUST_BACKTRACE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start a fleet child");
        let (send, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // libtest may have started the line with `test child ... `.
                if let Some(at) = line.find("FLEET ") {
                    let _ = send.send(line[at + "FLEET ".len()..].to_owned());
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let kept = Arc::clone(&stderr);
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut kept = kept.lock().unwrap();
                kept.push_str(&line);
                kept.push('\n');
            }
        });
        let mut process = Self {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr,
        };
        let ready = process.line(Duration::from_secs(30));
        assert_eq!(
            ready,
            "ready",
            "child {}: {}",
            process.pid(),
            process.stderr()
        );
        process
    }

    fn line(&mut self, within: Duration) -> String {
        match self.lines.recv_timeout(within) {
            Ok(line) => line,
            Err(_) => panic!(
                "child {} said nothing within {within:?}; its stderr:\n{}",
                self.pid(),
                self.stderr()
            ),
        }
    }

    /// Lets the child start its work.
    pub fn go(&mut self) {
        let stdin = self.stdin.as_mut().expect("child stdin");
        stdin.write_all(b"go\n").unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for the child's report.
    pub fn report(&mut self, within: Duration) -> Report {
        let line = self.line(within);
        let json = line
            .strip_prefix("report ")
            .unwrap_or_else(|| panic!("unexpected line from child {}: {line}", self.pid()));
        let report = serde_json::from_str(json).unwrap();
        let _ = self.child.wait();
        report
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (`STOP`, `CONT`, `KILL`) with kill(1).
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .expect("kill(1)");
        assert!(status.success(), "kill -{signal} {}", self.pid());
    }

    /// What the child logged so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child's side: runs the job in [`CHILD_ENV`], if any.
pub fn run_if_child() {
    let Some(job) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let job: Job = serde_json::from_str(job.to_str().unwrap()).expect("a job");
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "warn,authorized_runtime=info".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(async {
        match job.which {
            Which::Server => {
                let api = builder::<server::Provider>(&job).build_runtime().unwrap();
                work(&job, api, "/api/me").await
            }
            Which::Hotel => {
                let api = builder::<hotel::Provider>(&job)
                    .token_param("expires_in", 2)
                    .build_runtime()
                    .unwrap();
                work(&job, api, "/api/v1.0/hotels").await
            }
        }
    });
    println!("FLEET report {}", serde_json::to_string(&report).unwrap());
}

fn builder<P: Provider>(job: &Job) -> authorized_api::ClientBuilder<P> {
    let store = RedisStore::builder(&job.redis_url)
        .prefix(&job.prefix)
        .build()
        .expect("a Redis URL");
    Client::<P>::builder()
        .base_url(&job.base_url)
        .client_id(authorized_sandbox::DEMO_CLIENT_ID)
        .client_secret(job.client_secret.as_str())
        .token_store(store)
        .fleet_settings(FleetSettings {
            lease: Duration::from_millis(job.lease_ms),
            ..FleetSettings::default()
        })
}

async fn work<P: Provider>(job: &Job, api: Client<P>, path: &'static str) -> Report {
    println!("FLEET ready");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let started = Instant::now();
    let calls: Vec<_> = match job.work {
        Work::Burst { calls } => (0..calls)
            .map(|_| {
                let api = api.clone();
                tokio::spawn(async move { vec![(call(&api, path).await, started.elapsed())] })
            })
            .collect(),
        Work::Soak {
            secs,
            workers,
            pause_ms,
        } => (0..workers)
            .map(|_| {
                let api = api.clone();
                tokio::spawn(async move {
                    let mut results = Vec::new();
                    while started.elapsed().as_secs_f64() < secs {
                        results.push((call(&api, path).await, started.elapsed()));
                        tokio::time::sleep(Duration::from_millis(pause_ms)).await;
                    }
                    results
                })
            })
            .collect(),
    };
    let mut report = Report::default();
    let mut first = Duration::MAX;
    for handle in calls {
        for (result, at) in handle.await.unwrap() {
            first = first.min(at);
            match result {
                Ok(()) => report.ok += 1,
                Err(error) => {
                    report.failed += 1;
                    if report.failures.len() < 5 {
                        report.failures.push(error);
                    }
                }
            }
        }
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    report.first_ms = first.as_millis().min(u128::from(u64::MAX)) as u64;
    report
}

async fn call<P: Provider>(api: &Client<P>, path: &str) -> Result<(), String> {
    api.get(path)
        .send::<Value>()
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}
