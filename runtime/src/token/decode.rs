//! Reading token answers without trusting them: envelopes, vendor errors,
//! lifetimes in any shape, and excerpts that never show a credential.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use tokio::time::Instant;

use crate::def::{InstantFormat, Lifetime, ProviderDef};
use crate::error::{Error, Result, Stage};
use crate::redact::{BodyExcerpt, scrub};
use crate::secret::Secret;
use crate::token::granted::{Token, capped};
use crate::wire::answer::{Judged, judge, vendor_error};

/// Reads a 2xx answer into a token: judged by the token endpoint's answer
/// rule, then the token's parts read from the payload. `now` is the wall
/// clock, for lifetimes given as an instant.
pub(crate) fn decode(
    def: &ProviderDef,
    stage: Stage,
    status: u16,
    body: &[u8],
    secrets: &[&str],
    started: Instant,
    now: SystemTime,
) -> Result<Token> {
    let provider = def.name;
    let fields = &def.token.fields;
    let decode_error = |reason: String| Error::Decode {
        provider,
        stage,
        reason,
        body: excerpt(body, secrets),
    };
    let rejected = |code, message| Error::TokenRejected {
        provider,
        stage,
        status,
        code: scrub(code, secrets),
        message: scrub(message, secrets),
        body: excerpt(body, secrets),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(decode_error("the answer is empty".into()));
    }
    let payload = match judge(&def.token.answer, status, body) {
        Judged::Success(payload) => payload,
        Judged::SuccessWithoutJson(why) | Judged::Unreadable(why) => {
            return Err(decode_error(why));
        }
        Judged::Failure { code, message } => return Err(rejected(code, message)),
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
            let rule = &def.token.answer;
            let (code, message) = vendor_error(&payload, rule.code_fields, rule.message_fields);
            if code.is_some() || message.is_some() {
                return Err(rejected(code, message));
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
    let field = match fields.lifetime {
        Lifetime::ExpiresIn(field) | Lifetime::ExpiresAt { field, .. } => field,
    };
    let lifetime = match object.get(field) {
        None | Some(Value::Null) => match fields.default_lifetime_secs {
            Some(secs) => clamp_lifetime(secs),
            None => {
                return Err(decode_error(format!(
                    "the answer has no `{field}` field and the provider has no default lifetime"
                )));
            }
        },
        Some(value) => lifetime_from(fields.lifetime, value, now)
            .map_err(|why| decode_error(format!("`{field}` {why}")))?,
    };
    Ok(Token {
        access_token,
        refresh_token,
        lifetime,
        obtained_at: started,
    })
}

/// The lifetime a token answer's lifetime field gives, read as the
/// definition says it is written.
fn lifetime_from(
    lifetime: Lifetime,
    value: &Value,
    now: SystemTime,
) -> std::result::Result<Duration, String> {
    match lifetime {
        Lifetime::ExpiresIn(_) => lifetime_of(value).map_err(str::to_owned),
        Lifetime::ExpiresAt { format, .. } => until(value, format, now),
    }
}

/// The lifetime left until the instant an `expires_at` value names, from
/// `now`: written as `format` says. An instant already past is refused (a
/// token that cannot be used must not be cached).
fn until(
    value: &Value,
    format: InstantFormat,
    now: SystemTime,
) -> std::result::Result<Duration, String> {
    let at = match format {
        InstantFormat::EpochSeconds | InstantFormat::EpochMillis => {
            let number = match value {
                Value::Number(n) => n.as_u64().or_else(|| n.as_f64().and_then(whole_seconds)),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            let Some(number) = number else {
                return Err(
                    "must be a number (or a string holding one) since the Unix epoch".into(),
                );
            };
            let since = if format == InstantFormat::EpochMillis {
                Duration::from_millis(number)
            } else {
                Duration::from_secs(number)
            };
            UNIX_EPOCH
                .checked_add(since)
                .ok_or("is too far in the future")?
        }
        InstantFormat::Rfc3339 => {
            let Some(text) = value.as_str() else {
                return Err("must be an RFC 3339 date and time, as a string".into());
            };
            let parsed = time::OffsetDateTime::parse(text.trim(), &Rfc3339)
                .map_err(|e| format!("is not an RFC 3339 date and time ({e})"))?;
            let nanos = parsed.unix_timestamp_nanos();
            let since = u64::try_from(nanos).map_err(|_| "is before 1970".to_owned())?;
            UNIX_EPOCH + Duration::from_nanos(since)
        }
    };
    match at.duration_since(now) {
        Ok(left) if left >= Duration::from_secs(1) => Ok(capped(left)),
        _ => Err("is already past: the token would be dead on arrival".into()),
    }
}

/// The redacted excerpt of an answer.
pub(crate) fn excerpt(body: &[u8], secrets: &[&str]) -> BodyExcerpt {
    BodyExcerpt::new(body, secrets)
}

/// The vendor's code and message in an error answer, JSON or not.
pub(crate) fn error_fields(
    body: &[u8],
    def: &ProviderDef,
    secrets: &[&str],
) -> (Option<String>, Option<String>) {
    let rule = &def.token.answer;
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => {
            let (code, message) = vendor_error(&value, rule.code_fields, rule.message_fields);
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
    capped(Duration::from_secs(secs))
}
#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::def::{TEST_DEF, TokenEndpoint, TokenFields};
    use crate::token::granted::MAX_LIFETIME;

    /// `TEST_DEF` with a refresh token field.
    const DEF: ProviderDef = ProviderDef {
        token: TokenEndpoint {
            fields: TokenFields {
                refresh_token: Some("refresh_token"),
                ..TEST_DEF.token.fields
            },
            ..TEST_DEF.token
        },
        ..TEST_DEF
    };

    fn read(body: Value) -> Result<Token> {
        let body = body.to_string();
        let now = SystemTime::now();
        decode(
            &DEF,
            Stage::TokenRequest,
            200,
            body.as_bytes(),
            &[],
            Instant::now(),
            now,
        )
    }

    fn decode_reason(body: Value) -> String {
        match read(body) {
            Err(Error::Decode { reason, .. }) => reason,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn an_access_token_is_a_sendable_non_blank_string() {
        let token = read(json!({"access_token": "  t-1\n", "expires_in": 60})).unwrap();
        assert_eq!(token.access_token.expose(), "t-1");
        let reason = decode_reason(json!({"access_token": "t\u{7}1", "expires_in": 60}));
        assert!(reason.contains("control characters"), "{reason}");
        let reason = decode_reason(json!({"access_token": "   ", "expires_in": 60}));
        assert!(reason.contains("non-empty string"), "{reason}");
    }

    #[test]
    fn a_blank_refresh_token_is_none() {
        let token = read(json!({"access_token": "t", "refresh_token": "  ", "expires_in": 60}));
        assert!(token.unwrap().refresh_token.is_none());
        let token = read(json!({"access_token": "t", "refresh_token": "r", "expires_in": 60}));
        assert_eq!(token.unwrap().refresh_token.unwrap().expose(), "r");
    }

    #[test]
    fn a_success_without_a_token_but_with_a_vendor_message_is_a_refusal() {
        for body in [
            json!({"message": "app suspended"}),
            json!({"code": 40013}),
            json!({"code": 40013, "message": "invalid appid"}),
        ] {
            match read(body.clone()) {
                Err(Error::TokenRejected { .. }) => {}
                other => panic!("{body}: expected a refusal, got {other:?}"),
            }
        }
        let reason = decode_reason(json!({"token_type": "bearer"}));
        assert!(reason.contains("no `access_token`"), "{reason}");
    }

    #[test]
    fn a_lifetime_that_is_no_number_says_so_and_a_negative_one_says_positive() {
        for (value, says) in [
            (json!("soon"), "must be a number of seconds"),
            (json!("NaN"), "must be a number of seconds"),
            (json!("inf"), "must be a number of seconds"),
            (json!("-inf"), "must be a positive number"),
            (json!("-5"), "must be a positive number"),
            (json!("-x"), "must be a positive number"),
            (json!(-5.5), "must be a positive number"),
            (json!(0.5), "must be a positive number"),
        ] {
            assert_eq!(
                lifetime_of(&value).map_err(|e| e.starts_with(says)),
                Err(true),
                "{value}"
            );
        }
    }

    #[test]
    fn reads_expiry_instants_in_each_format() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let left = |v: Value, f| until(&v, f, now).map(|d| d.as_secs());
        assert_eq!(
            left(json!(1_800_003_600), InstantFormat::EpochSeconds),
            Ok(3600)
        );
        assert_eq!(
            left(json!("1800003600"), InstantFormat::EpochSeconds),
            Ok(3600)
        );
        assert_eq!(
            left(json!(1_800_003_600_000u64), InstantFormat::EpochMillis),
            Ok(3600)
        );
        // 1_800_003_600 is 2027-01-15T09:00:00Z.
        assert_eq!(
            left(json!("2027-01-15T09:00:00Z"), InstantFormat::Rfc3339),
            Ok(3600)
        );
        assert_eq!(
            left(json!("2027-01-15T17:00:00+08:00"), InstantFormat::Rfc3339),
            Ok(3600)
        );
        for (bad, format) in [
            (json!(1_799_999_999), InstantFormat::EpochSeconds),
            (json!(1_800_000_000), InstantFormat::EpochSeconds),
            (json!(1_800_003_600), InstantFormat::EpochMillis),
            (json!("soon"), InstantFormat::EpochSeconds),
            (json!(true), InstantFormat::EpochSeconds),
            (json!(1_800_003_600), InstantFormat::Rfc3339),
            (json!("2027-01-15 09:00"), InstantFormat::Rfc3339),
            (json!("1969-12-31T23:59:59Z"), InstantFormat::Rfc3339),
        ] {
            assert!(until(&bad, format, now).is_err(), "{bad} as {format:?}");
        }
        assert_eq!(
            left(json!(u64::MAX), InstantFormat::EpochSeconds),
            Err("is too far in the future".into()),
        );
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
