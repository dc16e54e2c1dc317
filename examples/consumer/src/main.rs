//! The service's entry point: reads the provider's address and credentials
//! from `AUTHORIZED_WORKSPACE_BASE_URL`, `_CLIENT_ID` and `_CLIENT_SECRET`,
//! then shows a dashboard and starts a project.
//!
//! No provider at hand? `authorized sandbox` (from the repository's CLI)
//! prints the variables to set, or run `cargo run --example local`, which
//! starts an embedded sandbox.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let result = async {
        let api = consumer::client_from_env()?;
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
        Ok::<_, consumer::AppError>(())
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
