//! The spec format as serde reads it: one struct per YAML mapping, unknown
//! keys refused. `spec/README.md` documents every key; keep the two in step.
//! This file holds the top level and what several sections share; `auth`,
//! `types` and `endpoints` hold their sections (`endpoints` uses `types`),
//! `answers` the answer rules every call uses, `removed` the keys of the
//! older format, and `short_or_full` and `list` the deserializers of the
//! short-or-long and one-or-many forms.

mod answers;
mod auth;
mod endpoints;
mod list;
mod removed;
mod short_or_full;
mod types;

use serde::Deserialize;

use crate::map::Map;

// The section types other modules name; the rest are reached through fields.
pub use answers::{Absent, AnswerRef, AnswerSpec, FieldSuccess, Scalar, SuccessSpec};
pub use auth::{
    AuthSpec, ClientAuth, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Discovery, InstantFormat,
    Lifetime, ParamKind, PlacementSpec, SudoSpec, TokenCallSpec, TokenIn, TokenSpec,
};
pub use endpoints::{BodyFormat, EndpointSpec};
pub use list::OneOrMany;
pub use removed::is_removed;
pub use types::{FieldSpec, TypeSpec, VariantSpec};

/// A provider spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// The provider's name; the generated module's name.
    pub name: String,
    /// Documentation of the provider.
    #[serde(default)]
    pub docs: Option<String>,
    /// Named answer rules.
    #[serde(default)]
    pub answers: Map<AnswerSpec>,
    /// How tokens are obtained and used.
    pub auth: AuthSpec,
    /// How ordinary API answers are read.
    #[serde(default)]
    pub api: ApiSpec,
    /// Named types.
    #[serde(default)]
    pub types: Map<TypeSpec>,
    /// Ordinary endpoints.
    #[serde(default)]
    pub endpoints: Map<EndpointSpec>,
    /// The older format's `envelope`.
    #[serde(default)]
    pub envelope: removed::Removed,
}

/// HTTP methods a spec may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// Where parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamsIn {
    Query,
    Form,
    Json,
}

/// `api:`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSpec {
    #[serde(default)]
    pub answer: AnswerRef,
    /// The older format's `api.envelope`.
    #[serde(default)]
    pub envelope: removed::Removed,
}
