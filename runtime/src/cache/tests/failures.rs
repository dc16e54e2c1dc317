//! Failed renewals: every waiter hears, the backoff, and the still-valid token served meanwhile.

use super::*;

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
async fn a_renewal_failing_after_expiry_never_hands_out_the_expired_token() {
    let cache = cache();
    cache.get().await.unwrap();
    let open = cache.fetcher().push_gated(Step::Fail(503));
    advance(SAFETY_AT + Duration::from_secs(1)).await;
    // In the safety window: the caller waits on the renewal, with the
    // still-valid token as its fallback should the renewal fail.
    let waiter = tokio::spawn({
        let cache = Arc::clone(&cache);
        async move { cache.get().await }
    });
    settle().await;
    assert!(!waiter.is_finished());
    // The renewal fails only once the token has expired.
    advance(LIFETIME - SAFETY_AT).await;
    open.send(()).unwrap();
    let error = waiter.await.unwrap().unwrap_err();
    assert_eq!(
        error.status(),
        Some(503),
        "the renewal's error, not the expired token"
    );
}
