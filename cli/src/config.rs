//! The `--config` file: YAML, one section per provider, every key optional.
//!
//! ```yaml
//! server:
//!   base_url: https://open.vendor.example
//!   client_id: my-client
//!   client_secret: my-secret
//! hotel:
//!   base_url: https://hotel.vendor.example
//!   client_id: my-hotel-client
//!   client_secret: my-hotel-secret
//!   token_params: { expires_in: 7200 }   # optional token parameters the spec allows
//! oauth2:
//!   base_url: https://api.example.com
//!   issuer: https://login.example.com    # its metadata names the endpoints
//!   token_url: /oauth2/v1/token          # or each endpoint: a path or a URL
//!   client_auth: params                  # basic, params or none
//!   token_params: { scope: read }
//! ```
//!
//! Unknown keys are errors, so a typo never passes silently. Flags and
//! `AUTHORIZED_<PROVIDER>_*` environment variables win over the file.

use std::collections::BTreeMap;
use std::path::Path;

use authorized_api::Secret;
use serde::Deserialize;

use crate::args::{ClientAuthArg, ProviderName};
use crate::error::{CliError, Result};

/// A whole config file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Settings for the hotel provider.
    #[serde(default)]
    pub hotel: ProviderConfig,
    /// Settings for the server provider.
    #[serde(default)]
    pub server: ProviderConfig,
    /// Settings for the standard OAuth 2.0 provider.
    #[serde(default)]
    pub oauth2: ProviderConfig,
}

/// One provider's settings. `Debug` never shows the secret.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// The provider's base URL.
    pub base_url: Option<String>,
    /// The client id.
    pub client_id: Option<String>,
    /// The client secret.
    pub client_secret: Option<Secret>,
    /// How the client authenticates on token, check and revoke calls.
    pub client_auth: Option<ClientAuthArg>,
    /// The authorization server's issuer, whose metadata names the endpoints.
    pub issuer: Option<String>,
    /// The token endpoint: a path below the base URL or a whole URL.
    pub token_url: Option<String>,
    /// The check (introspection) endpoint, as `token_url`.
    pub check_url: Option<String>,
    /// The revoke endpoint, as `token_url`.
    pub revoke_url: Option<String>,
    /// Optional token request parameters the provider's spec allows, e.g.
    /// `expires_in` for hotel; numbers and strings.
    #[serde(default)]
    pub token_params: BTreeMap<String, Scalar>,
}

/// A token parameter's value.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A whole number.
    Integer(i64),
    /// Text.
    Text(String),
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Integer(n) => n.fmt(f),
            Self::Text(s) => s.fmt(f),
        }
    }
}

impl ConfigFile {
    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| CliError::File {
            action: "read",
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|message| CliError::Config {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses a config file's text; an empty file configures nothing.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }

    /// The section of one provider.
    pub fn provider(&self, provider: ProviderName) -> &ProviderConfig {
        match provider {
            ProviderName::Hotel => &self.hotel,
            ProviderName::Server => &self.server,
            ProviderName::Oauth2 => &self.oauth2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_and_params() {
        let file = ConfigFile::parse(
            "server:\n  base_url: https://s.example\n  client_id: c\n  client_secret: s3cr3t\nhotel:\n  token_params: { expires_in: 7200 }\n",
        )
        .unwrap();
        assert_eq!(file.server.base_url.as_deref(), Some("https://s.example"));
        assert_eq!(
            file.server.client_secret.as_ref().unwrap().expose(),
            "s3cr3t"
        );
        assert_eq!(file.hotel.token_params["expires_in"].to_string(), "7200");
        assert!(!format!("{file:?}").contains("s3cr3t"));
    }

    #[test]
    fn reads_the_endpoint_settings() {
        let file = ConfigFile::parse(
            "oauth2:\n  issuer: https://as.example\n  client_auth: params\n  revoke_url: /r\n  token_params: { scope: read write }\n",
        )
        .unwrap();
        let oauth2 = file.provider(ProviderName::Oauth2);
        assert_eq!(oauth2.issuer.as_deref(), Some("https://as.example"));
        assert_eq!(oauth2.client_auth, Some(ClientAuthArg::Params));
        assert_eq!(oauth2.revoke_url.as_deref(), Some("/r"));
        assert_eq!(oauth2.token_params["scope"].to_string(), "read write");
        let error = ConfigFile::parse("oauth2:\n  client_auth: post\n").unwrap_err();
        assert!(error.contains("unknown variant `post`"), "{error}");
    }

    #[test]
    fn refuses_typos_and_accepts_empty_files() {
        let error = ConfigFile::parse("server:\n  clientid: c\n").unwrap_err();
        assert!(error.contains("clientid"), "{error}");
        assert!(ConfigFile::parse("ledger: {}\n").is_err());
        assert!(ConfigFile::parse("  \n").unwrap().server.base_url.is_none());
    }
}
