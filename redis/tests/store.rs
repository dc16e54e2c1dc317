//! The `TokenStore` contract, held by `RedisStore` against a real
//! `redis-server` that each test starts on a free loopback port: fences,
//! the lock and its owner, fenced writes, compare-and-drop, expiry, news
//! between stores, what else may sit at a key, and errors without the
//! URL's password. (The fleet tests in `tests/` run whole processes on it.)

mod support;

use std::time::Duration;

use authorized_redis::{Keys, RedisStore};
use authorized_runtime::store::{EntryName, Fingerprint, SharedEntry, TokenStore};
use redis::AsyncCommands as _;
use support::redis_server::RedisServer;

const LEASE: Duration = Duration::from_secs(10);
const TTL: Duration = Duration::from_secs(60);
/// How long news may take to cross a real Redis at most before a test fails.
const NEWS_WITHIN: Duration = Duration::from_secs(10);
const WEEK: Duration = Duration::from_secs(7 * 24 * 3600);

/// Half of `d` in milliseconds: what is left of a fresh expiry at least,
/// however slow the test machine.
fn half(d: Duration) -> i64 {
    d.as_millis() as i64 / 2
}

fn name(n: u8) -> EntryName {
    EntryName::from_hex(&format!("{n:02x}").repeat(16)).expect("32 hex digits")
}

fn entry(fence: u64, fingerprint: u8) -> SharedEntry {
    SharedEntry {
        fence,
        fingerprint: Fingerprint([fingerprint; 16]),
        sealed: format!("sealed bytes {fingerprint}: \0\u{1}:a1:").into_bytes(),
    }
}

fn store(server: &RedisServer) -> RedisStore {
    RedisStore::new(&server.url()).expect("a Redis URL")
}

/// A plain connection to the same server, to look at keys and put odd
/// values in them.
async fn raw(server: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(server.url())
        .expect("a Redis URL")
        .get_multiplexed_async_connection()
        .await
        .expect("connect to redis-server")
}

async fn pttl(server: &RedisServer, key: &str) -> i64 {
    redis::cmd("PTTL")
        .arg(key)
        .query_async(&mut raw(server).await)
        .await
        .expect("PTTL")
}

#[tokio::test]
async fn a_written_entry_reads_back_as_written() {
    let server = RedisServer::start();
    let store = store(&server);
    assert_eq!(store.read(&name(1)).await.unwrap(), None);
    let fence = store.lock(&name(1), "a", LEASE).await.unwrap().unwrap();
    assert!(store.write(&name(1), entry(fence, 7), TTL).await.unwrap());
    assert_eq!(store.read(&name(1)).await.unwrap(), Some(entry(fence, 7)));
    // Another name is another entry.
    assert_eq!(store.read(&name(2)).await.unwrap(), None);
}

#[tokio::test]
async fn each_lock_hands_out_a_fence_above_every_earlier_one_and_the_stored_entrys() {
    let server = RedisServer::start();
    let store = store(&server);
    let first = store.lock(&name(1), "a", LEASE).await.unwrap().unwrap();
    assert!(first >= 1);
    assert!(store.unlock(&name(1), "a").await.unwrap());
    let second = store.lock(&name(1), "b", LEASE).await.unwrap().unwrap();
    assert!(second > first, "{second} > {first}");
    // An entry stored under a greater fence (e.g. after the fence key was
    // lost) lifts the next fence above it.
    assert!(store.write(&name(1), entry(100, 1), TTL).await.unwrap());
    assert!(store.unlock(&name(1), "b").await.unwrap());
    let third = store.lock(&name(1), "c", LEASE).await.unwrap().unwrap();
    assert_eq!(third, 101);
    // Fences are per name.
    let other = store.lock(&name(2), "a", LEASE).await.unwrap().unwrap();
    assert_eq!(other, 1);
}

#[tokio::test]
async fn a_held_lock_is_not_taken_and_only_its_owner_extends_or_releases_it() {
    let server = RedisServer::start();
    let store = store(&server);
    let keys = store.keys(&name(1));
    assert!(store.lock(&name(1), "a", LEASE).await.unwrap().is_some());
    assert_eq!(store.lock(&name(1), "b", LEASE).await.unwrap(), None);
    assert_eq!(store.lock(&name(1), "a", LEASE).await.unwrap(), None);

    assert!(!store.extend(&name(1), "b", TTL).await.unwrap());
    assert!(pttl(&server, &keys.lock).await <= LEASE.as_millis() as i64);
    assert!(store.extend(&name(1), "a", TTL).await.unwrap());
    let extended = pttl(&server, &keys.lock).await;
    assert!(
        extended > LEASE.as_millis() as i64 && extended <= TTL.as_millis() as i64,
        "the lease runs {extended} ms from the extension"
    );

    assert!(!store.unlock(&name(1), "b").await.unwrap());
    assert!(store.lock(&name(1), "b", LEASE).await.unwrap().is_none());
    assert!(store.unlock(&name(1), "a").await.unwrap());
    assert!(!store.unlock(&name(1), "a").await.unwrap(), "released once");
    assert!(!store.extend(&name(1), "a", LEASE).await.unwrap());
    assert!(store.lock(&name(1), "b", LEASE).await.unwrap().is_some());
}

