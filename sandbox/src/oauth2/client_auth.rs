//! Client authentication at the token, introspection and revocation
//! endpoints (RFC 6749 §2.3): HTTP Basic (`client_secret_basic`) or
//! `client_id` and `client_secret` in the body (`client_secret_post`), never
//! both in one request.
//!
//! Basic follows §2.3.1 to the letter: the client id and the secret are each
//! `application/x-www-form-urlencoded` first, then joined with `:` and
//! base64-encoded. So the user and password decoded from the header are
//! form-decoded again (`+` is a space, `%XX` a byte). A part that holds a
//! space, a colon or a non-ASCII byte as is cannot have been encoded and is
//! refused as such, so a client that skips the encoding is caught even when
//! its credentials would happen to read back the same.

use axum::http::{HeaderMap, HeaderValue, Uri, header};

use super::answer::OAuthError;
use super::form::Form;
use crate::request::decode_pairs;
use crate::state::State;
use crate::state::stats::Counter;

/// How a request tried to authenticate the client, for the counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthMethod {
    /// An `Authorization` header (of any scheme) and no `client_secret`.
    Basic,
    /// `client_secret` in the body and no `Authorization` header.
    Post,
    /// Both: refused.
    Both,
    /// Neither.
    None,
}

impl AuthMethod {
    /// The method of a request; `form` is `None` when the body is no form.
    pub fn of(headers: &HeaderMap, form: Option<&Form>) -> Self {
        let header = headers.contains_key(header::AUTHORIZATION);
        let post = form.is_some_and(|f| f.has("client_secret"));
        match (header, post) {
            (true, true) => Self::Both,
            (true, false) => Self::Basic,
            (false, true) => Self::Post,
            (false, false) => Self::None,
        }
    }

    /// The token endpoint's counter for this method.
    pub fn token_counter(self) -> Counter {
        match self {
            Self::Basic => Counter::OAuth2TokenAuthBasic,
            Self::Post => Counter::OAuth2TokenAuthPost,
            Self::Both => Counter::OAuth2TokenAuthBoth,
            Self::None => Counter::OAuth2TokenAuthNone,
        }
    }
}

/// The id of the client that `headers` and `form` authenticate.
pub(crate) fn authenticate(
    state: &State,
    headers: &HeaderMap,
    uri: &Uri,
    form: &Form,
) -> Result<String, OAuthError> {
    let query = decode_pairs(uri.query().unwrap_or_default().as_bytes());
    if query.iter().any(|(name, _)| name == "client_secret") {
        return Err(OAuthError::invalid_request(
            "client credentials must not be sent in the request URI (RFC 6749 section 2.3.1)",
        ));
    }
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (header, second) = (values.next(), values.next());
    if second.is_some() {
        return Err(OAuthError::invalid_request(
            "more than one Authorization header",
        ));
    }
    let (body_id, body_secret) = (form.get("client_id")?, form.get("client_secret")?);
    match (header, body_secret) {
        (Some(_), Some(_)) => Err(OAuthError::invalid_request(
            "the request uses two client authentication methods, HTTP Basic and \
             client_secret in the body; use one (RFC 6749 section 2.3)",
        )),
        (Some(value), None) => {
            let (id, secret) = basic(value).map_err(|why| OAuthError::invalid_client(why, true))?;
            if body_id.is_some_and(|body_id| body_id != id) {
                return Err(OAuthError::invalid_request(
                    "the client_id in the body is not the client of the Basic credentials",
                ));
            }
            check(state, &id, &secret, true)?;
            Ok(id)
        }
        (None, Some(secret)) => {
            let id = body_id.ok_or_else(|| {
                OAuthError::invalid_request("client_secret was sent without client_id")
            })?;
            check(state, id, secret, false)?;
            Ok(id.to_owned())
        }
        (None, None) => Err(OAuthError::invalid_client(
            "no client authentication: send HTTP Basic credentials, or client_id and \
             client_secret in the body",
            true,
        )),
    }
}

fn check(state: &State, id: &str, secret: &str, basic: bool) -> Result<(), OAuthError> {
    if state.config.authenticates(id, secret) {
        Ok(())
    } else {
        let description = "unknown client or wrong client secret";
        Err(OAuthError::invalid_client(description, basic))
    }
}

