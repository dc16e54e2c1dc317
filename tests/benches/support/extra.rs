//! Results criterion does not keep (token request counts, lines generated):
//! written as JSON next to criterion's own, under
//! `<target>/criterion/authorized-extra/`, where `plot.py` reads them.

use std::path::PathBuf;

/// `<target>/criterion/authorized-extra`, created if needed.
pub fn dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")));
    let dir = target.join("criterion").join("authorized-extra");
    std::fs::create_dir_all(&dir).expect("results directory");
    dir
}

/// Writes `value` as `<name>.json`.
pub fn record(name: &str, value: &serde_json::Value) {
    let path = dir().join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(value).expect("JSON");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
