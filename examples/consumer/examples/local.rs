//! The service against an embedded sandbox, no setup needed:
//! `cargo run --example local`.

use authorized_sandbox::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Sandbox};
use consumer::workspace;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::default().start().await?;
    let api = workspace::Client::builder()
        .base_url(sandbox.base_url())
        .client_id(DEMO_CLIENT_ID)
        .client_secret(DEMO_CLIENT_SECRET)
        .build()?;
    let board = consumer::dashboard(&api, 1002, "华东-01").await?;
    println!(
        "{} in {}: {}",
        board.user,
        board.tenant,
        board.projects.join(", ")
    );
    let project = consumer::start_project(&api, "a+b@example.com", 1, "Launch plan").await?;
    println!(
        "created project #{} `{}` in {}",
        project.id, project.name, project.tenant_code
    );
    let stats = sandbox.stats().server;
    println!(
        "{} API calls, {} token request",
        stats.api_calls, stats.token_client_credentials
    );
    sandbox.shutdown().await;
    Ok(())
}
