//! Reading token answers without trusting them: envelopes, vendor errors,
//! lifetimes in any shape, and excerpts that never show a credential.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::answer::{Opened, open_envelope, vendor_error};
use crate::error::{Error, Result, Stage};
use crate::provider::ProviderDef;
use crate::redact::{BodyExcerpt, redact_params};
use crate::secret::{REDACTED, Secret};
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
        Some(Value::String(s)) if !s.trim().is_empty() => Secret::new(s.as_str()),
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

/// The redacted excerpt of an answer. Bodies that are not JSON (truncated
/// JSON among them) also have every quoted value of a token- or secret-like
/// key hidden, which [`BodyExcerpt`] only does for whole JSON documents.
pub(super) fn excerpt(body: &[u8], secrets: &[&str]) -> BodyExcerpt {
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        return BodyExcerpt::new(body, secrets);
    }
    let masked = mask_quoted_secrets(&String::from_utf8_lossy(body));
    BodyExcerpt::new(masked.as_bytes(), secrets)
}

/// Hides the string value after every `"…token…":` or `"…secret…":` key in
/// JSON-like text, even when the text stops inside the value.
fn mask_quoted_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut sensitive_key = false;
    while let Some(open) = rest.find('"') {
        let between = &rest[..open];
        out.push_str(between);
        let is_value = sensitive_key && between.trim() == ":";
        let inside = &rest[open + 1..];
        let close = closing_quote(inside);
        let content = &inside[..close.unwrap_or(inside.len())];
        out.push('"');
        out.push_str(if is_value { REDACTED } else { content });
        let Some(close) = close else {
            return out;
        };
        out.push('"');
        rest = &inside[close + 1..];
        let key = content.to_ascii_lowercase();
        sensitive_key = !is_value
            && (key.contains("token") || key.contains("secret") || key.contains("password"))
            && !key.ends_with("_type");
    }
    out.push_str(rest);
    out
}

/// The index of the quote closing a JSON string that starts at `text[0]`.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i),
            _ => {}
        }
    }
    None
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

/// A vendor's code or message with every known secret and every
/// `token=…`-style value hidden: vendors sometimes echo what they were sent.
fn scrub(text: Option<String>, secrets: &[&str]) -> Option<String> {
    text.map(|text| {
        let mut text = redact_params(&text);
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            if text.contains(secret) {
                text = text.replace(secret, REDACTED);
            }
        }
        text
    })
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
    fn masks_token_values_in_broken_json() {
        let cut = r#"{"success":true,"result":{"access_token":"hat_1234","token_type":"bearer","refresh_token":"hrt_56"#;
        assert_eq!(
            mask_quoted_secrets(cut),
            r#"{"success":true,"result":{"access_token":"** redacted **","token_type":"bearer","refresh_token":"** redacted **"#
        );
        let escaped = r#"{"secret" : "a\"b", "note": "token", "x": "y"} trailing"#;
        assert_eq!(
            mask_quoted_secrets(escaped),
            r#"{"secret" : "** redacted **", "note": "token", "x": "y"} trailing"#
        );
        assert_eq!(mask_quoted_secrets("no quotes"), "no quotes");
        assert_eq!(mask_quoted_secrets(r#"a "b"#), r#"a "b"#);
        assert_eq!(
            mask_quoted_secrets("\"token\":\"令牌"),
            "\"token\":\"** redacted **"
        );
        assert!(!excerpt(cut.as_bytes(), &[]).as_str().contains("hat_1234"));
    }

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
