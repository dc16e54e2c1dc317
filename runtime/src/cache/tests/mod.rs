//! The cache's behaviour, driven by a scripted fetcher on a paused clock:
//! the fetcher and helpers here, the behaviours by topic in the files below.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::sync::oneshot;
use tokio::time::advance;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::RefreshMargins;
use super::entry::SPOT_CHECK;
use super::refusal::UNPROVEN_DROP_INTERVAL;
use super::single_flight::{FetchToken, Gate, TokenCache};
use crate::error::{Error, Result, Stage};
use crate::redact::BodyExcerpt;
use crate::secret::Secret;
use crate::token::granted::Token;

const LIFETIME: Duration = Duration::from_secs(100);
// With the default margins and a 100 s lifetime: refresh from 80 s, wait from 90 s.
const REFRESH_AT: Duration = Duration::from_secs(80);
const SAFETY_AT: Duration = Duration::from_secs(90);

/// One scripted fetch: wait for the gate if any, then answer.
enum Step {
    Ok,
    Fail(u16),
    Panic,
}

struct Scripted {
    gate: Option<oneshot::Receiver<()>>,
    step: Step,
}

/// A fetcher that counts its calls, records the previous tokens it was given
/// and answers from a script (a 100 s token named `t<call>` when the script is
/// empty).
#[derive(Default)]
struct Fake {
    /// Starts the names of its tokens (`""`: `t1`, `t2`, …).
    prefix: &'static str,
    calls: AtomicU32,
    script: Mutex<VecDeque<Scripted>>,
    previous: Mutex<Vec<Option<String>>>,
}

impl Fake {
    fn push(&self, step: Step) {
        self.script
            .lock()
            .unwrap()
            .push_back(Scripted { gate: None, step });
    }

    /// Scripts a step that waits until the returned sender is used or dropped.
    fn push_gated(&self, step: Step) -> oneshot::Sender<()> {
        let (open, gate) = oneshot::channel();
        self.script.lock().unwrap().push_back(Scripted {
            gate: Some(gate),
            step,
        });
        open
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }

    fn previous(&self) -> Vec<Option<String>> {
        self.previous.lock().unwrap().clone()
    }
}

impl FetchToken for Fake {
    fn fetch(&self, previous: Option<Arc<Token>>) -> impl Future<Output = Result<Token>> + Send {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let name = previous.map(|t| t.access_token.expose().to_owned());
        self.previous.lock().unwrap().push(name);
        let scripted = self.script.lock().unwrap().pop_front();
        let prefix = self.prefix;
        async move {
            let (gate, step) = match scripted {
                Some(Scripted { gate, step }) => (gate, step),
                None => (None, Step::Ok),
            };
            if let Some(gate) = gate {
                let _ = gate.await;
            }
            match step {
                Step::Ok => Ok(token(&format!("{prefix}t{call}"))),
                Step::Fail(status) => Err(unavailable(status)),
                Step::Panic => panic!("scripted panic in a fetch"),
            }
        }
    }

    fn provider(&self) -> &'static str {
        "fake"
    }
}

fn token(name: &str) -> Token {
    Token {
        access_token: Secret::new(name),
        refresh_token: Some(Secret::new(format!("r-{name}"))),
        lifetime: LIFETIME,
        obtained_at: Instant::now(),
    }
}

fn unavailable(status: u16) -> Error {
    Error::TokenUnavailable {
        provider: "fake",
        attempts: 3,
        last: Box::new(Error::Api {
            provider: "fake",
            stage: Stage::TokenRequest,
            status,
            code: Some("E42".into()),
            message: Some("busy".into()),
            body: BodyExcerpt::new(b"{\"code\":\"E42\"}", &[]),
        }),
    }
}

fn cache() -> Arc<TokenCache<Fake>> {
    TokenCache::new(Fake::default(), RefreshMargins::default())
}

fn name(token: &Token) -> &str {
    token.access_token.expose()
}

/// Lets spawned tasks run until they wait on something (no time passes).
async fn settle() {
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
}

mod failures;
mod fleet;
mod fleet_failures;
mod invalidation;
mod single_flight;
mod threads;
mod timing;
