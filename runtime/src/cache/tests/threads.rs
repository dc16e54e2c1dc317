//! The hot path reads each thread's copy of the current entry: a change is
//! seen by every thread at its next read, and copies of many caches on one
//! thread never mix.

use super::*;

/// The token a hit serves on this thread, if any.
fn hit(cache: &TokenCache<Fake>) -> Option<String> {
    cache.fresh(|token| name(token).to_owned())
}

#[tokio::test(start_paused = true)]
async fn every_thread_sees_a_change_of_token_at_its_next_read() {
    let cache = cache();
    cache.get().await.unwrap();
    let (ask, asked) = std::sync::mpsc::channel::<()>();
    let (tell, told) = std::sync::mpsc::channel();
    let other = std::thread::spawn({
        let cache = Arc::clone(&cache);
        move || {
            while asked.recv().is_ok() {
                tell.send(hit(&cache)).unwrap();
            }
        }
    });
    let on_the_other_thread = || {
        ask.send(()).unwrap();
        told.recv().unwrap()
    };
    assert_eq!(on_the_other_thread().as_deref(), Some("t1"));
    cache.invalidate();
    assert_eq!(
        on_the_other_thread(),
        None,
        "an invalidated token is never served"
    );
    assert_eq!(hit(&cache), None);
    cache.get().await.unwrap();
    assert_eq!(on_the_other_thread().as_deref(), Some("t2"));
    assert!(cache.invalidate_if_current(&cache.current().unwrap()));
    assert_eq!(
        on_the_other_thread(),
        None,
        "a token dropped as refused is never served"
    );
    drop(ask);
    other.join().unwrap();
}

#[tokio::test(start_paused = true)]
async fn many_caches_read_on_one_thread_each_serve_their_own_token() {
    const PREFIXES: [&str; 7] = ["a", "b", "c", "d", "e", "f", "g"];
    let caches: Vec<_> = PREFIXES
        .iter()
        .map(|&prefix| {
            let fetcher = Fake {
                prefix,
                ..Fake::default()
            };
            TokenCache::new(fetcher, RefreshMargins::default())
        })
        .collect();
    for cache in &caches {
        cache.get().await.unwrap();
    }
    for round in 0..3 {
        for (cache, prefix) in caches.iter().zip(PREFIXES) {
            let token = format!("{prefix}t{}", round + 1);
            assert_eq!(hit(cache).as_deref(), Some(token.as_str()));
        }
        for cache in &caches {
            cache.invalidate();
            assert_eq!(hit(cache), None);
            cache.get().await.unwrap();
        }
    }
    // A cache dropped and another made (perhaps at the same address) share nothing.
    drop(caches);
    let fresh = cache();
    assert_eq!(hit(&fresh), None);
    fresh.get().await.unwrap();
    assert_eq!(hit(&fresh).as_deref(), Some("t1"));
}
