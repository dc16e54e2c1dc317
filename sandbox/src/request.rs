//! What both providers read off a request the same way: decoded query and
//! form pairs, the bearer token and where it came from.

use axum::http::{HeaderMap, header};
use serde::Serialize;
use url::form_urlencoded;

/// Decoded `name=value` pairs, in the order they were sent.
///
/// Decoding is `application/x-www-form-urlencoded`: `%XX` escapes are
/// decoded and `+` is a space, so a `+` meant literally must arrive as `%2B`.
pub(crate) type Pairs = Vec<(String, String)>;

/// Decodes a query string or a form body.
pub(crate) fn decode_pairs(raw: &[u8]) -> Pairs {
    form_urlencoded::parse(raw).into_owned().collect()
}

/// A parameter that was sent more than once.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Repeated(pub &'static str);

/// The value of parameter `name`, if sent; sending it twice is an error.
pub(crate) fn single<'a>(
    pairs: &'a Pairs,
    name: &'static str,
) -> Result<Option<&'a str>, Repeated> {
    let mut values = pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str());
    match (values.next(), values.next()) {
        (_, Some(_)) => Err(Repeated(name)),
        (first, None) => Ok(first),
    }
}

/// A decimal integer written with digits only: no sign, no spaces.
pub(crate) fn decimal(text: &str) -> Option<u64> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

/// Where a request carried its access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TokenIn {
    /// `Authorization: Bearer <token>`.
    Header,
    /// `?access_token=<token>`.
    Query,
}

/// The access token a request presents.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Presented {
    /// No bearer header and no `access_token` parameter.
    Nothing,
    /// Exactly one token.
    Token(String, TokenIn),
    /// A header and a parameter, or either one twice.
    Ambiguous,
}

/// Finds the access token in the `Authorization` header or the query.
///
/// The header must be `Bearer <token>` (scheme in any case, RFC 6750); an
/// `Authorization` header of another scheme is no token at all.
pub(crate) fn presented_token(headers: &HeaderMap, query: &Pairs) -> Presented {
    let mut auth = headers.get_all(header::AUTHORIZATION).iter();
    let (first, second) = (auth.next(), auth.next());
    let Ok(in_query) = single(query, "access_token") else {
        return Presented::Ambiguous;
    };
    if second.is_some() {
        return Presented::Ambiguous;
    }
    let in_header = first.and_then(|value| bearer(value.as_bytes()));
    match (in_header, in_query) {
        (Some(_), Some(_)) => Presented::Ambiguous,
        (Some(token), None) if !token.is_empty() => Presented::Token(token, TokenIn::Header),
        (None, Some(token)) if !token.is_empty() => {
            Presented::Token(token.to_owned(), TokenIn::Query)
        }
        _ => Presented::Nothing,
    }
}

/// The token of a `Bearer <token>` header value (maybe empty), or `None`
/// for another scheme.
fn bearer(value: &[u8]) -> Option<String> {
    let value = String::from_utf8_lossy(value);
    let (scheme, token) = value.split_once(' ').unwrap_or((&value, ""));
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// Whether the `Content-Type` is `mime`, parameters such as `charset` aside.
pub(crate) fn content_type_is(headers: &HeaderMap, mime: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(mime))
}

/// Milliseconds since the Unix epoch, for the hotel envelope's `timestamp`.
pub(crate) fn epoch_millis() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(auth: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in auth {
            headers.append(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn pairs_decode_plus_as_space_and_escapes_as_bytes() {
        let pairs = decode_pairs(b"sudo=email:a+b%40example.com&x=%2B&t=%E5%8D%8E");
        assert_eq!(pairs[0].1, "email:a b@example.com");
        assert_eq!(pairs[1].1, "+");
        assert_eq!(pairs[2].1, "华");
    }

    #[test]
    fn decimal_takes_digits_only() {
        assert_eq!(decimal("1002"), Some(1002));
        for bad in ["", "+1", "-1", " 1", "1.0", "99999999999999999999999"] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn single_rejects_a_repeated_parameter() {
        let pairs = decode_pairs(b"a=1&b=2&a=3");
        assert_eq!(single(&pairs, "b"), Ok(Some("2")));
        assert_eq!(single(&pairs, "c"), Ok(None));
        assert_eq!(single(&pairs, "a"), Err(Repeated("a")));
    }

    #[test]
    fn the_token_comes_from_exactly_one_place() {
        let none = Pairs::new();
        let query = decode_pairs(b"access_token=q");
        assert_eq!(
            presented_token(&headers(&["Bearer h"]), &none),
            Presented::Token("h".into(), TokenIn::Header)
        );
        assert_eq!(
            presented_token(&headers(&["bearer  h"]), &none),
            Presented::Token("h".into(), TokenIn::Header)
        );
        assert_eq!(
            presented_token(&headers(&[]), &query),
            Presented::Token("q".into(), TokenIn::Query)
        );
        assert_eq!(
            presented_token(&headers(&["Bearer h"]), &query),
            Presented::Ambiguous
        );
        assert_eq!(
            presented_token(&headers(&["Basic x"]), &query),
            Presented::Token("q".into(), TokenIn::Query)
        );
        assert_eq!(
            presented_token(&headers(&["Bearer"]), &query),
            Presented::Ambiguous
        );
        assert_eq!(
            presented_token(&headers(&["Bearer a", "Bearer b"]), &none),
            Presented::Ambiguous
        );
        assert_eq!(
            presented_token(&headers(&["Basic x"]), &none),
            Presented::Nothing
        );
        assert_eq!(
            presented_token(&headers(&["Bearer"]), &none),
            Presented::Nothing
        );
        assert_eq!(
            presented_token(&headers(&[]), &decode_pairs(b"access_token=")),
            Presented::Nothing
        );
        assert_eq!(presented_token(&headers(&[]), &none), Presented::Nothing);
    }

    #[test]
    fn content_type_ignores_parameters_and_case() {
        let mut h = HeaderMap::new();
        assert!(!content_type_is(&h, "application/json"));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/JSON; charset=utf-8"),
        );
        assert!(content_type_is(&h, "application/json"));
        assert!(!content_type_is(&h, "application/x-www-form-urlencoded"));
    }
}
