//! Checks a deserialized spec and builds the model, collecting every problem
//! with its place in the file.

use std::collections::HashSet;
use std::path::Path;

use crate::error::SpecError;
use crate::locate::Index;
use crate::model::{Endpoint, Field, PathPart, Provider, TypeDef, TypeKind, Variant};
use crate::names::{RESERVED_TYPES, camel, check_ident, snake};
use crate::spec::{BodyFormat, EndpointSpec, FieldSpec, SpecFile, TypeSpec, VariantSpec};
use crate::types::{Ty, split_optional};

/// The sudo forms the runtime knows (`Sudo::uid`, …), by spec key.
const SUDO_FORMS: &[&str] = &["uid", "login_name", "email", "mobile", "username"];

/// Client methods an endpoint must not shadow.
const CLIENT_METHODS: &[&str] = &[
    "builder",
    "request",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "token",
    "check_token",
    "revoke_token",
    "invalidate_token",
    "runtime",
    "provider_name",
];

struct Checker<'a> {
    file: &'a Path,
    index: &'a Index,
    errors: Vec<SpecError>,
}

impl Checker<'_> {
    fn at_value(&mut self, path: &str, message: impl Into<String>) {
        let pos = self.index.value(path);
        self.push(pos, path, message);
    }

    fn at_key(&mut self, path: &str, message: impl Into<String>) {
        let pos = self.index.key(path);
        self.push(pos, path, message);
    }

    fn push(&mut self, pos: crate::locate::Pos, path: &str, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: self.file.to_owned(),
            pos,
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// Checks a Rust name made from a spec name; reports at the key.
    fn ident(&mut self, path: &str, rust: &str, from: &str, hint: &str) -> bool {
        match check_ident(rust) {
            None => true,
            Some(why) => {
                let made = if rust == from {
                    String::new()
                } else {
                    format!(" (made from `{from}`)")
                };
                self.at_key(path, format!("{why}{made}; {hint}"));
                false
            }
        }
    }
}

/// The duplicate keys the index found, as errors naming both places.
pub fn duplicates(file: &Path, index: &Index) -> Vec<SpecError> {
    index
        .duplicates
        .iter()
        .map(|dup| {
            let depth = dup.path.matches('.').count();
            let what = match dup.path.split('.').next() {
                Some("endpoints") if depth == 1 => "endpoint name",
                Some("types") if depth == 1 => "type name",
                _ => "key",
            };
            SpecError {
                file: file.to_owned(),
                pos: dup.at,
                path: dup.path.clone(),
                message: format!(
                    "duplicate {what}; it is first defined at line {}, column {}",
                    dup.first.line, dup.first.column
                ),
            }
        })
        .collect()
}

/// Validates `spec` (read from `file`, indexed by `index`) into a model.
pub fn validate(file: &Path, index: &Index, spec: SpecFile) -> Result<Provider, Vec<SpecError>> {
    let mut c = Checker {
        file,
        index,
        errors: Vec::new(),
    };
    c.errors.extend(duplicates(file, index));

    let module = snake(&spec.name);
    c.ident(
        "name",
        &module,
        &spec.name,
        "expected a provider name usable as a module name, such as `hotel`",
    );

    let types = check_types(&mut c, &spec);
    let type_names: HashSet<&str> = spec.types.iter().map(|(name, _)| name).collect();
    check_refs_in_types(&mut c, &types, &type_names);
    check_auth(&mut c, &spec, &types);
    let endpoints = check_endpoints(&mut c, &spec, &type_names, &types);

    if c.errors.is_empty() {
        Ok(Provider {
            spec,
            module,
            types,
            endpoints,
        })
    } else {
        c.errors.sort_by_key(|e| e.pos);
        Err(c.errors)
    }
}

