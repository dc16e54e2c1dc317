//! Prints the code generated for a spec: `cargo run -p authorized-codegen --example gen -- spec/server.yaml`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: gen SPEC");
    let text = std::fs::read_to_string(&path).expect("readable spec");
    match authorized_codegen::generate_file(
        path.as_ref(),
        &text,
        authorized_codegen::DEFAULT_RUNTIME_CRATE,
    ) {
        Ok((_, code)) => print!("{code}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
