//! Errors of the codegen: spec problems for humans, and I/O.

use std::fmt;
use std::path::PathBuf;

use crate::locate::Pos;

/// A `Result` whose error defaults to [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem in a spec, with where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file.
    pub file: PathBuf,
    /// Line and column, 1-based.
    pub pos: Pos,
    /// The path inside the document (`endpoints.get_user.path`); empty for
    /// the document itself.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: ",
            self.file.display(),
            self.pos.line,
            self.pos.column
        )?;
        if !self.path.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// Everything that can stop code generation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// One or more problems in spec files; each names file, line, column and path.
    #[error("{}", render(.0))]
    Spec(Vec<SpecError>),
    /// A file or directory could not be read or written.
    #[error("{action} `{}`: {source}", path.display())]
    Io {
        /// What was being done (`reading spec`, `writing`).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The builder was not given what it needs.
    #[error("codegen configuration: {0}")]
    Config(String),
}

fn render(errors: &[SpecError]) -> String {
    let mut text = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(&e.to_string());
    }
    text
}

impl Error {
    /// The spec problems, if this is a spec error.
    pub fn spec_errors(&self) -> &[SpecError] {
        match self {
            Self::Spec(errors) => errors,
            _ => &[],
        }
    }
}
