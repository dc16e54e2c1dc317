//! Reading token answers without trusting them: envelopes, vendor errors,
//! lifetimes in any shape, and excerpts that never show a credential.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::answer::{Opened, open_envelope, vendor_error};
use crate::error::{Error, Result, Stage};
use crate::provider::ProviderDef;
use crate::redact::{BodyExcerpt, scrub};
use crate::secret::Secret;
use crate::token::Token;

/// The longest lifetime a token is given, whatever the provider says: ten
/// years keeps every `Instant` computation far from overflowing.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// Reads a 2xx answer into a token.
pub(super) fn decode(
    def: &ProviderDef,
    stage: Stage,
    status: u16,
    body: &[u8],
    secrets: &[&str],
    started: Instant,
) -> Result<Token> {
    let provider = def.name;
    let fields = &def.token.fields;
    let decode_error = |reason: String| Error::Decode {
        provider,
        stage,
        reason,
        body: excerpt(body, secrets),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode_error("the answer is empty".into()));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| decode_error(format!("the answer is not JSON ({e})")))?;
    let payload = if def.token.enveloped {
        let Some(envelope) = &def.envelope else {
            return Err(Error::Config(format!(
                "the definition of `{provider}` says its token answer is enveloped but has no envelope"
            )));
        };
        match open_envelope(value, envelope) {
            Opened::Success(result) => result,
            Opened::Failure { code, message } => {
                let (code, message) = (scrub(code, secrets), scrub(message, secrets));
                return Err(Error::TokenRejected {
                    provider,
                    stage,
                    status,
                    code,
                    message,
                    body: excerpt(body, secrets),
                });
            }
            Opened::NotEnveloped(_) => {
                return Err(decode_error(format!(
                    "the answer has no boolean `{}` field (it is not the provider's envelope)",
                    envelope.success
                )));
            }
        }
    } else {
        value
    };
    let Some(object) = payload.as_object() else {
        return Err(decode_error("the token answer is not a JSON object".into()));
    };
    let access_token = match object.get(fields.access_token) {
        // Surrounding whitespace is not part of a token (`"sat_…\n"`); a
        // control character inside could never be sent in a header, and a
        // cached token that cannot be sent fails every call until it expires.
        Some(Value::String(s)) if s.trim().chars().any(char::is_control) => {
            return Err(decode_error(format!(
                "`{}` holds control characters; it could not be sent",
                fields.access_token
            )));
        }
        Some(Value::String(s)) if !s.trim().is_empty() => Secret::new(s.trim()),
        None | Some(Value::Null) => {
            // A 2xx answer without a token but with a vendor error is a refusal.
            let (code, message) = vendor_error(&payload, def.envelope.as_ref());
            let (code, message) = (scrub(code, secrets), scrub(message, secrets));
            if code.is_some() || message.is_some() {
                return Err(Error::TokenRejected {
                    provider,
                    stage,
                    status,
                    code,
                    message,
                    body: excerpt(body, secrets),
                });
            }
            return Err(decode_error(format!(
                "the answer has no `{}` field",
                fields.access_token
            )));
        }
        Some(_) => {
            return Err(decode_error(format!(
                "`{}` must be a non-empty string",
                fields.access_token
            )));
        }
    };
    let refresh_token = match fields
        .refresh_token
        .and_then(|f| object.get(f).map(|v| (f, v)))
    {
        None | Some((_, Value::Null)) => None,
        Some((_, Value::String(s))) if s.trim().is_empty() => None,
        Some((_, Value::String(s))) => Some(Secret::new(s.as_str())),
        Some((field, _)) => return Err(decode_error(format!("`{field}` must be a string"))),
    };
    let lifetime = match object.get(fields.expires_in) {
        None | Some(Value::Null) => match fields.default_lifetime_secs {
            Some(secs) => clamp_lifetime(secs),
            None => {
                return Err(decode_error(format!(
                    "the answer has no `{}` field and the provider has no default lifetime",
                    fields.expires_in
                )));
            }
        },
        Some(value) => lifetime_of(value)
            .map_err(|why| decode_error(format!("`{}` {why}", fields.expires_in)))?,
    };
    Ok(Token {
        access_token,
        refresh_token,
        lifetime,
        obtained_at: started,
    })
}

