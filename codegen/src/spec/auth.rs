//! The `auth:` section: how tokens are fetched, renewed, checked, revoked
//! and placed, and acting as a user or tenant.

use serde::Deserialize;

use super::answers::AnswerRef;
use super::list::OneOrMany;
use super::removed::Removed;
use super::{Method, ParamsIn};
use crate::map::Map;

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
    pub revoke: Option<TokenCallSpec>,
    pub placement: PlacementSpec,
    #[serde(default)]
    pub sudo: Option<SudoSpec>,
    #[serde(default)]
    pub tenant: Option<TenantSpec>,
    #[serde(default)]
    pub invalid_token: InvalidTokenSpec,
    #[serde(default)]
    pub discovery: Vec<Discovery>,
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
    /// Wire name; `None`: `client_id`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Wire name; `None`: `client_secret`.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// `None`: `params`.
    #[serde(default)]
    pub client_auth: Option<OneOrMany<ClientAuth>>,
    #[serde(default)]
    pub optional: Map<OptionalParamSpec>,
    #[serde(default)]
    pub answer: AnswerRef,
    #[serde(default)]
    pub response: TokenResponseSpec,
    #[serde(default)]
    pub enveloped: Removed,
}

/// The wire name of the client id parameter unless a spec says otherwise.
pub const DEFAULT_CLIENT_ID: &str = "client_id";

/// The wire name of the client secret parameter unless a spec says otherwise.
pub const DEFAULT_CLIENT_SECRET: &str = "client_secret";

/// How the client authenticates on a token call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuth {
    Params,
    Basic,
    None,
}

impl ClientAuth {
    /// As a spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Params => "params",
            Self::Basic => "basic",
            Self::None => "none",
        }
    }
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
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenResponseSpec {
    #[serde(default, rename = "type")]
    pub type_name: Option<String>,
    /// `None`: `access_token`.
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// `None`: `expires_in`, unless `expires_at` is set.
    #[serde(default)]
    pub expires_in: Option<String>,
    #[serde(default)]
    pub expires_at: Option<ExpiresAtSpec>,
    #[serde(default)]
    pub default_lifetime: Option<u64>,
}

impl TokenResponseSpec {
    /// The access token field.
    pub fn access_token(&self) -> &str {
        self.access_token.as_deref().unwrap_or("access_token")
    }

    /// Where the lifetime is: `expires_at` if set, else `expires_in`.
    pub fn lifetime(&self) -> Lifetime<'_> {
        match (&self.expires_at, &self.expires_in) {
            (Some(at), _) => Lifetime::ExpiresAt(at),
            (None, field) => Lifetime::ExpiresIn(field.as_deref().unwrap_or("expires_in")),
        }
    }
}

/// Where a token answer says how long the token lives.
#[derive(Debug, Clone, Copy)]
pub enum Lifetime<'a> {
    /// Seconds from now, in this field.
    ExpiresIn(&'a str),
    /// An instant, in this field and format.
    ExpiresAt(&'a ExpiresAtSpec),
}

/// `auth.token.response.expires_at:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpiresAtSpec {
    pub field: String,
    pub format: InstantFormat,
}

/// How an instant is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstantFormat {
    EpochSeconds,
    EpochMillis,
    Rfc3339,
}

/// `auth.refresh:`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshSpec {
    #[serde(default)]
    pub docs: Option<String>,
    pub constants: Map<String>,
    pub refresh_token: String,
    /// `None`: the token call's.
    #[serde(default)]
    pub client_auth: Option<OneOrMany<ClientAuth>>,
}

/// `auth.check:` and `auth.revoke:`
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
    #[serde(default)]
    pub constants: Map<String>,
    pub token_param: String,
    /// `None`: `none`.
    #[serde(default)]
    pub client_auth: Option<OneOrMany<ClientAuth>>,
    /// Wire name; `None`: `client_id`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Wire name; `None`: `client_secret`.
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub answer: AnswerRef,
    #[serde(default)]
    pub response: Option<String>,
    #[serde(default)]
    pub enveloped: Removed,
    #[serde(default)]
    pub success: Removed,
    #[serde(default)]
    pub message: Removed,
}

/// Where an issuer publishes its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Discovery {
    #[serde(rename = "oauth-authorization-server")]
    OAuthAuthorizationServer,
    #[serde(rename = "openid-configuration")]
    OpenIdConfiguration,
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvalidTokenSpec {
    #[serde(default = "default_invalid_status")]
    pub status: Vec<u16>,
    #[serde(default)]
    pub codes: Vec<ScalarCode>,
    #[serde(default)]
    pub code_fields: OneOrMany<String>,
    #[serde(default)]
    pub challenge: bool,
}

fn default_invalid_status() -> Vec<u16> {
    vec![401]
}

/// Without `invalid_token`, as with an empty one: HTTP 401 says it.
impl Default for InvalidTokenSpec {
    fn default() -> Self {
        Self {
            status: default_invalid_status(),
            codes: Vec::new(),
            code_fields: OneOrMany::default(),
            challenge: false,
        }
    }
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
