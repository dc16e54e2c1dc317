//! Whether an answer says the call's token is not valid, as the provider's
//! `invalid_token` signal defines it (statuses, vendor codes on any status,
//! RFC 6750's `WWW-Authenticate: Bearer` challenge), judged from the status
//! and headers first so the body is read only when vendor codes need it;
//! and the error once a replay did not help.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};

use crate::call::response::RawResponse;
use crate::def::{DEFAULT_CODE_FIELDS, ProviderDef};
use crate::error::Error;
use crate::token::granted::Token;
use crate::wire::answer::{at, scalar_text};

/// What an answer's status and headers say about the call's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The token is refused.
    Refused,
    /// The token is not refused.
    NotRefused,
    /// Only the body can tell: the provider's vendor codes may be in it.
    NeedsBody,
}

/// Whether the answer says the token is not valid: see the module docs.
pub(crate) fn refuses_token(answer: &RawResponse, def: &ProviderDef) -> bool {
    match head_verdict(answer.status(), answer.headers(), def) {
        Verdict::Refused => true,
        Verdict::NotRefused => false,
        Verdict::NeedsBody => body_refuses(answer.body(), def),
    }
}

/// What the status and headers alone say: the challenge first, then the
/// statuses; the body is needed only if the provider has vendor codes.
pub(crate) fn head_verdict(status: StatusCode, headers: &HeaderMap, def: &ProviderDef) -> Verdict {
    let signal = &def.invalid_token;
    if signal.challenge {
        match bearer_error(headers) {
            Some(Some(error)) if error == "invalid_token" => return Verdict::Refused,
            // The challenge names what is wrong, and it is not the token.
            Some(Some(_)) => return Verdict::NotRefused,
            _ => {}
        }
    }
    if signal.statuses.contains(&status.as_u16()) {
        return Verdict::Refused;
    }
    if signal.codes.is_empty() {
        return Verdict::NotRefused;
    }
    Verdict::NeedsBody
}

/// Whether the body holds one of the provider's invalid-token codes.
pub(crate) fn body_refuses(body: &[u8], def: &ProviderDef) -> bool {
    let signal = &def.invalid_token;
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    let fields = if signal.code_fields.is_empty() {
        def.api_answer.code_fields
    } else {
        signal.code_fields
    };
    let defaults = if signal.code_fields.is_empty() {
        DEFAULT_CODE_FIELDS
    } else {
        &[]
    };
    fields
        .iter()
        .chain(defaults)
        .find_map(|field| at(&value, field).and_then(scalar_text))
        .is_some_and(|code| signal.codes.contains(&code.as_str()))
}

/// The `error` of the answer's Bearer challenge: `None` without a Bearer
/// challenge, `Some(None)` for one without an `error` (RFC 6750 §3.1: the
/// request lacked a token).
fn bearer_error(headers: &HeaderMap) -> Option<Option<String>> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(challenge_error)
}

/// Reads RFC 9110 §11.6.1 challenges (`Basic realm="a", Bearer
/// error="invalid_token", error_description="…"`) for the Bearer one's
/// `error` parameter.
fn challenge_error(header: &str) -> Option<Option<String>> {
    let mut rest = header.trim_start();
    let mut in_bearer = false;
    let mut found = None;
    while !rest.is_empty() {
        let name_len = rest
            .find(|c: char| c == '=' || c == ',' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let after = rest[name_len..].trim_start();
        if let Some(value_text) = after.strip_prefix('=') {
            // An auth-param of the current challenge.
            let (value, remaining) = param_value(value_text.trim_start());
            if in_bearer && name.eq_ignore_ascii_case("error") {
                found = Some(Some(value));
            }
            rest = remaining.trim_start().trim_start_matches(',').trim_start();
        } else if name.is_empty() {
            rest = after.trim_start_matches(',').trim_start();
        } else {
            // A new challenge's scheme.
            if in_bearer {
                break;
            }
            in_bearer = name.eq_ignore_ascii_case("bearer");
            if in_bearer {
                found = Some(None);
            }
            rest = after.trim_start_matches(',').trim_start();
        }
    }
    found
}

/// An auth-param value (a token or a quoted string) and what follows it.
fn param_value(text: &str) -> (String, &str) {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => return (value, &quoted[i + 1..]),
                _ => value.push(c),
            }
        }
        return (value, "");
    }
    let end = text.find([',', ' ', '\t']).unwrap_or(text.len());
    (text[..end].to_owned(), &text[end..])
}

