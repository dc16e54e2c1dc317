//! Reading provider answers: envelopes and vendor error fields, whatever they
//! are called.

use serde_json::Value;

use crate::provider::{DEFAULT_CODE_FIELDS, DEFAULT_MESSAGE_FIELDS, Envelope};

/// What opening an envelope found.
#[derive(Debug)]
pub(crate) enum Opened {
    /// `success` was true: the payload.
    Success(Value),
    /// `success` was false: the vendor's code and message, if any.
    Failure {
        code: Option<String>,
        message: Option<String>,
    },
    /// The answer is not an envelope (no boolean success field); given back.
    NotEnveloped(Value),
}

/// Opens a `{success, result, …}` envelope.
pub(crate) fn open_envelope(value: Value, envelope: &Envelope) -> Opened {
    let success = value
        .as_object()
        .and_then(|map| map.get(envelope.success))
        .and_then(success_flag);
    match success {
        Some(true) => {
            let Value::Object(mut map) = value else {
                unreachable!("success was read from an object")
            };
            Opened::Success(map.remove(envelope.result).unwrap_or(Value::Null))
        }
        Some(false) => {
            let (code, message) = vendor_error(&value, Some(envelope));
            Opened::Failure { code, message }
        }
        None => Opened::NotEnveloped(value),
    }
}

/// Reads a success flag: `true`/`false`, or the strings and numbers some
/// vendors send instead.
fn success_flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        _ => None,
    }
}

/// Finds the vendor's error code and message in an answer, whatever the
/// fields are called: the envelope's named fields first, then common names,
/// at the top level and inside `error`, `result` or `data` objects.
pub(crate) fn vendor_error(
    value: &Value,
    envelope: Option<&Envelope>,
) -> (Option<String>, Option<String>) {
    let code_fields = envelope.map_or(&[][..], |e| e.code_fields);
    let message_fields = envelope.map_or(&[][..], |e| e.message_fields);
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
                .find_map(|field| scope.get(*field).and_then(scalar_text))
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

    const ENVELOPE: Envelope = Envelope {
        success: "success",
        result: "result",
        timestamp: Some("timestamp"),
        code_fields: &[],
        message_fields: &[],
    };

    #[test]
    fn opens_success_and_failure() {
        let ok = json!({"success": true, "timestamp": 1, "result": {"a": 1}});
        assert!(matches!(open_envelope(ok, &ENVELOPE), Opened::Success(v) if v == json!({"a": 1})));
        let failed = json!({"success": false, "errorCode": "invalid_client", "errorMsg": "bad"});
        match open_envelope(failed, &ENVELOPE) {
            Opened::Failure { code, message } => {
                assert_eq!(code.as_deref(), Some("invalid_client"));
                assert_eq!(message.as_deref(), Some("bad"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            open_envelope(json!([1]), &ENVELOPE),
            Opened::NotEnveloped(_)
        ));
    }

    #[test]
    fn finds_fields_never_seen_before_when_named_or_nested() {
        let body = json!({"success": false, "error": {"status": 7, "detail": "quota"}});
        assert_eq!(
            vendor_error(&body, None),
            (Some("7".into()), Some("quota".into()))
        );
        let named = Envelope {
            code_fields: &["rc"],
            message_fields: &["why"],
            ..ENVELOPE
        };
        let body = json!({"success": false, "rc": "E1", "why": "nope"});
        assert_eq!(
            vendor_error(&body, Some(&named)),
            (Some("E1".into()), Some("nope".into()))
        );
    }
}
