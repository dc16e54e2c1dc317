//! `Seconds`: a lifetime the provider sends as an integer or a numeric string.

use std::fmt;
use std::time::Duration;

/// A number of seconds that arrives as `3600` or `"3600"`.
///
/// The spec type `seconds` generates this. Negative, fractional and
/// non-numeric values are refused with a clear error.
///
/// ```
/// use authorized_runtime::Seconds;
/// let a: Seconds = serde_json::from_str("\"43200\"").unwrap();
/// let b: Seconds = serde_json::from_str("43200").unwrap();
/// assert_eq!(a, b);
/// assert!(serde_json::from_str::<Seconds>("-1").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Seconds(pub u64);

impl Seconds {
    /// As a `Duration`.
    pub fn as_duration(self) -> Duration {
        Duration::from_secs(self.0)
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.0)
    }
}

impl serde::Serialize for Seconds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number of seconds, as an integer or a numeric string")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Seconds, E> {
                u64::try_from(v)
                    .map(Seconds)
                    .map_err(|_| E::custom(format!("a number of seconds cannot be negative: {v}")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Seconds, E> {
                Err(E::custom(format!("expected whole seconds, found {v}")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Seconds, E> {
                v.trim()
                    .parse::<u64>()
                    .map(Seconds)
                    .map_err(|_| E::custom(format!("expected a number of seconds, found {v:?}")))
            }
        }
        deserializer.deserialize_any(V)
    }
}
