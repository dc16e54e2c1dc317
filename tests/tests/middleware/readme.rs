//! The README's reqwest-middleware example is the code of the doc test in
//! `authorized-api`'s crate docs (compiled there, feature `middleware`),
//! less the lines rustdoc hides, so the README shows code that compiles
//! (marked `ignore` there: the README's own doc tests would lack the hidden
//! lines that make it a program).

const README: &str = include_str!("../../../README.md");
const API_DOCS: &str = include_str!("../../../generated/src/lib.rs");

/// The first code block after `heading` whose fence opens with `fence`.
fn block<'a>(text: &'a str, heading: &str, fence: &str) -> &'a str {
    let section = text.find(heading).unwrap_or_else(|| panic!("{heading}"));
    let open = section + text[section..].find(fence).expect("a code block");
    let start = open + fence.len();
    let end = start + text[start..].find("\n```").expect("the block's end");
    text[start..end].trim_matches('\n')
}

#[test]
fn the_readme_example_is_the_compiled_doc_test() {
    let readme = block(README, "### reqwest-middleware", "```rust,ignore\n");
    let docs = block(API_DOCS, "# With reqwest-middleware", "```no_run\n");
    let shown: Vec<&str> = docs
        .lines()
        .filter(|line| *line != "#" && !line.starts_with("# "))
        .collect();
    assert_eq!(readme, shown.join("\n").trim_matches('\n'));
}
