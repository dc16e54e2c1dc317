//! One case per fresh process, for the benches that report a memory peak
//! (`stampede`, `codegen`): the bench binary runs itself again once per
//! case, with [`CASE_ENV`] naming the case, so that the peak resident set
//! (`VmHWM`) one case reaches does not hide the next one's. The child runs
//! criterion with the parent's arguments (its filters apply), then hands
//! what criterion does not keep back to the parent as JSON in a file.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Set in a child: the case it runs (`"ours/1000"`, `"10000"`).
pub const CASE_ENV: &str = "AUTHORIZED_BENCH_CASE";
/// Set in a child: where it writes its result, if it measured anything.
const RESULT_ENV: &str = "AUTHORIZED_BENCH_RESULT";

/// The case this process runs, if it is a child.
pub fn case() -> Option<String> {
    std::env::var(CASE_ENV).ok()
}

/// In a child: hands `result` to the parent.
pub fn report(result: &serde_json::Value) {
    let path = std::env::var_os(RESULT_ENV).expect("run as a child of the bench");
    let text = serde_json::to_string(result).expect("JSON");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", Path::new(&path).display()));
}

/// In the parent: runs each case in a child of its own, one after the
/// other, with this process's arguments; returns the results of those that
/// measured something (a filter may leave a child nothing to run).
pub fn run_each(
    cases: impl IntoIterator<Item = String>,
    scratch: &Path,
) -> Vec<(String, serde_json::Value)> {
    let exe = std::env::current_exe().expect("own path");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut results = Vec::new();
    for case in cases {
        let file: PathBuf = scratch.join(format!("case-{}.json", case.replace('/', "-")));
        let _ = std::fs::remove_file(&file);
        let status = Command::new(&exe)
            .args(&args)
            .env(CASE_ENV, &case)
            .env(RESULT_ENV, &file)
            .status()
            .unwrap_or_else(|e| panic!("running case {case}: {e}"));
        assert!(status.success(), "case {case} failed: {status}");
        if let Ok(text) = std::fs::read_to_string(&file) {
            let _ = std::fs::remove_file(&file);
            results.push((case, serde_json::from_str(&text).expect("a child's JSON")));
        }
    }
    results
}

/// A `kB` field of `/proc/self/status`, in KiB (`VmHWM`: the peak resident
/// set so far; `VmRSS`: the resident set now).
pub fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().strip_suffix("kB")?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}