/// The redacted excerpt of an answer.
pub(super) fn excerpt(body: &[u8], secrets: &[&str]) -> BodyExcerpt {
    BodyExcerpt::new(body, secrets)
}

/// The vendor's code and message in an error answer, JSON or not.
pub(super) fn error_fields(
    body: &[u8],
    def: &ProviderDef,
    secrets: &[&str],
) -> (Option<String>, Option<String>) {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => {
            let (code, message) = vendor_error(&value, def.envelope.as_ref());
            (scrub(code, secrets), scrub(message, secrets))
        }
        Err(_) => (None, None),
    }
}

/// The lifetime an `expires_in` value gives: a positive integer, or a string
/// holding one (surrounding spaces allowed). Fractions are rounded down (a
/// token renewed a little early is harmless), so what is left must still be
/// at least one second; lifetimes over ten years are cut to ten years.
fn lifetime_of(value: &Value) -> std::result::Result<Duration, &'static str> {
    const NOT_POSITIVE: &str = "must be a positive number of seconds";
    let secs = match value {
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(n), _) => n,
            (None, Some(f)) => whole_seconds(f).ok_or(NOT_POSITIVE)?,
            (None, None) => return Err("is not a usable number"),
        },
        Value::String(s) => {
            let s = s.trim();
            match s.parse::<u64>() {
                Ok(n) => n,
                Err(_) => match s.parse::<f64>() {
                    Ok(f) if f.is_finite() => whole_seconds(f).ok_or(NOT_POSITIVE)?,
                    Ok(_) | Err(_) if s.starts_with('-') => return Err(NOT_POSITIVE),
                    _ => return Err("must be a number of seconds, or a string holding one"),
                },
            }
        }
        _ => return Err("must be a number of seconds, or a string holding one"),
    };
    if secs == 0 {
        return Err(NOT_POSITIVE);
    }
    Ok(clamp_lifetime(secs))
}

/// A finite, non-negative float rounded down to whole seconds (saturating).
fn whole_seconds(f: f64) -> Option<u64> {
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    // `as` saturates for floats beyond u64.
    Some(f.floor() as u64)
}

fn clamp_lifetime(secs: u64) -> Duration {
    Duration::from_secs(secs).min(MAX_LIFETIME)
}
#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_lifetimes_as_numbers_or_numeric_strings() {
        let secs = |v: Value| lifetime_of(&v).map(|d| d.as_secs());
        assert_eq!(secs(json!(3600)), Ok(3600));
        assert_eq!(secs(json!("43200")), Ok(43200));
        assert_eq!(secs(json!(" 60 ")), Ok(60));
        assert_eq!(secs(json!(3600.9)), Ok(3600));
        assert_eq!(secs(json!("3600.5")), Ok(3600));
        assert_eq!(secs(json!(1e300)), Ok(MAX_LIFETIME.as_secs()));
        assert_eq!(secs(json!(u64::MAX)), Ok(MAX_LIFETIME.as_secs()));
        assert_eq!(
            secs(json!("99999999999999999999999")),
            Ok(MAX_LIFETIME.as_secs())
        );
        for bad in [
            json!(0),
            json!(-5),
            json!("-5"),
            json!("0"),
            json!(0.5),
            json!(-0.5),
            json!("abc"),
            json!(""),
            json!("NaN"),
            json!("inf"),
            json!(true),
            json!([60]),
            json!({"s": 60}),
        ] {
            assert!(lifetime_of(&bad).is_err(), "{bad}");
        }
    }
}
