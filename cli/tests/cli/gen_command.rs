//! The `gen` command: it writes the providers' code to a file or stdout,
//! `--check` tells a missing or stale file, and a spec problem is one error
//! line naming its file, line and place in the document.

use std::path::{Path, PathBuf};

use crate::support::{authorized, error_lines, run, stderr, stdout};

fn spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(name)
}

#[test]
fn gen_writes_then_checks_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("providers.rs");
    let (server, hotel) = (spec("server.yaml"), spec("hotel.yaml"));
    let args = |extra: &[&str]| {
        let mut args = vec![
            server.to_str().unwrap(),
            hotel.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let mut command = authorized();
        command.arg("gen").args(args);
        command.output().unwrap()
    };

    let missing = args(&["--check"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(error_lines(&missing).len(), 1);
    assert!(stderr(&missing).contains("does not exist"));

    assert!(args(&[]).status.success());
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("pub mod server") && written.contains("pub mod hotel"));
    let printed = run(&["gen", server.to_str().unwrap(), hotel.to_str().unwrap()]);
    assert_eq!(stdout(&printed), written, "stdout and the file differ");
    assert!(args(&["--check"]).status.success());

    std::fs::write(&file, written.replace("pub mod hotel", "pub mod hotels")).unwrap();
    let stale = args(&["--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let err = stderr(&stale);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("is stale"),
        "{err}"
    );
}

#[test]
fn gen_reports_spec_problems_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "name: x\nauth:\n  token: { method: GET, path: /t, params_in: body }\n  placement: { query: a, default: query }\n",
    )
    .unwrap();
    let output = run(&["gen", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("bad.yaml:3:") && err.contains("auth.token.params_in"),
        "{err}"
    );
}