fn check_types(c: &mut Checker, spec: &SpecFile) -> Vec<TypeDef> {
    let mut out = Vec::new();
    let mut rust_names = HashSet::new();
    for (name, def) in spec.types.iter() {
        let path = format!("types.{name}");
        let rust = def.rust_name.clone().unwrap_or_else(|| camel(name));
        if !c.ident(&path, &rust, name, "set `rust_name` to a valid name") {
            continue;
        }
        if RESERVED_TYPES.contains(&rust.as_str()) {
            c.at_key(
                &path,
                format!("the type name `{rust}` is taken by the generated module; set `rust_name`"),
            );
        } else if !rust_names.insert(rust.clone()) {
            c.at_key(
                &path,
                format!("two types are both named `{rust}` in Rust; set `rust_name`"),
            );
        }
        if let Some(kind) = check_type_body(c, &path, def) {
            out.push(TypeDef {
                spec_name: name.to_owned(),
                rust,
                docs: def.docs.clone(),
                kind,
            });
        }
    }
    out
}

fn check_type_body(c: &mut Checker, path: &str, def: &TypeSpec) -> Option<TypeKind> {
    match (&def.fields, &def.variants) {
        (Some(fields), None) => Some(TypeKind::Object(check_fields(
            c,
            &format!("{path}.fields"),
            fields.iter(),
        ))),
        (None, Some(variants)) => {
            let mut out = Vec::new();
            let mut seen = HashSet::new();
            if variants.is_empty() {
                c.at_value(&format!("{path}.enum"), "an enum needs at least one value");
            }
            for (i, v) in variants.iter().enumerate() {
                let vpath = format!("{path}.enum[{i}]");
                let (rust_name, docs) = match v {
                    VariantSpec::Bare(_) => (None, None),
                    VariantSpec::Full(f) => (f.rust_name.clone(), f.docs.clone()),
                };
                let rust = rust_name.unwrap_or_else(|| camel(v.value()));
                if !c.ident(
                    &vpath,
                    &rust,
                    v.value(),
                    "use the long form with `rust_name`",
                ) {
                    continue;
                }
                if !seen.insert(rust.clone()) {
                    c.at_value(
                        &vpath,
                        format!("two values are both named `{rust}` in Rust"),
                    );
                }
                out.push(Variant {
                    wire: v.value().to_owned(),
                    rust,
                    docs,
                });
            }
            Some(TypeKind::Enum(out))
        }
        (Some(_), Some(_)) => {
            c.at_key(
                path,
                "a type has either `fields` (an object) or `enum` (string values), not both",
            );
            None
        }
        (None, None) => {
            c.at_key(
                path,
                "expected `fields` (an object) or `enum` (string values)",
            );
            None
        }
    }
}

fn check_fields<'s>(
    c: &mut Checker,
    path: &str,
    fields: impl Iterator<Item = (&'s str, &'s FieldSpec)>,
) -> Vec<Field> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (wire, spec) in fields {
        let fpath = format!("{path}.{wire}");
        let (ty_text, optional, docs, rust_name, ty_path) = match spec {
            FieldSpec::Short(text) => {
                let (ty, optional) = split_optional(text);
                (ty, optional, None, None, fpath.clone())
            }
            FieldSpec::Full(full) => {
                let (ty, q) = split_optional(&full.ty);
                (
                    ty,
                    full.optional || q,
                    full.docs.clone(),
                    full.rust_name.clone(),
                    format!("{fpath}.type"),
                )
            }
        };
        let rust = rust_name.unwrap_or_else(|| snake(wire));
        let name_ok = c.ident(
            &fpath,
            &rust,
            wire,
            "set `rust_name` in the field's long form",
        );
        if name_ok && !seen.insert(rust.clone()) {
            c.at_key(
                &fpath,
                format!("two fields are both named `{rust}` in Rust; set `rust_name`"),
            );
        }
        match Ty::parse(ty_text) {
            Ok(ty) if name_ok => out.push(Field {
                wire: wire.to_owned(),
                rust,
                ty,
                optional,
                docs,
            }),
            Ok(_) => {}
            Err(why) => c.at_value(&ty_path, why),
        }
    }
    out
}

