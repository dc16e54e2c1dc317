//! How the property tests run: a fixed seed (CI sees the same cases every
//! time; a failure reproduces as is), no failure files, and a modest number
//! of cases that `PROPTEST_CASES` can raise to look harder, e.g.
//! `PROPTEST_CASES=5000 cargo test -p authorized-tests --test prop_answers`.

#![allow(dead_code)] // Each test binary uses its own share of the helpers.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// A runner with `cases` cases (unless `PROPTEST_CASES` says otherwise)
/// and the fixed seed.
pub fn runner(cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

/// Runs `test` on `cases` values of `strategy`; panics with the minimal
/// failing value.
pub fn check<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    if let Err(failure) = runner(cases).run(&strategy, test) {
        panic!("{failure}");
    }
}

/// Text built to break encoders: the characters that mean something in a
/// query string, a form, JSON, HTML or a URL, whitespace and control
/// characters, and non-ASCII text, or any Unicode at all.
pub fn hostile_text() -> impl Strategy<Value = String> {
    proptest::prop_oneof![
        "[+&=%#?;/:@ \n\r\t\"'<>\\\\.~*!$()^`{}|\\[\\]a-zA-Z0-9\u{0}\u{7f}华东é🙂]{0,24}",
        proptest::arbitrary::any::<String>(),
    ]
}
