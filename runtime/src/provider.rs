//! What the runtime knows about a provider: plain `'static` data generated from
//! its spec, plus the marker traits that turn spec features into types.
//!
//! Nothing provider-specific is written by hand in the runtime. The codegen
//! emits one [`ProviderDef`] per spec and a marker type implementing
//! [`Provider`]; the runtime reads the definition to shape every token call,
//! decode every answer and place the token, sudo and tenant on API calls.

use crate::inject::SudoKind;

/// A provider known at compile time: a marker type with its definition.
///
/// Implemented by generated code (`authorized_api::server::Provider`, …).
pub trait Provider: Sized + Send + Sync + 'static {
    /// The provider's definition, generated from its spec.
    const DEF: &'static ProviderDef;
    /// The client type users hold for this provider (the generated `Client`).
    type Client: From<crate::Client<Self>>;
}

/// Marker: the provider accepts a sudo identity on API calls.
///
/// `#[authorized(sudo = …)]` requires it, so sudo on a provider without it
/// fails to compile.
#[diagnostic::on_unimplemented(
    message = "the provider `{Self}` does not support sudo",
    label = "this client's provider has no `sudo` in its spec",
    note = "remove `sudo = …`, or add a `sudo:` section to the provider's spec"
)]
pub trait SupportsSudo: Provider {}

/// Marker: the provider accepts a tenant on API calls.
#[diagnostic::on_unimplemented(
    message = "the provider `{Self}` does not support tenants",
    label = "this client's provider has no `tenant` in its spec",
    note = "remove the tenant argument, or add a `tenant:` section to the provider's spec"
)]
pub trait SupportsTenant: Provider {}

/// Marker: the provider has a token check endpoint; gives `Client::check_token`.
pub trait HasCheck: Provider {
    /// The typed answer of the check endpoint.
    type CheckResponse: serde::de::DeserializeOwned + Send + 'static;
}

/// Marker: the provider has a token revoke endpoint; gives `Client::revoke_token`.
pub trait HasRevoke: Provider {}

/// Everything about one provider that the runtime needs.
#[derive(Debug)]
pub struct ProviderDef {
    /// The provider's name, as in its spec (`hotel`, `server`).
    pub name: &'static str,
    /// How to obtain a token with the client credentials.
    pub token: TokenEndpoint,
    /// How to renew a token with a refresh token, if the provider can.
    pub refresh: Option<RefreshGrant>,
    /// How to check a token, if the provider can.
    pub check: Option<TokenCall>,
    /// How to revoke a token, if the provider can.
    pub revoke: Option<RevokeCall>,
    /// Where the token goes on API calls.
    pub placement: Placement,
    /// Sudo support on API calls.
    pub sudo: Option<SudoDef>,
    /// Tenant support on API calls.
    pub tenant: Option<TenantDef>,
    /// What tells, on an API call, that the token is no longer valid.
    pub invalid_token: InvalidTokenSignal,
    /// How API answers are wrapped.
    pub api_envelope: EnvelopeUse,
    /// The answer envelope (`{success, timestamp, result}` style), if any.
    pub envelope: Option<Envelope>,
}

/// An HTTP method used by a provider endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl HttpMethod {
    /// The method as reqwest knows it.
    pub fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

/// Where a call's parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamsIn {
    /// In the query string.
    Query,
    /// In an `application/x-www-form-urlencoded` body.
    Form,
    /// In a JSON object body.
    Json,
}

/// The token endpoint: the client credentials grant.
#[derive(Debug)]
pub struct TokenEndpoint {
    /// HTTP method.
    pub method: HttpMethod,
    /// Path below the base URL.
    pub path: &'static str,
    /// Where the parameters go.
    pub params_in: ParamsIn,
    /// Extra request headers (`Accept: application/json`).
    pub headers: &'static [(&'static str, &'static str)],
    /// Constant parameters (`grant_type`, `scope`).
    pub constants: &'static [(&'static str, &'static str)],
    /// Wire name of the client id parameter.
    pub client_id_param: &'static str,
    /// Wire name of the client secret parameter.
    pub client_secret_param: &'static str,
    /// Optional parameters a client may set (`expires_in`).
    pub optional_params: &'static [OptionalParam],
    /// Whether the answer is wrapped in the provider's envelope.
    pub enveloped: bool,
    /// Where the token's parts are in the answer.
    pub fields: TokenFields,
}

/// An optional token request parameter a client may set.
#[derive(Debug)]
pub struct OptionalParam {
    /// Wire name.
    pub name: &'static str,
    /// What values it takes.
    pub kind: ParamKind,
    /// Whether the refresh grant sends it too.
    pub on_refresh: bool,
}

/// The type of a parameter value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A decimal integer.
    Integer,
    /// Any string.
    String,
}

