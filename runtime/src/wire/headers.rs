//! Headers a spec names, parsed once when a client is built: a name or value
//! that is not valid HTTP is a configuration error then, not a surprise on
//! some later request.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// `pairs` as a header map; `what` names the call in the error
/// (`the token endpoint of `hotel``).
pub(crate) fn parse(pairs: &[(&str, &str)], what: &str) -> Result<HeaderMap> {
    let mut headers = HeaderMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        let parsed = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        );
        let (Ok(name), Ok(value)) = parsed else {
            return Err(Error::Config(format!(
                "{what} has an invalid header `{name}` in its definition"
            )));
        };
        headers.insert(name, value);
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_headers_are_parsed_or_refused_by_name() {
        let headers = parse(&[("Accept", "application/json")], "the token endpoint").unwrap();
        assert_eq!(headers["accept"], "application/json");
        for bad in [("Bad Name", "v"), ("X-Ok", "line\nbreak")] {
            let err = parse(&[bad], "the token endpoint of `p`").unwrap_err();
            assert!(
                err.to_string()
                    .contains(&format!("invalid header `{}`", bad.0)),
                "{err}"
            );
        }
    }
}
