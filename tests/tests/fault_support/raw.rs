//! A tiny HTTP/1.1 server on a raw socket, for what no well-behaved server
//! does: answers whose connection is cut (closed, or reset) in the middle of
//! the body.
//!
//! It plays the server provider: `GET /api/oauth2/server/tokens` answers
//! [`RAW_TOKEN`]; `/api/cut` is cut mid-body; `/api/busy` answers 503;
//! anything else under `/api/` answers `{"ok":true}`. Every answer closes its
//! connection. It counts token and API requests as they arrive.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The access token the raw server hands out.
pub const RAW_TOKEN: &str = "sat_raw_0f1e2d3c4b5a6978";

/// How a cut answer ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// The socket is closed (FIN) after half the body.
    Close,
    /// The socket is reset (RST, `SO_LINGER` 0) after half the body.
    Reset,
}

/// Counters shared with the serving task.
#[derive(Default)]
struct Counters {
    token_requests: AtomicU64,
    api_requests: AtomicU64,
    /// Token answers still to cut.
    cut_tokens: AtomicU64,
    /// Bodies of the API requests, in arrival order.
    bodies: std::sync::Mutex<Vec<String>>,
}

/// A running raw server; it stops when its runtime does.
pub struct RawServer {
    pub base_url: String,
    counters: Arc<Counters>,
    pub cut: Cut,
}

impl RawServer {
    /// Starts serving; the first `cut_tokens` token answers are cut.
    pub async fn start(cut: Cut, cut_tokens: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let counters = Arc::new(Counters {
            cut_tokens: AtomicU64::new(cut_tokens),
            ..Counters::default()
        });
        let shared = Arc::clone(&counters);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, Arc::clone(&shared), cut));
            }
        });
        Self {
            base_url,
            counters,
            cut,
        }
    }

    /// Token requests received.
    pub fn token_requests(&self) -> u64 {
        self.counters.token_requests.load(Ordering::SeqCst)
    }

    /// API requests received.
    pub fn api_requests(&self) -> u64 {
        self.counters.api_requests.load(Ordering::SeqCst)
    }

    /// The bodies of the API requests received.
    pub fn api_bodies(&self) -> Vec<String> {
        self.counters.bodies.lock().unwrap().clone()
    }

    /// Cuts the next `n` token answers.
    pub fn cut_next_tokens(&self, n: u64) {
        self.counters.cut_tokens.store(n, Ordering::SeqCst);
    }
}

/// Reads one request: its path and body. `None` if the client went away.
async fn read_request(socket: &mut TcpStream) -> Option<(String, String)> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    }
    let target = head.split_whitespace().nth(1)?.to_owned();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    let body = String::from_utf8_lossy(&data[head_end..head_end + length]).into_owned();
    Some((path, body))
}

async fn serve(mut socket: TcpStream, counters: Arc<Counters>, cut: Cut) {
    let Some((path, body)) = read_request(&mut socket).await else {
        return;
    };
    let token_answer = format!(
        r#"{{"access_token":"{RAW_TOKEN}","token_type":"bearer","expires_in":"3600","scope":"sudo"}}"#
    );
    let (status, answer, cut_it) = if path == "/api/oauth2/server/tokens" {
        counters.token_requests.fetch_add(1, Ordering::SeqCst);
        let cut_it = counters
            .cut_tokens
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        ("200 OK", token_answer, cut_it)
    } else if path.starts_with("/api/") {
        counters.api_requests.fetch_add(1, Ordering::SeqCst);
        counters.bodies.lock().unwrap().push(body);
        match path.as_str() {
            "/api/cut" => ("200 OK", r#"{"items":[1,2,3,4,5,6,7,8,9,10]}"#.into(), true),
            "/api/busy" => (
                "503 Service Unavailable",
                r#"{"code":50300,"msg":"busy"}"#.into(),
                false,
            ),
            _ => ("200 OK", r#"{"ok":true}"#.into(), false),
        }
    } else {
        ("404 Not Found", r#"{"code":40400}"#.into(), false)
    };
    let sent = if cut_it {
        &answer[..answer.len() / 2]
    } else {
        &answer[..]
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.len()
    );
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(sent.as_bytes()).await;
    let _ = socket.flush().await;
    if cut_it && cut == Cut::Reset {
        let _ = socket.set_zero_linger();
    }
    // Dropping the socket ends the answer there.
}
