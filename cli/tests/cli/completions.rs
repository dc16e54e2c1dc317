//! `completions SHELL`: a script for bash, zsh and fish that completes the
//! `authorized` command and its subcommands.

use predicates::prelude::*;

use crate::support::{authorized, one_error_line, run};

#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        authorized()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("authorized"))
            .stdout(predicate::str::contains("revoke"))
            .stdout(predicate::str::contains("client-auth"));
    }
    let output = run(&["completions", "tcsh"]);
    let err = one_error_line(&output, 2);
    assert!(err.contains("tcsh"), "{err}");
}
