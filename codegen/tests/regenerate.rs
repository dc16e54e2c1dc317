//! Editing a spec regenerates the code on the next build; breaking it fails
//! the build with `file:line:column`. Builds a small crate that uses the
//! builder, the way a service would.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BUILD_RS: &str = r#"
fn main() {
    if let Err(e) = authorized_codegen::configure().compile_dir("spec") {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
"#;

const SPEC: &str = "\
name: probe
auth:
  token: { method: GET, path: /token, params_in: query }
  placement: { query: access_token, default: query }
types:
  Widget:
    fields:
      id: integer
";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn cargo_build(dir: &Path) -> Output {
    Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--offline"])
        .current_dir(dir)
        // Not the outer build's target dir: that one is locked while tests run.
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/tests/regenerate"),
        )
        .output()
        .unwrap()
}

fn assert_builds(dir: &Path) {
    let out = cargo_build(dir);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn editing_a_spec_regenerates_and_breaking_it_fails_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace();
    fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"regen-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nauthorized-api = {{ path = {api:?} }}\n\n\
             [build-dependencies]\nauthorized-codegen = {{ path = {codegen:?} }}\n\n[workspace]\n\n\
             [profile.dev]\ndebug = false\n",
            api = ws.join("generated"),
            codegen = ws.join("codegen"),
        ),
    )
    .unwrap();
    // The workspace's lock: same versions, nothing to resolve or download.
    fs::copy(ws.join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    fs::write(dir.path().join("build.rs"), BUILD_RS).unwrap();
    fs::create_dir_all(dir.path().join("spec")).unwrap();
    fs::create_dir_all(dir.path().join("src")).unwrap();
    // The fixture that uses every type feature must compile too.
    fs::copy(
        ws.join("codegen/tests/fixtures/ledger.yaml"),
        dir.path().join("spec/ledger.yaml"),
    )
    .unwrap();
    let spec = dir.path().join("spec/probe.yaml");
    fs::write(&spec, SPEC).unwrap();
    let main = |body: &str| {
        format!(
            "include!(concat!(env!(\"OUT_DIR\"), \"/authorized_providers.rs\"));\n\
             fn main() {{ let _ = ledger::Provider; {body} }}\n"
        )
    };
    fs::write(
        dir.path().join("src/main.rs"),
        main("let _ = probe::Widget { id: 1 };"),
    )
    .unwrap();
    assert_builds(dir.path());

    // A new type in the spec is there on the next build, with no other change.
    fs::write(
        &spec,
        format!("{SPEC}  Gadget:\n    fields:\n      name: string\n"),
    )
    .unwrap();
    fs::write(
        dir.path().join("src/main.rs"),
        main("let _ = probe::Gadget { name: String::new() };"),
    )
    .unwrap();
    assert_builds(dir.path());

    // A broken spec fails the build with file:line:column and the path.
    fs::write(&spec, SPEC.replace("id: integer", "id: integr")).unwrap();
    let out = cargo_build(dir.path());
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("spec/probe.yaml:8:11: at `types.Widget.fields.id`: unknown type `integr`; expected one of `string`, `integer`"),
        "{stderr}"
    );
}