/// The call was refused for its token even though it used `used` (the
/// answer may echo any of them).
pub(crate) fn unauthorized(def: &ProviderDef, answer: &RawResponse, used: &[&Token]) -> Error {
    Error::Unauthorized {
        provider: def.name,
        status: answer.status().as_u16(),
        body: answer.excerpt_hiding(used),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::def::{AnswerRule, InvalidTokenSignal, TEST_DEF};
    use reqwest::header::HeaderValue;

    fn def(invalid_token: InvalidTokenSignal) -> ProviderDef {
        ProviderDef {
            invalid_token,
            ..TEST_DEF
        }
    }

    fn challenged(header: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(WWW_AUTHENTICATE, HeaderValue::from_str(header).unwrap());
        headers
    }

    fn verdict(def: &ProviderDef, status: u16, headers: &HeaderMap) -> Verdict {
        head_verdict(StatusCode::from_u16(status).unwrap(), headers, def)
    }

    #[test]
    fn with_rfc_6750_challenges_the_challenge_decides_then_the_status() {
        let def = def(InvalidTokenSignal {
            statuses: &[401],
            codes: &[],
            code_fields: &[],
            challenge: true,
        });
        let invalid = challenged(r#"Bearer error="invalid_token""#);
        assert_eq!(verdict(&def, 401, &invalid), Verdict::Refused);
        assert_eq!(
            verdict(&def, 403, &invalid),
            Verdict::Refused,
            "on any status"
        );
        let scope = challenged(r#"Bearer error="insufficient_scope""#);
        assert_eq!(
            verdict(&def, 401, &scope),
            Verdict::NotRefused,
            "not about the token"
        );
        let bare = challenged(r#"Bearer realm="api""#);
        assert_eq!(
            verdict(&def, 401, &bare),
            Verdict::Refused,
            "the status decides"
        );
        assert_eq!(verdict(&def, 200, &bare), Verdict::NotRefused);
        assert_eq!(verdict(&def, 401, &HeaderMap::new()), Verdict::Refused);
        assert_eq!(verdict(&def, 403, &HeaderMap::new()), Verdict::NotRefused);
    }

    #[test]
    fn without_challenges_only_the_statuses_decide() {
        let def = def(InvalidTokenSignal {
            statuses: &[401],
            codes: &[],
            code_fields: &[],
            challenge: false,
        });
        let invalid = challenged(r#"Bearer error="invalid_token""#);
        assert_eq!(verdict(&def, 403, &invalid), Verdict::NotRefused);
        let scope = challenged(r#"Bearer error="insufficient_scope""#);
        assert_eq!(verdict(&def, 401, &scope), Verdict::Refused);
    }

    #[test]
    fn vendor_codes_are_read_from_the_body_on_any_status() {
        const SIGNAL: InvalidTokenSignal = InvalidTokenSignal {
            statuses: &[],
            codes: &["40001", "42001"],
            code_fields: &[],
            challenge: false,
        };
        let wechat = ProviderDef {
            api_answer: AnswerRule {
                code_fields: &["errcode"],
                ..AnswerRule::STATUS
            },
            ..def(SIGNAL)
        };
        assert_eq!(verdict(&wechat, 200, &HeaderMap::new()), Verdict::NeedsBody);
        assert!(body_refuses(
            br#"{"errcode":40001,"errmsg":"invalid credential"}"#,
            &wechat
        ));
        assert!(body_refuses(br#"{"errcode":"42001"}"#, &wechat));
        assert!(!body_refuses(br#"{"errcode":0,"errmsg":"ok"}"#, &wechat));
        assert!(
            !body_refuses(b"40001", &wechat),
            "a bare number is no field"
        );
        assert!(!body_refuses(b"not json", &wechat));
        // Without code fields of its own or the API's: the usual names.
        let plain = def(SIGNAL);
        assert!(body_refuses(br#"{"code":40001}"#, &plain));
        // Code fields of its own: those, and only those.
        let own = def(InvalidTokenSignal {
            code_fields: &["error.no"],
            ..SIGNAL
        });
        assert!(body_refuses(br#"{"error":{"no":42001}}"#, &own));
        assert!(!body_refuses(br#"{"code":40001}"#, &own));
        // No codes: the body is never needed.
        let none = def(InvalidTokenSignal {
            codes: &[],
            ..SIGNAL
        });
        assert_eq!(verdict(&none, 200, &HeaderMap::new()), Verdict::NotRefused);
    }

    #[test]
    fn reads_the_bearer_challenges_error_among_others() {
        let error = |header: &str| challenge_error(header);
        assert_eq!(
            error(
                r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#
            ),
            Some(Some("invalid_token".into()))
        );
        assert_eq!(
            error(r#"Bearer realm="example""#),
            Some(None),
            "RFC 6750 §3.1: no error when the request had no token"
        );
        assert_eq!(
            error(r#"Bearer error="insufficient_scope", scope="read write""#),
            Some(Some("insufficient_scope".into()))
        );
        assert_eq!(
            error(r#"Basic realm="a", Bearer error=invalid_token"#),
            Some(Some("invalid_token".into()))
        );
        assert_eq!(
            error(r#"Bearer realm="a\"b", error="invalid_token""#),
            Some(Some("invalid_token".into()))
        );
        assert_eq!(
            error(r#"Bearer realm="a", Basic error="invalid_token""#),
            Some(None),
            "another scheme's parameters are not the Bearer challenge's"
        );
        assert_eq!(error(r#"Basic realm="a""#), None);
        assert_eq!(error(""), None);
        assert_eq!(error("bearer"), Some(None));
        assert_eq!(
            error(r#"Bearer error="unterminated"#),
            Some(Some("unterminated".into()))
        );
    }
}
