//! Broken specs fail with the file, line, column, path in the document and
//! what was expected; never with a panic.

use std::path::Path;

/// A minimal valid spec to break in one place at a time.
const VALID: &str = "\
name: probe
auth:
  token:
    method: GET
    path: /token
    params_in: query
  placement:
    header: { name: Authorization, scheme: Bearer }
    default: header
types:
  Widget:
    fields:
      id: integer
endpoints:
  get_widget:
    method: GET
    path: /widgets/{id}
    path_params:
      id: integer
    response: Widget
";

/// The rendered errors for `text`, one per line.
fn errors(text: &str) -> String {
    match authorized_codegen::generate(Path::new("spec/probe.yaml"), text, "::rt") {
        Ok(_) => panic!("expected the spec to be refused:\n{text}"),
        Err(e) => e.to_string(),
    }
}

fn replace(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from:?} not in the valid spec");
    VALID.replacen(from, to, 1)
}

#[test]
fn the_valid_spec_generates() {
    authorized_codegen::generate(Path::new("spec/probe.yaml"), VALID, "::rt").unwrap();
}

#[test]
fn yaml_syntax_error() {
    let text = replace("    params_in: query\n", "    params_in: [query\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:7:12: did not find expected ',' or ']', while parsing a flow sequence at line 6 column 16"
    );
}

#[test]
fn unknown_key() {
    let text = replace(
        "    params_in: query\n",
        "    params_in: query\n    param_in: query\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:7:5: at `auth.token`: unknown field `param_in`, expected one of `docs`, `method`, `path`, `params_in`, `headers`, `constants`, `client_id`, `client_secret`, `optional`, `enveloped`, `response`"
    );
}

#[test]
fn wrong_type() {
    let text = replace("    params_in: query\n", "    params_in: body\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:6:16: at `auth.token.params_in`: unknown variant `body`, expected one of `query`, `form`, `json`"
    );
    let text = replace(
        "    default: header\n",
        "    default: header\n  invalid_token: { status: [four-oh-one] }\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:10:29: at `auth.invalid_token.status[0]`: invalid type: string \"four-oh-one\", expected u16"
    );
}

#[test]
fn missing_required_key() {
    let text = replace("    path: /token\n", "");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:4:5: at `auth.token`: missing required key `path`"
    );
}

#[test]
fn duplicate_endpoint_name() {
    let text = format!("{VALID}  get_widget:\n    method: GET\n    path: /other\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:21:3: at `endpoints.get_widget`: duplicate endpoint name; it is first defined at line 15, column 3"
    );
}

#[test]
fn undeclared_path_parameter() {
    let text = replace(
        "    path: /widgets/{id}\n",
        "    path: /widgets/{id}/parts/{part}\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:17:11: at `endpoints.get_widget.path`: the path uses `{part}` but `endpoints.get_widget.path_params` does not declare `part`"
    );
}

#[test]
fn declared_path_parameter_not_in_the_path() {
    let text = replace(
        "      id: integer\n    response",
        "      id: integer\n      part: string\n    response",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:20:7: at `endpoints.get_widget.path_params.part`: the path parameter `part` does not appear in the path `/widgets/{id}`"
    );
}

#[test]
fn unknown_type_reference() {
    let text = replace("    response: Widget\n", "    response: array<Gadget>\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:20:15: at `endpoints.get_widget.response`: unknown type `Gadget`; expected one of `string`, `integer`, `number`, `boolean`, `secret`, `seconds`, `any`, `array<T>`, `map<T>` or a type from `types` (types defined here: Widget)"
    );
    let text = replace(
        "      id: integer\n",
        "      id: integer\n      size: Size\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:14:13: at `types.Widget.fields.size`: unknown type `Size`; expected one of `string`, `integer`, `number`, `boolean`, `secret`, `seconds`, `any`, `array<T>`, `map<T>` or a type from `types` (types defined here: Widget)"
    );
}

#[test]
fn names_that_are_not_rust_identifiers() {
    let text = replace(
        "      id: integer\n",
        "      id: integer\n      type: string\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:14:7: at `types.Widget.fields.type`: `type` is a Rust keyword; set `rust_name` in the field's long form"
    );
    let text = replace("  get_widget:\n", "  2nd-widget:\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:15:3: at `endpoints.2nd-widget`: `2nd_widget` is not a valid Rust identifier (made from `2nd-widget`); rename the endpoint"
    );
    let text = replace("name: probe\n", "name: self\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:1:1: at `name`: `self` is a Rust keyword; expected a provider name usable as a module name, such as `hotel`"
    );
}

#[test]
fn empty_file() {
    for text in ["", "\n\n", "# only a comment\n"] {
        assert_eq!(
            errors(text),
            "spec/probe.yaml:1:1: the file is empty; expected a provider spec: a mapping with `name`, `auth` and optionally `envelope`, `api`, `types`, `endpoints`"
        );
    }
}

#[test]
fn not_a_mapping() {
    assert_eq!(
        errors("- name: probe\n"),
        "spec/probe.yaml:1:1: the document is a sequence; expected a provider spec: a mapping with `name`, `auth` and optionally `envelope`, `api`, `types`, `endpoints`"
    );
    assert!(errors("just words\n").contains("the document is a scalar"));
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = replace("    response: Widget\n", "    response: Gadget\n").replacen(
        "      id: integer\n",
        "      id: integer\n      fn: string\n",
        1,
    );
    let e = errors(&text);
    assert_eq!(e.lines().count(), 2, "{e}");
    assert!(
        e.lines().next().unwrap().contains("`fn` is a Rust keyword"),
        "{e}"
    );
}

#[test]
fn semantic_checks_of_the_auth_section() {
    let text = replace("    default: header\n", "    default: query\n");
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:9:14: at `auth.placement.default`: the default is `query` but `auth.placement.query` is not set"
    );
    let text = replace(
        "    default: header\n",
        "    default: header\n  sudo: { param: sudo, forms: { nickname: nick } }\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:10:33: at `auth.sudo.forms.nickname`: unknown sudo form `nickname`; expected one of: uid, login_name, email, mobile, username"
    );
}
