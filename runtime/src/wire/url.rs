//! The one way a URL is made: a path below the base URL, with query pairs
//! percent-encoded so that they arrive exactly as given.

use std::cell::Cell;
use std::net::IpAddr;

use percent_encoding::percent_encode_byte;
use url::Url;

use crate::error::{Error, Result};

/// The bytes that go into a query name or value as they are, one bit each:
/// RFC 3986's unreserved characters and `:`. Everything else is
/// percent-encoded, so a value reads back the same under both
/// percent-decoding and form decoding (`+` becomes `%2B`, a space `%20`).
/// A mask rather than a table: this is read for every byte of every query
/// on every request's path, and a constant reads no memory.
const UNENCODED: u128 = {
    let mut mask = 0;
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            mask |= 1 << byte;
        }
        byte += 1;
    }
    mask
};

/// Whether `byte` goes into a query as it is (see [`UNENCODED`]).
fn is_unencoded(byte: u8) -> bool {
    byte < 128 && UNENCODED & (1 << byte) != 0
}

/// A query parameter's value: text as given, or a sudo's `prefix:value`,
/// written straight into the URL rather than joined into a string first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryValue<'a> {
    /// This text.
    Text(&'a str),
    /// `prefix`, a colon, then `value` (`uid:42`).
    Prefixed {
        /// The part before the colon.
        prefix: &'a str,
        /// The part after it.
        value: &'a str,
    },
}

impl QueryValue<'_> {
    /// Writes the value to `out`, percent-encoded.
    fn push_encoded(self, out: &mut String) {
        match self {
            Self::Text(text) => push_encoded(out, text),
            Self::Prefixed { prefix, value } => {
                push_encoded(out, prefix);
                out.push(':');
                push_encoded(out, value);
            }
        }
    }
}

thread_local! {
    /// The text a URL is built in before it is parsed, kept between
    /// requests (this is on every request's path).
    static SCRATCH: Cell<String> = const { Cell::new(String::new()) };
}

/// The one rule of where a client secret or token may be sent: over HTTPS,
/// or plain HTTP to a loopback host, or anywhere when the user allowed
/// cleartext. `what` names the URL in the error (`base url`).
pub(crate) fn check_secure(url: &Url, what: &str, allow_insecure_http: bool) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_insecure_http || is_loopback(url) => Ok(()),
        "http" => Err(Error::Config(format!(
            "refusing plain http to `{}`: the client secret would travel in cleartext; use https, or `allow_insecure_http(true)` on a network you trust",
            url.host_str().unwrap_or_default()
        ))),
        other => Err(Error::Config(format!(
            "the {what} scheme must be https, not `{other}`"
        ))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `base` + `path`, keeping the base's path prefix (`https://h/gw` +
/// `/api/x` is `https://h/gw/api/x`) and the path's own query and fragment.
pub(crate) fn join(base: &Url, path: &str) -> Result<Url> {
    join_with_query(base, path, [])
}

/// A query pair: its name, and its value.
pub(crate) type QueryPair<'a> = (&'a str, QueryValue<'a>);

/// [`join`], with `pairs` percent-encoded after the path's own query: the
/// URL is built as text and parsed once (this is on every request's path).
pub(crate) fn join_with_query<'a>(
    base: &Url,
    path: &str,
    pairs: impl IntoIterator<Item = QueryPair<'a>>,
) -> Result<Url> {
    // A thread being torn down has no scratch text left: a new one then.
    let mut text = SCRATCH.try_with(Cell::take).unwrap_or_default();
    text.clear();
    let joined = join_in(&mut text, base, path, pairs);
    let _ = SCRATCH.try_with(|scratch| scratch.set(text));
    joined
}

