//! Endpoints: names, paths and path parameters, query parameters, bodies,
//! responses and the request structs they get.

use std::collections::HashSet;

use super::Checker;
use super::types::{check_fields, object, parse_ref, unknown_type};
use crate::model::{Endpoint, Field, PathPart, TypeDef};
use crate::names::{CLIENT_METHODS, camel, snake};
use crate::spec::{BodyFormat, EndpointSpec, SpecFile};
use crate::types::Ty;

pub(super) fn check_endpoints(
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
    check_path_params(c, path, &ep.path, &parts, &path_params);
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

/// Every `{param}` of the path is declared, every declared one is used, and
/// each is a required scalar or enum.
fn check_path_params(
    c: &mut Checker,
    path: &str,
    path_text: &str,
    parts: &[PathPart],
    path_params: &[Field],
) {
    let ppath = format!("{path}.path");
    let declared: HashSet<&str> = path_params.iter().map(|f| f.wire.as_str()).collect();
    let mut used = HashSet::new();
    for part in parts {
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
    for f in path_params {
        let fpath = format!("{path}.path_params.{}", f.wire);
        if !used.contains(f.wire.as_str()) {
            c.at_key(
                &fpath,
                format!(
                    "the path parameter `{}` does not appear in the path `{}`",
                    f.wire, path_text
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
