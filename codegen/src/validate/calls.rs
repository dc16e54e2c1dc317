//! How the client authenticates on each token call (token, refresh, check,
//! revoke), and the parameters each call sends: every name once. Uses
//! nothing else of the validator.

use std::collections::HashMap;

use super::Checker;
use crate::map::Map;
use crate::spec::{
    AuthSpec, ClientAuth, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, OneOrMany, TokenCallSpec,
};

/// The client authentication methods of every call, the default first.
pub(super) struct ClientAuths {
    pub token: Vec<ClientAuth>,
    pub refresh: Option<Vec<ClientAuth>>,
    pub check: Option<Vec<ClientAuth>>,
    pub revoke: Option<Vec<ClientAuth>>,
}

pub(super) fn check_calls(c: &mut Checker, auth: &AuthSpec) -> ClientAuths {
    let (token, refresh) = token_and_refresh(c, auth);
    let check = auth.check.as_ref().map(|call| token_call(c, "check", call));
    let revoke = auth
        .revoke
        .as_ref()
        .map(|call| token_call(c, "revoke", call));
    ClientAuths {
        token,
        refresh,
        check,
        revoke,
    }
}

/// The token call and the refresh grant, which shares its credentials and
/// some of its optional parameters.
fn token_and_refresh(
    c: &mut Checker,
    auth: &AuthSpec,
) -> (Vec<ClientAuth>, Option<Vec<ClientAuth>>) {
    let token = &auth.token;
    let token_auth = methods(
        c,
        "auth.token",
        token.client_auth.as_ref(),
        &[ClientAuth::Params],
    );
    let refresh_auth = auth
        .refresh
        .as_ref()
        .map(|r| methods(c, "auth.refresh", r.client_auth.as_ref(), &token_auth));
    let token_params = token_auth.contains(&ClientAuth::Params);
    let refresh_params = refresh_auth
        .as_ref()
        .is_some_and(|m| m.contains(&ClientAuth::Params));
    if !token_params && !refresh_params {
        unused_credential_names(
            c,
            "auth.token",
            token.client_id.is_some(),
            token.client_secret.is_some(),
        );
    }
    let id = token.client_id.as_deref().unwrap_or(DEFAULT_CLIENT_ID);
    let secret = token
        .client_secret
        .as_deref()
        .unwrap_or(DEFAULT_CLIENT_SECRET);
    let optional = |on_refresh_only: bool| -> Vec<Sent> {
        token
            .optional
            .iter()
            .filter(|(_, o)| o.on_refresh || !on_refresh_only)
            .map(|(name, _)| {
                Sent::key(
                    name,
                    "an optional parameter",
                    format!("auth.token.optional.{name}"),
                )
            })
            .collect()
    };

    let mut sent = constants("auth.token", &token.constants);
    sent.extend(credentials(token_params, "auth.token", id, secret));
    sent.extend(optional(false));
    sent_once(c, "token", &sent, |_, _| true);

    if let Some(r) = &auth.refresh {
        // What the token call sends too comes first, so that a clash is
        // reported in `auth.refresh`, and clashes between those are left to
        // the token call when it sends both.
        let mut sent = credentials(refresh_params, "auth.token", id, secret);
        sent.extend(optional(true));
        let inherited = sent.len();
        sent.extend(constants("auth.refresh", &r.constants));
        sent.push(Sent::value(
            &r.refresh_token,
            "the refresh token (`refresh_token`)",
            "auth.refresh.refresh_token".into(),
        ));
        sent_once(c, "refresh", &sent, |first, second| {
            !(first < inherited && second < inherited && token_params)
        });
    }
    (token_auth, refresh_auth)
}

