//! The `auth:` section: the calls' paths and headers, the token answer's
//! fields, refresh, placement, sudo, tenant, the invalid token signal and
//! discovery. Client authentication and parameters are `calls`' concern,
//! answer rules `answers`'.

use std::collections::HashSet;

use super::Checker;
use super::headers::{check_header_name, check_headers, check_scheme};
use super::types::check_response_type;
use crate::model::TypeDef;
use crate::spec::{AuthSpec, Lifetime, PlacementSpec, SudoSpec, TokenCallSpec, TokenIn, TokenSpec};

/// The sudo forms the runtime knows (`Sudo::uid`, …), by spec key.
const SUDO_FORMS: &[&str] = &["uid", "login_name", "email", "mobile", "username"];

pub(super) fn check_auth(c: &mut Checker, auth: &AuthSpec, types: &[TypeDef]) {
    check_api_path(c, "auth.token.path", &auth.token.path);
    check_headers(c, "auth.token.headers", &auth.token.headers);
    check_token_response(c, &auth.token, types);
    check_refresh(c, auth);
    for (name, call) in [("check", &auth.check), ("revoke", &auth.revoke)] {
        if let Some(call) = call {
            check_token_call(c, name, call, types);
        }
    }
    check_placement(c, &auth.placement);
    if let Some(sudo) = &auth.sudo {
        check_sudo(c, sudo);
    }
    if let Some(tenant) = &auth.tenant
        && tenant.id.is_none()
        && tenant.code.is_none()
    {
        c.at_key(
            "auth.tenant",
            "expected `id` and/or `code`: the tenant parameter names",
        );
    }
    for (i, field) in auth.invalid_token.code_fields.0.iter().enumerate() {
        if field.is_empty() {
            c.at_value(
                &format!("auth.invalid_token.code_fields[{i}]"),
                "expected a field name, found an empty string",
            );
        }
    }
    for (i, place) in auth.discovery.iter().enumerate() {
        if auth.discovery[..i].contains(place) {
            c.at_value(&format!("auth.discovery[{i}]"), "listed twice");
        }
    }
}

fn check_api_path(c: &mut Checker, path: &str, value: &str) {
    if !value.starts_with('/') {
        c.at_value(
            path,
            format!("expected a path starting with `/`, found `{value}`"),
        );
    } else if value.contains(['{', '}', '?', '#']) {
        c.at_value(
            path,
            "a token endpoint path has no parameters, query or fragment",
        );
    }
}

fn check_token_response(c: &mut Checker, token: &TokenSpec, types: &[TypeDef]) {
    let response = &token.response;
    if response.expires_in.is_some() && response.expires_at.is_some() {
        c.at_key(
            "auth.token.response.expires_at",
            "`expires_in` and `expires_at` both say where the lifetime is; keep one: \
             `expires_in` for seconds from now, `expires_at` for an instant",
        );
    }
    if let Some(ty) = &response.type_name
        && let Some(fields) = check_response_type(c, "auth.token.response.type", ty, types)
    {
        let lifetime = match response.lifetime() {
            Lifetime::ExpiresIn(field) => ("expires_in", field),
            Lifetime::ExpiresAt(at) => ("expires_at.field", at.field.as_str()),
        };
        let roles = [
            ("access_token", Some(response.access_token())),
            ("refresh_token", response.refresh_token.as_deref()),
            (lifetime.0, Some(lifetime.1)),
        ];
        check_named_fields(c, "auth.token.response", ty, &fields, roles);
    }
}

fn check_refresh(c: &mut Checker, auth: &AuthSpec) {
    let Some(refresh) = &auth.refresh else {
        return;
    };
    if auth.token.response.refresh_token.is_none() {
        c.at_key(
            "auth.refresh",
            "a refresh grant needs `auth.token.response.refresh_token` to name the answer's refresh token field",
        );
    }
    if refresh.constants.is_empty() {
        c.at_value(
            "auth.refresh.constants",
            "expected the grant's constants, e.g. `grant_type: refresh_token`",
        );
    }
}

/// `auth.check` or `auth.revoke`: its path, headers and answer type.
fn check_token_call(c: &mut Checker, name: &str, call: &TokenCallSpec, types: &[TypeDef]) {
    check_api_path(c, &format!("auth.{name}.path"), &call.path);
    check_headers(c, &format!("auth.{name}.headers"), &call.headers);
    if let Some(ty) = &call.response {
        check_response_type(c, &format!("auth.{name}.response"), ty, types);
    }
}

/// Each answer field named at `{section}.{key}` is a field of the type `ty`.
fn check_named_fields<'a>(
    c: &mut Checker,
    section: &str,
    ty: &str,
    fields: &[String],
    named: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) {
    for (key, field) in named {
        if let Some(field) = field
            && !fields.iter().any(|f| f == field)
        {
            c.at_value(
                &format!("{section}.{key}"),
                format!(
                    "the type `{ty}` has no field `{field}`; expected one of: {}",
                    fields.join(", ")
                ),
            );
        }
    }
}

fn check_placement(c: &mut Checker, placement: &PlacementSpec) {
    if let Some(header) = &placement.header {
        check_header_name(c, "auth.placement.header.name", &header.name);
        if let Some(scheme) = &header.scheme {
            check_scheme(c, "auth.placement.header.scheme", scheme);
        }
    }
    match placement.default {
        TokenIn::Header if placement.header.is_none() => c.at_value(
            "auth.placement.default",
            "the default is `header` but `auth.placement.header` is not set",
        ),
        TokenIn::Query if placement.query.is_none() => c.at_value(
            "auth.placement.default",
            "the default is `query` but `auth.placement.query` is not set",
        ),
        _ => {}
    }
}

fn check_sudo(c: &mut Checker, sudo: &SudoSpec) {
    if sudo.forms.is_empty() {
        c.at_value(
            "auth.sudo.forms",
            "expected at least one sudo form, e.g. `uid: uid`",
        );
    }
    let mut seen = HashSet::new();
    for (section, forms) in [("forms", &sudo.forms), ("deprecated", &sudo.deprecated)] {
        for (form, _) in forms.iter() {
            let path = format!("auth.sudo.{section}.{form}");
            if !SUDO_FORMS.contains(&form) {
                c.at_key(
                    &path,
                    format!(
                        "unknown sudo form `{form}`; expected one of: {}",
                        SUDO_FORMS.join(", ")
                    ),
                );
            } else if !seen.insert(form) {
                c.at_key(&path, format!("the sudo form `{form}` is listed twice"));
            }
        }
    }
}