#[tokio::test]
async fn a_holder_that_lost_its_lease_cannot_write_over_the_next_one() {
    let server = RedisServer::start();
    let store = store(&server);
    let keys = store.keys(&name(1));
    let old = store.lock(&name(1), "a", LEASE).await.unwrap().unwrap();
    // The lease runs out (as if "a" stalled): the lock key goes.
    let _: () = raw(&server).await.del(&keys.lock).await.unwrap();
    let new = store.lock(&name(1), "b", LEASE).await.unwrap().unwrap();
    assert!(new > old);

    // A lock was taken since: the old holder is refused even before the
    // new one writes.
    assert!(!store.write(&name(1), entry(old, 1), TTL).await.unwrap());
    assert_eq!(store.read(&name(1)).await.unwrap(), None);
    assert!(store.write(&name(1), entry(new, 2), TTL).await.unwrap());
    assert!(!store.write(&name(1), entry(old, 1), TTL).await.unwrap());
    assert_eq!(store.read(&name(1)).await.unwrap(), Some(entry(new, 2)));
    // The holder of the current fence may write again (a renewal it
    // finishes after a first write).
    assert!(store.write(&name(1), entry(new, 3), TTL).await.unwrap());
    assert_eq!(store.read(&name(1)).await.unwrap(), Some(entry(new, 3)));
}

