//! The validated provider model that generation works from: every name is
//! already a checked Rust identifier, every type reference resolves, and
//! each call's answer rule and client authentication are resolved (names
//! looked up, defaults filled in).

use crate::spec::{AnswerSpec, BodyFormat, ClientAuth, Method, SpecFile};
use crate::types::Ty;

/// A provider ready for generation.
#[derive(Debug)]
pub struct Provider {
    /// The spec as written (auth: emitted as data).
    pub spec: SpecFile,
    /// The auth calls' answer rules and client authentication, with names
    /// and defaults resolved.
    pub calls: Calls,
    /// The module name.
    pub module: String,
    /// Named types, in spec order.
    pub types: Vec<TypeDef>,
    /// Ordinary endpoints, in spec order.
    pub endpoints: Vec<Endpoint>,
}

impl Provider {
    /// The Rust name of the spec type named `name`.
    pub fn rust_type_name(&self, name: &str) -> Option<&str> {
        self.types
            .iter()
            .find(|t| t.spec_name == name)
            .map(|t| t.rust.as_str())
    }
}

/// What each auth call and API answer uses, names and defaults resolved.
#[derive(Debug)]
pub struct Calls {
    /// The token call.
    pub token: Call,
    /// The refresh grant's client authentication (its answer is the token's).
    pub refresh: Option<Vec<ClientAuth>>,
    /// The check call.
    pub check: Option<Call>,
    /// The revoke call.
    pub revoke: Option<Call>,
    /// How API answers are judged.
    pub api: Answer,
}

/// A token, check or revoke call's resolved settings.
#[derive(Debug)]
pub struct Call {
    /// The allowed client authentication methods, the default first.
    pub client_auth: Vec<ClientAuth>,
    /// How its answer is judged.
    pub answer: Answer,
}

/// An answer rule, and the name it has in `answers:` if it has one.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The entry of `answers:` it comes from.
    pub name: Option<String>,
    /// The rule.
    pub rule: AnswerSpec,
}

/// A named type.
#[derive(Debug)]
pub struct TypeDef {
    /// The name in the spec.
    pub spec_name: String,
    /// The Rust name.
    pub rust: String,
    /// Documentation.
    pub docs: Option<String>,
    /// Object or enum.
    pub kind: TypeKind,
}

/// What a named type is.
#[derive(Debug)]
pub enum TypeKind {
    /// A struct with fields.
    Object(Vec<Field>),
    /// A string enum.
    Enum(Vec<Variant>),
}

/// A struct field or a parameter.
#[derive(Debug, Clone)]
pub struct Field {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name.
    pub rust: String,
    /// The type.
    pub ty: Ty,
    /// Whether it may be absent.
    pub optional: bool,
    /// Documentation.
    pub docs: Option<String>,
}

/// A string enum value.
#[derive(Debug)]
pub struct Variant {
    /// The value on the wire.
    pub wire: String,
    /// The Rust variant name.
    pub rust: String,
    /// Documentation.
    pub docs: Option<String>,
}

/// An ordinary endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// The client method's name.
    pub rust: String,
    /// The request struct's name, when the endpoint takes anything.
    pub request: Option<String>,
    /// Documentation.
    pub docs: Option<String>,
    /// HTTP method.
    pub method: Method,
    /// The path, split into literal text and parameters.
    pub path: Vec<PathPart>,
    /// The path as written.
    pub path_text: String,
    /// Path parameters.
    pub path_params: Vec<Field>,
    /// Query parameters.
    pub query: Vec<Field>,
    /// The body, if any.
    pub body: Option<(Ty, BodyFormat)>,
    /// The answer's type; `None` for no content.
    pub response: Option<Ty>,
}

/// A piece of an endpoint path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text.
    Text(String),
    /// A `{param}`, by wire name.
    Param(String),
}
