//! The token caches people write by hand, for the `token_cache` bench: a
//! `tokio::sync::Mutex<Option<Token>>` and a `tokio::sync::RwLock<Option<Token>>`,
//! each checking expiry and cloning the token out, fetching on a miss.

use std::time::{Duration, Instant};

use tokio::sync::{Mutex, RwLock};

use super::server::{CLIENT_ID, CLIENT_SECRET};

/// What a hand-written cache holds.
#[derive(Clone)]
pub struct Token {
    pub access_token: String,
    expires_at: Instant,
}

impl Token {
    fn fresh(&self) -> bool {
        Instant::now() < self.expires_at
    }
}

/// Fetches a token the way a hand-written cache does on a miss.
async fn fetch(http: &reqwest::Client, base_url: &str) -> Token {
    #[derive(serde::Deserialize)]
    struct Granted {
        access_token: String,
        expires_in: String,
    }
    let granted: Granted = http
        .get(format!("{base_url}api/oauth2/server/tokens"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token");
    let lifetime = granted.expires_in.parse().expect("seconds");
    Token {
        access_token: granted.access_token,
        expires_at: Instant::now() + Duration::from_secs(lifetime),
    }
}

/// The usual `Mutex<Option<Token>>` cache.
pub struct MutexCache {
    token: Mutex<Option<Token>>,
    http: reqwest::Client,
    base_url: String,
}

impl MutexCache {
    /// An empty cache fetching from the bench server at `base_url`.
    pub fn new(http: reqwest::Client, base_url: &str) -> Self {
        Self {
            token: Mutex::new(None),
            http,
            base_url: base_url.to_owned(),
        }
    }

    /// The cached token, fetched first if there is none or it expired.
    pub async fn get(&self) -> Token {
        let mut token = self.token.lock().await;
        if let Some(token) = &*token
            && token.fresh()
        {
            return token.clone();
        }
        let fresh = fetch(&self.http, &self.base_url).await;
        *token = Some(fresh.clone());
        fresh
    }
}

/// The usual `RwLock<Option<Token>>` cache: read, and on a miss write and
/// check again.
pub struct RwLockCache {
    token: RwLock<Option<Token>>,
    http: reqwest::Client,
    base_url: String,
}

impl RwLockCache {
    /// An empty cache fetching from the bench server at `base_url`.
    pub fn new(http: reqwest::Client, base_url: &str) -> Self {
        Self {
            token: RwLock::new(None),
            http,
            base_url: base_url.to_owned(),
        }
    }

    /// The cached token, fetched first if there is none or it expired.
    pub async fn get(&self) -> Token {
        if let Some(token) = &*self.token.read().await
            && token.fresh()
        {
            return token.clone();
        }
        let mut token = self.token.write().await;
        if let Some(token) = &*token
            && token.fresh()
        {
            return token.clone();
        }
        let fresh = fetch(&self.http, &self.base_url).await;
        *token = Some(fresh.clone());
        fresh
    }
}
