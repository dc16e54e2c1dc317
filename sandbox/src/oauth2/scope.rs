//! Scopes (RFC 6749 §3.3): a list of space-delimited, case-sensitive
//! strings. The sandbox knows `read` and `write`, and every client may have
//! both.

use super::answer::OAuthError;

/// Every scope the sandbox knows, in the order a default grant lists them.
pub(crate) const KNOWN: [&str; 2] = ["read", "write"];

/// The scope granted for the `scope` a token request carried: what was
/// asked, once each and in the order asked; every known scope when nothing
/// was asked (§3.3 lets the server pick a default).
pub(crate) fn grant(requested: Option<&str>) -> Result<String, OAuthError> {
    let Some(requested) = requested else {
        return Ok(KNOWN.join(" "));
    };
    let mut granted: Vec<&str> = Vec::new();
    for scope in requested.split(' ') {
        if scope.is_empty() {
            return Err(OAuthError::invalid_scope(
                "the scope is malformed: scopes are separated by single spaces",
            ));
        }
        if !KNOWN.contains(&scope) {
            return Err(OAuthError::invalid_scope(format!(
                "unknown scope {scope}: the sandbox knows read and write"
            )));
        }
        if !granted.contains(&scope) {
            granted.push(scope);
        }
    }
    Ok(granted.join(" "))
}

/// Whether the space-delimited `scope` holds `needed`.
pub(crate) fn holds(scope: &str, needed: &str) -> bool {
    scope.split(' ').any(|s| s == needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_asked_grants_everything_known() {
        assert_eq!(grant(None).unwrap(), "read write");
    }

    #[test]
    fn what_is_asked_is_granted_once_each_in_order() {
        assert_eq!(grant(Some("write")).unwrap(), "write");
        assert_eq!(grant(Some("write read write")).unwrap(), "write read");
    }

    #[test]
    fn unknown_or_malformed_scopes_are_invalid_scope() {
        for bad in [
            "admin",
            "read  write",
            " read",
            "read ",
            "READ",
            "read\twrite",
        ] {
            let error = grant(Some(bad)).unwrap_err();
            assert_eq!(error.error(), "invalid_scope", "{bad:?}");
        }
    }

    #[test]
    fn holds_matches_whole_scopes() {
        assert!(holds("read write", "write"));
        assert!(!holds("readwrite", "read"));
        assert!(!holds("", "read"));
    }
}
