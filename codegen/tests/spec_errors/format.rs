//! The document as a whole: YAML syntax, unknown, missing and duplicate
//! keys, values of the wrong type, files that are no spec.

use crate::{VALID, errors, generates, replace};

#[test]
fn the_valid_spec_generates() {
    generates(VALID);
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
        "spec/probe.yaml:7:5: at `auth.token`: unknown field `param_in`, expected one of `docs`, `method`, `path`, `params_in`, `headers`, `constants`, `client_id`, `client_secret`, `client_auth`, `optional`, `answer`, `response`"
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
fn empty_file() {
    for text in ["", "\n\n", "# only a comment\n"] {
        assert_eq!(
            errors(text),
            "spec/probe.yaml:1:1: the file is empty; expected a provider spec: a mapping with `name`, `auth` and optionally `docs`, `answers`, `api`, `types`, `endpoints`"
        );
    }
}

#[test]
fn not_a_mapping() {
    assert_eq!(
        errors("- name: probe\n"),
        "spec/probe.yaml:1:1: the document is a sequence; expected a provider spec: a mapping with `name`, `auth` and optionally `docs`, `answers`, `api`, `types`, `endpoints`"
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
