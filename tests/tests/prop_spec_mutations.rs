//! The real spec files, mutated (bytes flipped, lines deleted, duplicated or
//! swapped, text cut short, YAML oddities spliced in), give the code
//! generator an error that names the file, or code that parses: never a
//! panic, and never code it cannot itself read back ("a codegen bug").

mod prop_support;

use std::path::{Path, PathBuf};

use authorized_codegen::{DEFAULT_RUNTIME_CRATE, Error, generate_file};
use proptest::prelude::*;
use proptest::sample::Index;

use prop_support::check;

/// The specs the project ships, and the fixture that uses every feature.
fn specs() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    [
        "spec/hotel.yaml",
        "spec/server.yaml",
        "codegen/tests/fixtures/ledger.yaml",
    ]
    .iter()
    .map(|file| {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        (PathBuf::from(file), text)
    })
    .collect()
}

/// One way to damage a spec.
#[derive(Clone, Debug)]
enum Mutation {
    FlipByte(Index, u8),
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    Truncate(Index),
    /// Splices YAML-significant text in at a line start or mid-line.
    Insert(Index, &'static str),
}

const SNIPPETS: &[&str] = &[
    "{",
    "[",
    "}",
    "- ",
    ": ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!custom ",
    "? ",
    "|\n",
    ">-\n",
    "\t",
    "  ",
    "\"",
    "'",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "~",
    "null",
    "99999999999999999999999",
    "-1",
    "1e999",
    "\u{feff}",
    "\u{0}",
    "é华🙂",
    "x: &x [*x]\n",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
        any::<Index>().prop_map(Mutation::DeleteLine),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), proptest::sample::select(SNIPPETS))
            .prop_map(|(i, s)| Mutation::Insert(i, s)),
    ]
}

fn apply(text: &[u8], mutation: &Mutation) -> Vec<u8> {
    let mut bytes = text.to_vec();
    let mut lines: Vec<Vec<u8>> = text
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    match mutation {
        Mutation::FlipByte(i, b) if !bytes.is_empty() => {
            let i = i.index(bytes.len());
            bytes[i] = *b;
            bytes
        }
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i.index(lines.len()));
            lines.concat()
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let i = i.index(lines.len());
            lines.insert(i, lines[i].clone());
            lines.concat()
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            lines.concat()
        }
        Mutation::Truncate(i) => {
            bytes.truncate(i.index(bytes.len() + 1));
            bytes
        }
        Mutation::Insert(i, snippet) => {
            let i = i.index(bytes.len() + 1);
            bytes.splice(i..i, snippet.bytes());
            bytes
        }
        _ => bytes,
    }
}

/// What the generator must do with any text: an error naming the file, or
/// code that parses.
fn generates_or_explains(file: &Path, text: &str) -> Result<(), TestCaseError> {
    match generate_file(file, text, DEFAULT_RUNTIME_CRATE) {
        Ok((module, code)) => {
            prop_assert!(!module.is_empty());
            prop_assert!(code.contains(&format!("pub mod {module}")), "{code}");
        }
        Err(Error::Spec(errors)) => {
            prop_assert!(!errors.is_empty());
            let shown = Error::Spec(errors).to_string();
            let name = file.to_string_lossy();
            prop_assert!(shown.contains(name.as_ref()), "{shown}");
        }
        Err(other) => {
            return Err(TestCaseError::fail(format!(
                "not a spec error, for:\n{text}\n---\n{other}"
            )));
        }
    }
    Ok(())
}

#[test]
fn the_specs_as_shipped_generate() {
    for (file, text) in specs() {
        generate_file(&file, &text, DEFAULT_RUNTIME_CRATE).unwrap();
    }
}

#[test]
fn mutated_specs_give_an_error_or_code_never_a_panic() {
    let specs = specs();
    let strategy = (any::<Index>(), proptest::collection::vec(mutation(), 1..4));
    check(256, strategy, |(which, mutations)| {
        let (file, text) = &specs[which.index(specs.len())];
        let mut bytes = text.as_bytes().to_vec();
        for mutation in &mutations {
            bytes = apply(&bytes, mutation);
        }
        generates_or_explains(file, &String::from_utf8_lossy(&bytes))
    });
}

#[test]
fn pathological_yaml_gives_an_error_not_a_crash() {
    let file = Path::new("spec/odd.yaml");
    let deep = "[".repeat(10_000);
    let deep_map = "a: {".repeat(5_000);
    let laughs = "name: lol\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
    let long_key = format!("{}: 1\n", "k".repeat(1 << 20));
    for text in [
        deep.as_str(),
        deep_map.as_str(),
        laughs,
        long_key.as_str(),
        "",
        "\u{feff}",
        "---\n---\n",
        "name: x\nname: y\n",
    ] {
        generates_or_explains(file, text).unwrap();
    }
}
