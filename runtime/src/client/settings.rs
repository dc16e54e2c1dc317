//! What `ClientBuilder::build` checks and the defaults it starts from: a
//! base URL the client secret may travel to, token parameters the spec
//! allows, margins that make sense, and redirects kept within the origin.

use url::Url;

use crate::cache::RefreshMargins;
use crate::def::{ClientAuth, ParamKind, Provider};
use crate::error::{Error, Result};
use crate::wire::url::{check_secure, join};

/// The default of [`ClientBuilder::max_answer_bytes`](crate::ClientBuilder::max_answer_bytes).
pub(crate) const DEFAULT_MAX_ANSWER_BYTES: usize = 16 << 20;

/// Redirects are followed only within the origin (scheme, host and port) of
/// the request, at most 10 times. A 307 or 308 resends the body, and token
/// requests carry the client secret: elsewhere, or from https down to http,
/// it would leave the provider. A redirect elsewhere is not followed; the
/// caller gets the 3xx answer itself.
pub(crate) fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let previous = attempt.previous();
        let same_origin = previous
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if previous.len() > 10 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// A client authentication method as written in settings (`basic`).
pub(crate) fn parse_client_auth(text: &str) -> Option<ClientAuth> {
    [ClientAuth::Params, ClientAuth::Basic, ClientAuth::None]
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(text.trim()))
}

pub(crate) fn env_var<P: Provider>(what: &str) -> String {
    format!("AUTHORIZED_{}_{what}", P::DEF.name.to_uppercase())
}

pub(crate) fn check_base_url(text: &str, allow_insecure_http: bool) -> Result<Url> {
    let mut url = Url::parse(text)
        .map_err(|e| Error::Config(format!("the base url `{text}` is not a URL: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() || url.password().is_some() {
        return Err(Error::Config(
            "the base url must not carry a query, a fragment or a password".into(),
        ));
    }
    check_secure(&url, "base url", allow_insecure_http)?;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// An endpoint URL set on the builder: absolute (checked as the base URL
/// is: HTTPS unless loopback or allowed), or a path joined below the base URL.
pub(crate) fn check_endpoint_url(
    text: &str,
    base_url: &Url,
    what: &str,
    allow_insecure_http: bool,
) -> Result<Url> {
    if text.starts_with('/') {
        return join(base_url, text).map_err(|e| Error::Config(format!("the {what}: {e}")));
    }
    let url = Url::parse(text)
        .map_err(|e| Error::Config(format!("the {what} `{text}` is not a URL or a path: {e}")))?;
    if url.fragment().is_some() || url.password().is_some() {
        return Err(Error::Config(format!(
            "the {what} must not carry a fragment or a password"
        )));
    }
    check_secure(&url, what, allow_insecure_http)?;
    Ok(url)
}

pub(crate) fn check_params<P: Provider>(
    params: &[(String, String)],
) -> Result<Vec<(&'static str, String)>> {
    let def = P::DEF;
    params
        .iter()
        .map(|(name, value)| {
            let allowed = def
                .token
                .optional_params
                .iter()
                .find(|p| p.name == name)
                .ok_or_else(|| {
                    let names: Vec<&str> =
                        def.token.optional_params.iter().map(|p| p.name).collect();
                    Error::Config(format!(
                        "`{}` takes no token parameter `{name}`; it takes: {}",
                        def.name,
                        if names.is_empty() {
                            "none".to_owned()
                        } else {
                            names.join(", ")
                        }
                    ))
                })?;
            if allowed.kind == ParamKind::Integer && value.parse::<i64>().is_err() {
                return Err(Error::Config(format!(
                    "the token parameter `{name}` takes an integer, not `{value}`"
                )));
            }
            Ok((allowed.name, value.clone()))
        })
        .collect()
}

pub(crate) fn check_margins(m: &RefreshMargins) -> Result<()> {
    let fraction_ok = |f: f64| (0.0..=1.0).contains(&f);
    if !fraction_ok(m.refresh_fraction) || !fraction_ok(m.safety_fraction) {
        return Err(Error::Config(
            "refresh margin fractions must be between 0 and 1".into(),
        ));
    }
    if m.safety_fraction > m.refresh_fraction || m.safety_max > m.refresh_max {
        return Err(Error::Config(
            "the safety margin must not be larger than the refresh window".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_or_loopback_only() {
        assert!(check_base_url("https://vendor.example.com", false).is_ok());
        assert!(check_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(check_base_url("http://[::1]:8080", false).is_ok());
        assert!(check_base_url("http://localhost", false).is_ok());
        let err = check_base_url("http://vendor.example.com", false).unwrap_err();
        assert!(err.to_string().contains("cleartext"), "{err}");
        assert!(check_base_url("http://vendor.example.com", true).is_ok());
        assert!(check_base_url("ftp://vendor.example.com", true).is_err());
        assert!(check_base_url("https://h/?client_secret=x", false).is_err());
        assert_eq!(
            check_base_url("https://h/gw", false).unwrap().as_str(),
            "https://h/gw/"
        );
    }
}
