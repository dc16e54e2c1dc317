//! Answer rules: each rule is well formed, every name resolves, and a
//! success field of a declared type is compared with a value of that type
//! (the runtime compares a string exactly, so `code: integer` compared with
//! `"0"` would turn every answer into a failure, `success: boolean`
//! compared with `"true"` as well). Uses `types` only.

use super::Checker;
use super::types::object;
use crate::model::{Answer, Field, TypeDef, TypeKind};
use crate::spec::{AnswerRef, AnswerSpec, FieldSuccess, Scalar, SpecFile, SuccessSpec};
use crate::types::Ty;

/// The name that means success by HTTP status; no entry of `answers` may take it.
const STATUS: &str = "status";

/// The answer rule of every call, resolved.
pub(super) struct Answers {
    pub token: Answer,
    pub check: Option<Answer>,
    pub revoke: Option<Answer>,
    pub api: Answer,
}

pub(super) fn check_answers(c: &mut Checker, spec: &SpecFile, types: &[TypeDef]) -> Answers {
    for (name, rule) in spec.answers.iter() {
        let path = format!("answers.{name}");
        if name == STATUS {
            c.at_key(
                &path,
                "the name `status` is taken: `answer: status` means success by HTTP status; \
                 give this rule another name",
            );
        }
        check_rule(c, &path, rule);
    }
    let auth = &spec.auth;
    let resolve = |c: &mut Checker, path, answer, ty: Option<&String>, declared_at| {
        let declared = ty.map(|ty| (ty.as_str(), declared_at));
        Use {
            path,
            answer,
            declared,
        }
        .resolve(c, spec, types)
    };
    let token = &auth.token;
    let token_type = token.response.type_name.as_ref();
    let [check, revoke] = [
        (&auth.check, "auth.check.answer", "auth.check.response"),
        (&auth.revoke, "auth.revoke.answer", "auth.revoke.response"),
    ]
    .map(|(call, path, declared_at)| {
        let call = call.as_ref()?;
        Some(resolve(
            c,
            path,
            &call.answer,
            call.response.as_ref(),
            declared_at,
        ))
    });
    Answers {
        token: resolve(
            c,
            "auth.token.answer",
            &token.answer,
            token_type,
            "auth.token.response.type",
        ),
        check,
        revoke,
        api: resolve(c, "api.answer", &spec.api.answer, None, ""),
    }
}

/// One place an answer rule is used.
struct Use<'a> {
    /// Where (`auth.token.answer`).
    path: &'static str,
    /// What is written there.
    answer: &'a AnswerRef,
    /// The type declared for the whole answer, and where it is declared.
    declared: Option<(&'a str, &'static str)>,
}

impl Use<'_> {
    /// The rule used here, checked against the declared type.
    fn resolve(&self, c: &mut Checker, spec: &SpecFile, types: &[TypeDef]) -> Answer {
        let (name, rule, rule_path) = match self.answer {
            AnswerRef::Named(name) if name == STATUS => {
                return Answer {
                    name: None,
                    rule: AnswerSpec::default(),
                };
            }
            AnswerRef::Named(name) => match spec.answers.iter().find(|(n, _)| n == name) {
                Some((_, rule)) => (Some(name.clone()), rule, format!("answers.{name}")),
                None => {
                    unknown_answer(c, self.path, name, spec);
                    return Answer {
                        name: None,
                        rule: AnswerSpec::default(),
                    };
                }
            },
            AnswerRef::Full(rule) => {
                check_rule(c, self.path, rule);
                (None, rule, self.path.to_owned())
            }
        };
        // With a payload, the declared type describes the payload, not the
        // object holding the success field.
        if let (Some((ty, declared_at)), None, SuccessSpec::Field(success)) =
            (self.declared, &rule.payload, &rule.success)
            && let Some(field) = field_at(types, ty, &success.field)
            && let Some(problem) = mismatch(types, field, &success.equals)
        {
            let used_by = if rule_path == self.path {
                String::new()
            } else {
                format!(" (the rule is used by `{}`)", self.path)
            };
            c.at_value(
                &format!("{rule_path}.success.equals"),
                format!(
                    "`equals` is {}, but the success field `{}` is {} in `{ty}` \
                     (`{declared_at}`){used_by}; {problem}",
                    success.equals.described(),
                    success.field,
                    described(types, &field.ty),
                ),
            );
        }
        Answer {
            name,
            rule: rule.clone(),
        }
    }
}

