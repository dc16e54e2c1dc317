//! The form body of the token, introspection and revocation endpoints, read
//! by the rules of RFC 6749 §3.2: `application/x-www-form-urlencoded`, a
//! parameter sent without a value counts as omitted, a parameter sent twice
//! is an error, unknown parameters are ignored.

use axum::http::HeaderMap;

use super::answer::OAuthError;
use crate::request::{Pairs, content_type_is, decode_pairs, single};

const FORM: &str = "application/x-www-form-urlencoded";

/// The decoded body of a request.
#[derive(Debug)]
pub(crate) struct Form(Pairs);

impl Form {
    /// The body, if the request says it is a form.
    pub fn read(headers: &HeaderMap, body: &[u8]) -> Result<Self, OAuthError> {
        if content_type_is(headers, FORM) {
            Ok(Self(decode_pairs(body)))
        } else {
            Err(OAuthError::invalid_request(format!(
                "the body must be {FORM}"
            )))
        }
    }

    /// The value of `name`: `None` when omitted or empty; an error when
    /// sent more than once.
    pub fn get(&self, name: &'static str) -> Result<Option<&str>, OAuthError> {
        match single(&self.0, name) {
            Ok(value) => Ok(value.filter(|v| !v.is_empty())),
            Err(_) => Err(OAuthError::invalid_request(format!(
                "parameter {name} was sent more than once"
            ))),
        }
    }

    /// The value of a parameter the request must carry.
    pub fn require(&self, name: &'static str) -> Result<&str, OAuthError> {
        self.get(name)?
            .ok_or_else(|| OAuthError::invalid_request(format!("missing parameter {name}")))
    }

    /// Whether `name` was sent with a value, however often.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};

    fn form(body: &str) -> Form {
        let mut headers = HeaderMap::new();
        let ct = HeaderValue::from_static("application/x-www-form-urlencoded");
        headers.insert(header::CONTENT_TYPE, ct);
        Form::read(&headers, body.as_bytes()).unwrap()
    }

    #[test]
    fn empty_is_omitted_and_twice_is_an_error() {
        let form = form("a=1&b=&c=1&c=2&d=x+y");
        assert_eq!(form.get("a"), Ok(Some("1")));
        assert_eq!(form.get("b"), Ok(None));
        assert_eq!(form.get("z"), Ok(None));
        assert_eq!(form.get("d"), Ok(Some("x y")));
        assert_eq!(form.get("c").unwrap_err().error(), "invalid_request");
        assert_eq!(form.require("b").unwrap_err().error(), "invalid_request");
        assert!(form.has("c") && !form.has("b"));
    }

    #[test]
    fn only_a_form_body_is_read() {
        let error = Form::read(&HeaderMap::new(), b"a=1").unwrap_err();
        assert_eq!(error.error(), "invalid_request");
    }
}
