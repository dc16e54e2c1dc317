//! Who a call acts as and whose data it works on: the `Sudo` and `Tenant`
//! values, checked against what the provider accepts.

use std::fmt;

use crate::def::{ProviderDef, SudoDef, SudoKind, TenantDef};
use crate::error::{Error, Result};
use crate::wire::url::{QueryPair, QueryValue};

/// The query pairs that carry `sudo` and `tenant` to `def`'s provider,
/// each checked against what its spec accepts: the one rule for calls and
/// the middleware alike.
pub(crate) fn identity_pairs<'a>(
    def: &ProviderDef,
    sudo: Option<&'a Sudo>,
    tenant: Option<&'a Tenant>,
) -> Result<impl Iterator<Item = QueryPair<'a>> + use<'a>> {
    let sudo = match sudo {
        Some(sudo) => Some(sudo.query_pair(def.name, def.sudo.as_ref())?),
        None => None,
    };
    let tenant = match tenant {
        Some(tenant) => Some(tenant.query_pair(def.name, def.tenant.as_ref())?),
        None => None,
    };
    Ok(sudo.into_iter().chain(tenant))
}

/// Act as one of the provider's users: the `sudo` parameter of an API call.
///
/// ```
/// use authorized_runtime::Sudo;
/// let me = Sudo::email("a+b@example.com");
/// assert_eq!(me.value(), "a+b@example.com");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sudo {
    kind: SudoKind,
    value: String,
}

impl Sudo {
    /// Act as the user with this id (`sudo=uid:<UID>`).
    pub fn uid(uid: impl fmt::Display) -> Self {
        Self::new(SudoKind::Uid, uid.to_string())
    }

    /// Act as the user with this login name (`sudo=loginName:<LOGIN_NAME>`).
    pub fn login_name(login_name: impl Into<String>) -> Self {
        Self::new(SudoKind::LoginName, login_name.into())
    }

    /// Act as the user with this email (`sudo=email:<EMAIL>`).
    pub fn email(email: impl Into<String>) -> Self {
        Self::new(SudoKind::Email, email.into())
    }

    /// Act as the user with this mobile number (`sudo=mobile:<MOBILE>`).
    pub fn mobile(mobile: impl Into<String>) -> Self {
        Self::new(SudoKind::Mobile, mobile.into())
    }

    /// Act as the user with this login name, the old way (`sudo=username:…`).
    #[deprecated(note = "the provider deprecates `username:`; use `Sudo::login_name`")]
    pub fn username(login_name: impl Into<String>) -> Self {
        Self::new(SudoKind::Username, login_name.into())
    }

    /// A sudo of any kind; prefer the named constructors.
    pub fn new(kind: SudoKind, value: impl Into<String>) -> Self {
        Self {
            kind,
            value: value.into(),
        }
    }

    /// Which identity this names.
    pub fn kind(&self) -> SudoKind {
        self.kind
    }

    /// The identity's value, as given.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The query pair for a provider, checked against what its spec accepts.
    fn query_pair(&self, provider: &'static str, def: Option<&SudoDef>) -> Result<QueryPair<'_>> {
        let def = def.ok_or_else(|| {
            Error::InvalidRequest(format!("provider `{provider}` does not support sudo"))
        })?;
        let form = def
            .forms
            .iter()
            .find(|f| f.kind == self.kind)
            .ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "provider `{provider}` does not accept sudo by {:?}",
                    self.kind
                ))
            })?;
        if self.value.is_empty() {
            return Err(Error::InvalidRequest(format!(
                "the sudo {:?} value is empty",
                self.kind
            )));
        }
        if form.deprecated {
            tracing::warn!(
                provider,
                prefix = form.prefix,
                "sudo form is deprecated by the provider"
            );
        }
        let value = QueryValue::Prefixed {
            prefix: form.prefix,
            value: &self.value,
        };
        Ok((def.param, value))
    }
}

/// Whose data a sudo call works on: `tenantId` or `tenantCode`.
///
/// ```
/// use authorized_runtime::Tenant;
/// let east = Tenant::code("华东-01");
/// assert_eq!(east, Tenant::Code("华东-01".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tenant {
    /// By id (`tenantId=<id>`).
    Id(String),
    /// By code (`tenantCode=<code>`).
    Code(String),
}

impl Tenant {
    /// The tenant with this id.
    pub fn id(id: impl fmt::Display) -> Self {
        Self::Id(id.to_string())
    }

    /// The tenant with this code.
    pub fn code(code: impl Into<String>) -> Self {
        Self::Code(code.into())
    }

    /// The query pair for a provider, checked against what its spec accepts.
    fn query_pair(&self, provider: &'static str, def: Option<&TenantDef>) -> Result<QueryPair<'_>> {
        let def = def.ok_or_else(|| {
            Error::InvalidRequest(format!("provider `{provider}` does not support tenants"))
        })?;
        let (param, value, what) = match self {
            Self::Id(v) => (def.id_param, v, "tenant id"),
            Self::Code(v) => (def.code_param, v, "tenant code"),
        };
        let param = param.ok_or_else(|| {
            Error::InvalidRequest(format!("provider `{provider}` does not accept a {what}"))
        })?;
        if value.is_empty() {
            return Err(Error::InvalidRequest(format!("the {what} is empty")));
        }
        Ok((param, QueryValue::Text(value)))
    }
}
