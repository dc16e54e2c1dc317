//! The token store: every access and refresh token issued, with its owner,
//! its expiry and whether it is still good.
//!
//! Tokens are random, not signed: `fastrand` is fine for a sandbox and not for
//! production. One read lock per lookup; writes are short and never held
//! across an `.await`.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use tokio::time::Instant;

/// What a token is, and so which provider accepts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A hotel access token, `hat_…`.
    HotelAccess,
    /// A hotel refresh token, `hrt_…`: good once.
    HotelRefresh,
    /// A server access token, `sat_…`.
    ServerAccess,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::HotelAccess => "hat_",
            Self::HotelRefresh => "hrt_",
            Self::ServerAccess => "sat_",
        }
    }
}

/// A good access token: who holds it and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grant {
    pub client_id: String,
    pub expires_at: Instant,
}

#[derive(Debug)]
struct Record {
    kind: TokenKind,
    client_id: String,
    /// `None` for refresh tokens, which never expire (only rotate or revoke).
    expires_at: Option<Instant>,
    revoked: bool,
}

/// Seconds as sent on the wire: a fraction rounds up, so a token that is
/// still good never announces 0.
pub(crate) fn whole_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// Every token issued so far.
#[derive(Debug, Default)]
pub(crate) struct TokenStore {
    records: RwLock<HashMap<String, Record>>,
}

impl TokenStore {
    /// Issues a new token of `kind` for `client_id`; access tokens live for
    /// `lifetime` from now, refresh tokens pass `None`.
    pub fn issue(&self, kind: TokenKind, client_id: &str, lifetime: Option<Duration>) -> String {
        let record = Record {
            kind,
            client_id: client_id.to_owned(),
            expires_at: lifetime.map(|l| Instant::now() + l),
            revoked: false,
        };
        self.insert(kind, record)
    }

    /// Records a token that was never good: it appeared in an answer the
    /// sandbox cut short on purpose.
    pub fn issue_dead(&self, kind: TokenKind) -> String {
        let record = Record {
            kind,
            client_id: String::new(),
            expires_at: None,
            revoked: true,
        };
        self.insert(kind, record)
    }

    fn insert(&self, kind: TokenKind, record: Record) -> String {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        loop {
            let token = format!("{}{:032x}", kind.prefix(), fastrand::u128(..));
            if !records.contains_key(&token) {
                records.insert(token.clone(), record);
                return token;
            }
        }
    }

    /// The grant behind `token` if it is an access token of `kind` that is
    /// neither revoked nor expired at `now`.
    pub fn access(&self, token: &str, kind: TokenKind, now: Instant) -> Option<Grant> {
        let records = self.records.read().unwrap_or_else(PoisonError::into_inner);
        let record = records.get(token)?;
        let expires_at = record.expires_at?;
        (record.kind == kind && !record.revoked && now < expires_at).then(|| Grant {
            client_id: record.client_id.clone(),
            expires_at,
        })
    }

    /// Uses up a hotel refresh token that belongs to `client_id`. Answers
    /// whether it was good; a refresh token is good once.
    pub fn redeem_refresh(&self, token: &str, client_id: &str) -> bool {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        match records.get_mut(token) {
            Some(r)
                if r.kind == TokenKind::HotelRefresh && !r.revoked && r.client_id == client_id =>
            {
                r.revoked = true;
                true
            }
            _ => false,
        }
    }

    /// Revokes one token of `kind`. Answers false when there is no such token
    /// or it was already revoked.
    pub fn revoke(&self, token: &str, kind: TokenKind) -> bool {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        match records.get_mut(token) {
            Some(r) if r.kind == kind && !r.revoked => {
                r.revoked = true;
                true
            }
            _ => false,
        }
    }

    /// Revokes every token issued so far, access and refresh.
    pub fn revoke_all(&self) {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        records.values_mut().for_each(|r| r.revoked = true);
    }

    /// Expires every access token issued so far; refresh tokens stay good.
    pub fn expire_all(&self, now: Instant) {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        for expires_at in records.values_mut().filter_map(|r| r.expires_at.as_mut()) {
            *expires_at = (*expires_at).min(now);
        }
    }

    /// Every token ever issued, in no particular order.
    pub fn all(&self) -> Vec<String> {
        let records = self.records.read().unwrap_or_else(PoisonError::into_inner);
        records.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Option<Duration> = Some(Duration::from_secs(3600));

    #[test]
    fn whole_secs_rounds_up() {
        assert_eq!(whole_secs(Duration::from_millis(1500)), 2);
        assert_eq!(whole_secs(Duration::from_secs(3)), 3);
        assert_eq!(whole_secs(Duration::ZERO), 0);
    }

    #[test]
    fn tokens_have_their_prefix_and_32_lowercase_hex_digits() {
        let store = TokenStore::default();
        for (kind, prefix) in [
            (TokenKind::HotelAccess, "hat_"),
            (TokenKind::HotelRefresh, "hrt_"),
            (TokenKind::ServerAccess, "sat_"),
        ] {
            let token = store.issue(kind, "c", HOUR);
            let hex = token.strip_prefix(prefix).expect("prefix");
            assert_eq!(hex.len(), 32, "{token}");
            assert!(
                hex.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
                "{token}"
            );
        }
    }

    #[test]
    fn an_access_token_is_good_for_its_kind_until_it_expires() {
        let store = TokenStore::default();
        let now = Instant::now();
        let token = store.issue(TokenKind::ServerAccess, "c", HOUR);
        let grant = store
            .access(&token, TokenKind::ServerAccess, now)
            .expect("good");
        assert_eq!(grant.client_id, "c");
        assert!(store.access(&token, TokenKind::HotelAccess, now).is_none());
        assert!(
            store
                .access(&token, TokenKind::ServerAccess, grant.expires_at)
                .is_none()
        );
    }

    #[test]
    fn a_refresh_token_is_good_once_and_only_for_its_client() {
        let store = TokenStore::default();
        let token = store.issue(TokenKind::HotelRefresh, "c", None);
        assert!(
            store
                .access(&token, TokenKind::HotelRefresh, Instant::now())
                .is_none()
        );
        assert!(!store.redeem_refresh(&token, "other"));
        assert!(store.redeem_refresh(&token, "c"));
        assert!(!store.redeem_refresh(&token, "c"));
    }

    #[test]
    fn revoke_all_and_expire_all() {
        let store = TokenStore::default();
        let now = Instant::now();
        let access = store.issue(TokenKind::HotelAccess, "c", HOUR);
        let refresh = store.issue(TokenKind::HotelRefresh, "c", None);
        store.expire_all(now);
        assert!(store.access(&access, TokenKind::HotelAccess, now).is_none());
        assert!(
            store.redeem_refresh(&refresh, "c"),
            "refresh tokens survive expiry"
        );
        let refresh = store.issue(TokenKind::HotelRefresh, "c", None);
        store.revoke_all();
        assert!(!store.redeem_refresh(&refresh, "c"));
        assert_eq!(store.all().len(), 3);
    }

    #[test]
    fn revoke_answers_whether_there_was_something_to_revoke() {
        let store = TokenStore::default();
        let token = store.issue(TokenKind::ServerAccess, "c", HOUR);
        assert!(!store.revoke(&token, TokenKind::HotelAccess));
        assert!(store.revoke(&token, TokenKind::ServerAccess));
        assert!(!store.revoke(&token, TokenKind::ServerAccess));
        assert!(!store.revoke("sat_unknown", TokenKind::ServerAccess));
        let dead = store.issue_dead(TokenKind::ServerAccess);
        assert!(!store.revoke(&dead, TokenKind::ServerAccess));
    }
}
