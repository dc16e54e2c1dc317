//! The one way an answer is judged, for token, refresh, check, revoke and
//! API calls alike: by its HTTP status alone, or by a named field equal to
//! a value; where its payload is; and the vendor's code and message in a
//! failure, whatever the fields are called.

use serde_json::Value;

use crate::def::{
    Absent, AnswerRule, DEFAULT_CODE_FIELDS, DEFAULT_MESSAGE_FIELDS, Scalar, Success,
};

/// What an answer comes to under its rule.
#[derive(Debug, PartialEq)]
pub(crate) enum Judged {
    /// It worked: the payload (JSON `null` for an empty body).
    Success(Value),
    /// A 2xx answer judged by its status alone whose body is not JSON: a
    /// success with no payload to read (why, for a caller that needs one).
    SuccessWithoutJson(String),
    /// It did not work: the vendor's code and message, if the answer has them.
    Failure {
        code: Option<String>,
        message: Option<String>,
    },
    /// A 2xx answer not in the shape the rule expects: why.
    Unreadable(String),
}

/// Judges an answer with HTTP `status` and `body` by `rule`.
pub(crate) fn judge(rule: &AnswerRule, status: u16, body: &[u8]) -> Judged {
    let parsed = parse(body);
    if !(200..300).contains(&status) {
        let (code, message) = match &parsed {
            Ok(value) => vendor_error(value, rule.code_fields, rule.message_fields),
            Err(_) => (None, None),
        };
        return Judged::Failure { code, message };
    }
    let value = match (parsed, &rule.success, rule.payload) {
        (Ok(value), _, _) => value,
        (Err(why), Success::Status, None) => return Judged::SuccessWithoutJson(why),
        (Err(why), _, _) => return Judged::Unreadable(why),
    };
    match &rule.success {
        Success::Status => Judged::Success(payload(value, rule.payload)),
        Success::Field {
            field,
            equals,
            absent,
        } => match (at(&value, field), absent) {
            (None, Absent::Success) => Judged::Success(value),
            (None, Absent::Failure) => Judged::Unreadable(format!(
                "the answer has no `{field}` field, so it is not in the provider's envelope"
            )),
            (Some(found), _) if matches(found, *equals) => {
                Judged::Success(payload(value, rule.payload))
            }
            (Some(_), _) => {
                let (code, message) = vendor_error(&value, rule.code_fields, rule.message_fields);
                Judged::Failure { code, message }
            }
        },
    }
}

/// The body as JSON; an empty body (or only whitespace) is `null`.
fn parse(body: &[u8]) -> Result<Value, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))
}

/// The payload of `value`: the field at `path`, or the whole of it.
fn payload(mut value: Value, path: Option<&str>) -> Value {
    let Some(path) = path else {
        return value;
    };
    for name in path.split('.') {
        value = match value {
            Value::Object(mut map) => map.remove(name).unwrap_or(Value::Null),
            _ => return Value::Null,
        };
    }
    value
}

/// The value at a dotted `path` (`data.code`), if there is one.
pub(crate) fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(value, |value, name| value.as_object()?.get(name))
        .filter(|v| !v.is_null())
}

/// Whether a success field's value is `expected`. Vendors send numbers as
/// strings and booleans as `"true"`, `1`: those count.
fn matches(found: &Value, expected: Scalar) -> bool {
    match (expected, found) {
        (Scalar::Bool(b), Value::Bool(found)) => *found == b,
        (Scalar::Bool(b), Value::String(s)) => {
            s.eq_ignore_ascii_case(if b { "true" } else { "false" })
        }
        (Scalar::Bool(b), Value::Number(n)) => n.as_i64().is_some_and(|n| (n != 0) == b),
        (Scalar::Int(i), Value::Number(n)) => n.as_i64() == Some(i) || n.as_f64() == Some(i as f64),
        (Scalar::Int(i), Value::String(s)) => s.trim().parse::<i64>() == Ok(i),
        (Scalar::Str(s), Value::String(found)) => found == s,
        (Scalar::Str(s), Value::Number(n)) => n.to_string() == s,
        _ => false,
    }
}