fn check_refs_in_types(c: &mut Checker, types: &[TypeDef], known: &HashSet<&str>) {
    for t in types {
        if let TypeKind::Object(fields) = &t.kind {
            for f in fields {
                for name in f.ty.names() {
                    if !known.contains(name) {
                        let path = format!("types.{}.fields.{}", t.spec_name, f.wire);
                        let long = format!("{path}.type");
                        let path = if c.index.value(&long) != c.index.value(&path) {
                            long
                        } else {
                            path
                        };
                        unknown_type(c, &path, name, known);
                    }
                }
            }
        }
    }
}

fn unknown_type(c: &mut Checker, path: &str, name: &str, known: &HashSet<&str>) {
    let mut names: Vec<&str> = known.iter().copied().collect();
    names.sort_unstable();
    let listed = if names.is_empty() {
        "the spec defines no types".to_owned()
    } else {
        format!("types defined here: {}", names.join(", "))
    };
    c.at_value(
        path,
        format!(
            "unknown type `{name}`; expected one of {} or a type from `types` ({listed})",
            crate::types::PRIMITIVES
        ),
    );
}

/// The object type called `name`, if it is one.
fn object<'t>(types: &'t [TypeDef], name: &str) -> Option<&'t [Field]> {
    types
        .iter()
        .find(|t| t.spec_name == name)
        .and_then(|t| match &t.kind {
            TypeKind::Object(fields) => Some(fields.as_slice()),
            TypeKind::Enum(_) => None,
        })
}

