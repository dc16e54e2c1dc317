//! Type expressions of the spec: `string`, `integer`, `array<Account>`, …

use std::fmt;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `string`
    String,
    /// `integer` (64-bit signed)
    Integer,
    /// `number` (64-bit float)
    Number,
    /// `boolean`
    Boolean,
    /// `secret`: a string that never prints.
    Secret,
    /// `seconds`: a duration sent as an integer or a numeric string.
    Seconds,
    /// `any`: whatever JSON arrives.
    Any,
    /// `array<T>`
    Array(Box<Ty>),
    /// `map<T>`: string keys.
    Map(Box<Ty>),
    /// A type named in `types:`.
    Named(String),
}

/// The primitive type names, for error messages.
pub const PRIMITIVES: &str =
    "`string`, `integer`, `number`, `boolean`, `secret`, `seconds`, `any`, `array<T>`, `map<T>`";

impl Ty {
    /// Parses a type expression. A trailing `?` is not part of it (see
    /// [`split_optional`]).
    pub fn parse(text: &str) -> Result<Ty, String> {
        let text = text.trim();
        let generic = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('<'))
                .and_then(|rest| rest.strip_suffix('>'))
        };
        Ok(match text {
            "string" => Ty::String,
            "integer" => Ty::Integer,
            "number" => Ty::Number,
            "boolean" => Ty::Boolean,
            "secret" => Ty::Secret,
            "seconds" => Ty::Seconds,
            "any" => Ty::Any,
            _ => {
                if let Some(inner) = generic("array") {
                    Ty::Array(Box::new(Ty::parse(inner)?))
                } else if let Some(inner) = generic("map") {
                    Ty::Map(Box::new(Ty::parse(inner)?))
                } else if !text.is_empty()
                    && text.chars().all(|c| c.is_alphanumeric() || c == '_')
                    && !text.starts_with(|c: char| c.is_ascii_digit())
                {
                    Ty::Named(text.to_owned())
                } else {
                    return Err(format!(
                        "`{text}` is not a type; expected one of {PRIMITIVES}, or the name of a type in `types`"
                    ));
                }
            }
        })
    }

    /// Every named type this expression refers to.
    pub fn names(&self) -> Vec<&str> {
        match self {
            Ty::Named(name) => vec![name],
            Ty::Array(inner) | Ty::Map(inner) => inner.names(),
            _ => Vec::new(),
        }
    }
}

/// Splits `integer?` into (`integer`, optional).
pub fn split_optional(text: &str) -> (&str, bool) {
    match text.trim().strip_suffix('?') {
        Some(inner) => (inner, true),
        None => (text.trim(), false),
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::String => f.write_str("string"),
            Ty::Integer => f.write_str("integer"),
            Ty::Number => f.write_str("number"),
            Ty::Boolean => f.write_str("boolean"),
            Ty::Secret => f.write_str("secret"),
            Ty::Seconds => f.write_str("seconds"),
            Ty::Any => f.write_str("any"),
            Ty::Array(inner) => write!(f, "array<{inner}>"),
            Ty::Map(inner) => write!(f, "map<{inner}>"),
            Ty::Named(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_and_refuses_garbage() {
        assert_eq!(
            Ty::parse("array<map<Account>>").unwrap(),
            Ty::Array(Box::new(Ty::Map(Box::new(Ty::Named("Account".into())))))
        );
        assert!(Ty::parse("array<").is_err());
        assert!(Ty::parse("list of things").is_err());
        assert_eq!(split_optional("integer?"), ("integer", true));
    }
}
