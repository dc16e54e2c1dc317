//! The provider's token endpoints: how a token is requested, renewed,
//! checked and revoked, how the client authenticates on each, and where a
//! token's parts are in the answer.

use crate::def::answers::AnswerRule;

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

/// How the client authenticates on a token, refresh, check or revoke call.
/// A call uses exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientAuth {
    /// The client id and secret as parameters of the call, under the
    /// call's wire names (`client_id`, `client_secret`).
    Params,
    /// HTTP Basic (RFC 6749 §2.3.1): id and secret form-urlencoded, joined
    /// by `:`, Base64-encoded, in `Authorization: Basic …`.
    Basic,
    /// Not at all.
    None,
}

impl ClientAuth {
    /// `params`, `basic` or `none`, as specs say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Params => "params",
            Self::Basic => "basic",
            Self::None => "none",
        }
    }
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
    /// Wire name of the client id parameter (with [`ClientAuth::Params`]).
    pub client_id_param: &'static str,
    /// Wire name of the client secret parameter (with [`ClientAuth::Params`]).
    pub client_secret_param: &'static str,
    /// How the client may authenticate, the default first; never empty.
    pub client_auth: &'static [ClientAuth],
    /// Optional parameters a client may set (`expires_in`, `scope`).
    pub optional_params: &'static [OptionalParam],
    /// How the answer is judged and where its payload is.
    pub answer: AnswerRule,
    /// Where the token's parts are in the payload.
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

/// Where a token answer's payload keeps each part of the token.
#[derive(Debug)]
pub struct TokenFields {
    /// The access token field.
    pub access_token: &'static str,
    /// The refresh token field, if the provider issues one.
    pub refresh_token: Option<&'static str>,
    /// Where the token's lifetime is.
    pub lifetime: Lifetime,
    /// Lifetime to assume when the answer has no lifetime field.
    pub default_lifetime_secs: Option<u64>,
}

/// Where a token answer says how long the token lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// This field holds seconds from now: an integer or a numeric string.
    ExpiresIn(&'static str),
    /// This field holds the instant the token expires.
    ExpiresAt {
        /// The field.
        field: &'static str,
        /// How the instant is written.
        format: InstantFormat,
    },
}

/// How an absolute instant is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstantFormat {
    /// Seconds since the Unix epoch (an integer or a numeric string).
    EpochSeconds,
    /// Milliseconds since the Unix epoch (an integer or a numeric string).
    EpochMillis,
    /// An RFC 3339 date and time (`2026-12-01T20:30:00Z`).
    Rfc3339,
}

/// The refresh token grant; it uses the token endpoint's method, path,
/// parameter placement, headers, answer rule and fields.
#[derive(Debug)]
pub struct RefreshGrant {
    /// Constant parameters (`grant_type=refresh_token`).
    pub constants: &'static [(&'static str, &'static str)],
    /// Wire name of the refresh token parameter.
    pub refresh_token_param: &'static str,
    /// How the client may authenticate, the default first; never empty.
    pub client_auth: &'static [ClientAuth],
}

/// A call that sends a token as a parameter: check (RFC 7662
/// introspection and its kin) and revoke (RFC 7009 and its kin).
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
    /// Constant parameters (`token_type_hint=access_token`).
    pub constants: &'static [(&'static str, &'static str)],
    /// Wire name of the token parameter.
    pub token_param: &'static str,
    /// Wire name of the client id parameter (with [`ClientAuth::Params`]).
    pub client_id_param: &'static str,
    /// Wire name of the client secret parameter (with [`ClientAuth::Params`]).
    pub client_secret_param: &'static str,
    /// How the client may authenticate, the default first; never empty.
    pub client_auth: &'static [ClientAuth],
    /// How the answer is judged and where its payload is.
    pub answer: AnswerRule,
}

/// Where an issuer's metadata may say where its endpoints are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discovery {
    /// RFC 8414: `/.well-known/oauth-authorization-server`, inserted
    /// before the issuer's path.
    OAuthAuthorizationServer,
    /// OpenID Connect Discovery 1.0: `/.well-known/openid-configuration`,
    /// appended to the issuer.
    OpenIdConfiguration,
}