fn check_response_type(
    c: &mut Checker,
    path: &str,
    name: &str,
    types: &[TypeDef],
) -> Option<Vec<String>> {
    match object(types, name) {
        Some(fields) => Some(fields.iter().map(|f| f.wire.clone()).collect()),
        None => {
            let known: HashSet<&str> = types.iter().map(|t| t.spec_name.as_str()).collect();
            if known.contains(name) {
                c.at_value(
                    path,
                    format!("`{name}` is an enum; expected an object type"),
                );
            } else {
                unknown_type(c, path, name, &known);
            }
            None
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

fn check_auth(c: &mut Checker, spec: &SpecFile, types: &[TypeDef]) {
    let auth = &spec.auth;
    let token = &auth.token;
    check_api_path(c, "auth.token.path", &token.path);
    let needs_envelope = token.enveloped
        || auth.check.as_ref().is_some_and(|x| x.enveloped)
        || auth.revoke.as_ref().is_some_and(|x| x.enveloped)
        || spec.api.envelope != crate::spec::EnvelopeUse::None;
    if needs_envelope && spec.envelope.is_none() {
        c.at_key(
            "auth",
            "answers are declared enveloped (`enveloped: true` or `api.envelope`) but the spec has no top-level `envelope`",
        );
    }
    let mut sent: HashSet<&str> = HashSet::new();
    for (name, _) in token.constants.iter() {
        sent.insert(name);
    }
    for name in [token.client_id.as_str(), token.client_secret.as_str()] {
        if !sent.insert(name) {
            c.at_value(
                "auth.token",
                format!("the parameter `{name}` is sent twice"),
            );
        }
    }
    for (name, _) in token.optional.iter() {
        if !sent.insert(name) {
            c.at_key(
                &format!("auth.token.optional.{name}"),
                format!("the parameter `{name}` is already sent as a constant or credential"),
            );
        }
    }
    let response = &token.response;
    if let Some(ty) = &response.type_name
        && let Some(fields) = check_response_type(c, "auth.token.response.type", ty, types)
    {
        let roles = [
            ("access_token", Some(&response.access_token)),
            ("refresh_token", response.refresh_token.as_ref()),
            ("expires_in", Some(&response.expires_in)),
        ];
        for (role, field) in roles {
            if let Some(field) = field
                && !fields.contains(field)
            {
                c.at_value(
                    &format!("auth.token.response.{role}"),
                    format!(
                        "the type `{ty}` has no field `{field}`; expected one of: {}",
                        fields.join(", ")
                    ),
                );
            }
        }
    }
    if let Some(refresh) = &auth.refresh {
        if response.refresh_token.is_none() {
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
    if let Some(check) = &auth.check {
        check_api_path(c, "auth.check.path", &check.path);
        check_response_type(c, "auth.check.response", &check.response, types);
    }
    if let Some(revoke) = &auth.revoke {
        check_api_path(c, "auth.revoke.path", &revoke.path);
        if let Some(ty) = &revoke.response
            && let Some(fields) = check_response_type(c, "auth.revoke.response", ty, types)
        {
            let named = [
                ("success.field", Some(&revoke.success.field)),
                ("message", revoke.message.as_ref()),
            ];
            for (key, field) in named {
                if let Some(field) = field
                    && !fields.contains(field)
                {
                    c.at_value(
                        &format!("auth.revoke.{key}"),
                        format!(
                            "the type `{ty}` has no field `{field}`; expected one of: {}",
                            fields.join(", ")
                        ),
                    );
                }
            }
        }
    }
    let placement = &auth.placement;
    match placement.default {
        crate::spec::TokenIn::Header if placement.header.is_none() => c.at_value(
            "auth.placement.default",
            "the default is `header` but `auth.placement.header` is not set",
        ),
        crate::spec::TokenIn::Query if placement.query.is_none() => c.at_value(
            "auth.placement.default",
            "the default is `query` but `auth.placement.query` is not set",
        ),
        _ => {}
    }
    if let Some(sudo) = &auth.sudo {
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
    if let Some(tenant) = &auth.tenant
        && tenant.id.is_none()
        && tenant.code.is_none()
    {
        c.at_key(
            "auth.tenant",
            "expected `id` and/or `code`: the tenant parameter names",
        );
    }
}

fn check_endpoints(
    c: &mut Checker,
    spec: &SpecFile,
    known: &HashSet<&str>,
    types: &[TypeDef],
) -> Vec<Endpoint> {
    let type_rust: HashSet<&str> = types.iter().map(|t| t.rust.as_str()).collect();
    let mut out = Vec::new();
    let mut methods = HashSet::new();
    for (name, ep) in spec.endpoints.iter() {
        let path = format!("endpoints.{name}");
        let rust = snake(name);
        if !c.ident(&path, &rust, name, "rename the endpoint") {
            continue;
        }
        if CLIENT_METHODS.contains(&rust.as_str()) {
            c.at_key(
                &path,
                format!("`{rust}` is a method every client already has; rename the endpoint"),
            );
        } else if !methods.insert(rust.clone()) {
            c.at_key(
                &path,
                format!("two endpoints are both named `{rust}` in Rust"),
            );
        }
        if let Some(endpoint) = check_endpoint(c, &path, rust, ep, known, &type_rust, types) {
            out.push(endpoint);
        }
    }
    out
}

fn check_endpoint(
    c: &mut Checker,
    path: &str,
    rust: String,
    ep: &EndpointSpec,
    known: &HashSet<&str>,
    type_rust: &HashSet<&str>,
    types: &[TypeDef],
) -> Option<Endpoint> {
    let ppath = format!("{path}.path");
    let parts = match split_path(&ep.path) {
        Ok(parts) => parts,
        Err(why) => {
            c.at_value(&ppath, why);
            return None;
        }
    };
    let path_params = check_fields(c, &format!("{path}.path_params"), ep.path_params.iter());
    let query = check_fields(c, &format!("{path}.query"), ep.query.iter());
    let declared: HashSet<&str> = path_params.iter().map(|f| f.wire.as_str()).collect();
    let mut used = HashSet::new();
    for part in &parts {
        if let PathPart::Param(name) = part {
            used.insert(name.as_str());
            if !declared.contains(name.as_str()) {
                c.at_value(
                    &ppath,
                    format!("the path uses `{{{name}}}` but `{path}.path_params` does not declare `{name}`"),
                );
            }
        }
    }
    for f in &path_params {
        let fpath = format!("{path}.path_params.{}", f.wire);
        if !used.contains(f.wire.as_str()) {
            c.at_key(
                &fpath,
                format!(
                    "the path parameter `{}` does not appear in the path `{}`",
                    f.wire, ep.path
                ),
            );
        }
        if f.optional
            || !matches!(
                f.ty,
                Ty::String | Ty::Integer | Ty::Number | Ty::Boolean | Ty::Named(_)
            )
        {
            c.at_key(
                &fpath,
                "a path parameter is a required string, integer, number, boolean or enum",
            );
        }
    }
    let mut fields: HashSet<&str> = HashSet::new();
    for f in path_params.iter().chain(&query) {
        if !fields.insert(&f.rust) || (ep.body.is_some() && f.rust == "body") {
            c.at_key(
                path,
                format!("two request parameters are both named `{}` in Rust", f.rust),
            );
        }
        for name in f.ty.names() {
            if !known.contains(name) {
                unknown_type(c, path, name, known);
            }
        }
    }
    let body = ep.body.as_ref().and_then(|b| {
        let bpath = format!("{path}.body.type");
        let ty = parse_ref(c, &bpath, &b.ty, known)?;
        if b.format == BodyFormat::Form
            && !matches!(&ty, Ty::Named(n) if object(types, n).is_some())
        {
            c.at_value(&bpath, "a form body is an object type from `types`");
        }
        Some((ty, b.format))
    });
    let response = ep
        .response
        .as_ref()
        .and_then(|r| parse_ref(c, &format!("{path}.response"), r, known));
    let takes_input = !path_params.is_empty() || !query.is_empty() || body.is_some();
    let request = takes_input.then(|| format!("{}Request", camel(&rust)));
    if let Some(req) = &request
        && type_rust.contains(req.as_str())
    {
        c.at_key(
            path,
            format!("the request struct `{req}` would clash with the type of that name"),
        );
    }
    Some(Endpoint {
        rust,
        request,
        docs: ep.docs.clone(),
        method: ep.method,
        path: parts,
        path_text: ep.path.clone(),
        path_params,
        query,
        body,
        response,
    })
}

fn parse_ref(c: &mut Checker, path: &str, text: &str, known: &HashSet<&str>) -> Option<Ty> {
    match Ty::parse(text) {
        Ok(ty) => {
            let missing: Vec<&str> = ty
                .names()
                .into_iter()
                .filter(|n| !known.contains(n))
                .collect();
            for name in &missing {
                unknown_type(c, path, name, known);
            }
            missing.is_empty().then_some(ty)
        }
        Err(why) => {
            c.at_value(path, why);
            None
        }
    }
}

/// Splits `/a/{id}/b` into text and parameters.
fn split_path(path: &str) -> Result<Vec<PathPart>, String> {
    if !path.starts_with('/') {
        return Err(format!("expected a path starting with `/`, found `{path}`"));
    }
    if path.contains(['?', '#']) {
        return Err(
            "a path has no query or fragment; declare query parameters under `query`".into(),
        );
    }
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|i| open + i)
            .ok_or_else(|| format!("unclosed `{{` in `{path}`"))?;
        if rest[..open].contains('}') {
            return Err(format!("unmatched `}}` in `{path}`"));
        }
        if open > 0 {
            parts.push(PathPart::Text(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!(
                "expected a parameter name inside `{{}}` in `{path}`"
            ));
        }
        parts.push(PathPart::Param(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("unmatched `}}` in `{path}`"));
    }
    if !rest.is_empty() {
        parts.push(PathPart::Text(rest.to_owned()));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths() {
        assert_eq!(
            split_path("/v1/a/{id}/b").unwrap(),
            vec![
                PathPart::Text("/v1/a/".into()),
                PathPart::Param("id".into()),
                PathPart::Text("/b".into())
            ]
        );
        assert!(split_path("/a/{id").is_err());
        assert!(split_path("/a/{}").is_err());
        assert!(split_path("a").is_err());
    }
}
