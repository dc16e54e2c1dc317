//! Redacted excerpts of answer bodies, safe to put in errors and logs.

use std::fmt;

use crate::secret::REDACTED;

/// At most this many bytes of a body are quoted in an error.
pub const EXCERPT_LIMIT: usize = 512;

/// Parameter and field names whose values are always hidden.
const SENSITIVE: &[&str] = &[
    "access_token",
    "refresh_token",
    "client_secret",
    "token",
    "id_token",
    "password",
    "secret",
];

fn is_sensitive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SENSITIVE.contains(&lower.as_str())
        || ((lower.contains("token") || lower.contains("secret")) && !lower.ends_with("_type"))
}

/// A redacted excerpt of at most 512 bytes (`EXCERPT_LIMIT`) of an answer body.
///
/// JSON bodies have the values of token and secret fields replaced; any body
/// has every known secret and every `token=…`/`secret=…` style parameter
/// value replaced. It is what errors quote so a person can see what the
/// provider said without seeing a credential.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct BodyExcerpt(String);

impl BodyExcerpt {
    /// Builds the excerpt of `body`, hiding every string in `known_secrets`.
    pub fn new(body: &[u8], known_secrets: &[&str]) -> Self {
        // Known secrets go first, before anything can cut one in pieces…
        let text = hide_known(String::from_utf8_lossy(body).into_owned(), known_secrets);
        let text = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(mut value) => {
                redact_json(&mut value, false);
                value.to_string()
            }
            // Not JSON, or JSON cut short: hide what looks like a secret.
            Err(_) => redact_params(&mask_quoted_secrets(&text)),
        };
        // …and again after, as reading JSON decodes escapes (`\u0061`).
        Self(truncate(hide_known(text, known_secrets)))
    }

    /// The excerpt as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for BodyExcerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(empty body)")
        } else {
            f.write_str(&self.0)
        }
    }
}

impl fmt::Debug for BodyExcerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Hides the values of sensitive fields: a scalar, or every scalar in an
/// array (`"tokens": ["…", "…"]`); objects are judged field by field.
fn redact_json(value: &mut serde_json::Value, sensitive: bool) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                redact_json(value, is_sensitive(key));
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                redact_json(item, sensitive);
            }
        }
        serde_json::Value::Null => {}
        scalar if sensitive => *scalar = serde_json::Value::String(REDACTED.to_owned()),
        _ => {}
    }
}

