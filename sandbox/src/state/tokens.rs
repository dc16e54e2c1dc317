//! The token store: every access and refresh token issued, with its owner,
//! its scope, its lifetime and whether it is still good.
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
    /// An OAuth 2.0 access token, `oat_…`.
    OAuth2Access,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::HotelAccess => "hat_",
            Self::HotelRefresh => "hrt_",
            Self::ServerAccess => "sat_",
            Self::OAuth2Access => "oat_",
        }
    }
}

/// A good access token: who holds it, for what, and when it lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Grant {
    pub client_id: String,
    /// Space-delimited scopes; empty for providers without scopes.
    pub scope: String,
    pub issued_at: Instant,
    pub expires_at: Instant,
}

/// Why an access token is not good.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Never issued, of another kind, or only ever shown in an answer the
    /// sandbox cut short on purpose.
    Unknown,
    Expired,
    /// Revoked by a revocation call or the admin API.
    Revoked,
    /// Revoked because a newer token was issued to the same client while
    /// the new-token-revokes-earlier mode was on.
    Superseded,
}

/// The answer to presenting a refresh token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Redeem {
    /// It was good and is now used up.
    Redeemed,
    /// It was this client's and had been used already (rotated away).
    Reused,
    /// Anything else: never issued, of another kind or client, revoked.
    Invalid,
}

/// The answer to a revocation by a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Revocation {
    Revoked,
    /// A good token of another client: left alone.
    NotOwner,
    /// No such token, or it was no longer good.
    Nothing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Good,
    /// A refresh token that was redeemed.
    Used,
    Revoked,
    Superseded,
    /// Recorded from an answer cut short on purpose.
    NeverGood,
}

#[derive(Debug)]
struct Record {
    kind: TokenKind,
    client_id: String,
    scope: String,
    issued_at: Instant,
    /// `None` for refresh tokens, which never expire (only rotate or revoke).
    expires_at: Option<Instant>,
    status: Status,
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
    /// Issues an access token of `kind` for `client_id`, good for `lifetime`
    /// from now. With `supersede`, every earlier good access token of the
    /// same kind and client is revoked in the same step, so no lookup ever
    /// sees two good ones.
    pub fn issue_access(
        &self,
        kind: TokenKind,
        client_id: &str,
        scope: &str,
        lifetime: Duration,
        supersede: bool,
    ) -> String {
        let now = Instant::now();
        let record = Record {
            kind,
            client_id: client_id.to_owned(),
            scope: scope.to_owned(),
            issued_at: now,
            expires_at: Some(now + lifetime),
            status: Status::Good,
        };
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        if supersede {
            let earlier = records
                .values_mut()
                .filter(|r| r.kind == kind && r.client_id == client_id && r.status == Status::Good);
            earlier.for_each(|r| r.status = Status::Superseded);
        }
        insert(&mut records, kind, record)
    }

    /// Issues a hotel refresh token for `client_id`: it never expires and is
    /// good once.
    pub fn issue_refresh(&self, client_id: &str) -> String {
        let record = Record {
            kind: TokenKind::HotelRefresh,
            client_id: client_id.to_owned(),
            scope: String::new(),
            issued_at: Instant::now(),
            expires_at: None,
            status: Status::Good,
        };
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        insert(&mut records, TokenKind::HotelRefresh, record)
    }

    /// Records a token that was never good: it appeared in an answer the
    /// sandbox cut short on purpose.
    pub fn issue_dead(&self, kind: TokenKind) -> String {
        let record = Record {
            kind,
            client_id: String::new(),
            scope: String::new(),
            issued_at: Instant::now(),
            expires_at: None,
            status: Status::NeverGood,
        };
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        insert(&mut records, kind, record)
    }

    /// The grant behind `token` if it is a good access token of `kind` at
    /// `now`, else why not. A revoked token reads as revoked even once its
    /// lifetime is over too.
    pub fn lookup(&self, token: &str, kind: TokenKind, now: Instant) -> Result<Grant, Refusal> {
        let records = self.records.read().unwrap_or_else(PoisonError::into_inner);
        let record = records
            .get(token)
            .filter(|r| r.kind == kind)
            .ok_or(Refusal::Unknown)?;
        let expires_at = record.expires_at.ok_or(Refusal::Unknown)?;
        match record.status {
            Status::Good if now < expires_at => Ok(Grant {
                client_id: record.client_id.clone(),
                scope: record.scope.clone(),
                issued_at: record.issued_at,
                expires_at,
            }),
            Status::Good => Err(Refusal::Expired),
            Status::Revoked | Status::Used => Err(Refusal::Revoked),
            Status::Superseded => Err(Refusal::Superseded),
            Status::NeverGood => Err(Refusal::Unknown),
        }
    }

