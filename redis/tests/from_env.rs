//! `RedisStore::from_env`: the URL and prefix from the environment. Each
//! case runs in a child process (this test binary again) with its own
//! environment, since a process's variables are shared by all its threads.

use std::process::Command;

use authorized_redis::{DEFAULT_PREFIX, PREFIX_VAR, RedisStore, URL_VAR};

/// Set in a child: the case it checks.
const CASE: &str = "AUTHORIZED_REDIS_TEST_CASE";
const TEST: &str = "the_url_and_prefix_come_from_the_environment_and_a_blank_url_is_none";

/// What the child checks, with the environment the parent gave it.
fn check(case: &str) {
    let found = RedisStore::from_env();
    match case {
        "unset" | "blank" => assert!(found.unwrap().is_none(), "{case}"),
        "url" => {
            let store = found.unwrap().expect("a store");
            assert_eq!(store.prefix(), DEFAULT_PREFIX);
            assert!(!format!("{store:?}").contains("hunter2"));
        }
        "url and prefix" => assert_eq!(found.unwrap().expect("a store").prefix(), "billing:"),
        "not redis" => {
            let error = found.expect_err("not a Redis URL");
            assert!(error.0.starts_with(URL_VAR), "{error:?}");
            assert!(error.0.contains("redis://"), "{error:?}");
            assert!(!error.0.contains("hunter2"), "{error:?}");
        }
        other => panic!("unknown case {other}"),
    }
}

#[test]
fn the_url_and_prefix_come_from_the_environment_and_a_blank_url_is_none() {
    if let Ok(case) = std::env::var(CASE) {
        return check(&case);
    }
    let url = " redis://:hunter2@127.0.0.1:6379/2 ";
    let cases: [(&str, Option<&str>, Option<&str>); 5] = [
        ("unset", None, None),
        ("blank", Some("   "), Some("billing:")),
        ("url", Some(url), None),
        ("url and prefix", Some(url), Some("billing:")),
        ("not redis", Some("http://:hunter2@127.0.0.1:6379/"), None),
    ];
    for (case, url, prefix) in cases {
        let mut child = Command::new(std::env::current_exe().expect("own path"));
        child.args(["--exact", TEST, "--nocapture", "--test-threads=1"]);
        child
            .env(CASE, case)
            .env_remove(URL_VAR)
            .env_remove(PREFIX_VAR);
        if let Some(url) = url {
            child.env(URL_VAR, url);
        }
        if let Some(prefix) = prefix {
            child.env(PREFIX_VAR, prefix);
        }
        let out = child.output().expect("run the test binary again");
        assert!(
            out.status.success(),
            "case {case}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
