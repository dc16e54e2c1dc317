//! A one-off measurement, not a criterion bench: how long the crate
//! generated from a synthetic spec of 100 endpoints takes to build. Writes a
//! crate depending on `authorized-api` under
//! `<target>/codegen-build/`, builds its dependencies once (not timed), then
//! times `cargo build` and `cargo build --release` of the crate itself three
//! times each (after touching its source, without incremental compilation)
//! and reports the median. The
//! result goes to `<target>/criterion/authorized-extra/codegen_build.json`.
//!
//! `cargo bench -p authorized-tests --bench codegen_build`
//! (not run by a plain `cargo bench`: it takes a minute or two the first time).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/extra.rs"]
mod extra;
#[path = "support/spec.rs"]
mod spec;

const ENDPOINTS: usize = 100;
const ROUNDS: usize = 3;

fn cargo(crate_dir: &Path, target_dir: &Path, release: bool) -> Duration {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .arg("build")
        .arg("--quiet")
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", target_dir)
        // Whole builds of the crate: incremental reuse would time nothing
        // after an unchanged rewrite.
        .env("CARGO_INCREMENTAL", "0");
    if release {
        command.arg("--release");
    }
    let started = Instant::now();
    let status = command.status().expect("run cargo");
    let elapsed = started.elapsed();
    assert!(
        status.success(),
        "cargo build failed in {}",
        crate_dir.display()
    );
    elapsed
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        // `cargo bench -- --list` asks every bench for its benchmarks.
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repository root")
        .canonicalize()
        .expect("repository root");
    let root = extra::dir()
        .parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join("codegen-build");
    let crate_dir = root.join("generated-100");
    let target_dir = root.join("target");
    std::fs::create_dir_all(crate_dir.join("src")).expect("crate directory");
    write(
        &crate_dir.join("Cargo.toml"),
        &format!(
            "[package]
name = \"authorized-bench-generated\"
version = \"0.0.0\"
edition = \"2024\"
publish = false

[workspace]

[dependencies]
authorized-api = {{ path = {:?} }}
",
            repo.join("generated").display().to_string()
        ),
    );
    // The repository's versions of the dependencies, where it has a lock file.
    let _ = std::fs::copy(repo.join("Cargo.lock"), crate_dir.join("Cargo.lock"));
    let lib = crate_dir.join("src/lib.rs");

    let text = spec::synthetic(ENDPOINTS);
    let (_, code) = authorized_codegen::generate_file(
        Path::new(spec::FILE),
        &text,
        "::authorized_api::runtime",
    )
    .unwrap_or_else(|e| panic!("the synthetic spec is invalid: {e}"));
    let lines = code.lines().count();

    println!(
        "building the dependencies of {} (not timed)…",
        crate_dir.display()
    );
    write(&lib, "//! Dependencies only.\n");
    cargo(&crate_dir, &target_dir, false);
    cargo(&crate_dir, &target_dir, true);

    write(
        &lib,
        &format!("//! Generated from a synthetic spec of {ENDPOINTS} endpoints.\n\n{code}"),
    );
    let mut report = serde_json::json!({ "endpoints": ENDPOINTS, "lines": lines });
    for (profile, release) in [("debug", false), ("release", true)] {
        let mut times: Vec<Duration> = (0..ROUNDS)
            .map(|_| {
                // A changed source: cargo rebuilds the crate, not its dependencies.
                write(&lib, &std::fs::read_to_string(&lib).expect("read lib.rs"));
                cargo(&crate_dir, &target_dir, release)
            })
            .collect();
        times.sort();
        let median = times[ROUNDS / 2];
        println!(
            "codegen_build/{ENDPOINTS} ({lines} lines), {profile}: {:.2} s (median of {ROUNDS}: {:?})",
            median.as_secs_f64(),
            times
        );
        report[profile] = serde_json::json!(median.as_secs_f64());
    }
    extra::record("codegen_build", &report);
}
