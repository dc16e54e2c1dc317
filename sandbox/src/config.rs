//! What a sandbox is told at start: the clients it knows and how long tokens live.

use std::fmt;
use std::time::Duration;

/// The client id of the demo client that [`SandboxConfig::default`] knows.
pub const DEMO_CLIENT_ID: &str = "demo-client";

/// The secret of the demo client that [`SandboxConfig::default`] knows.
pub const DEMO_CLIENT_SECRET: &str = "demo-secret-5f2a9c";

/// How a [`Sandbox`](crate::Sandbox) is set up.
///
/// Every provider accepts the same clients, and every client may have both
/// OAuth 2.0 scopes (`read` and `write`). Lifetimes are sent on the wire in
/// whole seconds; a lifetime with a fraction of a second is announced rounded
/// up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxConfig {
    /// The clients whose credentials the token endpoints accept.
    pub clients: Vec<ClientCredentials>,
    /// How long a hotel access token lives at most (default 2 hours). A client
    /// may ask for less with `expires_in`.
    pub hotel_token_lifetime: Duration,
    /// How long a server access token lives (default 12 hours, as the
    /// server document says).
    pub server_token_lifetime: Duration,
    /// How long an OAuth 2.0 access token lives (default 1 hour).
    pub oauth2_token_lifetime: Duration,
    /// Whether issuing an access token revokes every earlier access token
    /// of the same client at the same provider (default off), as some
    /// vendors do (WeChat's `access_token`). It starts this way and can be
    /// switched at run time with
    /// [`Sandbox::set_new_token_revokes_earlier`](crate::Sandbox::set_new_token_revokes_earlier)
    /// or `POST /__sandbox/mode`.
    pub new_token_revokes_earlier: bool,
}

impl Default for SandboxConfig {
    /// One demo client ([`DEMO_CLIENT_ID`], [`DEMO_CLIENT_SECRET`]), hotel
    /// tokens for 2 hours, server tokens for 12 hours, OAuth 2.0 tokens for
    /// 1 hour, and earlier tokens stay good when a new one is issued.
    fn default() -> Self {
        Self {
            clients: vec![ClientCredentials::demo()],
            hotel_token_lifetime: Duration::from_secs(2 * 60 * 60),
            server_token_lifetime: Duration::from_secs(12 * 60 * 60),
            oauth2_token_lifetime: Duration::from_secs(60 * 60),
            new_token_revokes_earlier: false,
        }
    }
}

impl SandboxConfig {
    /// Whether `client_id` and `client_secret` name one configured client.
    pub(crate) fn authenticates(&self, client_id: &str, client_secret: &str) -> bool {
        self.clients
            .iter()
            .any(|c| c.client_id == client_id && c.client_secret == client_secret)
    }
}

/// A client id and its secret. `Debug` prints the secret as `** redacted **`.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    /// The public client id, sent as `client_id`.
    pub client_id: String,
    /// The client secret, sent as `client_secret`.
    pub client_secret: String,
}

impl ClientCredentials {
    /// Credentials from an id and a secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// The demo client: [`DEMO_CLIENT_ID`] and [`DEMO_CLIENT_SECRET`].
    pub fn demo() -> Self {
        Self::new(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"** redacted **")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_secret() {
        let shown = format!("{:?}", SandboxConfig::default());
        assert!(shown.contains(DEMO_CLIENT_ID));
        assert!(shown.contains("** redacted **"));
        assert!(!shown.contains(DEMO_CLIENT_SECRET));
    }

    #[test]
    fn authenticates_only_the_exact_pair() {
        let config = SandboxConfig::default();
        assert!(config.authenticates(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET));
        assert!(!config.authenticates(DEMO_CLIENT_ID, "demo-secret"));
        assert!(!config.authenticates("other", DEMO_CLIENT_SECRET));
    }
}
