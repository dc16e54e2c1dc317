//! The deserializer of "a short string, or the long form as a mapping",
//! for spec values that have both forms (fields, enum values).

/// Deserializes "a string, or a mapping of the long form" with the long
/// form's own precise errors (serde's untagged enums only say "no variant").
/// `short_or_full!(Enum, Short, Full, "expected")` implements `Deserialize`
/// for `Enum { Short(String), Full(Full) }`; names are absolute, so it needs
/// no imports where it is used.
macro_rules! short_or_full {
    ($ty:ident, $short:ident, $full:ident, $expecting:literal) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E>(self, v: &str) -> Result<$ty, E> {
                        Ok($ty::$short(v.to_owned()))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> Result<$ty, A::Error> {
                        <$full as ::serde::Deserialize>::deserialize(
                            ::serde::de::value::MapAccessDeserializer::new(map),
                        )
                        .map($ty::Full)
                    }
                }
                de.deserialize_any(V)
            }
        }
    };
}

pub(super) use short_or_full;
