//! Whose tokens a cache holds: the provider, base URL, where its tokens
//! come from, client id and token parameters. Caches in the process are keyed by it (with the secret), and
//! the fleet's shared entry is named by a hash of it.

use aws_lc_rs::digest;

use crate::cache::store::EntryName;
use crate::token::fetch::TokenFetcher;

/// What identifies whose tokens these are; the client secret is not part of
/// it (a rotated secret keeps the entry, whose old seal then fails to open).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Account {
    pub(crate) provider: &'static str,
    pub(crate) base_url: String,
    /// The token URL set on the builder, or the issuer; empty for neither.
    pub(crate) token_source: String,
    pub(crate) client_id: String,
    /// Sorted by name.
    pub(crate) params: Vec<(&'static str, String)>,
}

impl Account {
    pub(crate) fn of(fetcher: &TokenFetcher) -> Self {
        let mut params = fetcher.params.clone();
        params.sort();
        let endpoints = fetcher.endpoints();
        Self {
            provider: fetcher.def().name,
            base_url: endpoints.base_url().to_string(),
            token_source: endpoints.token_source(),
            client_id: fetcher.credentials().client_id.clone(),
            params,
        }
    }

    /// The shared entry's name: SHA-256 over every field, each with its length.
    pub(crate) fn entry_name(&self) -> EntryName {
        let mut hash = digest::Context::new(&digest::SHA256);
        let mut field = |bytes: &[u8]| {
            hash.update(&(bytes.len() as u64).to_be_bytes());
            hash.update(bytes);
        };
        field(b"authorized token store v1");
        field(self.provider.as_bytes());
        field(self.base_url.as_bytes());
        field(self.token_source.as_bytes());
        field(self.client_id.as_bytes());
        for (name, value) in &self.params {
            field(name.as_bytes());
            field(value.as_bytes());
        }
        EntryName::from_digest(hash.finish().as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        Account {
            provider: "hotel",
            base_url: "https://hotel.example/".into(),
            token_source: String::new(),
            client_id: "client-7".into(),
            params: vec![("expires_in", "7200".into())],
        }
    }

    #[test]
    fn the_name_is_a_hash_of_every_field_and_shows_none() {
        let name = account().entry_name();
        assert_eq!(name.as_str().len(), 32);
        assert!(name.as_str().bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(name, account().entry_name());
        for changed in [
            Account {
                provider: "server",
                ..account()
            },
            Account {
                base_url: "https://hotel.example/v2/".into(),
                ..account()
            },
            Account {
                client_id: "client-8".into(),
                ..account()
            },
            Account {
                params: vec![("expires_in", "60".into())],
                ..account()
            },
            Account {
                params: vec![],
                ..account()
            },
        ] {
            assert_ne!(changed.entry_name(), name, "{changed:?}");
        }
        // Lengths are hashed too: moving a byte between fields is another name.
        let a = Account {
            client_id: "ab".into(),
            params: vec![("c", "d".into())],
            ..account()
        };
        let b = Account {
            client_id: "a".into(),
            params: vec![("bc", "d".into())],
            ..account()
        };
        assert_ne!(a.entry_name(), b.entry_name());
    }
}
