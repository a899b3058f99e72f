//! Errors and warnings about a description.
//!
//! Every problem the generator reports names the file it is in and a JSON pointer into that file, and
//! the line and column where the parser gave one, so that people can go straight to it.

use crate::pointer::Pointer;
use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a description: the file, a JSON pointer into it and, where known, a line and column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file the problem is in.
    pub file: PathBuf,
    /// A JSON pointer (RFC 6901) into that file, such as `#/paths/~1contacts~1{id}/post`; `None`
    /// where the problem has no place in a document (a file that does not parse names a line
    /// instead).
    pub pointer: Option<Pointer>,
    /// The 1-based line and column, where the parser gave them.
    pub line: Option<(usize, usize)>,
}

impl Location {
    /// A location at `pointer` inside `file`, with no line known.
    pub fn new(file: &Path, pointer: Pointer) -> Self {
        Location {
            file: file.to_path_buf(),
            pointer: Some(pointer),
            line: None,
        }
    }

    /// A location in `file` with neither a pointer nor a line known (yet).
    pub fn in_file(file: &Path) -> Self {
        Location {
            file: file.to_path_buf(),
            pointer: None,
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
        if let Some(pointer) = &self.pointer {
            write!(f, " at {pointer}")?;
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
    #[error("{location}: cannot resolve `$ref: {reference}`: {problem}")]
    Reference {
        /// Where the `$ref` is.
        location: Location,
        /// The reference as written.
        reference: String,
        /// Why it cannot be resolved (boxed: it is the largest of the error's fields).
        problem: Box<ReferenceProblem>,
    },
    /// The document has the wrong shape for OpenAPI 3.0 at some place.
    #[error("{location}: {message}")]
    Invalid {
        /// Where the problem is.
        location: Location,
        /// What is wrong there.
        message: String,
    },
    /// Warnings, refused because [`crate::Config::deny_warnings`] (`--deny-warnings`) asked for it.
    #[error("{} warnings, denied by --deny-warnings:\n{}", .0.len(), render_warnings(.0))]
    DeniedWarnings(Vec<Warning>),
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

/// Why a `$ref` cannot be resolved: each kind prints as the reason in [`Error::Reference`]'s message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReferenceProblem {
    /// A reference that still names another file once external files are bundled: one the
    /// bundler could not follow (and reported), or one it never saw.
    NotLocal {
        /// The reference in the chain that is not local.
        reference: String,
    },
    /// A chain of local references that comes back to where it started.
    Cycle {
        /// Every reference followed, the repeated one last.
        chain: Vec<String>,
    },
    /// A local reference to a place that does not exist.
    Missing {
        /// The reference in the chain that reaches nothing.
        reference: String,
    },
    /// A chain of local references longer than [`crate::limits::MAX_REF_DEPTH`].
    TooLong {
        /// The first reference of the chain.
        reference: String,
    },
    /// The file an external reference names cannot be read.
    Unreadable {
        /// The file, as resolved from the referring file's folder.
        file: PathBuf,
        /// What the operating system said.
        reason: String,
    },
    /// The file an external reference names has nothing at the reference's fragment.
    MissingInFile {
        /// The file.
        file: PathBuf,
        /// The fragment as written, `#` first.
        fragment: String,
    },
}

impl fmt::Display for ReferenceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReferenceProblem::NotLocal { reference } => {
                write!(f, "`{reference}` is not a local reference after bundling")
            }
            ReferenceProblem::Cycle { chain } => {
                write!(f, "the references form a cycle: {}", chain.join(" → "))
            }
            ReferenceProblem::Missing { reference } => {
                write!(f, "nothing at {reference} in this document")
            }
            ReferenceProblem::TooLong { reference } => write!(
                f,
                "the chain of references from {reference} is longer than {}",
                crate::limits::MAX_REF_DEPTH
            ),
            ReferenceProblem::Unreadable { file, reason } => {
                write!(f, "cannot read {}: {reason}", file.display())
            }
            ReferenceProblem::MissingInFile { file, fragment } => {
                write!(f, "{} has nothing at {fragment}", file.display())
            }
        }
    }
}

