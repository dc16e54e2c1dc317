//! Named types (objects and enums), their fields and values, and references
//! to types from anywhere in a spec.

use std::collections::HashSet;

use super::Checker;
use crate::model::{Field, TypeDef, TypeKind, Variant};
use crate::names::{RESERVED_TYPES, camel, snake};
use crate::spec::{FieldSpec, SpecFile, TypeSpec, VariantSpec};
use crate::types::{Ty, split_optional};

/// The named types, each with a valid and unique Rust name.
pub(super) fn check_types(c: &mut Checker, spec: &SpecFile) -> Vec<TypeDef> {
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

/// The fields (or parameters) at `path`: names, types, optionality.
pub(super) fn check_fields<'s>(
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

/// Every type a field of a named type refers to is defined.
pub(super) fn check_refs_in_types(c: &mut Checker, types: &[TypeDef], known: &HashSet<&str>) {
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

/// Reports `name` at `path` as no type this spec knows, listing those it does.
pub(super) fn unknown_type(c: &mut Checker, path: &str, name: &str, known: &HashSet<&str>) {
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
pub(super) fn object<'t>(types: &'t [TypeDef], name: &str) -> Option<&'t [Field]> {
    types
        .iter()
        .find(|t| t.spec_name == name)
        .and_then(|t| match &t.kind {
            TypeKind::Object(fields) => Some(fields.as_slice()),
            TypeKind::Enum(_) => None,
        })
}

/// The wire names of the fields of the object type `name`, or an error at `path`.
pub(super) fn check_response_type(
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

/// The type expression `text` at `path`, if it parses and names only known types.
pub(super) fn parse_ref(
    c: &mut Checker,
    path: &str,
    text: &str,
    known: &HashSet<&str>,
) -> Option<Ty> {
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