/// A rule's own checks: field paths that are paths, and a success field
/// that is not the payload.
fn check_rule(c: &mut Checker, path: &str, rule: &AnswerSpec) {
    if let Some(payload) = &rule.payload {
        check_dotted(c, &format!("{path}.payload"), payload);
    }
    if let SuccessSpec::Field(FieldSuccess { field, .. }) = &rule.success {
        let at = format!("{path}.success.field");
        check_dotted(c, &at, field);
        if rule.payload.as_ref() == Some(field) {
            c.at_value(
                &at,
                format!(
                    "the success field `{field}` is also the payload; the payload is the \
                     field beside it that holds the result (e.g. `payload: result`), or \
                     no `payload` for the whole body"
                ),
            );
        }
    }
    for (key, fields) in [
        ("code_fields", &rule.code_fields),
        ("message_fields", &rule.message_fields),
    ] {
        for (i, field) in fields.0.iter().enumerate() {
            if field.is_empty() {
                c.at_value(
                    &format!("{path}.{key}[{i}]"),
                    "expected a field name, found an empty string",
                );
            }
        }
    }
}

/// `text` at `path` is a field name or a dotted path of them (`data.code`).
fn check_dotted(c: &mut Checker, path: &str, text: &str) {
    if text.split('.').any(str::is_empty) {
        c.at_value(
            path,
            format!("`{text}` is not a field; expected a field name, or a dotted path such as `data.code` for a nested field"),
        );
    }
}

fn unknown_answer(c: &mut Checker, path: &str, name: &str, spec: &SpecFile) {
    let names: Vec<&str> = spec.answers.iter().map(|(n, _)| n).collect();
    let defined = if names.is_empty() {
        "the spec defines no `answers`".to_owned()
    } else {
        format!("defined here: {}", names.join(", "))
    };
    c.at_value(
        path,
        format!(
            "unknown answer rule `{name}`; expected `status` or the name of an entry of `answers` ({defined})"
        ),
    );
}

/// The field at the dotted `path` of the object type `ty`, through nested
/// object types; `None` when the type does not say (types may be partial).
fn field_at<'t>(types: &'t [TypeDef], ty: &str, path: &str) -> Option<&'t Field> {
    let mut fields = object(types, ty)?;
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let field = fields.iter().find(|f| f.wire == segment)?;
        if segments.peek().is_none() {
            return Some(field);
        }
        fields = match &field.ty {
            Ty::Named(inner) => object(types, inner)?,
            _ => return None,
        };
    }
    None
}

/// Why `equals` can never match a value of the field's type, with what to write.
fn mismatch(types: &[TypeDef], field: &Field, equals: &Scalar) -> Option<String> {
    let as_int = match equals {
        Scalar::Str(s) => s.parse::<i64>().ok(),
        _ => None,
    };
    match (&field.ty, equals) {
        (Ty::Any, _)
        | (Ty::Boolean, Scalar::Bool(_))
        | (Ty::Integer | Ty::Number | Ty::Seconds, Scalar::Int(_))
        | (Ty::String | Ty::Secret, Scalar::Str(_)) => None,
        (Ty::Boolean, Scalar::Str(s)) if s == "true" || s == "false" => {
            Some(format!("write `equals: {s}` without quotes"))
        }
        (Ty::Boolean, _) => Some("expected `equals: true` or `equals: false`".into()),
        (Ty::Integer | Ty::Number | Ty::Seconds, _) => Some(match as_int {
            Some(n) => format!("write `equals: {n}` without quotes"),
            None => "expected an integer, e.g. `equals: 0`".into(),
        }),
        (Ty::String | Ty::Secret, _) => Some(format!(
            "write the value as a string: `equals: \"{}\"`",
            equals.to_string().trim_matches('"')
        )),
        (Ty::Named(name), _) => match enum_values(types, name) {
            Some(values) => match equals {
                Scalar::Str(s) if values.contains(&s.as_str()) => None,
                _ => Some(format!("expected one of its values: {}", values.join(", "))),
            },
            None => Some("a success field holds a boolean, an integer or a string".into()),
        },
        (Ty::Array(_) | Ty::Map(_), _) => {
            Some("a success field holds a boolean, an integer or a string".into())
        }
    }
}

/// The values of the enum type `name`, if it is one.
fn enum_values<'t>(types: &'t [TypeDef], name: &str) -> Option<Vec<&'t str>> {
    types
        .iter()
        .find(|t| t.spec_name == name)
        .and_then(|t| match &t.kind {
            TypeKind::Enum(variants) => Some(variants.iter().map(|v| v.wire.as_str()).collect()),
            TypeKind::Object(_) => None,
        })
}

/// A type in words: `an integer`, `the enum `Kind``.
fn described(types: &[TypeDef], ty: &Ty) -> String {
    match ty {
        Ty::Boolean => "a boolean".into(),
        Ty::Integer => "an integer".into(),
        Ty::Number => "a number".into(),
        Ty::Seconds => "a number of seconds".into(),
        Ty::String => "a string".into(),
        Ty::Secret => "a secret string".into(),
        Ty::Any => "any value".into(),
        Ty::Array(_) => format!("an array (`{ty}`)"),
        Ty::Map(_) => format!("a map (`{ty}`)"),
        Ty::Named(name) if enum_values(types, name).is_some() => format!("the enum `{name}`"),
        Ty::Named(name) => format!("an object (`{name}`)"),
    }
}
