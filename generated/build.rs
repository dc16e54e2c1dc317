//! Generates one module per provider spec in `spec/`: editing a spec
//! regenerates the clients on the next build, and a broken spec fails the
//! build with `file:line:column: at `path`: what was expected`.
//!
//! In the repository `spec/` here is a link to the root's `spec/`, the one
//! place people edit; `cargo package` follows it, so the published crate
//! carries the specs it compiles.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = Path::new("spec");
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
    match authorized_codegen::configure()
        .runtime_crate("::authorized_api::runtime")
        .compile_dir(&dir)
    {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the provider specs are invalid\n{e}");
            ExitCode::FAILURE
        }
    }
}
