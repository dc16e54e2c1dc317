//! `call METHOD PATH` and what it sends: sudo, tenant, token placement, a
//! JSON body.

use authorized_api::runtime::{HttpMethod, SudoKind};
use authorized_api::{Sudo, TokenIn};
use clap::{Args, ValueEnum};

use super::connection::{Connection, OutputArgs};

/// The help after `call --help`: the config file, which every connecting
/// command reads.
pub(super) const CONFIG_HELP: &str = "\
The --config file is YAML, one section per provider (hotel, server, oauth2),
every key optional:

  server:
    base_url: https://open.vendor.example
    client_id: my-client
    client_secret: my-secret
  hotel:
    base_url: https://hotel.vendor.example
    client_id: my-hotel-client
    client_secret: my-hotel-secret
    token_params: { expires_in: 7200 }
  oauth2:
    base_url: https://api.example.com
    issuer: https://login.example.com     # or token_url, check_url, revoke_url
    client_auth: basic                    # basic, params or none
    client_id: my-oauth-client
    client_secret: my-oauth-secret
    token_params: { scope: read }

Unknown keys are errors. Flags and AUTHORIZED_<PROVIDER>_* variables win
over the file; with no base URL anywhere the command stops (exit code 2)
unless --sandbox.

Output: the result as JSON (the provider's envelope unwrapped, as
`RequestBuilder::send` returns it) and `HTTP <status>` on stderr; a vendor
error is one `error:` line with its code and message (exit code 1). --raw
prints `HTTP <status>` and the whole answer on stdout; --output json prints
{\"status\", \"body\"} (or {\"status\", \"error\"}) on one line.";

/// `call`.
#[derive(Debug, Clone, Args)]
pub struct CallArgs {
    /// The HTTP method: GET, POST, PUT, PATCH or DELETE.
    #[arg(value_name = "METHOD", value_parser = parse_method)]
    pub method: HttpMethod,

    /// The path below the base URL, with its own query if any (`/api/me`).
    #[arg(value_name = "PATH")]
    pub path: String,

    /// Where to connect.
    #[command(flatten)]
    pub connection: Connection,

    /// How to print.
    #[command(flatten)]
    pub output: OutputArgs,

    /// Print the whole answer (status and body, envelope and all) instead
    /// of the result the client decodes.
    #[arg(long)]
    pub raw: bool,

    /// Act as a user: `uid:<UID>`, `loginName:<NAME>`, `email:<EMAIL>`,
    /// `mobile:<MOBILE>` or (deprecated) `username:<NAME>`.
    #[arg(long, value_name = "FORM:VALUE", value_parser = parse_sudo)]
    pub sudo: Option<Sudo>,

    /// Work on the data of the tenant with this id.
    #[arg(long, value_name = "ID", conflicts_with = "tenant_code")]
    pub tenant_id: Option<String>,

    /// Work on the data of the tenant with this code.
    #[arg(long, value_name = "CODE")]
    pub tenant_code: Option<String>,

    /// Where the token goes (default: the provider's spec).
    #[arg(long, value_enum, value_name = "WHERE")]
    pub token_in: Option<TokenPlacement>,

    /// A JSON body to send.
    #[arg(long, value_name = "JSON", value_parser = parse_json)]
    pub data: Option<serde_json::Value>,
}

/// Where the token goes on a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenPlacement {
    /// In the `Authorization` header.
    Header,
    /// In the query string.
    Query,
}

impl From<TokenPlacement> for TokenIn {
    fn from(placement: TokenPlacement) -> Self {
        match placement {
            TokenPlacement::Header => TokenIn::Header,
            TokenPlacement::Query => TokenIn::Query,
        }
    }
}

fn parse_method(text: &str) -> Result<HttpMethod, String> {
    match text.to_ascii_uppercase().as_str() {
        "GET" => Ok(HttpMethod::Get),
        "POST" => Ok(HttpMethod::Post),
        "PUT" => Ok(HttpMethod::Put),
        "PATCH" => Ok(HttpMethod::Patch),
        "DELETE" => Ok(HttpMethod::Delete),
        _ => Err("expected GET, POST, PUT, PATCH or DELETE".into()),
    }
}

/// `uid:42`, `loginName:bob`, `email:a+b@example.com`, … The form ends at
/// the first colon; the value may hold colons.
fn parse_sudo(text: &str) -> Result<Sudo, String> {
    let (form, value) = text
        .split_once(':')
        .ok_or("expected FORM:VALUE, e.g. uid:42 or email:a+b@example.com")?;
    if value.is_empty() {
        return Err(format!("the {form} value is empty"));
    }
    let kind = match form {
        "uid" => {
            if !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("a uid is a number, not `{value}`"));
            }
            SudoKind::Uid
        }
        "loginName" | "login_name" => SudoKind::LoginName,
        "email" => SudoKind::Email,
        "mobile" => SudoKind::Mobile,
        "username" => SudoKind::Username,
        _ => {
            return Err(format!(
                "unknown form `{form}`: use uid, loginName, email, mobile or username"
            ));
        }
    };
    Ok(Sudo::new(kind, value))
}

fn parse_json(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sudo_forms() {
        let sudo = parse_sudo("email:a+b@example.com").unwrap();
        assert_eq!(
            (sudo.kind(), sudo.value()),
            (SudoKind::Email, "a+b@example.com")
        );
        assert_eq!(parse_sudo("loginName:a:b").unwrap().value(), "a:b");
        assert_eq!(
            parse_sudo("username:bob").unwrap().kind(),
            SudoKind::Username
        );
        assert!(parse_sudo("uid:x").is_err());
        assert!(parse_sudo("nick:bob").is_err());
        assert!(parse_sudo("bob").is_err());
        assert!(parse_sudo("email:").is_err());
    }

    #[test]
    fn methods_in_any_case() {
        assert!(matches!(parse_method("get"), Ok(HttpMethod::Get)));
        assert!(matches!(parse_method("Patch"), Ok(HttpMethod::Patch)));
        assert!(parse_method("HEAD").is_err());
    }
}
