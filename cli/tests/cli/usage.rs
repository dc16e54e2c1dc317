//! The command line itself: every subcommand has help that names its
//! flags, and a bad flag or a missing argument is one error line with exit
//! code 2.

use crate::support::{run, stderr, stdout};

#[test]
fn a_bad_flag_is_one_error_line() {
    let output = run(&["token", "--bogus"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: unexpected argument '--bogus' found"),
        "{err}"
    );

    let output = run(&["call", "GET", "/api/me", "--sudo", "nick:bob"]);
    let err = stderr(&output);
    assert_eq!(
        (output.status.code(), err.lines().count()),
        (Some(2), 1),
        "{err}"
    );
    assert!(err.contains("unknown form `nick`"), "{err}");

    let output = run(&["call"]);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("<METHOD> <PATH>"), "{err}");
}

#[test]
fn every_subcommand_has_help() {
    for command in [
        "demo",
        "token",
        "check",
        "revoke",
        "call",
        "sandbox",
        "gen",
        "completions",
    ] {
        let output = run(&[command, "--help"]);
        assert!(output.status.success(), "{command} --help");
        let help = stdout(&output);
        assert!(help.contains("Usage: authorized"), "{command} --help");
        // No word left of the silent stand-in the connecting commands had.
        assert!(
            !help.contains("started for the command"),
            "{command}: {help}"
        );
    }
    for command in ["token", "check", "revoke", "call"] {
        let help = stdout(&run(&[command, "--help"]));
        for flag in [
            "--sandbox",
            "--base-url",
            "--client-auth",
            "--issuer",
            "--output",
        ] {
            assert!(help.contains(flag), "{command} --help lacks {flag}");
        }
    }
}