/// [`join_with_query`], building the relative URL in `text`.
fn join_in<'a>(
    text: &mut String,
    base: &Url,
    path: &str,
    pairs: impl IntoIterator<Item = QueryPair<'a>>,
) -> Result<Url> {
    let relative = path.trim_start_matches('/');
    let (before, fragment) = match relative.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (relative, None),
    };
    text.push_str(before);
    let mut pairs = pairs.into_iter().peekable();
    if pairs.peek().is_some() {
        let separate = match before.split_once('?') {
            None => {
                text.push('?');
                false
            }
            Some((_, query)) => !query.is_empty(),
        };
        push_query_pairs(text, pairs, separate);
    }
    if let Some(fragment) = fragment {
        text.push('#');
        text.push_str(fragment);
    }
    let joined = if base.path().ends_with('/') {
        base.join(text)
    } else {
        // A base built by hand may lack the slash `ClientBuilder` adds:
        // its last segment is still a folder.
        let mut folder = base.clone();
        folder.set_path(&format!("{}/", base.path()));
        folder.join(text)
    };
    let joined =
        joined.map_err(|e| Error::InvalidRequest(format!("`{path}` is not a valid path: {e}")))?;
    // A "path" that is a URL of its own (`https://elsewhere/…`, `\\elsewhere/…`)
    // would take the token, and for token calls the client secret, to
    // another origin.
    if !same_origin(&joined, base) {
        return Err(Error::InvalidRequest(format!(
            "`{path}` leads away from the base URL's origin; requests stay on the provider"
        )));
    }
    Ok(joined)
}

/// Whether two URLs share scheme, host and port, without the allocations
/// of `Url::origin` (this is on every request's path).
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Appends `name=value` pairs, percent-encoded, to a URL's query, keeping the
/// pairs already there.
pub(crate) fn append_query<'a>(url: &mut Url, pairs: impl IntoIterator<Item = QueryPair<'a>>) {
    let mut query = url.query().unwrap_or_default().to_owned();
    let separate = !query.is_empty();
    push_query_pairs(&mut query, pairs, separate);
    url.set_query((!query.is_empty()).then_some(query.as_str()));
}

/// Writes `name=value` pairs to `out`, percent-encoded and joined by `&`
/// (also before the first one if `separate`).
pub(crate) fn push_query_pairs<'a>(
    out: &mut String,
    pairs: impl IntoIterator<Item = QueryPair<'a>>,
    mut separate: bool,
) {
    for (name, value) in pairs {
        if separate {
            out.push('&');
        }
        separate = true;
        push_encoded(out, name);
        out.push('=');
        value.push_encoded(out);
    }
}

