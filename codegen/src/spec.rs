//! The spec format as serde reads it: one struct per YAML mapping, unknown
//! keys refused. `spec/README.md` documents every key; keep the two in step.

use serde::Deserialize;

use crate::map::Map;

/// A provider spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// The provider's name; the generated module's name.
    pub name: String,
    /// Documentation of the provider.
    #[serde(default)]
    pub docs: Option<String>,
    /// The answer envelope, if answers are wrapped.
    #[serde(default)]
    pub envelope: Option<EnvelopeSpec>,
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
}

/// `envelope:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSpec {
    pub success: String,
    pub result: String,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub code_fields: Vec<String>,
    #[serde(default)]
    pub message_fields: Vec<String>,
}

/// `auth:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSpec {
    pub token: TokenSpec,
    #[serde(default)]
    pub refresh: Option<RefreshSpec>,
    #[serde(default)]
    pub check: Option<TokenCallSpec>,
    #[serde(default)]
    pub revoke: Option<RevokeSpec>,
    pub placement: PlacementSpec,
    #[serde(default)]
    pub sudo: Option<SudoSpec>,
    #[serde(default)]
    pub tenant: Option<TenantSpec>,
    #[serde(default)]
    pub invalid_token: InvalidTokenSpec,
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

/// `auth.token:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    #[serde(default)]
    pub docs: Option<String>,
    pub method: Method,
    pub path: String,
    pub params_in: ParamsIn,
    #[serde(default)]
    pub headers: Map<String>,
    #[serde(default)]
    pub constants: Map<String>,
    #[serde(default = "default_client_id")]
    pub client_id: String,
    #[serde(default = "default_client_secret")]
    pub client_secret: String,
    #[serde(default)]
    pub optional: Map<OptionalParamSpec>,
    #[serde(default)]
    pub enveloped: bool,
    #[serde(default)]
    pub response: TokenResponseSpec,
}

fn default_client_id() -> String {
    "client_id".into()
}

fn default_client_secret() -> String {
    "client_secret".into()
}

/// `auth.token.optional.<name>:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionalParamSpec {
    #[serde(rename = "type")]
    pub kind: ParamKind,
    #[serde(default)]
    pub on_refresh: bool,
    #[serde(default)]
    pub docs: Option<String>,
}

/// The type of an optional token parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    Integer,
    String,
}

/// `auth.token.response:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenResponseSpec {
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    #[serde(default = "default_access_token")]
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default = "default_expires_in")]
    pub expires_in: String,
    #[serde(default)]
    pub default_lifetime: Option<u64>,
}

impl Default for TokenResponseSpec {
    fn default() -> Self {
        Self {
            type_name: None,
            access_token: default_access_token(),
            refresh_token: None,
            expires_in: default_expires_in(),
            default_lifetime: None,
        }
    }
}

fn default_access_token() -> String {
    "access_token".into()
}

fn default_expires_in() -> String {
    "expires_in".into()
}

/// `auth.refresh:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshSpec {
    #[serde(default)]
    pub docs: Option<String>,
    pub constants: Map<String>,
    pub refresh_token: String,
}

/// `auth.check:` (and the call part of `auth.revoke:`)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenCallSpec {
    #[serde(default)]
    pub docs: Option<String>,
    pub method: Method,
    pub path: String,
    pub params_in: ParamsIn,
    #[serde(default)]
    pub headers: Map<String>,
    pub token_param: String,
    #[serde(default)]
    pub enveloped: bool,
    pub response: String,
}

/// `auth.revoke:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeSpec {
    #[serde(default)]
    pub docs: Option<String>,
    pub method: Method,
    pub path: String,
    pub params_in: ParamsIn,
    #[serde(default)]
    pub headers: Map<String>,
    pub token_param: String,
    #[serde(default)]
    pub enveloped: bool,
    #[serde(default)]
    pub response: Option<String>,
    pub success: SuccessSpec,
    #[serde(default)]
    pub message: Option<String>,
}

/// `auth.revoke.success:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessSpec {
    pub field: String,
    pub equals: i64,
}

/// `auth.placement:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementSpec {
    #[serde(default)]
    pub header: Option<HeaderSpec>,
    #[serde(default)]
    pub query: Option<String>,
    pub default: TokenIn,
}

/// `auth.placement.header:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    pub name: String,
    #[serde(default)]
    pub scheme: Option<String>,
}

/// Where the token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenIn {
    Header,
    Query,
}

/// `auth.sudo:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SudoSpec {
    pub param: String,
    pub forms: Map<String>,
    #[serde(default)]
    pub deprecated: Map<String>,
}

/// `auth.tenant:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantSpec {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

/// `auth.invalid_token:`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidTokenSpec {
    #[serde(default = "default_invalid_status")]
    pub status: Vec<u16>,
    #[serde(default)]
    pub codes: Vec<ScalarCode>,
}

fn default_invalid_status() -> Vec<u16> {
    vec![401]
}

/// A vendor code written as a number or a string; kept as text.
#[derive(Debug)]
pub struct ScalarCode(pub String);

impl<'de> Deserialize<'de> for ScalarCode {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ScalarCode;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a code: a number or a string")
            }
            fn visit_i64<E>(self, v: i64) -> Result<ScalarCode, E> {
                Ok(ScalarCode(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<ScalarCode, E> {
                Ok(ScalarCode(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<ScalarCode, E> {
                Ok(ScalarCode(v.to_owned()))
            }
        }
        de.deserialize_any(V)
    }
}

/// `api:`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSpec {
    #[serde(default)]
    pub envelope: EnvelopeUse,
}

/// `api.envelope:`
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvelopeUse {
    #[default]
    None,
    Always,
    Detect,
}

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

/// Deserializes "a string, or a mapping of the long form" with the long
/// form's own precise errors (serde's untagged enums only say "no variant").
macro_rules! short_or_full {
    ($ty:ident, $short:ident, $full:ident, $expecting:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E>(self, v: &str) -> Result<$ty, E> {
                        Ok($ty::$short(v.to_owned()))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> Result<$ty, A::Error> {
                        $full::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                            .map($ty::Full)
                    }
                }
                de.deserialize_any(V)
            }
        }
    };
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
