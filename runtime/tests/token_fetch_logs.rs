//! Nothing secret is ever logged, at any level, by any crate, on any path
//! of a token request, the cache's own lines name their provider, and an
//! API call's lines sit in its span. The tests of this binary share the
//! global subscriber it installs.

mod common;

use common::providers::{HOTEL, SERVER};
use common::*;
use serde_json::json;

// ---- Logs -------------------------------------------------------------------

/// Collects everything logged, at every level, by every crate.
#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything logged by this binary's tests, once the subscriber is set.
fn capture() -> &'static Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            // Everything on the client side, at every level; the mock vendor's
            // own logs show what it received, secrets included, as a server would.
            .with_env_filter(tracing_subscriber::EnvFilter::new("trace,httpmock=off"))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        // Global: a thread-local subscriber misses callsites that other test
        // threads registered first.
        tracing::subscriber::set_global_default(subscriber).unwrap();
        capture
    })
}

#[tokio::test]
async fn the_caches_own_lines_name_the_provider() {
    let capture = capture();
    let mock = Scripted::start(vec![server_ok(json!("60"))]).await;
    let api = server_client(mock.server.base_url())
        .build_runtime()
        .unwrap();
    api.token().await.unwrap();
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    let renewal = logs.lines().find(|l| l.contains("token renewal started"));
    assert!(
        renewal.is_some_and(|l| l.contains(r#"provider="server""#)),
        "{renewal:?}"
    );
    assert!(
        !logs.contains(SECRET) && !logs.contains(SERVER_TOKEN),
        "{logs}"
    );
}

#[tokio::test]
async fn a_calls_lines_sit_in_its_span() {
    let capture = capture();
    let mock = Scripted::start(proven_then_refused()).await;
    let api = mock.server_api();
    // A first call proves the token: the refusal then replays the second.
    api.get("/api/me").send_raw().await.unwrap();
    (api.get("/api/spans/42?page=2"))
        .sudo(authorized_runtime::Sudo::uid(7))
        .send_raw()
        .await
        .unwrap();
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    let replay = logs.lines().find(|l| l.contains("replaying once"));
    // The method and the path, never the query.
    assert!(
        replay.is_some_and(
            |l| l.contains(r#"api_call{provider="server" method=Get path=/api/spans/42}"#)
        ),
        "{replay:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn nothing_secret_is_ever_logged() {
    let capture = capture();

    let refused = Reply::json(
        401,
        json!({"code": "invalid_grant", "msg": format!("bad {HOTEL_REFRESH}")}),
    );
    let mock = Scripted::start(vec![
        Reply::text(503, "busy"),
        refused,
        hotel_ok(json!(3600)),
    ])
    .await;
    let mut fetcher = mock.fetcher(&HOTEL);
    fetcher.params = vec![("expires_in", "7200".into())];
    // 503, retried; the refresh refused; the fallback granted.
    fetcher.fetch(Some(&previous())).await.unwrap();
    assert_eq!(mock.requests().len(), 3);
    let mock = Scripted::start(vec![Reply::text(500, "x"), server_ok(json!("60"))]).await;
    mock.fetcher(&SERVER).fetch(None).await.unwrap();
    let mock = Scripted::start(vec![Reply::text(
        200,
        &format!(r#"{{"access_token":"{SERVER_TOKEN}"#),
    )])
    .await;
    mock.fetcher(&SERVER).fetch(None).await.unwrap_err();
    // A 2xx answer with a vendor error and no token: a refusal.
    let mock = Scripted::start(vec![Reply::json(
        200,
        json!({"code": 40013, "message": "invalid appid"}),
    )])
    .await;
    mock.fetcher(&SERVER).fetch(None).await.unwrap_err();

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    if std::env::var_os("SHOW_LOGS").is_some() {
        println!("{logs}");
    }
    assert!(
        logs.contains("token_fetch")
            && logs.contains("granted")
            && logs.contains("lifetime_secs=3600"),
        "{logs}"
    );
    // Each request names its grant (the refresh, then the fallback), and
    // each answer what it was (the refresh refused, the cut-off JSON).
    let refusal = logs
        .lines()
        .find(|l| l.contains("status=200") && l.contains("invalid appid"));
    assert!(
        refusal.is_some_and(|l| l.contains(r#"outcome="rejected""#)),
        "a 2xx refusal is logged as one: {refusal:?}"
    );
    for said in [
        r#"grant="refresh_token""#,
        r#"grant="client_credentials""#,
        r#"outcome="rejected""#,
        r#"outcome="undecodable""#,
    ] {
        assert!(logs.contains(said), "{said} in {logs}");
    }
    for secret in [
        SECRET,
        HOTEL_TOKEN,
        HOTEL_REFRESH,
        ROTATED_REFRESH,
        SERVER_TOKEN,
    ] {
        assert!(!logs.contains(secret), "`{secret}` logged:\n{logs}");
    }
}