#[tokio::test]
async fn invalidate_drops_the_entry_only_while_it_holds_that_token() {
    let server = RedisServer::start();
    let store = store(&server);
    assert!(store.write(&name(1), entry(1, 7), TTL).await.unwrap());
    assert!(
        !store
            .invalidate(&name(1), &Fingerprint([8; 16]))
            .await
            .unwrap()
    );
    assert_eq!(store.read(&name(1)).await.unwrap(), Some(entry(1, 7)));
    assert!(
        !store
            .invalidate(&name(2), &Fingerprint([7; 16]))
            .await
            .unwrap()
    );
    assert!(
        store
            .invalidate(&name(1), &Fingerprint([7; 16]))
            .await
            .unwrap()
    );
    assert_eq!(store.read(&name(1)).await.unwrap(), None);
    assert!(
        !store
            .invalidate(&name(1), &Fingerprint([7; 16]))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn entries_expire_with_their_ttl_and_locks_with_their_lease() {
    let server = RedisServer::start();
    let store = store(&server);
    let keys = store.keys(&name(1));
    store.lock(&name(1), "a", LEASE).await.unwrap().unwrap();
    let lock = pttl(&server, &keys.lock).await;
    assert!(
        lock > half(LEASE) && lock <= LEASE.as_millis() as i64,
        "lock pttl {lock}"
    );
    assert!(store.write(&name(1), entry(1, 1), TTL).await.unwrap());
    let token = pttl(&server, &keys.token).await;
    assert!(
        token > half(TTL) && token <= TTL.as_millis() as i64,
        "token pttl {token}"
    );
    // The fence counter outlives any entry by far (a week at least), or
    // fences could repeat.
    let fence = pttl(&server, &keys.fence).await;
    assert!(fence > WEEK.as_millis() as i64, "fence pttl {fence}");

    // A zero duration is still a valid expiry (Redis refuses `PX 0`).
    assert!(store.unlock(&name(1), "a").await.unwrap());
    assert!(
        store
            .lock(&name(2), "a", Duration::ZERO)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .write(&name(2), entry(1, 1), Duration::ZERO)
            .await
            .is_ok()
    );
    assert!(store.extend(&name(3), "a", Duration::ZERO).await.is_ok());
}

#[tokio::test]
async fn whatever_else_is_at_a_key_counts_as_absent_and_is_replaced() {
    let server = RedisServer::start();
    let store = store(&server);
    let keys = store.keys(&name(1));
    let mut raw = raw(&server).await;

    let _: () = raw.set(&keys.token, "not one of ours").await.unwrap();
    assert_eq!(store.read(&name(1)).await.unwrap(), None);
    let _: () = raw.del(&keys.token).await.unwrap();
    let _: () = raw.rpush(&keys.token, "a list").await.unwrap();
    assert_eq!(store.read(&name(1)).await.unwrap(), None);
    let _: () = raw.set(&keys.fence, "not a number").await.unwrap();
    let _: () = raw.sadd(&keys.lock, "a set").await.unwrap();

    let fence = store.lock(&name(1), "a", LEASE).await.unwrap();
    assert_eq!(fence, Some(1), "odd values read as no lock, fence 0");
    assert!(store.write(&name(1), entry(1, 1), TTL).await.unwrap());
    assert_eq!(store.read(&name(1)).await.unwrap(), Some(entry(1, 1)));
    assert!(store.unlock(&name(1), "a").await.unwrap());

    // A lock left without an expiry (set by hand) does not block for ever.
    let _: () = raw.set(&keys.lock, "someone").await.unwrap();
    assert_eq!(store.lock(&name(1), "a", LEASE).await.unwrap(), None);
    let lock = pttl(&server, &keys.lock).await;
    assert!(
        lock > half(LEASE) && lock <= LEASE.as_millis() as i64,
        "lock pttl {lock}"
    );
}

#[tokio::test]
async fn keys_are_under_the_prefix_in_one_hash_slot() {
    let server = RedisServer::start();
    let store = RedisStore::builder(server.url())
        .prefix("billing:")
        .build()
        .unwrap();
    assert_eq!(store.prefix(), "billing:");
    let n = name(0xab);
    let base = format!("billing:{{{}}}", "ab".repeat(16));
    assert_eq!(
        store.keys(&n),
        Keys {
            token: format!("{base}:token"),
            lock: format!("{base}:lock"),
            fence: format!("{base}:fence"),
            news: format!("{base}:news"),
        }
    );
    store.lock(&n, "a", LEASE).await.unwrap().unwrap();
    assert!(store.write(&n, entry(1, 1), TTL).await.unwrap());
    let mut found: Vec<String> = raw(&server).await.keys("*").await.unwrap();
    found.sort();
    assert_eq!(
        found,
        [
            format!("{base}:fence"),
            format!("{base}:lock"),
            format!("{base}:token")
        ]
    );
    // Another prefix is another store.
    assert_eq!(
        RedisStore::new(&server.url())
            .unwrap()
            .read(&n)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn writes_releases_and_drops_are_news_to_the_other_stores() {
    let server = RedisServer::start();
    let (writer, listener) = (store(&server), store(&server));
    let mut news = listener.subscribe(&name(1));
    // The listener says so once it is subscribed (news may have been missed
    // before); from then on nothing is missed.
    assert!(news.wait(NEWS_WITHIN).await, "the listener connects");
    let mut elsewhere = listener.subscribe(&name(2));

    let fence = writer.lock(&name(1), "a", LEASE).await.unwrap().unwrap();
    assert!(writer.write(&name(1), entry(fence, 1), TTL).await.unwrap());
    assert!(news.wait(NEWS_WITHIN).await, "a write is news");
    assert!(writer.unlock(&name(1), "a").await.unwrap());
    assert!(news.wait(NEWS_WITHIN).await, "a release is news");
    assert!(
        writer
            .invalidate(&name(1), &Fingerprint([1; 16]))
            .await
            .unwrap()
    );
    assert!(news.wait(NEWS_WITHIN).await, "a drop is news");
    // None of it was news of another entry (whose subscription has seen
    // only the connection's wake-up, if it came after it subscribed).
    assert!(!elsewhere.wait(Duration::ZERO).await);
}

#[tokio::test]
async fn errors_and_debug_never_show_the_urls_password() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("redis://admin:hunter2%21@127.0.0.1:{closed}/0");
    let store = RedisStore::builder(&url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let builder = format!("{:?}", RedisStore::builder(&url));
    let shown = format!("{store:?}");
    for shown in [&builder, &shown] {
        assert!(
            !shown.contains("hunter2") && !shown.contains("admin"),
            "{shown}"
        );
        let redacted = format!("redis://**:**@127.0.0.1:{closed}/0");
        assert!(shown.contains(&redacted), "{shown}");
    }
    let error = store
        .read(&name(1))
        .await
        .expect_err("nothing listens there");
    let text = format!("{error} {error:?}");
    assert!(
        !text.contains("hunter2") && !text.contains("admin"),
        "{text}"
    );
    assert!(text.contains(&format!("127.0.0.1:{closed}")), "{text}");
    // What went wrong is kept; only the secrets go.
    assert!(text.to_lowercase().contains("refused"), "{text}");
    let error = store
        .lock(&name(1), "a", LEASE)
        .await
        .expect_err("nothing listens there");
    assert!(!format!("{error:?}").contains("hunter2"));
}

#[tokio::test]
async fn clones_are_one_store_and_separate_stores_are_not() {
    let url = "redis://127.0.0.1:6379/";
    let (store, other) = (RedisStore::new(url).unwrap(), RedisStore::new(url).unwrap());
    // Clients with one store share one token cache in a process; with
    // separate stores (maybe separate Redis servers), each has its own.
    assert_eq!(store.identity(), store.clone().identity());
    assert_ne!(store.identity(), other.identity());
}
