//! The service against the sandbox: its functions in process, and its
//! binary configured by environment variables, as it runs in production.

use std::process::Command;

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, RunningSandbox, Sandbox};
use consumer::{AppError, dashboard, start_project, workspace};

fn client(sandbox: &RunningSandbox) -> workspace::Client {
    workspace::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .share_cache(false)
        .build()
        .expect("a valid client")
}

#[tokio::test]
async fn functions_act_as_the_user_in_the_tenant() {
    let sandbox = Sandbox::default().start().await.unwrap();
    let api = client(&sandbox);

    let board = dashboard(&api, 1002, "华东-01").await.unwrap();
    assert_eq!(
        (board.user.as_str(), board.tenant.as_str()),
        ("Bob Li", "华东-01")
    );
    assert!(!board.projects.is_empty());

    let project = start_project(&api, "a+b@example.com", 1, "Launch plan")
        .await
        .unwrap();
    assert_eq!(
        (project.tenant_code.as_str(), project.owner_uid),
        ("acme", 1002)
    );

    // uid 1001 is not a member of 华东-01: the provider's refusal comes back typed.
    let refused = dashboard(&api, 1001, "华东-01").await.unwrap_err();
    assert!(
        matches!(refused, AppError::Api(ref e) if e.status() == Some(403)),
        "{refused}"
    );

    let stats = sandbox.stats().server;
    assert_eq!(
        stats.token_client_credentials, 1,
        "one token for every call"
    );
    assert_eq!(stats.sudo_calls, 4);
    sandbox.shutdown().await;
}

/// A sandbox serving from a runtime of its own while the test waits on the binary.
fn background_sandbox() -> (tokio::runtime::Runtime, RunningSandbox) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime.block_on(Sandbox::default().start()).unwrap();
    (runtime, sandbox)
}

fn service() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_consumer"));
    for var in ["BASE_URL", "CLIENT_ID", "CLIENT_SECRET"] {
        command.env_remove(format!("AUTHORIZED_WORKSPACE_{var}"));
    }
    command
}

#[test]
fn the_binary_reads_the_provider_from_the_environment() {
    let (_runtime, sandbox) = background_sandbox();
    let output = service()
        .env("AUTHORIZED_WORKSPACE_BASE_URL", sandbox.base_url())
        .env("AUTHORIZED_WORKSPACE_CLIENT_ID", DEMO_CLIENT_ID)
        .env("AUTHORIZED_WORKSPACE_CLIENT_SECRET", DEMO_CLIENT_SECRET)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.starts_with("Bob Li in 华东-01: "), "{stdout}");
    assert!(
        stdout.contains("created project #5 `Launch plan` in acme"),
        "{stdout}"
    );
    assert_eq!(sandbox.stats().server.api_calls, 3);
}

#[test]
fn the_binary_says_what_is_missing() {
    let output = service().output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("AUTHORIZED_WORKSPACE_BASE_URL"),
        "{stderr}"
    );
}
