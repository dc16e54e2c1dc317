//! When the cache fetches and renews: lazily, ahead in the refresh window, waiting in the safety window and after expiry.

use super::*;

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
async fn a_token_is_never_served_past_its_expiry_even_when_its_timer_runs_late() {
    let cache = cache();
    // The entry timers' tasks are held: the runtime runs them late (never,
    // here). What stops the hot path is the timer's firing, which tokio's
    // time driver signals itself.
    let gate = Gate::closed();
    *cache.timer_gate.lock().unwrap() = Some(gate.clone());
    let first = cache.get().await.unwrap();
    advance(LIFETIME + Duration::from_secs(1)).await;
    let later = cache.get().await.unwrap();
    assert_eq!(name(&later), "t2", "an expired token is never served");
    assert!(!Arc::ptr_eq(&later, &first));
    // Past the safety instant too, the caller waits for the renewal.
    let open = cache.fetcher().push_gated(Step::Ok);
    advance(SAFETY_AT + Duration::from_secs(1)).await;
    let waiter = tokio::spawn({
        let cache = Arc::clone(&cache);
        async move { cache.get().await }
    });
    settle().await;
    assert!(
        !waiter.is_finished(),
        "a token in its safety window is not served"
    );
    open.send(()).unwrap();
    assert_eq!(name(&waiter.await.unwrap().unwrap()), "t3");
    gate.open();
}

#[tokio::test(start_paused = true)]
async fn hits_stop_at_the_refresh_instant_even_when_the_timer_never_fires() {
    let cache = cache();
    // No timer fires: a task looping on hits on a current-thread runtime
    // never lets the runtime run its timers.
    *cache.timer_gate.lock().unwrap() = Some(Gate::never());
    let first = cache.get().await.unwrap();
    advance(REFRESH_AT - Duration::from_secs(1)).await;
    let hit = || cache.fresh(|_| ()).is_some();
    assert!((0..3 * SPOT_CHECK).all(|_| hit()), "fresh: always a hit");
    advance(Duration::from_secs(2)).await;
    let served = (0..SPOT_CHECK).take_while(|_| hit()).count();
    assert!(
        served < SPOT_CHECK as usize,
        "served {served} hits past the refresh instant"
    );
    assert!(!hit(), "once seen due, an entry stays due");
    // The slow path decides exactly: serve the still-valid token, renew behind.
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    settle().await;
    assert_eq!(name(&cache.get().await.unwrap()), "t2");
}

#[tokio::test(start_paused = true)]
async fn each_tokens_timer_ends_with_it() {
    let cache = cache();
    let tasks = || {
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks()
    };
    for _ in 0..20 {
        cache.get().await.unwrap();
        cache.invalidate();
    }
    cache.get().await.unwrap();
    settle().await;
    assert_eq!(tasks(), 1, "the cached token's timer, and no other task");
    drop(cache);
    settle().await;
    assert_eq!(tasks(), 0);
}

// On the real clock: a timer for an instant already reached fires on the
// time driver's next millisecond tick at the earliest, and the next call
// comes before it.
#[tokio::test]
async fn a_token_due_the_moment_it_arrives_is_renewed_by_the_next_call() {
    // Margins that put the refresh instant at the token's issue.
    let whole = RefreshMargins {
        refresh_fraction: 1.0,
        refresh_max: LIFETIME,
        safety_fraction: 0.5,
        safety_max: LIFETIME,
    };
    let cache = TokenCache::new(Fake::default(), whole);
    let first = cache.get().await.unwrap();
    assert!(
        cache.fresh(|_| ()).is_none(),
        "a token due at once is never a hit"
    );
    assert!(Arc::ptr_eq(&cache.get().await.unwrap(), &first));
    settle().await;
    assert_eq!(cache.fetcher().calls(), 2, "renewed behind the first call");
}

#[tokio::test(start_paused = true)]
async fn a_dropped_cache_leaves_no_renewal_timer_running() {
    let metrics = tokio::runtime::Handle::current().metrics();
    let cache = cache();
    cache.get().await.unwrap();
    cache.get().await.unwrap(); // A hit: this thread now holds a copy.
    settle().await;
    assert_eq!(metrics.num_alive_tasks(), 1, "the entry's renewal timer");
    // This thread's copy of the entry outlives the cache; its timer must not.
    drop(cache);
    settle().await;
    assert_eq!(
        metrics.num_alive_tasks(),
        0,
        "the timer stopped with its cache"
    );
}
