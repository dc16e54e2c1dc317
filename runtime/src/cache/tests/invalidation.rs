//! Dropping tokens: `invalidate`, `invalidate_if_current`, and refusals by the provider.

use super::*;

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

#[tokio::test(start_paused = true)]
async fn a_renewal_started_before_invalidate_is_not_cached_even_when_it_ends_first() {
    let cache = cache();
    let open = cache.fetcher().push_gated(Step::Ok);
    let early = tokio::spawn({
        let cache = Arc::clone(&cache);
        async move { cache.get().await }
    });
    settle().await;
    cache.invalidate();
    open.send(()).unwrap();
    assert_eq!(
        name(&early.await.unwrap().unwrap()),
        "t1",
        "its waiters get it"
    );
    settle().await;
    assert!(
        cache.current().is_none(),
        "t1 was fetched before the invalidation"
    );
    assert_eq!(name(&cache.get().await.unwrap()), "t2");
}

#[tokio::test(start_paused = true)]
async fn a_stale_renewal_ending_leaves_the_renewal_in_flight_alone_every_time() {
    let cache = cache();
    // Many rounds: the bookkeeping (renewal ids, generations) holds after
    // any number of renewals, not just the first few.
    for round in 0..20_u32 {
        let open_stale = cache.fetcher().push_gated(Step::Fail(503));
        let open_newer = cache.fetcher().push_gated(Step::Ok);
        let stale = tokio::spawn({
            let cache = Arc::clone(&cache);
            async move { cache.get().await }
        });
        settle().await;
        cache.invalidate();
        let newer = tokio::spawn({
            let cache = Arc::clone(&cache);
            async move { cache.get().await }
        });
        settle().await;
        assert_eq!(cache.fetcher().calls(), 2 * round + 2);
        // The stale renewal fails: its waiters get the error, but the newer
        // renewal is still the one in flight, and nothing backs off.
        open_stale.send(()).unwrap();
        assert_eq!(stale.await.unwrap().unwrap_err().status(), Some(503));
        let joining = tokio::spawn({
            let cache = Arc::clone(&cache);
            async move { cache.get().await }
        });
        settle().await;
        assert_eq!(
            cache.fetcher().calls(),
            2 * round + 2,
            "round {round}: a caller joins the renewal in flight"
        );
        open_newer.send(()).unwrap();
        let token = newer.await.unwrap().unwrap();
        assert!(Arc::ptr_eq(&joining.await.unwrap().unwrap(), &token));
        assert!(Arc::ptr_eq(&cache.current().unwrap(), &token));
        assert_eq!(name(&token), format!("t{}", 2 * round + 2));
        cache.invalidate();
    }
}

#[tokio::test(start_paused = true)]
async fn a_renewal_not_cached_leaves_no_renewal_timer_running() {
    let metrics = tokio::runtime::Handle::current().metrics();
    let cache = cache();
    let open = cache.fetcher().push_gated(Step::Ok);
    let early = tokio::spawn({
        let cache = Arc::clone(&cache);
        async move { cache.get().await }
    });
    settle().await;
    cache.invalidate();
    open.send(()).unwrap();
    let stale = early.await.unwrap().unwrap();
    settle().await;
    assert!(cache.current().is_none());
    assert_eq!(
        metrics.num_alive_tasks(),
        0,
        "the stale token's timer is gone"
    );
    drop(stale);
    cache.get().await.unwrap();
    settle().await;
    assert_eq!(metrics.num_alive_tasks(), 1, "the cached token's timer");
}
