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
    let expected = "expected a provider spec: a mapping with `name`, `auth` and optionally `docs`, `answers`, `api`, `types`, `endpoints`";
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        // serde_yaml places a duplicate key at its mapping; the index knows
        // both places.
        Err(e) if e.to_string().contains("duplicate entry with key") => {
            if let Some(index) = Index::build(text)
                && !index.duplicates.is_empty()
            {
                return Err(crate::validate::duplicates(file, &index));
            }
            return Err(vec![from_serde(file, &e)]);
        }
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
    let mut message = strip_location(&e.to_string());
    let mut path = String::new();
    if let Some((head, tail)) = message.split_once(": ")
        && !head.contains(' ')
        && !head.is_empty()
    {
        path = head.to_owned();
        message = tail.to_owned();
    }
    message = without_removed_keys(&path, &message);
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

/// serde's `unknown field `x`, expected one of …` without the keys of the
/// older format, which are read only to say what replaces them.
fn without_removed_keys(section: &str, message: &str) -> String {
    let Some((head, expected)) = message.split_once(", expected ") else {
        return message.to_owned();
    };
    if !head.starts_with("unknown field `") {
        return message.to_owned();
    }
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let kept: Vec<String> = names
        .iter()
        .filter(|name| !crate::spec::is_removed(section, name))
        .map(|name| format!("`{name}`"))
        .collect();
    if kept.len() == names.len() {
        return message.to_owned();
    }
    let list = match kept.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        _ => format!("one of {}", kept.join(", ")),
    };
    format!("{head}, expected {list}")
}

/// Drops serde_yaml's ` at line L column C` (the position is reported apart).
fn strip_location(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_owned();
    };
    let rest = &message[start + " at line ".len()..];
    let mut words = rest.splitn(3, ' ');
    let (line, column, number) = (words.next(), words.next(), words.next());
    let is_number = |w: Option<&str>| {
        w.is_some_and(|w| w.trim_end_matches(',').chars().all(|c| c.is_ascii_digit()))
    };
    if !(is_number(line) && column == Some("column")) {
        return message.to_owned();
    }
    let number = number.unwrap_or_default();
    let digits = number
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(number.len());
    format!("{}{}", &message[..start], &number[digits..])
}

#[cfg(test)]
mod tests {
    use super::{strip_location, without_removed_keys};

    #[test]
    fn strips_the_location_wherever_it_is() {
        assert_eq!(
            strip_location("x at line 7 column 12, while y"),
            "x, while y"
        );
        assert_eq!(strip_location("x at line 7 column 12"), "x");
        assert_eq!(strip_location("x at line of fire"), "x at line of fire");
    }

    #[test]
    fn unknown_key_lists_leave_out_removed_keys() {
        assert_eq!(
            without_removed_keys(
                "auth.revoke",
                "unknown field `x`, expected one of `path`, `answer`, `enveloped`, `success`, `message`"
            ),
            "unknown field `x`, expected `path` or `answer`"
        );
        assert_eq!(
            without_removed_keys("", "unknown field `x`, expected one of `name`, `envelope`"),
            "unknown field `x`, expected `name`"
        );
        let kept = "unknown field `x`, expected one of `field`, `equals`, `success`";
        assert_eq!(without_removed_keys("answers.a.success", kept), kept);
    }
}
