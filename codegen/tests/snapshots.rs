//! The generated code for the fixture and seed specs is kept in
//! `tests/snapshots/`, so a reviewer sees what a spec or codegen change does
//! to the API. `UPDATE_SNAPSHOTS=1 cargo test -p authorized-codegen` rewrites them.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

fn check(spec: &Path, snapshot: &str) {
    let text = fs::read_to_string(spec).unwrap();
    let name = spec.file_name().unwrap();
    let (_, code) = authorized_codegen::generate_file(
        Path::new(name),
        &text,
        authorized_codegen::DEFAULT_RUNTIME_CRATE,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path = root().join("tests/snapshots").join(snapshot);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(&path, &code).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    if expected != code {
        let first = expected
            .lines()
            .zip(code.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(code.lines().count()));
        panic!(
            "{} differs from the generated code from line {} on; if the change is intended, run \
             `UPDATE_SNAPSHOTS=1 cargo test -p authorized-codegen --test snapshots`\n  kept:      {:?}\n  generated: {:?}",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            code.lines().nth(first),
        );
    }
}

#[test]
fn fixture_provider_using_every_type_feature() {
    check(&root().join("tests/fixtures/ledger.yaml"), "ledger.rs");
}

#[test]
fn hotel_seed_spec() {
    check(&root().join("../spec/hotel.yaml"), "hotel.rs");
}

#[test]
fn server_seed_spec() {
    check(&root().join("../spec/server.yaml"), "server.rs");
}