/// Hides the value of every sensitive `name=value` pair in free text (query
/// strings, form bodies, URLs inside HTML).
pub fn redact_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let (before, after) = rest.split_at(eq);
        // The name starts after the last character that cannot be in one
        // (which may take more than one byte: `华=1`).
        let name_start = before
            .char_indices()
            .rfind(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        out.push_str(before);
        out.push('=');
        let after = &after[1..];
        if let Some(hidden) = after.strip_prefix(REDACTED) {
            // Already hidden (a known secret): keep what follows.
            out.push_str(REDACTED);
            rest = hidden;
        } else if is_sensitive(&before[name_start..]) {
            let end = after
                .find(['&', ' ', '"', '\'', '<', '\n', '\r', '#', ','])
                .unwrap_or(after.len());
            out.push_str(REDACTED);
            rest = &after[end..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
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

/// A vendor's code or message with every known secret and every
/// `token=…`-style value hidden: vendors sometimes echo what they were sent.
pub(crate) fn scrub(text: Option<String>, secrets: &[&str]) -> Option<String> {
    text.map(|text| hide_known(redact_params(&hide_known(text, secrets)), secrets))
}

/// Replaces every known secret of at least four bytes, as it is and as an
/// answer may quote it: JSON-escaped (`a\"b`) or percent-encoded (`a%2Bb`,
/// `a+b` for a space, either case of hex digits).
fn hide_known(mut text: String, secrets: &[&str]) -> String {
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        for form in encodings(secret) {
            if text.contains(&form) {
                text = text.replace(&form, REDACTED);
            }
        }
    }
    text
}

/// `secret` as it is, JSON-escaped and percent-encoded: each distinct form once.
fn encodings(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or_default()
        .to_owned();
    let percent = |space_as_plus: bool, lower: bool| -> String {
        secret
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                b' ' if space_as_plus => "+".to_owned(),
                _ if lower => format!("%{b:02x}"),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let mut forms = vec![
        secret.to_owned(),
        json,
        percent(false, false),
        percent(true, false),
        percent(false, true),
        percent(true, true),
    ];
    forms.sort();
    forms.dedup();
    forms.retain(|f| !f.is_empty());
    forms
}

fn truncate(mut text: String) -> String {
    if text.len() <= EXCERPT_LIMIT {
        return text;
    }
    let mut cut = EXCERPT_LIMIT - '…'.len_utf8();
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text.push('…');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_json_token_fields_but_keeps_the_rest() {
        let body = br#"{"success":true,"result":{"access_token":"hat_1","refresh_token":"hrt_2","token_type":"bearer","expires_in":"x"}}"#;
        let e = BodyExcerpt::new(body, &[]);
        assert!(
            !e.as_str().contains("hat_1") && !e.as_str().contains("hrt_2"),
            "{e}"
        );
        assert!(e.as_str().contains("bearer") && e.as_str().contains(r#""expires_in":"x""#));
    }

    #[test]
    fn hides_known_secrets_and_params_in_text() {
        let body = b"<html>GET /t?client_secret=abc123&x=1 failed for sat_secretvalue</html>";
        let e = BodyExcerpt::new(body, &["sat_secretvalue"]);
        assert_eq!(
            e.as_str(),
            "<html>GET /t?client_secret=** redacted **&x=1 failed for ** redacted **</html>"
        );
    }

    #[test]
    fn a_parameter_name_after_non_ascii_text_is_found_without_panicking() {
        assert_eq!(
            redact_params("错误=1 令牌token=abc&x=1 \u{fffd}=2"),
            "错误=1 令牌token=** redacted **&x=1 \u{fffd}=2"
        );
        let body = "<html>系统错误: client_secret=s3cr3t&scope=hotel</html>";
        assert!(
            !BodyExcerpt::new(body.as_bytes(), &[])
                .as_str()
                .contains("s3cr3t")
        );
    }

    #[test]
    fn hides_known_secrets_quoted_in_json_or_percent_encoding() {
        let secret = r#"p4ss "w0rd"+/="#;
        for quoted in [
            r#"p4ss \"w0rd\"+/="#,
            "p4ss%20%22w0rd%22%2B%2F%3D",
            "p4ss+%22w0rd%22%2b%2f%3d",
        ] {
            let body = format!("<p>bad secret {quoted} sent</p>");
            let e = BodyExcerpt::new(body.as_bytes(), &[secret]);
            assert_eq!(e.as_str(), "<p>bad secret ** redacted ** sent</p>");
            let message = scrub(Some(body), &[secret]).unwrap();
            assert_eq!(message, "<p>bad secret ** redacted ** sent</p>");
        }
        // A known secret is hidden whole before a heuristic can cut it.
        let e = BodyExcerpt::new(b"token=ab&cdefgh!", &["ab&cdefgh!"]);
        assert_eq!(e.as_str(), "token=** redacted **");
    }

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
        assert!(
            !BodyExcerpt::new(cut.as_bytes(), &[])
                .as_str()
                .contains("hat_1234")
        );
    }

    #[test]
    fn every_sensitive_name_form_is_hidden() {
        for name in [
            "password",
            "Password",
            "accessToken",
            "api_secret",
            "secret_key",
            "x-api-token",
            "refresh_token",
        ] {
            let json = format!(r#"{{"error":"denied","{name}":"s3cr3t","n":1}}"#);
            let e = BodyExcerpt::new(json.as_bytes(), &[]);
            let hidden = format!(r#"{{"error":"denied","{name}":"** redacted **","n":1}}"#);
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(e.as_str()).unwrap(),
                serde_json::from_str::<serde_json::Value>(&hidden).unwrap(),
                "JSON field `{name}`"
            );
            let text = format!("<p>denied: {name}=s3cr3t&n=1</p>");
            let e = BodyExcerpt::new(text.as_bytes(), &[]);
            assert_eq!(
                e.as_str(),
                format!("<p>denied: {name}=** redacted **&n=1</p>"),
                "parameter `{name}` after other text"
            );
        }
        let e = BodyExcerpt::new(b"bad request; secret_key=abc, token_type=bearer", &[]);
        assert_eq!(
            e.as_str(),
            "bad request; secret_key=** redacted **, token_type=bearer"
        );
    }

    #[test]
    fn tokens_inside_json_arrays_are_hidden() {
        let body = br#"{"items":[{"access_token":"t_1","token_type":"bearer"}],"tokens":["t_2","t_3"],"ids":[1,2]}"#;
        let e = BodyExcerpt::new(body, &[]);
        assert_eq!(
            e.as_str(),
            r#"{"ids":[1,2],"items":[{"access_token":"** redacted **","token_type":"bearer"}],"tokens":["** redacted **","** redacted **"]}"#
        );
    }

    #[test]
    fn truncates_on_a_char_boundary() {
        let body = "令".repeat(400);
        let e = BodyExcerpt::new(body.as_bytes(), &[]);
        assert!(e.as_str().len() <= EXCERPT_LIMIT);
        assert!(e.as_str().ends_with('…'));
        // As much as fits: 169 whole characters of 3 bytes, then the '…'.
        assert_eq!(e.as_str().len(), 169 * 3 + 3);
    }

    #[test]
    fn quotes_as_much_of_a_long_body_as_the_limit_allows() {
        let e = BodyExcerpt::new("x".repeat(2000).as_bytes(), &[]);
        assert_eq!(e.as_str().len(), EXCERPT_LIMIT);
        assert_eq!(
            e.as_str().strip_suffix('…'),
            Some(&*"x".repeat(EXCERPT_LIMIT - 3))
        );
    }

    #[test]
    fn a_sensitive_field_that_is_null_stays_null() {
        // "The provider sent no token" must stay readable in an error.
        let e = BodyExcerpt::new(br#"{"access_token":null,"secret":[null,"s"]}"#, &[]);
        assert_eq!(
            e.as_str(),
            r#"{"access_token":null,"secret":[null,"** redacted **"]}"#
        );
    }

    #[test]
    fn an_excerpt_tells_an_empty_body_and_debug_quotes_it() {
        let empty = BodyExcerpt::new(b"", &[]);
        assert!(empty.is_empty());
        assert_eq!(empty.to_string(), "(empty body)");
        let e = BodyExcerpt::new(br#"no "such" user"#, &[]);
        assert!(!e.is_empty());
        assert_eq!(format!("{e:?}"), r#""no \"such\" user""#);
    }
}
