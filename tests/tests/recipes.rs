//! The recipes of `spec/README.md` cannot rot: each is a complete spec that
//! generates exactly the code of the spec file its marker names (comments
//! and docs aside), and every one of those files is compiled, by
//! `authorized-api`'s build (`spec/`) or this crate's (`tests/specs/`).

use std::path::{Path, PathBuf};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_owned()
}

/// `(file named by the marker, YAML of the block after it)` for every
/// recipe in the README.
fn recipes(readme: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(file) = line
            .strip_prefix("<!-- recipe: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next(),
            Some("```yaml"),
            "the recipe of {file} is a yaml block"
        );
        let yaml: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        found.push((file.to_owned(), yaml.join("\n") + "\n"));
    }
    found
}

/// Generated code without its comments and docs.
fn code(name: &str, yaml: &str) -> String {
    let (_, code) =
        authorized_codegen::generate_file(Path::new(name), yaml, "::authorized_api::runtime")
            .unwrap_or_else(|e| panic!("{name} does not generate: {e}"));
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_recipe_generates_exactly_what_its_spec_file_generates() {
    let readme = std::fs::read_to_string(root().join("spec/README.md")).unwrap();
    let recipes = recipes(&readme);
    let files: Vec<&str> = recipes.iter().map(|(file, _)| file.as_str()).collect();
    assert_eq!(
        files,
        [
            "spec/oauth2.yaml",
            "tests/specs/wechat.yaml",
            "tests/specs/feishu.yaml",
            "spec/hotel.yaml",
            "spec/server.yaml",
        ],
        "the README's recipes"
    );
    for (file, yaml) in &recipes {
        let spec = std::fs::read_to_string(root().join(file)).unwrap();
        assert_eq!(
            code(&format!("recipe of {file}"), yaml),
            code(file, &spec),
            "the recipe of {file} has drifted from it"
        );
    }
}
