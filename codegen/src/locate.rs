//! Where each node of a spec is: a map from document paths
//! (`endpoints.get_user.path`, `auth.invalid_token.status[0]`) to line and
//! column, built from a YAML event parser's spans.
//!
//! serde_yaml locates the errors it finds itself; this index locates the
//! errors found after deserializing (unknown types, undeclared path
//! parameters, bad names) and finds duplicate keys, which serde keeps quiet.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, Span};

/// A position in a spec file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

impl Pos {
    /// The start of the file.
    pub const START: Pos = Pos { line: 1, column: 1 };

    fn of(span: &Span) -> Self {
        Self {
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }
}

/// A key that appears twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The path of the second occurrence.
    pub path: String,
    /// Where the second occurrence is.
    pub at: Pos,
    /// Where the first occurrence is.
    pub first: Pos,
}

/// Positions of keys and values by document path.
#[derive(Debug, Default)]
pub struct Index {
    keys: HashMap<String, Pos>,
    values: HashMap<String, Pos>,
    /// Keys that appear twice in one mapping, in document order.
    pub duplicates: Vec<Duplicate>,
}

enum Frame {
    /// In a mapping: the path of the mapping, the keys seen (with where),
    /// and the key whose value comes next, if a key was just read.
    Mapping {
        path: String,
        seen: HashMap<String, Pos>,
        pending_key: Option<String>,
    },
    /// In a sequence: its path and the next item's index.
    Sequence { path: String, next: usize },
}

impl Index {
    /// Indexes a YAML document. Returns `None` if the document does not
    /// parse; serde_yaml then reports the syntax error.
    pub fn build(text: &str) -> Option<Self> {
        let mut index = Index::default();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let (event, span) = event.ok()?;
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Mapping {
                        path,
                        seen,
                        pending_key,
                    }) = stack.last_mut()
                        && pending_key.is_none()
                    {
                        let key_path = join(path, &value);
                        let at = Pos::of(&span);
                        if let Some(first) = seen.get(value.as_ref()) {
                            index.duplicates.push(Duplicate {
                                path: key_path.clone(),
                                at,
                                first: *first,
                            });
                        } else {
                            seen.insert(value.to_string(), at);
                            index.keys.insert(key_path, at);
                        }
                        *pending_key = Some(value.into_owned());
                        continue;
                    }
                    let path = index.value_path(&mut stack);
                    index.values.entry(path).or_insert(Pos::of(&span));
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let path = if stack.is_empty() {
                        String::new()
                    } else {
                        index.value_path(&mut stack)
                    };
                    index.values.entry(path.clone()).or_insert(Pos::of(&span));
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping {
                            path,
                            seen: HashMap::new(),
                            pending_key: None,
                        }
                    } else {
                        Frame::Sequence { path, next: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::Alias(_) => {
                    index.value_path(&mut stack);
                }
                _ => {}
            }
        }
        Some(index)
    }

    /// The path of the value that starts now, advancing the parent frame.
    fn value_path(&self, stack: &mut [Frame]) -> String {
        match stack.last_mut() {
            Some(Frame::Mapping {
                path, pending_key, ..
            }) => match pending_key.take() {
                Some(key) => join(path, &key),
                // A complex (non-scalar) key: its contents have no useful path.
                None => path.clone(),
            },
            Some(Frame::Sequence { path, next }) => {
                *next += 1;
                format!("{path}[{}]", *next - 1)
            }
            None => String::new(),
        }
    }

    /// Where the value at `path` starts; falling back to its key, then to the
    /// nearest enclosing node, so every error has a place.
    pub fn value(&self, path: &str) -> Pos {
        self.values
            .get(path)
            .or_else(|| self.keys.get(path))
            .copied()
            .unwrap_or_else(|| self.parent(path))
    }

    /// Whether the document writes a key or value at `path` (a default is
    /// not written).
    pub fn contains(&self, path: &str) -> bool {
        self.keys.contains_key(path) || self.values.contains_key(path)
    }

    /// Where the key at `path` is (for errors about a name), or its value's
    /// position if it has no key (a sequence item).
    pub fn key(&self, path: &str) -> Pos {
        self.keys
            .get(path)
            .copied()
            .unwrap_or_else(|| self.value(path))
    }

    fn parent(&self, path: &str) -> Pos {
        match path.rfind(['.', '[']) {
            Some(cut) => self.value(&path[..cut]),
            None => self.values.get("").copied().unwrap_or(Pos::START),
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
name: x
auth:
  invalid_token: { status: [401, 403] }
endpoints:
  a:
    path: /a/{id}
  a:
    path: /b
";

    #[test]
    fn finds_block_and_flow_nodes() {
        let index = Index::build(DOC).unwrap();
        assert_eq!(index.value("name"), Pos { line: 1, column: 7 });
        assert_eq!(index.key("auth.invalid_token"), Pos { line: 3, column: 3 });
        assert_eq!(
            index.value("auth.invalid_token.status[1]"),
            Pos {
                line: 3,
                column: 34
            }
        );
        assert_eq!(
            index.value("endpoints.a.path"),
            Pos {
                line: 6,
                column: 11
            }
        );
        // A path that does not exist falls back to its nearest parent.
        assert_eq!(
            index.value("endpoints.a.query.x"),
            Pos { line: 6, column: 5 }
        );
    }

    #[test]
    fn reports_duplicate_keys_with_both_places() {
        let index = Index::build(DOC).unwrap();
        assert_eq!(
            index.duplicates,
            vec![Duplicate {
                path: "endpoints.a".into(),
                at: Pos { line: 7, column: 3 },
                first: Pos { line: 5, column: 3 },
            }]
        );
    }

    #[test]
    fn gives_up_on_syntax_errors() {
        assert!(Index::build("a: [1,\n").is_none());
    }
}
