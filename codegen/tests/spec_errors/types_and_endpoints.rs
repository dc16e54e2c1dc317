//! Types, endpoints and their parameters, and the Rust names made from them.

use crate::{errors, replace};

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