/// Finds the vendor's error code and message in an answer, whatever the
/// fields are called: the named fields first, then common names, at the
/// top level and inside `error`, `result` or `data` objects.
pub(crate) fn vendor_error(
    value: &Value,
    code_fields: &[&str],
    message_fields: &[&str],
) -> (Option<String>, Option<String>) {
    let mut scopes = vec![value];
    for nested in ["error", "result", "data"] {
        if let Some(inner) = value.get(nested).filter(|v| v.is_object()) {
            scopes.push(inner);
        }
    }
    let find = |named: &[&str], common: &[&str]| {
        scopes.iter().find_map(|scope| {
            named
                .iter()
                .chain(common)
                .find_map(|field| at(scope, field).and_then(scalar_text))
        })
    };
    (
        find(code_fields, DEFAULT_CODE_FIELDS),
        find(message_fields, DEFAULT_MESSAGE_FIELDS),
    )
}

/// A scalar as text (`40001`, `"invalid_client"`); objects and arrays are not codes.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn scalars_are_codes_and_objects_are_not() {
        assert_eq!(
            scalar_text(&json!("invalid_client")).as_deref(),
            Some("invalid_client")
        );
        assert_eq!(scalar_text(&json!(40001)).as_deref(), Some("40001"));
        assert_eq!(scalar_text(&json!(false)).as_deref(), Some("false"));
        assert_eq!(scalar_text(&json!(null)), None);
        assert_eq!(scalar_text(&json!({"code": 1})), None);
        assert_eq!(scalar_text(&json!([1])), None);
    }

    const HOTEL: AnswerRule = AnswerRule {
        success: Success::Field {
            field: "success",
            equals: Scalar::Bool(true),
            absent: Absent::Failure,
        },
        payload: Some("result"),
        code_fields: &["errorCode", "code"],
        message_fields: &["errorMsg", "msg"],
    };
    const WECHAT: AnswerRule = AnswerRule {
        success: Success::Field {
            field: "errcode",
            equals: Scalar::Int(0),
            absent: Absent::Success,
        },
        payload: None,
        code_fields: &["errcode"],
        message_fields: &["errmsg"],
    };
    const FEISHU: AnswerRule = AnswerRule {
        success: Success::Field {
            field: "code",
            equals: Scalar::Int(0),
            absent: Absent::Failure,
        },
        payload: Some("data"),
        code_fields: &["code"],
        message_fields: &["msg"],
    };

    fn judged(rule: &AnswerRule, status: u16, body: Value) -> Judged {
        judge(rule, status, body.to_string().as_bytes())
    }

    fn failure(code: &str, message: &str) -> Judged {
        Judged::Failure {
            code: Some(code.into()),
            message: Some(message.into()),
        }
    }

    #[test]
    fn by_status_alone_the_body_does_not_matter() {
        for body in [&b""[..], b"{}", b"  \n", b"OK"] {
            let judged = judge(&AnswerRule::STATUS, 200, body);
            assert!(
                matches!(judged, Judged::Success(_) | Judged::SuccessWithoutJson(_)),
                "{judged:?}"
            );
        }
        assert_eq!(
            judge(&AnswerRule::STATUS, 200, b""),
            Judged::Success(Value::Null)
        );
        let error = json!({"error": "invalid_client", "error_description": "bad secret"});
        assert_eq!(
            judged(&AnswerRule::STATUS, 401, error),
            failure("invalid_client", "bad secret")
        );
        assert_eq!(
            judge(&AnswerRule::STATUS, 500, b"<html>down</html>"),
            Judged::Failure {
                code: None,
                message: None
            }
        );
    }

    #[test]
    fn a_named_field_equal_to_its_value_is_success_and_the_payload_is_unwrapped() {
        let ok = json!({"success": true, "timestamp": 1, "result": {"a": 1}});
        assert_eq!(judged(&HOTEL, 200, ok), Judged::Success(json!({"a": 1})));
        let failed = json!({"success": false, "errorCode": "invalid_client", "errorMsg": "bad"});
        assert_eq!(
            judged(&HOTEL, 200, failed),
            failure("invalid_client", "bad")
        );
        let Judged::Unreadable(why) = judged(&HOTEL, 200, json!({"access_token": "t"})) else {
            panic!("an answer without the field is not the provider's shape")
        };
        assert!(
            why.contains("`success`") && why.contains("envelope"),
            "{why}"
        );
        // Feishu: `code == 0` is success, never inverted.
        let ok = json!({"code": 0, "msg": "ok", "data": {"items": []}});
        assert_eq!(
            judged(&FEISHU, 200, ok),
            Judged::Success(json!({"items": []}))
        );
        let denied = json!({"code": 99991663, "msg": "token invalid"});
        assert_eq!(
            judged(&FEISHU, 400, denied.clone()),
            failure("99991663", "token invalid")
        );
        assert_eq!(
            judged(&FEISHU, 200, denied),
            failure("99991663", "token invalid")
        );
    }

    #[test]
    fn wechat_answers_without_errcode_are_successes_and_errcode_on_200_is_a_failure() {
        let user = json!({"openid": "o1", "nickname": "n"});
        assert_eq!(judged(&WECHAT, 200, user.clone()), Judged::Success(user));
        let ok = json!({"errcode": 0, "errmsg": "ok", "msgid": 7});
        assert_eq!(judged(&WECHAT, 200, ok.clone()), Judged::Success(ok));
        let error = json!({"errcode": 40013, "errmsg": "invalid appid"});
        assert_eq!(
            judged(&WECHAT, 200, error),
            failure("40013", "invalid appid")
        );
    }

    #[test]
    fn success_values_are_read_as_vendors_send_them() {
        for (expected, found, is) in [
            (Scalar::Bool(true), json!(true), true),
            (Scalar::Bool(true), json!("TRUE"), true),
            (Scalar::Bool(true), json!(1), true),
            (Scalar::Bool(true), json!(0), false),
            (Scalar::Bool(false), json!("false"), true),
            (Scalar::Int(0), json!(0), true),
            (Scalar::Int(0), json!("0"), true),
            (Scalar::Int(0), json!(0.0), true),
            (Scalar::Int(0), json!(false), false),
            (Scalar::Int(0), json!(1), false),
            (Scalar::Str("ok"), json!("ok"), true),
            (Scalar::Str("ok"), json!("OK"), false),
            (Scalar::Str("200"), json!(200), true),
            (Scalar::Str("ok"), json!({"ok": 1}), false),
        ] {
            assert_eq!(matches(&found, expected), is, "{expected:?} vs {found}");
        }
    }

    #[test]
    fn payloads_and_fields_may_be_nested() {
        let rule = AnswerRule {
            success: Success::Field {
                field: "meta.status",
                equals: Scalar::Str("ok"),
                absent: Absent::Failure,
            },
            payload: Some("data.result"),
            code_fields: &["meta.code"],
            message_fields: &[],
        };
        let ok = json!({"meta": {"status": "ok"}, "data": {"result": [1]}});
        assert_eq!(judged(&rule, 200, ok), Judged::Success(json!([1])));
        let failed = json!({"meta": {"status": "no", "code": "E7"}, "message": "m"});
        assert_eq!(judged(&rule, 200, failed), failure("E7", "m"));
    }

    #[test]
    fn finds_fields_never_seen_before_when_named_or_nested() {
        let body = json!({"success": false, "error": {"status": 7, "detail": "quota"}});
        assert_eq!(
            vendor_error(&body, &[], &[]),
            (Some("7".into()), Some("quota".into()))
        );
        let body = json!({"success": false, "rc": "E1", "why": "nope"});
        assert_eq!(
            vendor_error(&body, &["rc"], &["why"]),
            (Some("E1".into()), Some("nope".into()))
        );
    }
}
