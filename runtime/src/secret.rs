//! Secrets that never print: client secrets, access and refresh tokens.

use std::fmt;
use std::hash::{Hash, Hasher};

use arrayvec::ArrayString;

/// Secrets up to this many bytes (most tokens: `sat_` and 32 hex digits, a
/// UUID, a 43-character random string) are held inline, so copying one is a
/// copy of bytes, not an allocation (`Client::token()` copies one out on
/// every call).
const INLINE: usize = 52;

/// What a secret prints as in `Debug` and `Display`.
pub const REDACTED: &str = "** redacted **";

/// A string that must not leak: its `Debug` and `Display` print
/// `** redacted **`. Read it on purpose with [`Secret::expose`].
///
/// ```
/// use authorized_runtime::Secret;
/// let secret = Secret::new("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "** redacted **");
/// assert_eq!(secret.expose(), "s3cr3t");
/// ```
#[derive(Clone)]
pub struct Secret(Held);

/// Where a secret's bytes are.
#[derive(Clone)]
enum Held {
    Inline(ArrayString<INLINE>),
    Heap(Box<str>),
}

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        match ArrayString::from(&value) {
            Ok(inline) => Self(Held::Inline(inline)),
            Err(_) => Self(Held::Heap(value.into_boxed_str())),
        }
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        match &self.0 {
            Held::Inline(inline) => inline,
            Held::Heap(heap) => heap,
        }
    }

    /// A masked form for people: the first four characters, then `…`, when
    /// the secret is long enough that this gives nothing useful away.
    pub fn masked(&self) -> String {
        let value = self.expose();
        let shown: String = value.chars().take(4).collect();
        if value.chars().count() >= 16 {
            format!("{shown}…")
        } else {
            "****".to_owned()
        }
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl Default for Secret {
    fn default() -> Self {
        Self(Held::Inline(ArrayString::new()))
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl Hash for Secret {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.expose().hash(state);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl serde::Serialize for Secret {
    /// Serializes the real value: a secret only goes where it is sent.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_secrets_are_the_same_to_every_reader() {
        let short = "sat_0123456789abcdef0123456789abcdef";
        let long = "eyJ".repeat(300);
        for value in [short, long.as_str(), "", "令牌-秘密"] {
            let secret = Secret::new(value);
            assert_eq!(secret.expose(), value);
            assert_eq!(secret.clone(), secret);
            assert_eq!(Secret::from(value.to_owned()), secret);
            assert_eq!(format!("{secret:?}"), REDACTED);
        }
        assert_ne!(Secret::new(short), Secret::new(long.clone()));
        assert!(matches!(Secret::new(short).0, Held::Inline(_)));
        assert!(matches!(Secret::new(long).0, Held::Heap(_)));
        assert!(Secret::default().is_empty());
        // No bigger than a cache line, however it holds its bytes.
        assert!(std::mem::size_of::<Secret>() <= 64);
    }

    #[test]
    fn never_prints() {
        let s = Secret::new("hat_0123456789abcdef");
        assert_eq!(
            format!("{s:?} {s} {s:#?}"),
            format!("{REDACTED} {REDACTED} {REDACTED}")
        );
        assert_eq!(s.masked(), "hat_…");
        assert_eq!(Secret::new("short").masked(), "****");
    }
}
