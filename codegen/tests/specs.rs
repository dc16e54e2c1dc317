//! Every spec in the repository generates, and what a spec leaves out gets
//! the default the format documents.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

/// The YAML files directly in `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
        .collect();
    files.sort();
    files
}

fn generate(text: &str) -> String {
    authorized_codegen::generate_file(Path::new("probe.yaml"), text, "::rt")
        .unwrap_or_else(|e| panic!("{e}"))
        .1
}

#[test]
fn every_spec_of_the_repository_generates() {
    let mut files = Vec::new();
    for dir in ["../spec", "tests/fixtures", "../examples/consumer/spec"] {
        files.extend(yaml_files(&root().join(dir)));
    }
    assert!(files.len() >= 4, "found only {files:?}");
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        if let Err(e) = authorized_codegen::generate_file(&file, &text, "::rt") {
            panic!("{} does not generate:\n{e}", file.display());
        }
    }
}

const MINIMAL: &str = "\
name: probe
auth:
  token: { method: POST, path: /token, params_in: form }
  placement: { query: access_token, default: query }
";

#[test]
fn without_invalid_token_http_401_says_the_token_is_invalid() {
    let code = generate(MINIMAL);
    assert!(code.contains("statuses: &[401u16],"), "{code}");
}

#[test]
fn the_refresh_grant_authenticates_as_the_token_call_unless_told() {
    let spec = MINIMAL.replace(
        "params_in: form }\n",
        "params_in: form, client_auth: basic, response: { refresh_token: refresh_token } }\n  \
         refresh: { constants: { grant_type: refresh_token }, refresh_token: refresh_token }\n",
    );
    let code = generate(&spec);
    assert_eq!(
        code.matches("client_auth: &[rt::ClientAuth::Basic],")
            .count(),
        2,
        "{code}"
    );
}

#[test]
fn check_and_revoke_send_no_credentials_unless_told() {
    let spec = MINIMAL.replace(
        "  placement",
        "  check: { method: POST, path: /check, params_in: form, token_param: token }\n  \
         revoke: { method: POST, path: /revoke, params_in: form, token_param: token }\n  placement",
    );
    let code = generate(&spec);
    assert_eq!(
        code.matches("client_auth: &[rt::ClientAuth::None],")
            .count(),
        2,
        "{code}"
    );
    assert!(
        code.contains("type CheckResponse = rt::JsonValue;"),
        "{code}"
    );
}

#[test]
fn answer_status_is_the_rule_of_http_status() {
    let spec = MINIMAL.replace("params_in: form }", "params_in: form, answer: status }");
    assert_eq!(generate(&spec), generate(MINIMAL));
}
