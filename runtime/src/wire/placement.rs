//! Where a call's token goes on the wire: the header the spec names (parsed
//! once, when the client is built) or its query parameter, and the one rule
//! of which of the two a provider takes.

use reqwest::header::{HeaderName, HeaderValue};

use crate::def::{HeaderPlacement, Placement, TokenIn};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// The placements a provider takes, ready to use.
#[derive(Debug, Clone)]
pub(crate) struct Placements {
    header: Option<TokenHeader>,
    query: Option<&'static str>,
}

/// Where one call's token goes.
pub(crate) enum Placed<'a> {
    /// In this header.
    Header(&'a TokenHeader),
    /// In this query parameter.
    Query(&'static str),
}

impl Placements {
    /// `placement`'s header parsed; `provider` names it in errors.
    pub(crate) fn parse(placement: &Placement, provider: &str) -> Result<Self> {
        let header = match &placement.header {
            Some(header) => Some(TokenHeader::parse(header, provider)?),
            None => None,
        };
        Ok(Self {
            header,
            query: placement.query,
        })
    }

    /// Where the token goes when a call asks for `there`, if the provider
    /// takes it there.
    pub(crate) fn get(&self, there: TokenIn) -> Option<Placed<'_>> {
        match there {
            TokenIn::Header => self.header.as_ref().map(Placed::Header),
            TokenIn::Query => self.query.map(Placed::Query),
        }
    }
}

/// The header a token travels in, its name parsed and its scheme ready.
#[derive(Debug, Clone)]
pub(crate) struct TokenHeader {
    name: HeaderName,
    /// `Bearer ` (with the space), or empty.
    prefix: String,
}

impl TokenHeader {
    /// The placement's header, checked; `provider` names it in the error.
    pub(crate) fn parse(placement: &HeaderPlacement, provider: &str) -> Result<Self> {
        let name = HeaderName::from_bytes(placement.name.as_bytes()).map_err(|_| {
            Error::Config(format!(
                "`{provider}` places the token in `{}`, which is not a valid header name",
                placement.name
            ))
        })?;
        let prefix = placement
            .scheme
            .map(|scheme| format!("{scheme} "))
            .unwrap_or_default();
        if HeaderValue::from_str(&prefix).is_err() {
            return Err(Error::Config(format!(
                "`{provider}` has an invalid token scheme in its definition"
            )));
        }
        Ok(Self { name, prefix })
    }

    /// The header's name.
    pub(crate) fn name(&self) -> &HeaderName {
        &self.name
    }

    /// Whether `value` is this header's value for `token`.
    pub(crate) fn is_value_of(&self, value: &HeaderValue, token: &Secret) -> bool {
        value.as_bytes().strip_prefix(self.prefix.as_bytes()) == Some(token.expose().as_bytes())
    }

    /// The header's value for `token` (marked sensitive), or `None` if the
    /// token holds bytes a header cannot carry.
    pub(crate) fn value(&self, token: &Secret) -> Option<HeaderValue> {
        let mut text = String::with_capacity(self.prefix.len() + token.expose().len());
        text.push_str(&self.prefix);
        text.push_str(token.expose());
        let mut value = HeaderValue::try_from(text).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_header_carries_its_scheme_and_is_sensitive() {
        let bearer = HeaderPlacement {
            name: "Authorization",
            scheme: Some("Bearer"),
        };
        let header = TokenHeader::parse(&bearer, "p").unwrap();
        let value = header.value(&Secret::new("t0k")).unwrap();
        assert_eq!(value, "Bearer t0k");
        assert!(value.is_sensitive());
        assert_eq!(header.name(), "authorization");
        let bare = HeaderPlacement {
            name: "X-Token",
            scheme: None,
        };
        let value = TokenHeader::parse(&bare, "p")
            .unwrap()
            .value(&Secret::new("t0k"));
        assert_eq!(value.unwrap(), "t0k");
        assert!(header.value(&Secret::new("a\nb")).is_none());
        let wrong = HeaderPlacement {
            name: "Not A Header",
            scheme: None,
        };
        let err = TokenHeader::parse(&wrong, "p").unwrap_err();
        assert!(err.to_string().contains("not a valid header name"), "{err}");
    }

    #[test]
    fn a_placement_is_found_exactly_where_the_provider_takes_the_token() {
        let header = Some(HeaderPlacement {
            name: "Authorization",
            scheme: Some("Bearer"),
        });
        let only_header = Placements::parse(
            &Placement {
                header,
                query: None,
                default: TokenIn::Header,
            },
            "p",
        )
        .unwrap();
        assert!(matches!(
            only_header.get(TokenIn::Header),
            Some(Placed::Header(_))
        ));
        assert!(only_header.get(TokenIn::Query).is_none());
        let only_query = Placements::parse(
            &Placement {
                header: None,
                query: Some("access_token"),
                default: TokenIn::Query,
            },
            "p",
        )
        .unwrap();
        assert!(only_query.get(TokenIn::Header).is_none());
        assert!(matches!(
            only_query.get(TokenIn::Query),
            Some(Placed::Query("access_token"))
        ));
    }
}
