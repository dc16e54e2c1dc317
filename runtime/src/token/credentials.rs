//! The client's credentials, how they go on a call (exactly one method per
//! request), and the one list of the secrets an exchange with the provider
//! knows.

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use url::form_urlencoded;

use crate::def::ClientAuth;
use crate::secret::Secret;
use crate::token::granted::Token;

/// The client id and secret, shared by a client's fetcher, its calls and
/// their answers, and the client authentication it prefers.
pub(crate) struct Credentials {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
    /// The method `ClientBuilder::client_auth` chose, used wherever a call
    /// allows it; `None`: each call's first.
    pub preferred: Option<ClientAuth>,
    /// `Basic <base64>` (RFC 6749 §2.3.1), made once.
    basic: Secret,
}

impl Credentials {
    /// Credentials, with the HTTP Basic value made once.
    pub(crate) fn new(
        client_id: String,
        client_secret: Secret,
        preferred: Option<ClientAuth>,
    ) -> Self {
        let basic = Secret::new(format!("Basic {}", basic(&client_id, &client_secret)));
        Self {
            client_id,
            client_secret,
            preferred,
            basic,
        }
    }

    /// The method a call that allows `allowed` uses: the preferred one if
    /// it may, else the call's first (`params` if it lists none).
    pub(crate) fn method(&self, allowed: &[ClientAuth]) -> ClientAuth {
        match self.preferred {
            Some(preferred) if allowed.contains(&preferred) => preferred,
            _ => allowed.first().copied().unwrap_or(ClientAuth::Params),
        }
    }

    /// Puts the credentials on a call by `method`, and only by it: as the
    /// `id_param` and `secret_param` pairs, or as the `Authorization`
    /// header (marked sensitive), or not at all.
    pub(crate) fn apply<'a>(
        &'a self,
        method: ClientAuth,
        (id_param, secret_param): (&'static str, &'static str),
        pairs: &mut Vec<(&'static str, &'a str)>,
        headers: &mut HeaderMap,
    ) {
        match method {
            ClientAuth::Params => {
                pairs.push((id_param, &self.client_id));
                pairs.push((secret_param, self.client_secret.expose()));
            }
            ClientAuth::Basic => {
                if let Ok(mut value) = HeaderValue::from_str(self.basic.expose()) {
                    value.set_sensitive(true);
                    headers.insert(AUTHORIZATION, value);
                }
            }
            ClientAuth::None => {}
        }
    }

    /// Every secret an exchange of this client may carry: see [`hidden`].
    pub(crate) fn hidden<'a>(
        &'a self,
        tokens: &[&'a Token],
        sent_refresh: Option<&'a Secret>,
    ) -> Vec<&'a str> {
        let mut secrets = hidden(Some(&self.client_secret), tokens, sent_refresh);
        secrets.push(self.basic.expose().trim_start_matches("Basic "));
        secrets
    }
}

/// The HTTP Basic credentials of RFC 6749 §2.3.1: the id and the secret
/// each `application/x-www-form-urlencoded`, joined by `:`, in Base64.
fn basic(client_id: &str, client_secret: &Secret) -> String {
    let encode = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", encode(client_id), encode(client_secret.expose()));
    base64::engine::general_purpose::STANDARD.encode(pair)
}

/// Every secret an exchange may carry, which no error, excerpt or log may
/// show: the client secret, the access and refresh tokens of the `tokens`
/// it used, and a refresh token it sent.
pub(crate) fn hidden<'a>(
    client_secret: Option<&'a Secret>,
    tokens: &[&'a Token],
    sent_refresh: Option<&'a Secret>,
) -> Vec<&'a str> {
    let mut secrets = Vec::with_capacity(3 + 2 * tokens.len());
    secrets.extend(client_secret.map(Secret::expose));
    for token in tokens {
        secrets.push(token.access_token.expose());
        secrets.extend(token.refresh_token.as_ref().map(Secret::expose));
    }
    secrets.extend(sent_refresh.map(Secret::expose));
    secrets
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn credentials(id: &str, secret: &str) -> Credentials {
        Credentials::new(id.into(), Secret::new(secret), None)
    }

    #[test]
    fn hides_the_client_secret_and_every_token_used_or_sent() {
        let credentials = credentials("id", "s3cr3t");
        let token = Token {
            access_token: Secret::new("access"),
            refresh_token: Some(Secret::new("refresh")),
            lifetime: Duration::from_secs(60),
            obtained_at: tokio::time::Instant::now(),
        };
        let sent = Secret::new("old-refresh");
        let basic = basic("id", &Secret::new("s3cr3t"));
        assert_eq!(credentials.hidden(&[], None), ["s3cr3t", basic.as_str()]);
        assert_eq!(
            credentials.hidden(&[&token], Some(&sent)),
            ["s3cr3t", "access", "refresh", "old-refresh", basic.as_str()]
        );
        assert!(!credentials.hidden(&[], None).contains(&"id"));
    }

    #[test]
    fn basic_is_rfc_6749s_form_encoded_pair_in_base64() {
        // RFC 6749 §4.4.2's example.
        assert_eq!(
            basic("s6BhdRkqt3", &Secret::new("gX1fBat3bV")),
            "czZCaGRSa3F0MzpnWDFmQmF0M2JW"
        );
        // `:`, spaces, `+`, `%` and non-ASCII are form-encoded first (§2.3.1).
        let encoded = basic("id:1", &Secret::new("a b+c%d 令"));
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(
            String::from_utf8(decoded).unwrap(),
            "id%3A1:a+b%2Bc%25d+%E4%BB%A4"
        );
    }

    #[test]
    fn a_call_uses_exactly_one_method_the_preferred_one_where_allowed() {
        let mut credentials = credentials("id", "s");
        assert_eq!(
            credentials.method(&[ClientAuth::Basic, ClientAuth::Params]),
            ClientAuth::Basic
        );
        credentials.preferred = Some(ClientAuth::Params);
        assert_eq!(
            credentials.method(&[ClientAuth::Basic, ClientAuth::Params]),
            ClientAuth::Params
        );
        assert_eq!(credentials.method(&[ClientAuth::None]), ClientAuth::None);
        for (method, pairs_sent, header_sent) in [
            (ClientAuth::Params, 2, false),
            (ClientAuth::Basic, 0, true),
            (ClientAuth::None, 0, false),
        ] {
            let (mut pairs, mut headers) = (Vec::new(), HeaderMap::new());
            credentials.apply(
                method,
                ("client_id", "client_secret"),
                &mut pairs,
                &mut headers,
            );
            assert_eq!(pairs.len(), pairs_sent, "{method:?}");
            assert_eq!(
                headers.contains_key(AUTHORIZATION),
                header_sent,
                "{method:?}"
            );
            if let Some(value) = headers.get(AUTHORIZATION) {
                assert!(value.is_sensitive());
            }
        }
    }
}