    /// The grant behind `token` if it is a good access token of `kind`.
    pub fn access(&self, token: &str, kind: TokenKind, now: Instant) -> Option<Grant> {
        self.lookup(token, kind, now).ok()
    }

    /// Uses up a hotel refresh token that belongs to `client_id`; a refresh
    /// token is good once.
    pub fn redeem_refresh(&self, token: &str, client_id: &str) -> Redeem {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        match records.get_mut(token) {
            Some(r) if r.kind == TokenKind::HotelRefresh && r.client_id == client_id => {
                match r.status {
                    Status::Good => {
                        r.status = Status::Used;
                        Redeem::Redeemed
                    }
                    Status::Used => Redeem::Reused,
                    _ => Redeem::Invalid,
                }
            }
            _ => Redeem::Invalid,
        }
    }

    /// Revokes one token of `kind`. Answers false when there is no such token
    /// or it was already revoked.
    pub fn revoke(&self, token: &str, kind: TokenKind) -> bool {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        match records.get_mut(token) {
            Some(r) if r.kind == kind && r.status == Status::Good => {
                r.status = Status::Revoked;
                true
            }
            _ => false,
        }
    }

    /// Revokes one token of `kind` if it belongs to `client_id`.
    pub fn revoke_owned(&self, token: &str, kind: TokenKind, client_id: &str) -> Revocation {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        match records.get_mut(token) {
            Some(r) if r.kind == kind && r.status == Status::Good => {
                if r.client_id == client_id {
                    r.status = Status::Revoked;
                    Revocation::Revoked
                } else {
                    Revocation::NotOwner
                }
            }
            _ => Revocation::Nothing,
        }
    }

