//! Acting as a user (sudo) and selecting a tenant: what the provider accepts.

/// Which identity a `Sudo` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SudoKind {
    /// The user's numeric id (`uid:`).
    Uid,
    /// The user's login name (`loginName:`).
    LoginName,
    /// The user's email (`email:`).
    Email,
    /// The user's mobile number (`mobile:`).
    Mobile,
    /// The user's login name, the deprecated way (`username:`).
    Username,
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
