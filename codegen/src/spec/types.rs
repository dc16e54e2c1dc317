//! `types:`: named objects and string enums, and the fields of both types
//! and endpoints.

use serde::Deserialize;

use super::short_or_full::short_or_full;
use crate::map::Map;

/// `types.<Name>:` an object (`fields`) or a string enum (`enum`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeSpec {
    #[serde(default)]
    pub docs: Option<String>,
    #[serde(default)]
    pub rust_name: Option<String>,
    #[serde(default)]
    pub fields: Option<Map<FieldSpec>>,
    #[serde(default, rename = "enum")]
    pub variants: Option<Vec<VariantSpec>>,
}

/// One enum value: a bare string or `{value, docs, rust_name}`.
#[derive(Debug)]
pub enum VariantSpec {
    Bare(String),
    Full(FullVariant),
}

/// The long form of an enum value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullVariant {
    pub value: String,
    #[serde(default)]
    pub docs: Option<String>,
    #[serde(default)]
    pub rust_name: Option<String>,
}

impl VariantSpec {
    /// The wire value.
    pub fn value(&self) -> &str {
        match self {
            Self::Bare(v) => v,
            Self::Full(f) => &f.value,
        }
    }
}

/// A field or parameter: a type expression, or `{type, optional, docs, rust_name}`.
#[derive(Debug)]
pub enum FieldSpec {
    Short(String),
    Full(FullField),
}

/// The long form of a field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullField {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub docs: Option<String>,
    #[serde(default)]
    pub rust_name: Option<String>,
}

short_or_full!(
    FieldSpec,
    Short,
    FullField,
    "a type (`string`, `array<Item>`, …) or a mapping with `type`"
);
short_or_full!(
    VariantSpec,
    Bare,
    FullVariant,
    "an enum value (a string) or a mapping with `value`"
);
