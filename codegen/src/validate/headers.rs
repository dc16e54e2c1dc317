//! HTTP headers written in a spec (`auth.*.headers`, the token's header and
//! scheme), held at build time to the rules the runtime sends them with:
//! those of the `http` crate. Uses nothing else of the validator.

use super::Checker;
use crate::map::Map;

/// The characters besides letters and digits of an RFC 7230 token (`tchar`):
/// what a header name or an authentication scheme may hold.
const TOKEN_SYMBOLS: &str = "!#$%&'*+-.^_`|~";

/// Each `name: value` of the `headers` mapping at `path` is a valid header.
pub(super) fn check_headers(c: &mut Checker, path: &str, headers: &Map<String>) {
    for (name, value) in headers.iter() {
        let header = format!("{path}.{name}");
        if !is_header_name(name) {
            c.at_key(&header, not_a_header_name(name));
        }
        if http::HeaderValue::from_str(value).is_err() {
            c.at_value(
                &header,
                format!(
                    "the value of the header `{name}` is not a valid HTTP header value; \
                     expected text without control characters or line breaks (tabs are allowed)"
                ),
            );
        }
    }
}

/// The header name at `path` is one.
pub(super) fn check_header_name(c: &mut Checker, path: &str, name: &str) {
    if !is_header_name(name) {
        c.at_value(path, not_a_header_name(name));
    }
}

/// The scheme at `path`, sent as `<scheme> <token>`, is an RFC 7230 token.
pub(super) fn check_scheme(c: &mut Checker, path: &str, scheme: &str) {
    if scheme.is_empty() {
        c.at_value(
            path,
            "the scheme is empty; expected one such as `Bearer`, or no `scheme` to send the bare token",
        );
    } else if !is_token(scheme) {
        c.at_value(
            path,
            format!(
                "`{}` is not a valid authentication scheme; expected one word of letters, \
                 digits and {TOKEN_SYMBOLS} (an RFC 7230 token), such as `Bearer`",
                shown(scheme)
            ),
        );
    }
}

/// Whether the runtime can send `name` as a header name.
fn is_header_name(name: &str) -> bool {
    http::HeaderName::from_bytes(name.as_bytes()).is_ok()
}

fn not_a_header_name(name: &str) -> String {
    format!(
        "`{}` is not a valid HTTP header name; expected letters, digits and {TOKEN_SYMBOLS} \
         only (no spaces), such as `Accept` or `X-Api-Version`",
        shown(name)
    )
}

/// `text` with its control characters escaped, so a message shows them.
fn shown(text: &str) -> String {
    text.chars()
        .map(|ch| {
            if ch.is_control() {
                ch.escape_default().to_string()
            } else {
                ch.to_string()
            }
        })
        .collect()
}

/// Whether `text` is an RFC 7230 token: one or more `tchar`.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || TOKEN_SYMBOLS.as_bytes().contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters named in the messages are exactly those `http` takes
    /// in a header name.
    #[test]
    fn tokens_are_what_http_takes_as_header_names() {
        for b in 0..=u8::MAX {
            let one = [b];
            let as_text = std::str::from_utf8(&one).unwrap_or("\u{fffd}");
            assert_eq!(
                is_token(as_text),
                http::HeaderName::from_bytes(&one).is_ok(),
                "byte {b:#04x}"
            );
        }
        assert!(is_token("Bearer") && is_token("MAC"));
        assert!(!is_token("") && !is_token("Bea rer") && !is_token("Bearer\n"));
    }
}
