//! `examples/consumer` is its own workspace (`cargo test --manifest-path
//! examples/consumer/Cargo.toml` runs it against the sandbox). From here:
//! its spec keeps generating as the codegen changes, and its own lock file
//! keeps the versions of this workspace's lock.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_consumer_spec_generates_its_module() {
    let path = repo().join("examples/consumer/spec/workspace.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (module, code) =
        authorized_codegen::generate_file(&path, &text, authorized_codegen::DEFAULT_RUNTIME_CRATE)
            .unwrap_or_else(|e| panic!("the consumer's spec no longer generates:\n{e}"));
    assert_eq!(module, "workspace");
    for method in [
        "pub fn me(",
        "pub fn list_projects(",
        "pub fn create_project(",
    ] {
        assert!(
            code.contains(method),
            "no `{method}` in the consumer's module"
        );
    }
}

/// `name → versions` of every package in a `Cargo.lock`.
fn locked(path: &Path) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut packages: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut name = None;
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_owned());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            packages
                .entry(n)
                .or_default()
                .push(v.trim_matches('"').to_owned());
        }
    }
    packages
}

#[test]
fn the_consumer_lock_matches_the_workspace_lock() {
    let workspace = locked(&repo().join("Cargo.lock"));
    let consumer = locked(&repo().join("examples/consumer/Cargo.lock"));
    let differing: Vec<String> = consumer
        .iter()
        .filter(|(name, _)| name.as_str() != "consumer")
        .filter(|(name, versions)| {
            let known = workspace.get(*name).map(Vec::as_slice).unwrap_or_default();
            !versions.iter().all(|v| known.contains(v))
        })
        .map(|(name, versions)| {
            format!("{name} {versions:?} (workspace: {:?})", workspace.get(name))
        })
        .collect();
    assert!(
        differing.is_empty(),
        "examples/consumer/Cargo.lock drifted from Cargo.lock: {differing:#?}\n\
         copy Cargo.lock to examples/consumer/ and run `cargo build --manifest-path examples/consumer/Cargo.toml`"
    );
}
