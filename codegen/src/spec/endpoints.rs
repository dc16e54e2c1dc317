//! `endpoints:`: one ordinary API call each.

use serde::Deserialize;

use super::{FieldSpec, Method};
use crate::map::Map;

/// `endpoints.<name>:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointSpec {
    #[serde(default)]
    pub docs: Option<String>,
    pub method: Method,
    pub path: String,
    #[serde(default)]
    pub path_params: Map<FieldSpec>,
    #[serde(default)]
    pub query: Map<FieldSpec>,
    #[serde(default)]
    pub body: Option<BodySpec>,
    #[serde(default)]
    pub response: Option<String>,
}

/// `endpoints.<name>.body:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodySpec {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default = "default_body_format")]
    pub format: BodyFormat,
}

fn default_body_format() -> BodyFormat {
    BodyFormat::Json
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    Json,
    Form,
}