/// The client id and secret of an `Authorization: Basic …` header, decoded
/// as §2.3.1 encodes them; or why not.
fn basic(value: &HeaderValue) -> Result<(String, String), &'static str> {
    let text = value
        .to_str()
        .map_err(|_| "the Authorization header is not ASCII")?;
    let (scheme, credentials) = text.split_once(' ').unwrap_or((text, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err("only HTTP Basic client authentication is supported in the header");
    }
    let raw = base64_decode(credentials.trim_matches(' '))
        .ok_or("the Basic credentials are not base64")?;
    let colon = raw
        .iter()
        .position(|&b| b == b':')
        .ok_or("the Basic credentials hold no colon between client id and secret")?;
    let (id, secret) = (&raw[..colon], &raw[colon + 1..]);
    Ok((form_decode(id)?, form_decode(secret)?))
}

/// One part of the Basic credentials, `application/x-www-form-urlencoded`
/// decoded, refusing what the encoding never leaves as is.
fn form_decode(part: &[u8]) -> Result<String, &'static str> {
    const NOT_ENCODED: &str = "the Basic credentials are not form-urlencoded as RFC 6749 \
                               section 2.3.1 asks: a space, colon or non-ASCII character \
                               was sent as is";
    let mut decoded = Vec::with_capacity(part.len());
    let mut bytes = part.iter();
    while let Some(&b) = bytes.next() {
        let byte = match b {
            b'+' => b' ',
            b'%' => {
                let (hi, lo) = (bytes.next(), bytes.next());
                let hex = hi.and_then(|&h| hex(h)).zip(lo.and_then(|&l| hex(l)));
                let (hi, lo) =
                    hex.ok_or("the Basic credentials hold a % that starts no %XX escape")?;
                hi << 4 | lo
            }
            b':' => return Err(NOT_ENCODED),
            b if b.is_ascii_graphic() => b,
            _ => return Err(NOT_ENCODED),
        };
        decoded.push(byte);
    }
    String::from_utf8(decoded)
        .map_err(|_| "the Basic credentials decode to bytes that are not UTF-8")
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Decodes standard base64 with padding (RFC 4648 §4); `None` for anything
/// else, non-zero trailing bits included.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
        return None;
    }
    let padding = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 {
        return None;
    }
    let mut decoded = Vec::with_capacity(bytes.len() / 4 * 3);
    let (mut bits, mut held) = (0u32, 0u32);
    for &b in &bytes[..bytes.len() - padding] {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = bits << 6 | u32::from(value);
        held += 6;
        if held >= 8 {
            held -= 8;
            decoded.extend(u8::try_from(bits >> held).ok());
            bits &= (1 << held) - 1;
        }
    }
    (bits == 0).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(value: &str) -> HeaderValue {
        HeaderValue::from_str(value).unwrap()
    }

    #[test]
    fn base64_is_strict() {
        assert_eq!(
            base64_decode("czZCaGRSa3F0MzpnWDFmQmF0M2JW").unwrap(),
            b"s6BhdRkqt3:gX1fBat3bV"
        );
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
        for bad in ["", "YQ", "YQ=", "Y===", "YR==", "Y Q=", "YQ==YQ==", "a-_b"] {
            assert_eq!(base64_decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_rfc_example_decodes() {
        let pair = basic(&header("Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW")).unwrap();
        assert_eq!(pair, ("s6BhdRkqt3".into(), "gX1fBat3bV".into()));
        let lower = basic(&header("basic  czZCaGRSa3F0MzpnWDFmQmF0M2JW")).unwrap();
        assert_eq!(lower, pair, "the scheme is case-insensitive");
    }

    #[test]
    fn each_part_is_form_decoded() {
        assert_eq!(form_decode(b"a%3Ab+c%25d%E5%8D%8E").unwrap(), "a:b c%d华");
        assert_eq!(form_decode(b"*-._~!").unwrap(), "*-._~!");
    }

    #[test]
    fn what_encoding_never_leaves_as_is_is_refused() {
        for bad in [&b"a b"[..], b"a:b", "华".as_bytes(), b"a\tb"] {
            assert!(
                form_decode(bad)
                    .unwrap_err()
                    .contains("not form-urlencoded")
            );
        }
        for bad in [&b"%"[..], b"%4", b"%zz", b"%+1"] {
            assert!(form_decode(bad).unwrap_err().contains("escape"), "{bad:?}");
        }
        assert!(form_decode(b"%FF").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn other_schemes_and_shapes_are_refused() {
        for bad in ["Bearer abc", "Basic", "Basic !!!!", "Basic YWJj"] {
            assert!(basic(&header(bad)).is_err(), "{bad}");
        }
    }
}
