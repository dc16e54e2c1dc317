//! Answer rules: their shape, their names, and an `equals` that must be of
//! the type declared for its field (else every answer would be a failure).

use crate::{CALLS, edit, errors, generates};

/// `CALLS` with `answer` added to the token call.
fn token_answer(answer: &str) -> String {
    edit(
        CALLS,
        "    response: { type: Token,",
        &format!("    answer: {answer}\n    response: {{ type: Token,"),
    )
}

/// `CALLS` with `answer` added to the check call.
fn check_answer(answer: &str) -> String {
    edit(
        CALLS,
        "    response: Verdict\n",
        &format!("    response: Verdict\n    answer: {answer}\n"),
    )
}

#[test]
fn equals_a_string_where_the_field_is_a_boolean() {
    assert_eq!(
        errors(&token_answer(
            "{ success: { field: ok, equals: \"true\" } }"
        )),
        "spec/probe.yaml:7:45: at `auth.token.answer.success.equals`: `equals` is the string \"true\", but the success field `ok` is a boolean in `Token` (`auth.token.response.type`); write `equals: true` without quotes"
    );
}

#[test]
fn equals_a_string_where_the_field_is_an_integer() {
    assert_eq!(
        errors(&check_answer("{ success: { field: code, equals: \"0\" } }")),
        "spec/probe.yaml:17:47: at `auth.check.answer.success.equals`: `equals` is the string \"0\", but the success field `code` is an integer in `Verdict` (`auth.check.response`); write `equals: 0` without quotes"
    );
}

#[test]
fn equals_an_integer_where_the_field_is_a_string() {
    assert_eq!(
        errors(&check_answer("{ success: { field: label, equals: 1 } }")),
        "spec/probe.yaml:17:48: at `auth.check.answer.success.equals`: `equals` is the integer 1, but the success field `label` is a string in `Verdict` (`auth.check.response`); write the value as a string: `equals: \"1\"`"
    );
}

#[test]
fn equals_no_value_of_the_fields_enum() {
    assert_eq!(
        errors(&check_answer("{ success: { field: status, equals: ok } }")),
        "spec/probe.yaml:17:49: at `auth.check.answer.success.equals`: `equals` is the string \"ok\", but the success field `status` is the enum `Status` in `Verdict` (`auth.check.response`); expected one of its values: active, revoked"
    );
    generates(&check_answer(
        "{ success: { field: status, equals: active } }",
    ));
}

#[test]
fn equals_a_scalar_where_the_field_is_an_array() {
    assert_eq!(
        errors(&check_answer("{ success: { field: tags, equals: ok } }")),
        "spec/probe.yaml:17:47: at `auth.check.answer.success.equals`: `equals` is the string \"ok\", but the success field `tags` is an array (`array<string>`) in `Verdict` (`auth.check.response`); a success field holds a boolean, an integer or a string"
    );
}

#[test]
fn a_nested_success_field_is_checked_through_its_types() {
    assert_eq!(
        errors(&token_answer(
            "{ success: { field: meta.active, equals: 1 } }"
        )),
        "spec/probe.yaml:7:54: at `auth.token.answer.success.equals`: `equals` is the integer 1, but the success field `meta.active` is a boolean in `Token` (`auth.token.response.type`); expected `equals: true` or `equals: false`"
    );
}

#[test]
fn a_named_rule_is_checked_where_it_is_defined_for_each_use() {
    let text = edit(
        &check_answer("verdict"),
        "auth:\n",
        "answers:\n  verdict:\n    success: { field: code, equals: \"0\" }\nauth:\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:4:37: at `answers.verdict.success.equals`: `equals` is the string \"0\", but the success field `code` is an integer in `Verdict` (`auth.check.response`) (the rule is used by `auth.check.answer`); write `equals: 0` without quotes"
    );
}

#[test]
fn no_type_check_with_a_payload_or_for_fields_the_type_lacks() {
    // With a payload, the declared type describes the payload.
    generates(&token_answer(
        "{ success: { field: ok, equals: \"yes\" }, payload: data }",
    ));
    // Types may be partial.
    generates(&check_answer("{ success: { field: errcode, equals: 0 } }"));
    generates(&check_answer(
        "{ success: { field: code.value, equals: 0 } }",
    ));
}

#[test]
fn unknown_answer_name() {
    assert_eq!(
        errors(&check_answer("envelope")),
        "spec/probe.yaml:17:13: at `auth.check.answer`: unknown answer rule `envelope`; expected `status` or the name of an entry of `answers` (the spec defines no `answers`)"
    );
    let text = edit(
        &check_answer("envelop"),
        "auth:\n",
        "answers:\n  envelope: { payload: result }\n  wrapped: { payload: data }\nauth:\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:20:13: at `auth.check.answer`: unknown answer rule `envelop`; expected `status` or the name of an entry of `answers` (defined here: envelope, wrapped)"
    );
}

#[test]
fn status_is_not_a_name_to_define() {
    let text = edit(
        CALLS,
        "auth:\n",
        "answers:\n  status: { payload: data }\nauth:\n",
    );
    assert_eq!(
        errors(&text),
        "spec/probe.yaml:3:3: at `answers.status`: the name `status` is taken: `answer: status` means success by HTTP status; give this rule another name"
    );
}

#[test]
fn the_success_field_is_not_the_payload() {
    assert_eq!(
        errors(&check_answer(
            "{ success: { field: data, equals: true }, payload: data }"
        )),
        "spec/probe.yaml:17:33: at `auth.check.answer.success.field`: the success field `data` is also the payload; the payload is the field beside it that holds the result (e.g. `payload: result`), or no `payload` for the whole body"
    );
}

#[test]
fn field_paths_that_are_not_paths() {
    assert_eq!(
        errors(&check_answer(
            "{ success: { field: data., equals: 0 }, payload: .result }"
        )),
        "spec/probe.yaml:17:33: at `auth.check.answer.success.field`: `data.` is not a field; expected a field name, or a dotted path such as `data.code` for a nested field\n\
         spec/probe.yaml:17:62: at `auth.check.answer.payload`: `.result` is not a field; expected a field name, or a dotted path such as `data.code` for a nested field"
    );
}

#[test]
fn success_that_is_neither_status_nor_a_field() {
    assert_eq!(
        errors(&check_answer("{ success: ok }")),
        "spec/probe.yaml:17:24: at `auth.check.answer.success`: invalid value: string \"ok\", expected `status`, or a mapping with `field`, `equals` and optionally `absent`"
    );
    assert_eq!(
        errors(&check_answer("{ success: { field: code, equals: 0.5 } }")),
        "spec/probe.yaml:17:47: at `auth.check.answer.success.equals`: invalid type: floating point `0.5`, expected a boolean, an integer or a string"
    );
    assert_eq!(
        errors(&check_answer(
            "{ success: { field: code, equals: 0, absent: maybe } }"
        )),
        "spec/probe.yaml:17:58: at `auth.check.answer.success.absent`: unknown variant `maybe`, expected `failure` or `success`"
    );
}