fn render_list(errors: &[Error]) -> String {
    errors
        .iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn render_warnings(warnings: &[Warning]) -> String {
    warnings
        .iter()
        .map(|w| format!("  - {w}"))
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
    /// What kind of problem it is, for summaries (see [`summarize`]).
    pub kind: WarningKind,
}

impl Warning {
    /// A warning of `kind` at `location`.
    pub fn new(kind: WarningKind, location: Location, message: impl Into<String>) -> Self {
        Warning {
            location,
            message: message.into(),
            kind,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// What kind of problem a [`Warning`] reports: front ends print one line per kind (see
/// [`summarize`]), and the full list on request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// An example that does not decode into the type its schema gives.
    ExampleContradictsSchema,
    /// A `$ref` that reaches nothing: a missing place or file, a cycle, a chain too long. A schema
    /// becomes a JSON value; a parameter, body, response or path item is left out.
    UnresolvedReference,
    /// A `$ref` that reaches something of the wrong kind (a parameter that is not one).
    WrongReferenceTarget,
    /// A schema, parameter or operation that is not valid OpenAPI 3.0: a schema becomes a JSON
    /// value, an example or an operation is left out.
    MalformedObject,
    /// A schema whose `type` OpenAPI does not know: it becomes a JSON value.
    UnknownType,
    /// A schema whose constraints no value can meet (`minimum` above `maximum`, …): it becomes a
    /// JSON value.
    ImpossibleConstraint,
    /// A key of `responses` that is not a status code: that response is ignored.
    IgnoredResponse,
    /// A header parameter named `Accept`, `Content-Type` or `Authorization`, which OpenAPI says
    /// to ignore (the media types and the security schemes set those headers): it is left out.
    IgnoredHeader,
    /// An operation without an `operationId`, or with one whose name is taken.
    OperationName,
    /// Type aliases that reach themselves: they become JSON values.
    AliasCycle,
    /// Something of OpenAPI 3.1, JSON Schema or Swagger 2.0 that the 3.0 model cannot carry: a
    /// keyword dropped (`if`/`then`/`else`, `unevaluatedProperties`, …), webhooks skipped.
    Dropped,
    /// SDK group and method names that cannot be used as given: names in an overrides document
    /// for an operation the description lacks, malformed `x-fern-sdk-*` values, a method name
    /// that needed a number to be unique.
    SdkName,
    /// A pagination extension that cannot be followed: no `pages()`/`items()` for it.
    Pagination,
    /// Anything else the generator worked around (a `required` entry naming no property, an
    /// `allOf` part that is not an object, a cookie parameter, …).
    Other,
}

impl WarningKind {
    /// What warnings of this kind are, in a few words, for the summary line (`3 × {this}`).
    pub fn describe(self) -> &'static str {
        match self {
            WarningKind::ExampleContradictsSchema => "example contradicts its schema",
            WarningKind::UnresolvedReference => "unresolved `$ref`",
            WarningKind::WrongReferenceTarget => "`$ref` to the wrong kind of object",
            WarningKind::MalformedObject => "object that is not valid OpenAPI 3.0",
            WarningKind::UnknownType => "unknown `type`",
            WarningKind::ImpossibleConstraint => "impossible constraint",
            WarningKind::IgnoredResponse => "response key that is not a status code",
            WarningKind::IgnoredHeader => "header parameter OpenAPI says to ignore",
            WarningKind::OperationName => "operation named by the generator",
            WarningKind::AliasCycle => "cycle of type aliases",
            WarningKind::Dropped => "construct the OpenAPI 3.0 model cannot carry, dropped",
            WarningKind::SdkName => "SDK group or method name not used as given",
            WarningKind::Pagination => "pagination extension not generated",
            WarningKind::Other => "other construct worked around",
        }
    }
}

/// The warnings of one [`WarningKind`], as [`summarize`] gathers them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningSummary<'a> {
    /// The kind.
    pub kind: WarningKind,
    /// How many warnings of that kind there are.
    pub count: usize,
    /// The first of them, in the order given.
    pub first: &'a Warning,
}

impl fmt::Display for WarningSummary<'_> {
    /// One line: the warning itself when it is the only one of its kind, else the count, the kind
    /// and the first location (`59 × example contradicts its schema, the first at api.yaml:12:5 at
    /// #/…`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.count == 1 {
            return write!(f, "{}", self.first);
        }
        write!(
            f,
            "{} × {}, the first at {}",
            self.count,
            self.kind.describe(),
            self.first.location
        )
    }
}

/// One summary per kind of warning, in the order of [`WarningKind`]: what front ends print instead
/// of every warning (`cargo xtask codegen` prints them all with `--verbose`).
pub fn summarize(warnings: &[Warning]) -> Vec<WarningSummary<'_>> {
    let mut kinds: std::collections::BTreeMap<WarningKind, WarningSummary<'_>> = Default::default();
    for warning in warnings {
        kinds
            .entry(warning.kind)
            .and_modify(|summary| summary.count += 1)
            .or_insert(WarningSummary {
                kind: warning.kind,
                count: 1,
                first: warning,
            });
    }
    kinds.into_values().collect()
}

/// The lines that report `warnings`: every one with `verbose`, else one line per kind of warning
/// (the only one of its kind in full; otherwise how many, and where the first is), and a note on
/// how to see them all when a line stands for several.
pub fn warning_lines(warnings: &[Warning], verbose: bool) -> Vec<String> {
    if verbose {
        return warnings.iter().map(|w| format!("warning: {w}")).collect();
    }
    let summaries = summarize(warnings);
    let mut lines: Vec<String> = summaries.iter().map(|s| format!("warning: {s}")).collect();
    if summaries.iter().any(|s| s.count > 1) {
        lines.push(format!(
            "note: {} warnings in all; run again with --verbose to see every one",
            warnings.len()
        ));
    }
    lines
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
