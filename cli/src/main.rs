//! `authorized`: the command line. Everything lives in the library
//! (`src/lib.rs` maps the modules); this only hands over the exit code.

fn main() -> std::process::ExitCode {
    authorized_cli::main()
}
