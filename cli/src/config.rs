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
//! ```
//!
//! Unknown keys are errors, so a typo never passes silently. Flags and
//! `AUTHORIZED_<PROVIDER>_*` environment variables win over the file.

use std::collections::BTreeMap;
use std::path::Path;

use authorized_api::Secret;
use serde::Deserialize;

use crate::args::ProviderName;
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
    fn refuses_typos_and_accepts_empty_files() {
        let error = ConfigFile::parse("server:\n  clientid: c\n").unwrap_err();
        assert!(error.contains("clientid"), "{error}");
        assert!(ConfigFile::parse("ledger: {}\n").is_err());
        assert!(ConfigFile::parse("  \n").unwrap().server.base_url.is_none());
    }
}
