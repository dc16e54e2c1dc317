//! From spec text to a validated model: serde_yaml reads it (and locates
//! syntax, type, unknown-key and missing-key errors), then the position
//! index and the validator find the rest.

use std::path::Path;

use crate::error::SpecError;
use crate::locate::{Index, Pos};
use crate::model::Provider;
use crate::spec::SpecFile;

/// Reads and validates one spec.
pub fn load(file: &Path, text: &str) -> Result<Provider, Vec<SpecError>> {
    let err = |pos: Pos, path: &str, message: String| {
        vec![SpecError {
            file: file.to_owned(),
            pos,
            path: path.to_owned(),
            message,
        }]
    };
    let expected = "expected a provider spec: a mapping with `name`, `auth` and optionally `envelope`, `api`, `types`, `endpoints`";
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Err(e) => return Err(vec![from_serde(file, &e)]),
        Ok(serde_yaml::Value::Null) => {
            return Err(err(
                Pos::START,
                "",
                format!("the file is empty; {expected}"),
            ));
        }
        Ok(serde_yaml::Value::Mapping(_)) => {}
        Ok(other) => {
            let found = match other {
                serde_yaml::Value::Sequence(_) => "a sequence",
                serde_yaml::Value::Tagged(_) => "a tagged value",
                _ => "a scalar",
            };
            return Err(err(
                Pos::START,
                "",
                format!("the document is {found}; {expected}"),
            ));
        }
    }
    let spec: SpecFile = serde_yaml::from_str(text).map_err(|e| vec![from_serde(file, &e)])?;
    let index = Index::build(text).unwrap_or_default();
    crate::validate::validate(file, &index, spec)
}

/// A serde_yaml error as a located spec error: its message is
/// `path: what at line L column C`; the location and path become fields.
fn from_serde(file: &Path, e: &serde_yaml::Error) -> SpecError {
    let pos = e.location().map_or(Pos::START, |l| Pos {
        line: l.line(),
        column: l.column(),
    });
    let mut message = e.to_string();
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    let mut path = String::new();
    if let Some((head, tail)) = message.split_once(": ")
        && !head.contains(' ')
        && !head.is_empty()
    {
        path = head.to_owned();
        message = tail.to_owned();
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        message = format!("missing required key `{field}`");
    }
    SpecError {
        file: file.to_owned(),
        pos,
        path,
        message,
    }
}
