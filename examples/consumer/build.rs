//! Generates a typed client module for every spec in `spec/` (here
//! `workspace.yaml`) into `OUT_DIR`; `src/lib.rs` includes it. Editing a
//! spec regenerates on the next build, and a broken spec fails the build
//! with `file:line:column: at `path`: what was expected`.

use std::process::ExitCode;

fn main() -> ExitCode {
    match authorized_codegen::configure().compile_dir("spec") {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: the provider specs are invalid\n{error}");
            ExitCode::FAILURE
        }
    }
}
