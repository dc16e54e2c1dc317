//! What a sandbox is told at start: the clients it knows and how long tokens live.

use std::fmt;
use std::time::Duration;

/// The client id of the demo client that [`SandboxConfig::default`] knows.
pub const DEMO_CLIENT_ID: &str = "demo-client";

/// The secret of the demo client that [`SandboxConfig::default`] knows.
pub const DEMO_CLIENT_SECRET: &str = "demo-secret-5f2a9c";

/// How a [`Sandbox`](crate::Sandbox) is set up.
///
/// Both providers accept the same clients. Lifetimes are sent on the wire in
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
}

impl Default for SandboxConfig {
    /// One demo client ([`DEMO_CLIENT_ID`], [`DEMO_CLIENT_SECRET`]), hotel
    /// tokens for 2 hours, server tokens for 12 hours.
    fn default() -> Self {
        Self {
            clients: vec![ClientCredentials::demo()],
            hotel_token_lifetime: Duration::from_secs(2 * 60 * 60),
            server_token_lifetime: Duration::from_secs(12 * 60 * 60),
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
