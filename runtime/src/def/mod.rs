//! What generated code tells the runtime about a provider: plain `'static`
//! data made from its spec ([`ProviderDef`]), and the marker traits that turn
//! spec features into types. Uses nothing else in the crate: everything
//! above reads it.
//!
//! Nothing provider-specific is written by hand in the runtime. The codegen
//! emits one [`ProviderDef`] per spec and a marker type implementing
//! [`Provider`]; the runtime reads the definition to shape every token call,
//! decode every answer and place the token, sudo and tenant on API calls.

mod answers;
mod endpoints;
mod identity;
mod placement;

pub use answers::{
    Absent, AnswerRule, DEFAULT_CODE_FIELDS, DEFAULT_MESSAGE_FIELDS, InvalidTokenSignal, Scalar,
    Success,
};
pub use endpoints::{
    ClientAuth, Discovery, HttpMethod, InstantFormat, Lifetime, OptionalParam, ParamKind, ParamsIn,
    RefreshGrant, TokenCall, TokenEndpoint, TokenFields,
};
pub use identity::{SudoDef, SudoForm, SudoKind, TenantDef};
pub use placement::{HeaderPlacement, Placement, TokenIn};

/// A provider known at compile time: a marker type with its definition.
///
/// Implemented by generated code (`authorized_api::server::Provider`, …).
pub trait Provider: Sized + Send + Sync + 'static {
    /// The provider's definition, generated from its spec.
    const DEF: &'static ProviderDef;
    /// The client type users hold for this provider (the generated
    /// `Client`), made from the runtime's client with `From`.
    type Client;
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

/// Marker: the provider has a token check endpoint (`DEF.check` is set);
/// gives `Client::check_token`. A provider marked so whose definition has
/// no check fails to compile where `check_token` is used.
pub trait HasCheck: Provider {
    /// The typed answer of the check endpoint.
    type CheckResponse: serde::de::DeserializeOwned + Send + 'static;
}

/// Marker: the provider has a token revoke endpoint (`DEF.revoke` is set);
/// gives `Client::revoke_token`, checked the same way.
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
    pub revoke: Option<TokenCall>,
    /// Where the token goes on API calls.
    pub placement: Placement,
    /// Sudo support on API calls.
    pub sudo: Option<SudoDef>,
    /// Tenant support on API calls.
    pub tenant: Option<TenantDef>,
    /// What tells, on an API call, that the token is no longer valid.
    pub invalid_token: InvalidTokenSignal,
    /// How API answers are judged and where their payload is.
    pub api_answer: AnswerRule,
    /// Where an issuer's metadata may be read to find the token, check and
    /// revoke endpoints (`ClientBuilder::issuer`); empty: nowhere.
    pub discovery: &'static [Discovery],
}

/// A minimal provider for the runtime's unit tests: GET token endpoint with
/// query parameters, token in the query, 401 refuses it; tests change what
/// they look at with `ProviderDef { …, ..TEST_DEF }`.
#[cfg(test)]
pub(crate) const TEST_DEF: ProviderDef = ProviderDef {
    name: "p",
    token: TokenEndpoint {
        method: HttpMethod::Get,
        path: "/t",
        params_in: ParamsIn::Query,
        headers: &[],
        constants: &[],
        client_id_param: "client_id",
        client_secret_param: "client_secret",
        client_auth: &[ClientAuth::Params],
        optional_params: &[],
        answer: AnswerRule::STATUS,
        fields: TokenFields {
            access_token: "access_token",
            refresh_token: None,
            lifetime: Lifetime::ExpiresIn("expires_in"),
            default_lifetime_secs: Some(60),
        },
    },
    refresh: None,
    check: None,
    revoke: None,
    placement: Placement {
        header: None,
        query: Some("access_token"),
        default: TokenIn::Query,
    },
    sudo: None,
    tenant: None,
    invalid_token: InvalidTokenSignal {
        statuses: &[401],
        codes: &[],
        code_fields: &[],
        challenge: false,
    },
    api_answer: AnswerRule::STATUS,
    discovery: &[],
};