    /// Revokes every good token issued so far, access and refresh.
    pub fn revoke_all(&self) {
        let mut records = self.records.write().unwrap_or_else(PoisonError::into_inner);
        let good = records.values_mut().filter(|r| r.status == Status::Good);
        good.for_each(|r| r.status = Status::Revoked);
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

/// Stores `record` under a fresh random token of `kind`.
fn insert(records: &mut HashMap<String, Record>, kind: TokenKind, record: Record) -> String {
    loop {
        let token = format!("{}{:032x}", kind.prefix(), fastrand::u128(..));
        if !records.contains_key(&token) {
            records.insert(token.clone(), record);
            return token;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn access(store: &TokenStore, kind: TokenKind, client: &str, supersede: bool) -> String {
        store.issue_access(kind, client, "", HOUR, supersede)
    }

    #[test]
    fn whole_secs_rounds_up() {
        assert_eq!(whole_secs(Duration::from_millis(1500)), 2);
        assert_eq!(whole_secs(Duration::from_secs(3)), 3);
        assert_eq!(whole_secs(Duration::ZERO), 0);
    }

    #[test]
    fn tokens_have_their_prefix_and_32_lowercase_hex_digits() {
        let store = TokenStore::default();
        let tokens = [
            (access(&store, TokenKind::HotelAccess, "c", false), "hat_"),
            (store.issue_refresh("c"), "hrt_"),
            (access(&store, TokenKind::ServerAccess, "c", false), "sat_"),
            (access(&store, TokenKind::OAuth2Access, "c", false), "oat_"),
        ];
        for (token, prefix) in tokens {
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
        let token = store.issue_access(TokenKind::OAuth2Access, "c", "read", HOUR, false);
        let grant = store
            .lookup(&token, TokenKind::OAuth2Access, now)
            .expect("good");
        assert_eq!(
            (grant.client_id.as_str(), grant.scope.as_str()),
            ("c", "read")
        );
        assert_eq!(grant.expires_at - grant.issued_at, HOUR);
        let wrong_kind = store.lookup(&token, TokenKind::HotelAccess, now);
        assert_eq!(wrong_kind, Err(Refusal::Unknown));
        let later = store.lookup(&token, TokenKind::OAuth2Access, grant.expires_at);
        assert_eq!(later, Err(Refusal::Expired));
    }

    #[test]
    fn a_refresh_token_is_good_once_and_only_for_its_client() {
        let store = TokenStore::default();
        let token = store.issue_refresh("c");
        assert!(
            store
                .access(&token, TokenKind::HotelRefresh, Instant::now())
                .is_none()
        );
        assert_eq!(store.redeem_refresh(&token, "other"), Redeem::Invalid);
        assert_eq!(store.redeem_refresh(&token, "c"), Redeem::Redeemed);
        assert_eq!(store.redeem_refresh(&token, "c"), Redeem::Reused);
        assert_eq!(store.redeem_refresh(&token, "other"), Redeem::Invalid);
        assert_eq!(store.redeem_refresh("hrt_unknown", "c"), Redeem::Invalid);
    }

    #[test]
    fn revoke_all_and_expire_all() {
        let store = TokenStore::default();
        let now = Instant::now();
        let access = access(&store, TokenKind::HotelAccess, "c", false);
        let refresh = store.issue_refresh("c");
        store.expire_all(now);
        assert_eq!(
            store.lookup(&access, TokenKind::HotelAccess, now),
            Err(Refusal::Expired)
        );
        assert_eq!(
            store.redeem_refresh(&refresh, "c"),
            Redeem::Redeemed,
            "refresh tokens survive expiry"
        );
        let fresh = store.issue_refresh("c");
        store.revoke_all();
        assert_eq!(store.redeem_refresh(&fresh, "c"), Redeem::Invalid);
        assert_eq!(
            store.redeem_refresh(&refresh, "c"),
            Redeem::Reused,
            "a used token stays used after revoke-all"
        );
        assert_eq!(
            store.lookup(&access, TokenKind::HotelAccess, now),
            Err(Refusal::Revoked)
        );
        assert_eq!(store.all().len(), 3);
    }

    #[test]
    fn revoke_answers_whether_there_was_something_to_revoke() {
        let store = TokenStore::default();
        let token = access(&store, TokenKind::ServerAccess, "c", false);
        assert!(!store.revoke(&token, TokenKind::HotelAccess));
        assert!(store.revoke(&token, TokenKind::ServerAccess));
        assert!(!store.revoke(&token, TokenKind::ServerAccess));
        assert!(!store.revoke("sat_unknown", TokenKind::ServerAccess));
        let dead = store.issue_dead(TokenKind::ServerAccess);
        assert!(!store.revoke(&dead, TokenKind::ServerAccess));
    }

    #[test]
    fn revoke_owned_leaves_another_clients_token_alone() {
        let store = TokenStore::default();
        let kind = TokenKind::OAuth2Access;
        let token = access(&store, kind, "c", false);
        assert_eq!(store.revoke_owned(&token, kind, "d"), Revocation::NotOwner);
        assert!(store.access(&token, kind, Instant::now()).is_some());
        assert_eq!(store.revoke_owned(&token, kind, "c"), Revocation::Revoked);
        assert_eq!(store.revoke_owned(&token, kind, "c"), Revocation::Nothing);
        assert_eq!(store.revoke_owned("oat_x", kind, "c"), Revocation::Nothing);
    }

    #[test]
    fn superseding_revokes_only_the_same_clients_tokens_of_the_same_kind() {
        let store = TokenStore::default();
        let now = Instant::now();
        let kind = TokenKind::ServerAccess;
        let first = access(&store, kind, "c", false);
        let other_client = access(&store, kind, "d", false);
        let other_kind = access(&store, TokenKind::HotelAccess, "c", false);
        let kept = access(&store, kind, "c", false);
        assert!(store.access(&first, kind, now).is_some(), "mode off");
        let newest = access(&store, kind, "c", true);
        assert_eq!(store.lookup(&first, kind, now), Err(Refusal::Superseded));
        assert_eq!(store.lookup(&kept, kind, now), Err(Refusal::Superseded));
        assert!(store.access(&newest, kind, now).is_some());
        assert!(store.access(&other_client, kind, now).is_some());
        assert!(
            store
                .access(&other_kind, TokenKind::HotelAccess, now)
                .is_some()
        );
    }
}