/// Where a token answer keeps each part of the token.
#[derive(Debug)]
pub struct TokenFields {
    /// The access token field.
    pub access_token: &'static str,
    /// The refresh token field, if the provider issues one.
    pub refresh_token: Option<&'static str>,
    /// The lifetime field, in seconds; an integer or a numeric string is accepted.
    pub expires_in: &'static str,
    /// Lifetime to assume when the answer has no lifetime field.
    pub default_lifetime_secs: Option<u64>,
}

/// The refresh token grant; it uses the token endpoint's method, path and shape.
#[derive(Debug)]
pub struct RefreshGrant {
    /// Constant parameters (`grant_type=refresh_token`).
    pub constants: &'static [(&'static str, &'static str)],
    /// Wire name of the refresh token parameter.
    pub refresh_token_param: &'static str,
}

/// A call that sends the current token as a parameter (check, revoke).
#[derive(Debug)]
pub struct TokenCall {
    /// HTTP method.
    pub method: HttpMethod,
    /// Path below the base URL.
    pub path: &'static str,
    /// Where the parameters go.
    pub params_in: ParamsIn,
    /// Extra request headers.
    pub headers: &'static [(&'static str, &'static str)],
    /// Wire name of the token parameter.
    pub token_param: &'static str,
    /// Whether the answer is wrapped in the provider's envelope.
    pub enveloped: bool,
}

/// The revoke call and how its success is judged.
#[derive(Debug)]
pub struct RevokeCall {
    /// The call itself.
    pub call: TokenCall,
    /// The answer field holding the result code.
    pub code_field: &'static str,
    /// The code that means success.
    pub success_code: i64,
    /// The answer field holding the message.
    pub message_field: Option<&'static str>,
}

/// Where the token goes on API calls.
#[derive(Debug)]
pub struct Placement {
    /// As a header, e.g. `Authorization: Bearer <token>`.
    pub header: Option<HeaderPlacement>,
    /// As a query parameter, e.g. `access_token`.
    pub query: Option<&'static str>,
    /// Where it goes unless a client or call says otherwise.
    pub default: TokenIn,
}

/// A token carried in a header.
#[derive(Debug)]
pub struct HeaderPlacement {
    /// Header name.
    pub name: &'static str,
    /// Scheme written before the token (`Bearer`), if any.
    pub scheme: Option<&'static str>,
}

/// Where the token travels on an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenIn {
    /// In the header the spec names (`Authorization: Bearer …`).
    Header,
    /// In the query parameter the spec names (`access_token=…`).
    Query,
}

/// Sudo: acting as one of the provider's users.
#[derive(Debug)]
pub struct SudoDef {
    /// Query parameter name (`sudo`).
    pub param: &'static str,
    /// The forms the provider accepts.
    pub forms: &'static [SudoForm],
}

/// One accepted sudo form, e.g. `uid:<UID>`.
#[derive(Debug)]
pub struct SudoForm {
    /// Which identity it carries.
    pub kind: SudoKind,
    /// Wire prefix before the colon (`uid`, `loginName`).
    pub prefix: &'static str,
    /// Whether the provider marks it deprecated.
    pub deprecated: bool,
}

/// Tenant selection: by id or by code, never both.
#[derive(Debug)]
pub struct TenantDef {
    /// Query parameter for the tenant id (`tenantId`).
    pub id_param: Option<&'static str>,
    /// Query parameter for the tenant code (`tenantCode`).
    pub code_param: Option<&'static str>,
}

/// What tells, on an API call, that the token is not (or no longer) valid.
#[derive(Debug)]
pub struct InvalidTokenSignal {
    /// HTTP statuses (401).
    pub statuses: &'static [u16],
    /// Vendor codes in the answer body (envelope or top-level code field).
    pub codes: &'static [&'static str],
}

/// Whether API answers carry the provider's envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeUse {
    /// Never: answers are the payload.
    None,
    /// Always: an answer without the envelope is a decode error.
    Always,
    /// When present: an object with the envelope's success field is unwrapped.
    Detect,
}

/// A `{success, timestamp, result}` style answer envelope.
#[derive(Debug)]
pub struct Envelope {
    /// Boolean field that says whether the call worked.
    pub success: &'static str,
    /// Field holding the payload.
    pub result: &'static str,
    /// Field holding the answer's time, if any.
    pub timestamp: Option<&'static str>,
    /// Fields that may hold the vendor's error code, tried in order.
    pub code_fields: &'static [&'static str],
    /// Fields that may hold the vendor's error message, tried in order.
    pub message_fields: &'static [&'static str],
}

/// Fields tried, in order, for a vendor error code when a spec names none.
pub const DEFAULT_CODE_FIELDS: &[&str] = &[
    "code",
    "errorCode",
    "error_code",
    "errcode",
    "errCode",
    "error",
    "status",
];

/// Fields tried, in order, for a vendor error message when a spec names none.
pub const DEFAULT_MESSAGE_FIELDS: &[&str] = &[
    "msg",
    "message",
    "errorMsg",
    "error_msg",
    "errmsg",
    "errMsg",
    "error_description",
    "errorMessage",
    "detail",
];
