//! `--redis URL` (and `AUTHORIZED_REDIS_URL`): separate runs of the binary
//! share one token through a real redis-server, as a fleet's replicas do.

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox};

use crate::support::{authorized, stderr, stdout};

#[path = "../../../redis/tests/support/redis_server.rs"]
mod redis_server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn separate_runs_with_the_same_redis_share_one_token() {
    let sandbox = Sandbox::default().start().await.unwrap();
    let redis = tokio::task::block_in_place(redis_server::RedisServer::start);
    let base_url = sandbox.base_url();
    let run = |via_env: bool| {
        let mut command = authorized();
        command.args(["token", "--show-secrets", "--base-url", &base_url]);
        command.args([
            "--client-id",
            DEMO_CLIENT_ID,
            "--client-secret",
            DEMO_CLIENT_SECRET,
        ]);
        if via_env {
            command.env("AUTHORIZED_REDIS_URL", redis.url());
        } else {
            command.args(["--redis", &redis.url()]);
        }
        let output = tokio::task::block_in_place(|| command.output().unwrap());
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let first = run(false);
    let second = run(true);
    assert!(first.contains("sat_"), "{first}");
    assert_eq!(first, second, "the second run took the first one's token");
    assert_eq!(sandbox.stats().server.token_client_credentials, 1);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoke_drops_the_shared_token_so_the_next_run_fetches_a_new_one() {
    let sandbox = Sandbox::default().start().await.unwrap();
    let redis = tokio::task::block_in_place(redis_server::RedisServer::start);
    let base_url = sandbox.base_url();
    let run = |command: &str| {
        let output = authorized()
            .args([command, "--base-url", &base_url, "--redis", &redis.url()])
            .args([
                "--client-id",
                DEMO_CLIENT_ID,
                "--client-secret",
                DEMO_CLIENT_SECRET,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{command}: {}", stderr(&output));
    };
    let tokens = || sandbox.stats().server.token_client_credentials;
    tokio::task::block_in_place(|| run("token"));
    tokio::task::block_in_place(|| run("revoke"));
    assert_eq!(
        (tokens(), sandbox.stats().server.revoke),
        (1, 1),
        "revoke took the shared token"
    );
    tokio::task::block_in_place(|| run("token"));
    assert_eq!(
        tokens(),
        2,
        "the revoked token was not taken from Redis again"
    );
    sandbox.shutdown().await;
}

#[test]
fn a_bad_redis_url_is_a_usage_error_that_shows_no_password() {
    let output = authorized()
        .args([
            "token",
            "--base-url",
            "http://127.0.0.1:9/",
            "--client-id",
            "a",
            "--client-secret",
            "b",
        ])
        .args(["--redis", "http://user:hunter2@example.invalid/"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let shown = stderr(&output);
    assert!(shown.contains("redis://"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
}