/// `text` percent-encoded: bytes [`is_unencoded`] as they are, every other
/// byte (each byte of a non-ASCII character too) as `%XX`. Runs with
/// nothing to encode (most names and values are one) are copied whole.
fn push_encoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|byte| !is_unencoded(byte)) {
        // What comes before `at` is ASCII, so `at` starts a character.
        let (run, tail) = rest.split_at(at);
        out.push_str(run);
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            for &byte in c.encode_utf8(&mut [0; 4]).as_bytes() {
                out.push_str(percent_encode_byte(byte));
            }
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_below_the_base_path() {
        let base = Url::parse("https://h/gw/").unwrap();
        assert_eq!(
            join(&base, "/api/x?a=1").unwrap().as_str(),
            "https://h/gw/api/x?a=1"
        );
        assert_eq!(join(&base, "api/x").unwrap().as_str(), "https://h/gw/api/x");
    }

    #[test]
    fn joins_paths_below_the_base_path() {
        let join = |base: &str, path: &str| join(&base.parse().unwrap(), path).unwrap().to_string();
        assert_eq!(join("https://h/gw/", "/api/x"), "https://h/gw/api/x");
        assert_eq!(join("https://h/gw", "/api/x"), "https://h/gw/api/x");
        assert_eq!(
            join("http://127.0.0.1:1234/", "/api/x"),
            "http://127.0.0.1:1234/api/x"
        );
        assert_eq!(
            join("http://127.0.0.1:1234", "api/x"),
            "http://127.0.0.1:1234/api/x"
        );
    }

    #[test]
    fn a_path_never_leads_to_another_origin() {
        let base = Url::parse("https://h/gw/").unwrap();
        for away in [
            "https://elsewhere.example/x",
            "http://h/x",
            "\\\\elsewhere.example/x",
            "/\\\\elsewhere.example/x",
        ] {
            let err = join(&base, away).unwrap_err();
            assert!(err.to_string().contains("origin"), "{away}: {err}");
        }
        // `//host/x` is a path below the base once its slashes are trimmed.
        assert_eq!(
            join(&base, "//elsewhere.example/x").unwrap().as_str(),
            "https://h/gw/elsewhere.example/x"
        );
    }

    #[test]
    fn pairs_go_after_the_path_query_and_before_the_fragment() {
        let base = Url::parse("https://h/gw/").unwrap();
        let pairs = [
            ("sudo", QueryValue::Text("email:a+b@example.com")),
            ("tenantCode", QueryValue::Text("华东 01")),
        ];
        for (path, expected) in [
            (
                "/api/x",
                "https://h/gw/api/x?sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001",
            ),
            (
                "api/x?page=2",
                "https://h/gw/api/x?page=2&sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001",
            ),
            (
                "api/x?",
                "https://h/gw/api/x?sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001",
            ),
            (
                "api/x#top",
                "https://h/gw/api/x?sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001#top",
            ),
        ] {
            let built = join_with_query(&base, path, pairs).unwrap();
            assert_eq!(built.as_str(), expected, "{path}");
            // The same as joining, then appending (what it replaces).
            let mut appended = join(&base, path).unwrap();
            append_query(&mut appended, pairs);
            assert_eq!(built, appended, "{path}");
        }
    }

    #[test]
    fn encodes_so_that_both_decoders_read_back_the_value() {
        let mut url = Url::parse("http://h/api/x?page=2").unwrap();
        append_query(
            &mut url,
            [
                (
                    "sudo",
                    QueryValue::Prefixed {
                        prefix: "email",
                        value: "a+b@example.com",
                    },
                ),
                ("tenantCode", QueryValue::Text("华东 01&x=1")),
            ],
        );
        assert_eq!(
            url.query().unwrap(),
            "page=2&sudo=email:a%2Bb%40example.com&tenantCode=%E5%8D%8E%E4%B8%9C%2001%26x%3D1"
        );
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs[1].1, "email:a+b@example.com");
        assert_eq!(pairs[2].1, "华东 01&x=1");
    }

    #[test]
    fn every_byte_of_a_character_to_encode_is_encoded() {
        use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
        const REFERENCE: &AsciiSet = &NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~')
            .remove(b':');
        for text in [
            "",
            "plain",
            "华东 01",
            "a华b",
            "华",
            "é:x",
            "🦀 crab~_.-",
            "a+b@example.com",
            "%41&x=1#frag",
        ] {
            let mut out = String::from("kept");
            push_encoded(&mut out, text);
            let expected = format!("kept{}", utf8_percent_encode(text, REFERENCE));
            assert_eq!(out, expected, "{text:?}");
        }
    }

    #[test]
    fn a_prefixed_value_is_written_as_its_joined_text() {
        for (prefix, value) in [
            ("uid", "42"),
            ("email", "a+b@example.com"),
            ("loginName", "华 东"),
        ] {
            let mut parts = String::new();
            QueryValue::Prefixed { prefix, value }.push_encoded(&mut parts);
            let mut joined = String::new();
            let text = format!("{prefix}:{value}");
            QueryValue::Text(&text).push_encoded(&mut joined);
            assert_eq!(parts, joined);
        }
    }

    #[test]
    fn each_url_is_built_from_scratch() {
        let base = Url::parse("https://h/gw/").unwrap();
        let long = [("a", QueryValue::Text("1234567890"))];
        assert_eq!(
            join_with_query(&base, "/one", long).unwrap().as_str(),
            "https://h/gw/one?a=1234567890"
        );
        assert!(join_with_query(&base, "https://elsewhere/x", long).is_err());
        assert_eq!(join(&base, "/two").unwrap().as_str(), "https://h/gw/two");
    }

    #[test]
    fn only_unreserved_characters_and_colons_go_unencoded() {
        for byte in 0..=127u8 {
            let text = char::from(byte).to_string();
            let mut out = String::new();
            push_encoded(&mut out, &text);
            let unreserved =
                byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b':');
            assert_eq!(out == text, unreserved, "byte {byte}");
        }
    }
}
