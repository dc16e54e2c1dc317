//! Hostile answers: lifetimes that are huge, negative, fractional or not
//! numbers; bytes of any kind where a token or API answer should be; and
//! bodies that echo the secrets of the call. The decoders give a token or an
//! error, never a panic, an overflow or a secret.
//!
//! The decoders are crate-private; `authorized_runtime::__private` runs them
//! on bytes (the fuzz targets in `fuzz/` use the same entry points).

mod prop_support;

use std::time::Duration;

use authorized_api::runtime::__private::{decode_api_answer, decode_token_answer};
use authorized_api::runtime::{Error, ProviderDef};
use authorized_api::{Seconds, hotel, server};
use proptest::prelude::*;
use serde_json::{Value, json};

use prop_support::{check, hostile_text};

/// The longest lifetime the runtime gives a token.
const TEN_YEARS: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

fn defs() -> impl Strategy<Value = &'static ProviderDef> {
    prop_oneof![Just(&hotel::DEF), Just(&server::DEF)]
}

/// A token answer of `def` whose `expires_in` is the JSON text `expires_in`.
fn token_answer(def: &ProviderDef, expires_in: &str) -> String {
    let token =
        r#""access_token":"tok_0123456789","refresh_token":"ref_0123456789","token_type":"bearer""#;
    if def.name == "hotel" {
        format!(
            r#"{{"success":true,"timestamp":1,"result":{{{token},"expires_in":{expires_in}}}}}"#
        )
    } else {
        format!(r#"{{{token},"expires_in":{expires_in}}}"#)
    }
}

/// What `expires_in` may be sent as: numbers of any size and sign (as
/// JSON text, so beyond `u64` and `f64` too), numeric strings with junk,
/// any text, and other JSON.
fn expires_in() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| json!(f).to_string()),
        "-?[0-9]{1,40}(\\.[0-9]{1,8})?([eE][-+]?[0-9]{1,4})?",
        "[-+ ]{0,2}[0-9]{0,30}(\\.[0-9]{0,6})?[ a-z]{0,3}".prop_map(|s| json!(s).to_string()),
        hostile_text().prop_map(|s| json!(s).to_string()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("[3600]".to_owned()),
        Just(r#"{"seconds":3600}"#.to_owned()),
        Just(r#""NaN""#.to_owned()),
        Just(r#""-inf""#.to_owned()),
        Just(r#""1e999""#.to_owned()),
    ]
}

#[test]
fn any_expires_in_gives_a_bounded_lifetime_or_a_decode_error() {
    check(512, (defs(), expires_in()), |(def, expires_in)| {
        let body = token_answer(def, &expires_in);
        match decode_token_answer(def, 200, body.as_bytes(), &[]) {
            Ok(token) => {
                prop_assert!(token.lifetime >= Duration::from_secs(1), "{token:?}");
                prop_assert!(token.lifetime <= TEN_YEARS, "{token:?}");
                // A whole number of seconds is taken as it is (up to ten years).
                if let Ok(n) = expires_in.trim_matches('"').trim().parse::<u64>() {
                    prop_assert_eq!(token.lifetime, Duration::from_secs(n).min(TEN_YEARS));
                }
            }
            Err(Error::Decode { reason, .. }) => {
                if serde_json::from_str::<Value>(&body).is_ok() {
                    prop_assert!(reason.contains("expires_in"), "{reason}");
                    let text = expires_in.trim_matches('"').trim();
                    prop_assert!(
                        text.parse::<u64>().map_or(true, |n| n == 0),
                        "a positive whole number was refused: {expires_in} ({reason})"
                    );
                } else {
                    prop_assert!(reason.contains("not JSON"), "{reason}");
                }
            }
            Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
        }
        Ok(())
    });
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        hostile_text().prop_map(Value::from),
        "[-+ ]?[0-9]{1,25}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn seconds_and_generated_token_types_read_any_json_without_panicking() {
    check(512, json_value(), |value| {
        let seconds = serde_json::from_value::<Seconds>(value.clone());
        let expected = match &value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        prop_assert_eq!(seconds.ok().map(|s| s.0), expected);
        if let Some(secs) = expected {
            // As a duration, however large: no overflow.
            prop_assert_eq!(Seconds(secs).as_duration().as_secs(), secs);
        }
        let token = json!({"access_token": "sat_x", "token_type": "bearer", "expires_in": value});
        let read = serde_json::from_value::<server::Token>(token.clone());
        // The server's lifetime may be absent (`null` reads as absent).
        prop_assert_eq!(read.is_ok(), expected.is_some() || value.is_null());
        let hotel = json!({"access_token": "hat_x", "refresh_token": "hrt_x", "token_type": "bearer", "expires_in": value});
        prop_assert_eq!(
            serde_json::from_value::<hotel::Token>(hotel).is_ok(),
            expected.is_some()
        );
        Ok(())
    });
}

/// Bytes where an answer should be: anything, or a real answer with bytes
/// flipped, cut or repeated.
fn answer_bytes() -> impl Strategy<Value = Vec<u8>> {
    let real = || (defs(), expires_in()).prop_map(|(def, e)| token_answer(def, &e).into_bytes());
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        (real(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut b, i, x)| {
            let i = i.index(b.len());
            b[i] = x;
            b
        }),
        (real(), any::<prop::sample::Index>()).prop_map(|(mut b, i)| {
            b.truncate(i.index(b.len() + 1));
            b
        }),
        (real(), 1..4usize).prop_map(|(b, n)| b.repeat(n)),
        json_value().prop_map(|v| v.to_string().into_bytes()),
    ]
}

#[test]
fn token_answers_of_any_bytes_and_status_give_a_token_or_an_error() {
    check(
        1024,
        (defs(), 100u16..600, answer_bytes()),
        |(def, status, body)| {
            match decode_token_answer(def, status, &body, &[]) {
                Ok(token) => {
                    prop_assert!((200..300).contains(&status), "{status} gave a token");
                    prop_assert!(!token.access_token.expose().trim().is_empty());
                    prop_assert!(token.lifetime >= Duration::from_secs(1));
                    prop_assert!(token.lifetime <= TEN_YEARS);
                }
                Err(error) => {
                    let shown = format!("{error} {error:?}");
                    prop_assert!(!shown.is_empty());
                    if status == 429 || status >= 500 {
                        prop_assert!(error.is_retryable(), "{error:?}");
                    }
                }
            }
            Ok(())
        },
    );
}

#[test]
fn api_answers_of_any_bytes_and_status_give_a_value_or_an_error() {
    check(
        1024,
        (defs(), 100u16..600, answer_bytes()),
        |(def, status, body)| {
            let (result, debug) = decode_api_answer(def, status, &body, &[]);
            prop_assert!(debug.len() <= 8 * 512, "{debug}");
            if !(200..300).contains(&status) {
                prop_assert!(
                    matches!(result, Err(Error::Api { .. })),
                    "{status}: {result:?}"
                );
            }
            Ok(())
        },
    );
}
/// A secret as a vendor's might be: long enough to hide, with the
/// characters that JSON, forms and URLs encode.
fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9+/=_.~%&#\"\\\\ -]{10,24}".prop_filter("not blank", |s| !s.trim().is_empty())
}

/// `secret` as an answer might echo it: as is, JSON-escaped, or
/// percent-encoded.
fn forms_of(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap();
    let json = json[1..json.len() - 1].to_owned();
    let percent: String = secret
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    vec![secret.to_owned(), json, percent]
}

/// A body that echoes `secret` (in one of its forms) inside text, JSON or
/// a form, as vendors' error answers do.
fn echoing_body() -> impl Strategy<Value = (String, String)> {
    (secret(), 0..3usize, 0..5usize, hostile_text()).prop_map(|(secret, form, shape, text)| {
        let shown = forms_of(&secret)[form].clone();
        let body = match shape {
            0 => format!("{text}{shown}{text}"),
            1 => {
                json!({"code": 40001, "msg": format!("bad credentials: {secret}"), "detail": text})
                    .to_string()
            }
            2 => format!(r#"{{"success":false,"errorMsg":"client {shown} refused","x":"{text}""#),
            3 => format!(
                "<html><body>grant_type=x&client_secret={shown}&scope=y {text}</body></html>"
            ),
            _ => format!("{{\"error\":\"invalid_client\",\"echo\":\"{shown}\"}}"),
        };
        (secret, body)
    })
}

#[test]
fn errors_never_show_the_secrets_of_the_call() {
    check(
        512,
        (
            defs(),
            echoing_body(),
            prop_oneof![Just(200u16), Just(400), Just(401), Just(500), Just(503)],
        ),
        |(def, (secret, body), status)| {
            let secrets = [secret.as_str()];
            let mut shown = Vec::new();
            if let Err(error) = decode_token_answer(def, status, body.as_bytes(), &secrets) {
                shown.push(format!("{error} | {error:?}"));
            }
            let (result, debug) = decode_api_answer(def, status, body.as_bytes(), &secrets);
            if let Err(error) = result {
                shown.push(format!("{error} | {error:?}"));
            }
            shown.push(debug);
            for text in &shown {
                for form in forms_of(&secret) {
                    prop_assert!(
                        !text.contains(&form),
                        "the secret {secret:?} shows as {form:?} in: {text}"
                    );
                }
            }
            Ok(())
        },
    );
}

/// A token answer of `def` granting `access_token`.
fn granting(def: &ProviderDef, access_token: &str) -> String {
    let token = json!({"access_token": access_token, "refresh_token": "ref_0123456789", "token_type": "bearer", "expires_in": 3600});
    if def.name == "hotel" {
        json!({"success": true, "timestamp": 1, "result": token}).to_string()
    } else {
        token.to_string()
    }
}

#[test]
fn a_granted_token_can_be_sent_in_a_header() {
    check(512, (defs(), hostile_text()), |(def, access_token)| {
        prop_assume!(!access_token.trim().is_empty());
        let body = granting(def, &access_token);
        match decode_token_answer(def, 200, body.as_bytes(), &[]) {
            Ok(token) => {
                let sent = token.access_token.expose();
                prop_assert_eq!(sent, access_token.trim());
                let header = format!("Bearer {sent}");
                prop_assert!(
                    reqwest::header::HeaderValue::from_str(&header).is_ok(),
                    "{header:?} cannot be sent, yet the token would be cached"
                );
            }
            Err(Error::Decode { reason, .. }) => {
                prop_assert!(reason.contains("control characters"), "{reason}");
                prop_assert!(access_token.trim().chars().any(char::is_control));
            }
            Err(other) => return Err(TestCaseError::fail(format!("{other:?}"))),
        }
        Ok(())
    });
}
