//! The pagination of list operations, as the description's extension states it and as the passes
//! resolve it against the types.

use super::*;

/// An operation's pagination extension as the description writes it, before it is checked
/// against the types:
///
/// ```yaml
/// x-pagination:
///   cursor: $request.starting_after           # or $request.pagination.starting_after (body)
///   next_cursor: $response.pages.next.starting_after
///   results: $response.data
/// # or, for page numbers:
///   offset: $request.page
///   results: $response.data
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PaginationSpec {
    /// Where the extension is.
    pub origin: Pointer,
    /// The dotted path of wire names from the success body to the list of results (`data`).
    pub results: String,
    /// How the next page is asked for.
    pub kind: PaginationSpecKind,
}

impl PaginationSpec {
    /// What a warning about an extension that does not fit says first, before the reason.
    pub const NOT_GENERATED: &'static str = "pagination is not generated for this operation";

    /// The reason an extension is not used when the operation lacks one successful body.
    pub const NEEDS_ONE_SUCCESS_BODY: &'static str =
        "it needs exactly one successful response with a body";
}

/// How a pagination extension says the next page is asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum PaginationSpecKind {
    /// `cursor` and `next_cursor`.
    Cursor {
        /// The dotted path in the request the cursor goes to: a parameter's wire name, or wire
        /// names into the body (`pagination.starting_after`).
        request: String,
        /// The dotted path of wire names from the success body to the next cursor.
        next: String,
    },
    /// `offset`: the wire name of the page number parameter.
    Page {
        /// The parameter's wire name.
        param: String,
    },
}

/// How a list operation pages through its results.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The path from the success body to the list of results.
    pub results: Vec<Step>,
    /// The type of one result.
    pub item: Ty,
    /// How the next page is asked for.
    pub kind: PaginationKind,
}

/// One field on a path through response or request types.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The field's Rust name.
    pub name: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the field is an optional property that may be `null`: the runtime's `Nullable`
    /// rather than an `Option`.
    pub nullable: bool,
}

/// How the next page is asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum PaginationKind {
    /// A cursor from each response goes into the next request.
    Cursor {
        /// Where the cursor goes in the request.
        target: CursorTarget,
        /// The path from the success body to the next cursor.
        next: Vec<Step>,
    },
    /// A page number parameter (the index into [`Operation::params`]) counts up from 1 until a
    /// page comes back empty.
    Page {
        /// The parameter.
        param: usize,
    },
}

/// Where a cursor goes in the next request.
#[derive(Clone, Debug, PartialEq)]
pub enum CursorTarget {
    /// A parameter (the index into [`Operation::params`]).
    Param(usize),
    /// A field of the request body, through optional objects that are created when absent.
    Body(Vec<Step>),
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// The parameter at this index of [`Operation::params`].
    Param(usize),
}
