//! Compile-time behaviour of `#[authorized]`: every supported form compiles
//! (`tests/ui/pass`), and every mistake is one clear error at the offending
//! token (`tests/ui/fail`, with the expected `.stderr`). Rewrite the
//! `.stderr` files with `TRYBUILD=overwrite` when a message changes on
//! purpose, and read them before committing.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
