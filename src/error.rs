//! Errors and warnings about a description.
//!
//! Every problem the generator reports names the file it is in and a JSON pointer into that file, and
//! the line and column where the parser gave one, so that people can go straight to it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a description: the file, a JSON pointer into it and, where known, a line and column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file the problem is in.
    pub file: PathBuf,
    /// A JSON pointer (RFC 6901) into that file, such as `#/paths/~1contacts~1{id}/post`.
    pub pointer: String,
    /// The 1-based line and column, where the parser gave them.
    pub line: Option<(usize, usize)>,
}

impl Location {
    /// A location at `pointer` inside `file`, with no line known.
    pub fn new(file: &Path, pointer: impl Into<String>) -> Self {
        Location {
            file: file.to_path_buf(),
            pointer: pointer.into(),
            line: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.line {
            write!(f, ":{line}:{column}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        Ok(())
    }
}

/// Why a description could not be turned into a client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("{}: cannot read the file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file is not valid YAML or JSON.
    #[error("{location}: not valid {format}: {message}")]
    Syntax {
        /// Where the parser stopped.
        location: Location,
        /// `YAML` or `JSON`.
        format: &'static str,
        /// What the parser said.
        message: String,
    },
    /// The document is not an OpenAPI 3.0 description.
    #[error("{location}: {message}")]
    UnsupportedVersion {
        /// Where the version field is (or should be).
        location: Location,
        /// What was found and what to do about it.
        message: String,
    },
    /// A `$ref` points at nothing, at a missing file, or round in a circle.
    #[error("{location}: cannot resolve `$ref: {reference}`: {message}")]
    Reference {
        /// Where the `$ref` is.
        location: Location,
        /// The reference as written.
        reference: String,
        /// Why it cannot be resolved.
        message: String,
    },
    /// The document has the wrong shape for OpenAPI 3.0 at some place.
    #[error("{location}: {message}")]
    Invalid {
        /// Where the problem is.
        location: Location,
        /// What is wrong there.
        message: String,
    },
    /// Several problems, all reported together.
    #[error("{} problems:\n{}", .0.len(), render_list(.0))]
    Many(Vec<Error>),
    /// An overlay document could not be applied.
    #[error("{location}: overlay action does not apply: {message}")]
    Overlay {
        /// Where the action is, in the overlay file.
        location: Location,
        /// Why it does not apply.
        message: String,
    },
    /// The configuration names the generated crate with a name Cargo or Rust would reject.
    #[error("invalid crate name: {reason}")]
    CrateName {
        /// The name as given.
        name: String,
        /// What is wrong with it (see [`crate::names::check_crate_name`]).
        reason: String,
    },
    /// Our own bug: the generated code did not parse as Rust. Please report it with the description.
    #[error("internal error: generated {file} does not parse as Rust ({message}); this is a bug in the generator")]
    Internal {
        /// The output file.
        file: String,
        /// What the parser said.
        message: String,
    },
}

fn render_list(errors: &[Error]) -> String {
    errors
        .iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// Folds a list of problems into one error: itself if there is one, [`Error::Many`] otherwise.
    pub fn from_list(mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Error::Many(errors)),
        }
    }
}

/// Something in the description that the generator worked around: the output is still produced.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Where the questionable construct is.
    pub location: Location,
    /// What was found and what the generator did about it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Escapes one reference token for use in a JSON pointer (RFC 6901).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends escaped tokens to a pointer.
pub fn pointer(base: &str, tokens: &[&str]) -> String {
    let mut out = base.to_string();
    for token in tokens {
        out.push('/');
        out.push_str(&escape_pointer_token(token));
    }
    out
}
