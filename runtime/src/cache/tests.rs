//! The cache's behaviour, driven by a scripted fetcher on a paused clock.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::sync::oneshot;
use tokio::time::advance;

use super::*;
use crate::redact::BodyExcerpt;
use crate::secret::Secret;

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
        async move {
            let (gate, step) = match scripted {
                Some(Scripted { gate, step }) => (gate, step),
                None => (None, Step::Ok),
            };
            if let Some(gate) = gate {
                let _ = gate.await;
            }
            match step {
                Step::Ok => Ok(token(&format!("t{call}"))),
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

#[tokio::test(start_paused = true)]
async fn fetches_lazily_then_reuses() {
    let cache = cache();
    assert!(cache.current().is_none());
    assert_eq!(cache.fetcher().calls(), 0);
    let first = cache.get().await.unwrap();
    assert_eq!(name(&first), "t1");
    advance(REFRESH_AT - Duration::from_millis(1)).await;
    for _ in 0..10 {
        assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    }
    settle().await;
    assert_eq!(cache.fetcher().calls(), 1);
    assert!(Arc::ptr_eq(&cache.current().unwrap(), &first));
}

#[tokio::test(start_paused = true)]
async fn refreshes_ahead_once_in_the_refresh_window() {
    let cache = cache();
    let first = cache.get().await.unwrap();
    let open = cache.fetcher().push_gated(Step::Ok);
    advance(REFRESH_AT + Duration::from_secs(1)).await;
    for _ in 0..50 {
        assert!(
            Arc::ptr_eq(&cache.get().await.unwrap(), &first),
            "served at once"
        );
    }
    settle().await;
    assert_eq!(
        cache.fetcher().calls(),
        2,
        "one background renewal for 50 callers"
    );
    open.send(()).unwrap();
    settle().await;
    let renewed = cache.get().await.unwrap();
    assert_eq!(name(&renewed), "t2");
    assert_eq!(cache.fetcher().previous(), [None, Some("t1".into())]);
    assert_eq!(cache.fetcher().calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn waits_for_the_renewal_in_the_safety_window() {
    let cache = cache();
    cache.get().await.unwrap();
    let open = cache.fetcher().push_gated(Step::Ok);
    advance(SAFETY_AT + Duration::from_secs(1)).await;
    let waiter = tokio::spawn({
        let cache = Arc::clone(&cache);
        async move { cache.get().await }
    });
    settle().await;
    assert!(
        !waiter.is_finished(),
        "a token in the safety window is not served"
    );
    open.send(()).unwrap();
    assert_eq!(name(&waiter.await.unwrap().unwrap()), "t2");
    assert_eq!(cache.fetcher().calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn waits_for_a_new_token_once_expired() {
    let cache = cache();
    cache.get().await.unwrap();
    advance(LIFETIME * 3).await;
    assert_eq!(name(&cache.get().await.unwrap()), "t2");
    assert_eq!(cache.fetcher().calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn one_fetch_for_many_callers_even_when_half_are_cancelled() {
    let cache = cache();
    let open = cache.fetcher().push_gated(Step::Ok);
    let callers: Vec<_> = (0..100)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.get().await })
        })
        .collect();
    settle().await;
    assert_eq!(cache.fetcher().calls(), 1);
    let (cancelled, kept): (Vec<_>, Vec<_>) = callers
        .into_iter()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    for (_, caller) in &cancelled {
        caller.abort();
    }
    settle().await;
    open.send(()).unwrap();
    let mut tokens = Vec::new();
    for (_, caller) in kept {
        tokens.push(caller.await.unwrap().unwrap());
    }
    assert!(
        tokens
            .iter()
            .all(|t| Arc::ptr_eq(t, &tokens[0]) && name(t) == "t1")
    );
    for (_, caller) in cancelled {
        assert!(caller.await.unwrap_err().is_cancelled());
    }
    assert_eq!(cache.fetcher().calls(), 1);
    assert!(Arc::ptr_eq(&cache.current().unwrap(), &tokens[0]));
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_lone_caller_does_not_cancel_the_renewal() {
    let cache = cache();
    let open = cache.fetcher().push_gated(Step::Ok);
    let timed_out = tokio::time::timeout(Duration::from_millis(10), cache.get()).await;
    assert!(timed_out.is_err());
    open.send(()).unwrap();
    settle().await;
    assert_eq!(
        name(&cache.current().expect("the renewal finished anyway")),
        "t1"
    );
    assert_eq!(name(&cache.get().await.unwrap()), "t1");
    assert_eq!(cache.fetcher().calls(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_renewal_reaches_every_waiter_and_is_not_cached() {
    let cache = cache();
    let open = cache.fetcher().push_gated(Step::Fail(503));
    let callers: Vec<_> = (0..20)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.get().await })
        })
        .collect();
    settle().await;
    open.send(()).unwrap();
    for caller in callers {
        let error = caller.await.unwrap().unwrap_err();
        assert!(
            matches!(error, Error::TokenUnavailable { attempts: 3, .. }),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(503));
        let Error::TokenUnavailable { last, .. } = &error else {
            unreachable!()
        };
        assert_eq!(last.code(), Some("E42"));
        assert!(error.to_string().contains("busy"), "{error}");
    }
    assert_eq!(cache.fetcher().calls(), 1);
    assert!(cache.current().is_none());
}

#[tokio::test(start_paused = true)]
async fn after_a_failure_callers_get_the_error_until_the_backoff_ends() {
    let cache = cache();
    cache.fetcher().push(Step::Fail(500));
    assert!(cache.get().await.is_err());
    // During the backoff (100 ms after one failure): the last error, at once, no fetch.
    for _ in 0..10 {
        let error = cache.get().await.unwrap_err();
        assert_eq!(error.status(), Some(500));
    }
    advance(Duration::from_millis(99)).await;
    assert!(cache.get().await.is_err());
    assert_eq!(cache.fetcher().calls(), 1);
    // Then one try; it fails again, so the backoff doubles to 200 ms.
    cache.fetcher().push(Step::Fail(502));
    advance(Duration::from_millis(1)).await;
    assert_eq!(cache.get().await.unwrap_err().status(), Some(502));
    assert_eq!(cache.fetcher().calls(), 2);
    advance(Duration::from_millis(199)).await;
    assert_eq!(cache.get().await.unwrap_err().status(), Some(502));
    assert_eq!(cache.fetcher().calls(), 2);
    advance(Duration::from_millis(1)).await;
    assert_eq!(name(&cache.get().await.unwrap()), "t3");
    // Success resets the backoff: the next failure waits 100 ms again.
    advance(LIFETIME).await;
    cache.fetcher().push(Step::Fail(500));
    assert!(cache.get().await.is_err());
    advance(Duration::from_millis(100)).await;
    assert_eq!(name(&cache.get().await.unwrap()), "t5");
    assert_eq!(cache.fetcher().calls(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_failed_background_renewal_keeps_serving_the_old_token() {
    let cache = cache();
    let first = cache.get().await.unwrap();
    cache.fetcher().push(Step::Fail(503));
    advance(REFRESH_AT + Duration::from_secs(1)).await;
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    settle().await;
    assert_eq!(cache.fetcher().calls(), 2);
    // Backing off: still the old token, no error, no new fetch.
    for _ in 0..10 {
        assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    }
    settle().await;
    assert_eq!(cache.fetcher().calls(), 2);
    // After the backoff, the next caller starts one more renewal.
    advance(Duration::from_millis(100)).await;
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    settle().await;
    assert_eq!(cache.fetcher().calls(), 3);
    assert_eq!(name(&cache.get().await.unwrap()), "t3");
}

#[tokio::test(start_paused = true)]
async fn a_failed_renewal_in_the_safety_window_falls_back_to_the_still_valid_token() {
    let cache = cache();
    let first = cache.get().await.unwrap();
    cache.fetcher().push(Step::Fail(503));
    advance(SAFETY_AT + Duration::from_secs(1)).await;
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    // Backing off, still valid: served.
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    // Expired: a renewal again, and its error.
    cache.fetcher().push(Step::Fail(503));
    advance(Duration::from_secs(10)).await;
    assert_eq!(cache.get().await.unwrap_err().status(), Some(503));
}

#[tokio::test(start_paused = true)]
async fn a_renewal_started_before_invalidate_never_replaces_a_newer_token() {
    let cache = cache();
    let open_first = cache.fetcher().push_gated(Step::Ok);
    let early = tokio::spawn({
        let cache = Arc::clone(&cache);
        async move { cache.get().await }
    });
    settle().await;
    cache.invalidate();
    let newer = cache.get().await.unwrap();
    assert_eq!(name(&newer), "t2");
    open_first.send(()).unwrap();
    assert_eq!(
        name(&early.await.unwrap().unwrap()),
        "t1",
        "its waiters get its token"
    );
    settle().await;
    assert!(
        Arc::ptr_eq(&cache.current().unwrap(), &newer),
        "t1 did not overwrite t2"
    );
    assert_eq!(cache.fetcher().calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn invalidate_if_current_drops_only_the_cached_token() {
    let cache = cache();
    let first = cache.get().await.unwrap();
    // Two callers refused with the same token: one drop, one re-fetch.
    assert!(cache.invalidate_if_current(&first));
    assert!(!cache.invalidate_if_current(&first));
    assert!(cache.current().is_none());
    let second = cache.get().await.unwrap();
    assert_eq!(name(&second), "t2");
    assert_eq!(cache.fetcher().calls(), 2);
    // The dropped token was handed to the fetcher, for its refresh token.
    assert_eq!(cache.fetcher().previous(), [None, Some("t1".into())]);
    // A caller still holding the old token drops nothing.
    assert!(!cache.invalidate_if_current(&first));
    assert!(Arc::ptr_eq(&cache.current().unwrap(), &second));
}

#[tokio::test(start_paused = true)]
async fn invalidate_if_current_during_a_renewal_keeps_its_result() {
    let cache = cache();
    let first = cache.get().await.unwrap();
    let open = cache.fetcher().push_gated(Step::Ok);
    advance(REFRESH_AT + Duration::from_secs(1)).await;
    cache.get().await.unwrap();
    settle().await;
    assert!(cache.invalidate_if_current(&first));
    let waiter = tokio::spawn({
        let cache = Arc::clone(&cache);
        async move { cache.get().await }
    });
    settle().await;
    open.send(()).unwrap();
    assert_eq!(name(&waiter.await.unwrap().unwrap()), "t2");
    assert_eq!(name(&cache.current().unwrap()), "t2");
    assert_eq!(cache.fetcher().calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn invalidate_drops_everything_and_forgets_the_old_token() {
    let cache = cache();
    cache.get().await.unwrap();
    cache.invalidate();
    assert!(cache.current().is_none());
    assert_eq!(name(&cache.get().await.unwrap()), "t2");
    assert_eq!(cache.fetcher().previous(), [None, None]);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_fetch_neither_poisons_nor_sticks() {
    let cache = cache();
    cache.fetcher().push(Step::Panic);
    let error = cache.get().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                provider: "fake",
                ..
            }
        ),
        "{error:?}"
    );
    advance(Duration::from_millis(100)).await;
    assert_eq!(name(&cache.get().await.unwrap()), "t2");
}

#[tokio::test(start_paused = true)]
async fn nothing_accumulates() {
    let cache = cache();
    for round in 0..20 {
        if round % 3 == 0 {
            cache.fetcher().push(Step::Fail(500));
        }
        let _ = cache.get().await;
        advance(REFRESH_AT + Duration::from_secs(1)).await;
        let _ = cache.get().await;
        settle().await;
        advance(LIFETIME).await;
    }
    settle().await;
    let state = cache.lock();
    assert!(state.renewal.is_none());
    drop(state);
    assert_eq!(Arc::strong_count(&cache), 1, "no task holds the cache");
}

#[tokio::test(start_paused = true)]
async fn odd_margins_and_lifetimes_never_panic() {
    let odd = [
        RefreshMargins {
            refresh_fraction: f64::NAN,
            safety_fraction: -1.0,
            ..Default::default()
        },
        RefreshMargins {
            refresh_fraction: f64::INFINITY,
            refresh_max: Duration::MAX,
            safety_fraction: 7.0,
            safety_max: Duration::MAX,
        },
        RefreshMargins {
            refresh_fraction: 0.0,
            safety_fraction: 0.0,
            ..Default::default()
        },
    ];
    for margins in odd {
        for lifetime in [
            Duration::ZERO,
            Duration::from_nanos(1),
            LIFETIME,
            Duration::MAX,
        ] {
            let token = Token {
                lifetime,
                ..token("x")
            };
            let entry = Entry::new(Arc::new(token), &margins);
            assert!(entry.refresh_at <= entry.expires_at && entry.safety_at <= entry.expires_at);
        }
    }
    let entry = Entry::new(Arc::new(token("x")), &RefreshMargins::default());
    assert_eq!(entry.refresh_at - entry.token.obtained_at, REFRESH_AT);
    assert_eq!(entry.safety_at - entry.token.obtained_at, SAFETY_AT);
    // The caps: a day-long token is renewed 5 minutes ahead, waited for 30 s ahead.
    let day = Duration::from_secs(86_400);
    let entry = Entry::new(
        Arc::new(Token {
            lifetime: day,
            ..token("x")
        }),
        &RefreshMargins::default(),
    );
    assert_eq!(
        entry.expires_at - entry.refresh_at,
        Duration::from_secs(300)
    );
    assert_eq!(entry.expires_at - entry.safety_at, Duration::from_secs(30));
}

#[test]
fn duplicates_keep_what_callers_read() {
    let original = unavailable(503);
    let copy = duplicate(&original);
    assert_eq!(copy.to_string(), original.to_string());
    assert_eq!(copy.status(), Some(503));
    assert!(copy.is_retryable());
    let rejected = Error::TokenRejected {
        provider: "p",
        stage: Stage::TokenRefresh,
        status: 401,
        code: Some("invalid_client".into()),
        message: Some("bad".into()),
        body: BodyExcerpt::new(b"{}", &[]),
    };
    assert_eq!(duplicate(&rejected).to_string(), rejected.to_string());
    assert_eq!(duplicate(&rejected).code(), Some("invalid_client"));
}

/// Prints what a `get` of a fresh token costs; run it in release mode with
/// `cargo test --release -p authorized-runtime --lib hot_path_cost -- --ignored --nocapture`.
/// It asserts nothing about speed.
#[tokio::test]
#[ignore = "a measurement, not a test"]
async fn hot_path_cost() {
    let cache = cache();
    cache.get().await.unwrap();
    let rounds: u32 = 1_000_000;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(cache.get().await.unwrap());
    }
    println!(
        "get (fresh token): {:?} per call",
        started.elapsed() / rounds
    );
    assert_eq!(cache.fetcher().calls(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_refused_token_that_worked_before_is_always_dropped() {
    let cache = cache();
    for round in 1..=3 {
        let token = cache.get().await.unwrap();
        cache.accepted(&token);
        // Revoked behind the client's back: drop and replay, every time.
        assert!(cache.refused(&token), "round {round}");
        assert!(cache.current().is_none());
    }
    cache.get().await.unwrap();
    assert_eq!(cache.fetcher().calls(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_token_never_accepted_is_dropped_at_most_every_ten_seconds() {
    let cache = cache();
    let first = cache.get().await.unwrap();
    // The first refusal may be the token's fault: drop it.
    assert!(cache.refused(&first));
    let fresh = cache.get().await.unwrap();
    // The fresh token is refused too, and again: the refusals are not about
    // the token, so no more token requests for a while.
    for _ in 0..20 {
        assert!(!cache.refused(&fresh));
    }
    assert!(Arc::ptr_eq(&cache.current().unwrap(), &fresh));
    assert_eq!(cache.fetcher().calls(), 2);
    // Once the interval has passed, a refusal may drop it again.
    advance(UNPROVEN_DROP_INTERVAL).await;
    assert!(cache.refused(&fresh));
    assert_eq!(name(&cache.get().await.unwrap()), "t3");
    // A caller refused with a token that was already replaced just replays.
    assert!(cache.refused(&fresh));
    assert_eq!(cache.fetcher().calls(), 3);
}
