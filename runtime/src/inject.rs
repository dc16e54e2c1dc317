//! What goes onto an API call besides the request itself: the sudo identity,
//! the tenant, and where the token travels.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::{Error, Result};
use crate::provider::{SudoDef, TenantDef};

/// Which identity a [`Sudo`] names.
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
    pub(crate) fn query_pair(
        &self,
        provider: &'static str,
        def: Option<&SudoDef>,
    ) -> Result<(&'static str, String)> {
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
        Ok((def.param, format!("{}:{}", form.prefix, self.value)))
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
    pub(crate) fn query_pair(
        &self,
        provider: &'static str,
        def: Option<&TenantDef>,
    ) -> Result<(&'static str, &str)> {
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
        Ok((param, value))
    }
}

/// Everything but RFC 3986's unreserved characters and `:` is encoded, so a
/// value reads back the same under both percent-decoding and form decoding
/// (`+` becomes `%2B`, a space `%20`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

/// Appends `name=value` pairs, percent-encoded, to a URL's query, keeping the
/// pairs already there.
pub(crate) fn append_query<'a>(
    url: &mut url::Url,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    let mut query = url.query().unwrap_or_default().to_owned();
    let separate = !query.is_empty();
    push_query_pairs(&mut query, pairs, separate);
    url.set_query((!query.is_empty()).then_some(query.as_str()));
}

/// Writes `name=value` pairs to `out`, percent-encoded and joined by `&`
/// (also before the first one if `separate`).
pub(crate) fn push_query_pairs<'a>(
    out: &mut String,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    mut separate: bool,
) {
    for (name, value) in pairs {
        if separate {
            out.push('&');
        }
        separate = true;
        push_encoded(out, name);
        out.push('=');
        push_encoded(out, value);
    }
}

/// `text` percent-encoded with [`QUERY_VALUE`]; text with nothing to
/// encode (most names and values) is copied whole.
fn push_encoded(out: &mut String, text: &str) {
    if text.bytes().all(is_plain) {
        out.push_str(text);
    } else {
        out.extend(utf8_percent_encode(text, QUERY_VALUE));
    }
}

/// Whether [`QUERY_VALUE`] leaves `byte` as it is.
fn is_plain(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_so_that_both_decoders_read_back_the_value() {
        let mut url = url::Url::parse("http://h/api/x?page=2").unwrap();
        append_query(
            &mut url,
            [
                ("sudo", "email:a+b@example.com"),
                ("tenantCode", "华东 01&x=1"),
            ],
        );
        assert_eq!(
            url.query().unwrap(),
            "page=2&sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001%26x%3D1"
        );
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs[1].1, "email:a+b@example.com");
        assert_eq!(pairs[2].1, "华东 01&x=1");
    }

    #[test]
    fn plain_bytes_are_exactly_those_the_encode_set_leaves() {
        for byte in 0..=127u8 {
            let text = char::from(byte).to_string();
            let encoded = utf8_percent_encode(&text, QUERY_VALUE).to_string();
            assert_eq!(is_plain(byte), encoded == text, "byte {byte}");
        }
    }
}
