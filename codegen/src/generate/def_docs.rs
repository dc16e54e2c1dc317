//! The docs of `DEF`: each auth call with its method, path and spec docs,
//! and, where a spec departs from the defaults, how the client
//! authenticates and how answers are judged.

use crate::model::{Answer, Provider};
use crate::spec::{ClientAuth, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Discovery, Method};

use super::answers::{answer_in_words, client_auth_in_words, is_status};

/// The docs of `DEF`.
pub fn auth_docs(p: &Provider) -> String {
    let auth = &p.spec.auth;
    let calls = &p.calls;
    let mut text = format!(
        "What the runtime knows about `{}`: its spec as data.\n\n",
        p.spec.name
    );
    let token = &auth.token;
    let id = token.client_id.as_deref().unwrap_or(DEFAULT_CLIENT_ID);
    let secret = token
        .client_secret
        .as_deref()
        .unwrap_or(DEFAULT_CLIENT_SECRET);
    let mut details = Vec::new();
    if calls.token.client_auth != [ClientAuth::Params] {
        details.push(client_auth_line(&calls.token.client_auth, id, secret));
    }
    details.extend(answer_line(&calls.token.answer));
    call_line(
        &mut text,
        "token",
        token.method,
        &token.path,
        token.docs.as_deref(),
        &details,
    );
    if let (Some(r), Some(methods)) = (&auth.refresh, &calls.refresh) {
        let details: Vec<String> = (*methods != calls.token.client_auth)
            .then(|| client_auth_line(methods, id, secret))
            .into_iter()
            .collect();
        call_line(
            &mut text,
            "refresh",
            token.method,
            &token.path,
            r.docs.as_deref(),
            &details,
        );
    }
    for (name, spec, call) in [
        ("check", &auth.check, &calls.check),
        ("revoke", &auth.revoke, &calls.revoke),
    ] {
        if let (Some(spec), Some(call)) = (spec, call) {
            let mut details = Vec::new();
            if call.client_auth != [ClientAuth::None] {
                let id = spec.client_id.as_deref().unwrap_or(DEFAULT_CLIENT_ID);
                let secret = spec
                    .client_secret
                    .as_deref()
                    .unwrap_or(DEFAULT_CLIENT_SECRET);
                details.push(client_auth_line(&call.client_auth, id, secret));
            }
            details.extend(answer_line(&call.answer));
            call_line(
                &mut text,
                name,
                spec.method,
                &spec.path,
                spec.docs.as_deref(),
                &details,
            );
        }
    }
    for (name, o) in token.optional.iter() {
        let docs = o
            .docs
            .as_deref()
            .map(|d| format!(": {}", d.trim()))
            .unwrap_or_default();
        text.push_str(&format!(
            "- optional token parameter `{name}` ({:?}){docs}\n",
            o.kind
        ));
    }
    if !is_status(&calls.api.rule) {
        text.push_str(&format!("- API answers: {}\n", answer_in_words(&calls.api)));
    }
    if !auth.discovery.is_empty() {
        let places: Vec<&str> = auth
            .discovery
            .iter()
            .map(|d| match d {
                Discovery::OAuthAuthorizationServer => {
                    "`/.well-known/oauth-authorization-server` (RFC 8414)"
                }
                Discovery::OpenIdConfiguration => {
                    "`/.well-known/openid-configuration` (OpenID Connect Discovery)"
                }
            })
            .collect();
        text.push_str(&format!(
            "- discovery: with `ClientBuilder::issuer`, the endpoints are read from {}\n",
            places.join(" or ")
        ));
    }
    text
}

/// `- token: `POST /token`: docs`, then its details one level down.
fn call_line(
    text: &mut String,
    what: &str,
    m: Method,
    path: &str,
    docs: Option<&str>,
    details: &[String],
) {
    let verb = format!("{m:?}").to_uppercase();
    let docs = docs
        .map(|d| format!(": {}", d.trim().replace('\n', " ")))
        .unwrap_or_default();
    text.push_str(&format!("- {what}: `{verb} {path}`{docs}\n"));
    for detail in details {
        text.push_str(&format!("  - {detail}\n"));
    }
}

fn client_auth_line(methods: &[ClientAuth], id: &str, secret: &str) -> String {
    format!(
        "client authentication: {}",
        client_auth_in_words(methods, id, secret)
    )
}

fn answer_line(answer: &Answer) -> Option<String> {
    (!is_status(&answer.rule)).then(|| format!("answer: {}", answer_in_words(answer)))
}