/// `auth.check` or `auth.revoke`.
fn token_call(c: &mut Checker, name: &str, call: &TokenCallSpec) -> Vec<ClientAuth> {
    let section = format!("auth.{name}");
    let auth = methods(c, &section, call.client_auth.as_ref(), &[ClientAuth::None]);
    let params = auth.contains(&ClientAuth::Params);
    if !params {
        unused_credential_names(
            c,
            &section,
            call.client_id.is_some(),
            call.client_secret.is_some(),
        );
    }
    let mut sent = constants(&section, &call.constants);
    sent.push(Sent::value(
        &call.token_param,
        "the token (`token_param`)",
        format!("{section}.token_param"),
    ));
    let id = call.client_id.as_deref().unwrap_or(DEFAULT_CLIENT_ID);
    let secret = call
        .client_secret
        .as_deref()
        .unwrap_or(DEFAULT_CLIENT_SECRET);
    sent.extend(credentials(params, &section, id, secret));
    sent_once(c, name, &sent, |_, _| true);
    auth
}

/// The methods written at `{section}.client_auth`, or `default`: at least
/// one, each once.
fn methods(
    c: &mut Checker,
    section: &str,
    written: Option<&OneOrMany<ClientAuth>>,
    default: &[ClientAuth],
) -> Vec<ClientAuth> {
    let path = format!("{section}.client_auth");
    let Some(OneOrMany(written)) = written else {
        return default.to_vec();
    };
    if written.is_empty() {
        c.at_value(
            &path,
            "expected at least one client authentication method: `params`, `basic` or `none` (the default first)",
        );
        return default.to_vec();
    }
    for (i, method) in written.iter().enumerate() {
        if written[..i].contains(method) {
            c.at_value(
                &format!("{path}[{i}]"),
                format!("`{}` is listed twice", method.as_str()),
            );
        }
    }
    written.clone()
}

/// Wire names of credentials that no call sends as parameters.
fn unused_credential_names(c: &mut Checker, section: &str, id: bool, secret: bool) {
    for (key, written) in [("client_id", id), ("client_secret", secret)] {
        if written {
            c.at_key(
                &format!("{section}.{key}"),
                format!(
                    "`{key}` is the wire name of a parameter sent only with `params` client \
                     authentication, which `{section}.client_auth` does not allow; \
                     add `params` to `client_auth` or remove `{key}`"
                ),
            );
        }
    }
}

/// One parameter a call sends, and where the spec says so.
struct Sent {
    name: String,
    what: String,
    path: String,
    at_key: bool,
}

impl Sent {
    /// A parameter whose name is the value at `path`.
    fn value(name: &str, what: &str, path: String) -> Self {
        Self {
            name: name.to_owned(),
            what: what.to_owned(),
            path,
            at_key: false,
        }
    }

    /// A parameter whose name is the key at `path`.
    fn key(name: &str, what: &str, path: String) -> Self {
        Self {
            name: name.to_owned(),
            what: what.to_owned(),
            path,
            at_key: true,
        }
    }
}

/// The client id and secret under their wire names, if the call sends them.
fn credentials(sent: bool, section: &str, id: &str, secret: &str) -> Vec<Sent> {
    if !sent {
        return Vec::new();
    }
    vec![
        Sent::value(
            id,
            "the client id (`client_id`)",
            format!("{section}.client_id"),
        ),
        Sent::value(
            secret,
            "the client secret (`client_secret`)",
            format!("{section}.client_secret"),
        ),
    ]
}

fn constants(section: &str, constants: &Map<String>) -> Vec<Sent> {
    constants
        .iter()
        .map(|(name, _)| Sent::key(name, "a constant", format!("{section}.constants.{name}")))
        .collect()
}

/// Each name in `sent` once; a second one is reported where it is written,
/// if `report(first, second)` (indexes into `sent`) says so.
fn sent_once(c: &mut Checker, call: &str, sent: &[Sent], report: impl Fn(usize, usize) -> bool) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, s) in sent.iter().enumerate() {
        match first.get(s.name.as_str()) {
            None => {
                first.insert(&s.name, i);
            }
            Some(&f) if report(f, i) => {
                let message = format!(
                    "the {call} call sends the parameter `{}` twice: as {} and as {}",
                    s.name, sent[f].what, s.what
                );
                // At the second, unless it is a default the spec does not write.
                let at = if c.index.contains(&s.path) {
                    s
                } else {
                    &sent[f]
                };
                if at.at_key {
                    c.at_key(&at.path, message);
                } else {
                    c.at_value(&at.path, message);
                }
            }
            Some(_) => {}
        }
    }
}
