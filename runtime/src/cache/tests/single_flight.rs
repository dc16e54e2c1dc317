//! One renewal for every caller: cancelled callers, a panicking fetch, nothing left behind.

use super::*;

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
