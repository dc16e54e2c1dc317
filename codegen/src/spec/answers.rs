//! Answer rules: when an answer says the call worked, where its payload is,
//! and where the vendor's code and message are. One shape for token, check,
//! revoke and API answers, written in place or named under `answers:`.

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Unexpected, Visitor};

use super::list::OneOrMany;
use super::short_or_full::short_or_full;

/// `auth.token.answer`, `api.answer`, …: the name of an entry of
/// `answers:`, or a rule written in place.
#[derive(Debug, Clone)]
pub enum AnswerRef {
    Named(String),
    Full(AnswerSpec),
}

short_or_full!(
    AnswerRef,
    Named,
    AnswerSpec,
    "the name of an entry of `answers`, or an answer rule (a mapping with `success`, `payload`, `code_fields`, `message_fields`)"
);

impl Default for AnswerRef {
    /// `status`: success by HTTP status, the whole body as payload.
    fn default() -> Self {
        Self::Full(AnswerSpec::default())
    }
}

/// An answer rule (`answers.<name>:` or in place).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSpec {
    #[serde(default)]
    pub success: SuccessSpec,
    #[serde(default)]
    pub payload: Option<String>,
    #[serde(default)]
    pub code_fields: OneOrMany<String>,
    #[serde(default)]
    pub message_fields: OneOrMany<String>,
}

/// `success:`: `status`, or `{ field, equals, absent }`.
#[derive(Debug, Clone, Default)]
pub enum SuccessSpec {
    #[default]
    Status,
    Field(FieldSuccess),
}

/// `success: { field, equals, absent }`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSuccess {
    pub field: String,
    pub equals: Scalar,
    #[serde(default)]
    pub absent: Absent,
}

/// What a 2xx answer without the success field means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Absent {
    /// Not the provider's shape: a decode error.
    #[default]
    Failure,
    /// A success whose payload is the whole body.
    Success,
}

/// The value a success field is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl Scalar {
    /// What kind of value it is, for messages (`the integer 0`).
    pub fn described(&self) -> String {
        match self {
            Self::Bool(_) => format!("the boolean {self}"),
            Self::Int(_) => format!("the integer {self}"),
            Self::Str(_) => format!("the string {self}"),
        }
    }
}

impl fmt::Display for Scalar {
    /// As YAML would write it: `true`, `0`, `"ok"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bool(b) => write!(f, "{b}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Str(s) => write!(f, "{s:?}"),
        }
    }
}

impl<'de> Deserialize<'de> for SuccessSpec {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SuccessSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`status`, or a mapping with `field`, `equals` and optionally `absent`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SuccessSpec, E> {
                if v == "status" {
                    Ok(SuccessSpec::Status)
                } else {
                    Err(E::invalid_value(Unexpected::Str(v), &self))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SuccessSpec, A::Error> {
                FieldSuccess::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(SuccessSpec::Field)
            }
        }
        de.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean, an integer or a string")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                i64::try_from(v).map(Scalar::Int).map_err(|_| {
                    E::invalid_value(Unexpected::Unsigned(v), &"a 64-bit signed integer")
                })
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_owned()))
            }
        }
        de.deserialize_any(V)
    }
}
