//! Checks a deserialized spec into the model, every problem with its place:
//! here the `Checker`, the entry points and the keys of the older format.
//! `types` (types and references to them), `headers` (HTTP header rules)
//! and `calls` (client authentication, parameters sent) use nothing else
//! here; `answers`, `auth` and `endpoints` may use `types` and `headers`,
//! never each other.

mod answers;
mod auth;
mod calls;
mod endpoints;
mod headers;
mod types;

use std::collections::HashSet;
use std::path::Path;

use crate::error::SpecError;
use crate::locate::Index;
use crate::model::{Call, Calls, Provider};
use crate::names::{check_ident, snake};
use crate::spec::SpecFile;

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

    for (path, instead) in spec.removed_keys() {
        c.at_key(path, instead);
    }
    let types = types::check_types(&mut c, &spec);
    let type_names: HashSet<&str> = spec.types.iter().map(|(name, _)| name).collect();
    types::check_refs_in_types(&mut c, &types, &type_names);
    auth::check_auth(&mut c, &spec.auth, &types);
    let auths = calls::check_calls(&mut c, &spec.auth);
    let answers = answers::check_answers(&mut c, &spec, &types);
    let endpoints = endpoints::check_endpoints(&mut c, &spec, &type_names, &types);

    let call = |client_auth, answer| Call {
        client_auth,
        answer,
    };
    let calls = Calls {
        token: call(auths.token, answers.token),
        refresh: auths.refresh,
        check: auths.check.zip(answers.check).map(|(a, b)| call(a, b)),
        revoke: auths.revoke.zip(answers.revoke).map(|(a, b)| call(a, b)),
        api: answers.api,
    };
    if c.errors.is_empty() {
        Ok(Provider {
            spec,
            calls,
            module,
            types,
            endpoints,
        })
    } else {
        c.errors.sort_by_key(|e| e.pos);
        Err(c.errors)
    }
}
