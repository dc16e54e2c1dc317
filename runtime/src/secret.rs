//! Secrets that never print: client secrets, access and refresh tokens.

use std::fmt;

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
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret(Box<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into_boxed_str())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A masked form for people: the first four characters, then `…`, when
    /// the secret is long enough that this gives nothing useful away.
    pub fn masked(&self) -> String {
        let shown: String = self.0.chars().take(4).collect();
        if self.0.chars().count() >= 16 {
            format!("{shown}…")
        } else {
            "****".to_owned()
        }
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
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
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
