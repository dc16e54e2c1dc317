//! A real `redis-server` for one test: on a free loopback port, persistence
//! off, ready once it says so and answers `PING`, killed on drop; it can be
//! killed and started again on the same port mid-test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a starting server may take before the test fails.
const READY_WITHIN: Duration = Duration::from_secs(20);

/// A running (or killed) `redis-server` child.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
}

/// The `redis-server` binary: on `PATH`, or where Debian puts it.
fn binary() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("redis-server"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain([PathBuf::from("/usr/bin/redis-server")])
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "redis-server was not found on PATH: the Redis store and fleet tests need a real one. \
                 Install it with `apt-get update && apt-get install -y redis-server` \
                 (Debian, Ubuntu; `brew install redis` on macOS); .ci/run does this when it is missing"
            )
        })
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener.local_addr().expect("its address").port()
}

impl RedisServer {
    /// Starts a server on a free port and waits until it answers.
    pub fn start() -> Self {
        let mut server = Self {
            child: None,
            port: free_port(),
        };
        server.restart();
        server
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills the server (`SIGKILL`, no shutdown): what a crash looks like.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty.
    pub fn restart(&mut self) {
        self.kill();
        let mut child = Command::new(binary())
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start redis-server");
        let stdout = child.stdout.take().expect("redis-server's stdout");
        let (ready, said) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if line.contains("Ready to accept connections") {
                    let _ = ready.send(());
                    break;
                }
            }
            // Keep draining, so the server never blocks on a full pipe.
            for _ in lines {}
        });
        if said.recv_timeout(READY_WITHIN).is_err() {
            let _ = child.kill();
            panic!(
                "redis-server on port {} did not get ready within {READY_WITHIN:?}",
                self.port
            );
        }
        assert_eq!(
            self.ping(),
            "+PONG",
            "redis-server on port {} answers PING",
            self.port
        );
        self.child = Some(child);
    }

    /// One `PING` on a new connection: the answer line.
    fn ping(&self) -> String {
        let mut stream =
            TcpStream::connect(("127.0.0.1", self.port)).expect("connect to redis-server");
        stream.set_read_timeout(Some(READY_WITHIN)).unwrap();
        stream.write_all(b"PING\r\n").unwrap();
        let mut answer = [0u8; 7];
        stream.read_exact(&mut answer).expect("PING answered");
        String::from_utf8_lossy(&answer).trim().to_owned()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
