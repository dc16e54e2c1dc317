//! Where the token goes on API calls.

/// Where the token goes on API calls.
#[derive(Debug)]
pub struct Placement {
    /// As a header, e.g. `Authorization: Bearer <token>`.
    pub header: Option<HeaderPlacement>,
    /// As a query parameter, e.g. `access_token`.
    pub query: Option<&'static str>,
    /// Where it goes unless a client or call says otherwise.
    pub default: TokenIn,
}

/// A token carried in a header.
#[derive(Debug)]
pub struct HeaderPlacement {
    /// Header name.
    pub name: &'static str,
    /// Scheme written before the token (`Bearer`), if any.
    pub scheme: Option<&'static str>,
}

/// Where the token travels on an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenIn {
    /// In the header the spec names (`Authorization: Bearer …`).
    Header,
    /// In the query parameter the spec names (`access_token=…`).
    Query,
}

impl TokenIn {
    /// `header` or `query`, as specs and messages say it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Query => "query",
        }
    }
}
