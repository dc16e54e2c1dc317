//! The CLI's one error type: each variant prints as one line.

use std::path::PathBuf;

/// What can stop a command. `main` prints it as `error: …` on stderr.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The provider, the token endpoint or the client setup said no.
    #[error(transparent)]
    Api(#[from] authorized_api::Error),

    /// Code generation failed (a spec problem names file, line and column).
    #[error(transparent)]
    Codegen(#[from] authorized_codegen::Error),

    /// The command cannot do what was asked (e.g. `check` on hotel).
    #[error("{0}")]
    Usage(String),

    /// A file could not be read or written.
    #[error("cannot {action} `{}`: {source}", path.display())]
    File {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },

    /// The config file is not what `authorized call --help` describes.
    #[error("the config file `{}` is invalid: {message}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        message: String,
    },

    /// The embedded sandbox could not start.
    #[error("the sandbox could not start on {addr}: {source}")]
    Sandbox {
        /// Where it tried to listen.
        addr: String,
        /// The cause.
        source: std::io::Error,
    },

    /// The command ran but what it found is a failure (a step misbehaved, a
    /// file is stale, the provider answered 4xx).
    #[error("{0}")]
    Failed(String),

    /// Stdout was closed (e.g. piped into `head`): stop quietly.
    #[error("stdout closed")]
    StdoutClosed,
}

/// A `Result` whose error defaults to [`CliError`].
pub type Result<T, E = CliError> = std::result::Result<T, E>;
