//! Results criterion does not keep (token request counts, lines generated,
//! memory peaks): written as JSON next to criterion's own, under
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

/// Changes `<name>.json` in place (an empty object if there is none yet),
/// so that a run of some cases keeps the results of the others.
#[allow(dead_code)] // Only the benches that run a case per child use it.
pub fn update(name: &str, change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) {
    let path = dir().join(format!("{name}.json"));
    let mut value = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    if !value.is_object() {
        value = serde_json::json!({});
    }
    change(value.as_object_mut().expect("an object"));
    record(name, &value);
}
