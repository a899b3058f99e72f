//! Loading: from a description's text to one checked, parsed document. The stages, in order:
//!
//! 1. `source`: read the root description (a file, or text in memory) and `parse` it: YAML or
//!    JSON text → `serde_json::Value`, duplicate keys refused.
//! 2. `checks`: refuse anything but OpenAPI 3.0 or 3.1 or Swagger 2.0, before anything else
//!    reads the document.
//! 3. `bundle`: move external `$ref`s into the root document, recording where each came from.
//! 4. [`overlay`]: apply OpenAPI Overlays to the bundled document, in order; then [`overrides`]:
//!    take the SDK group and method names of fern overrides documents.
//! 5. [`normalize`]: rewrite a 3.1 or 2.0 document into the 3.0 model, recording where each part
//!    moved.
//! 6. `refs`: check that every local `$ref` reaches a definition, without a cycle.
//! 7. `openapi`: parse the result with `openapiv3`; `checks` warns about ignored responses.
//!
//! A defect local to one place (a `$ref` that reaches nothing, a schema no value meets, an object
//! that does not parse) is a warning, and `degrade` gives that place its widest sound reading;
//! only a document that cannot be read as OpenAPI at all is refused.
//!
//! `locate` serves every stage: it maps a pointer into the bundled and normalised document back
//! to the file and the place it was written at, with a line and column. The loader is the only
//! code that reads files; it records
//! every file it read, so that a build script can ask Cargo to rerun exactly when one changes.

mod bundle;
mod checks;
mod degrade;
mod locate;
pub mod normalize;
mod openapi;
pub mod overlay;
pub mod overrides;
mod parse;
mod refs;
mod source;
mod split_parse;

pub use locate::{Locator, Origin};
pub use parse::parse_text;
pub use refs::{follow_ref_chain, MAX_REF_DEPTH};
pub use source::Source;

use crate::error::{Error, Location, ReferenceProblem, Warning, WarningKind};
use crate::pointer::Pointer;
use refs::RefDefect;
use serde_json::Value;
use source::Files;
use std::path::{Path, PathBuf};

/// A description, loaded and bundled into one document.
#[derive(Debug)]
pub struct Loaded {
    /// The root description's path (for text in memory, its name).
    pub root: PathBuf,
    /// The whole document as JSON, with external references bundled under `#/components`.
    pub doc: Value,
    /// The parsed document.
    pub openapi: openapiv3::OpenAPI,
    /// Every file read from disk, the root first, then overlays and referenced files in the order
    /// first read. A description given as text in memory is not listed.
    pub inputs: Vec<PathBuf>,
    /// Problems found and worked around.
    pub warnings: Vec<Warning>,
    /// The text of every source and where bundled content came from, to locate pointers.
    pub locator: Locator,
}

impl Loaded {
    /// The location of a pointer into the bundled document: in the file the content came from
    /// (the root, or the file an external `$ref` reached), with a line where one can be found.
    pub fn locate(&self, pointer: &Pointer) -> Location {
        self.locator.locate(pointer)
    }

    /// The value at a pointer into the bundled document.
    pub fn get(&self, pointer: &Pointer) -> Option<&Value> {
        refs::lookup(&self.doc, pointer.json_pointer())
    }

    /// [`Loaded::locate`] for a pointer still held as text (`#/components/schemas/x`), for the
    /// stages that record pointers as strings. Text that is not a pointer locates the whole file,
    /// without a line.
    pub fn locate_str(&self, pointer: &str) -> Location {
        match Pointer::parse(pointer) {
            Some(pointer) => self.locate(&pointer),
            None => Location::in_file(&self.root),
        }
    }

    /// [`Loaded::get`] for a pointer still held as text.
    pub fn get_str(&self, pointer: &str) -> Option<&Value> {
        self.get(&Pointer::parse(pointer)?)
    }

    /// Where bundled content came from: one entry per externally referenced schema moved under
    /// `#/components/schemas` or object inlined.
    pub fn origins(&self) -> &[Origin] {
        self.locator.origins()
    }
}

/// Loads the description at `spec`, applying `overlays` in order.
pub fn load(spec: &Path, overlays: &[PathBuf]) -> Result<Loaded, Error> {
    load_source(&Source::File(spec.to_path_buf()), overlays)
}

/// Loads the description `source` (a file, or text in memory), applying `overlays` in order.
pub fn load_source(source: &Source, overlays: &[PathBuf]) -> Result<Loaded, Error> {
    load_source_with_inputs(source, overlays).0
}

/// [`load`], and every file it read, whether loading succeeded or not: what a build script watches
/// when the description is broken, so that fixing any of those files reruns it. A file that could
/// not be read is not listed; one that was read but does not parse is.
pub fn load_with_inputs(
    spec: &Path,
    overlays: &[PathBuf],
) -> (Result<Loaded, Error>, Vec<PathBuf>) {
    load_source_with_inputs(&Source::File(spec.to_path_buf()), overlays)
}

/// [`load_with_inputs`] for any [`Source`]: text in memory is not a file read, but the files its
/// external references reach are.
pub fn load_source_with_inputs(
    source: &Source,
    overlays: &[PathBuf],
) -> (Result<Loaded, Error>, Vec<PathBuf>) {
    load_source_with_overrides(source, overlays, &[])
}

/// [`load_source_with_inputs`], also taking the SDK names of the fern overrides documents
/// `overrides`, in order, after the overlays (see [`overrides`]).
pub fn load_source_with_overrides(
    source: &Source,
    overlays: &[PathBuf],
    overrides: &[PathBuf],
) -> (Result<Loaded, Error>, Vec<PathBuf>) {
    load_source_timed(source, overlays, overrides, &mut || {})
}

/// [`load_source_with_overrides`], calling `parsed` once the root description is read and parsed
/// (and before anything else happens to it), so that a caller can time the two halves of loading.
pub fn load_source_timed(
    source: &Source,
    overlays: &[PathBuf],
    overrides: &[PathBuf],
    parsed: &mut dyn FnMut(),
) -> (Result<Loaded, Error>, Vec<PathBuf>) {
    let mut files = Files::new(source.name());
    let result = load_files(&mut files, source, overlays, overrides, parsed);
    (result, files.order)
}

/// The stages, in the order the module's documentation gives.
fn load_files(
    files: &mut Files,
    source: &Source,
    overlays: &[PathBuf],
    overrides: &[PathBuf],
    parsed: &mut dyn FnMut(),
) -> Result<Loaded, Error> {
    let spec = source.name();
    let mut doc = files.read_source(source)?;
    parsed();
    let dialect = checks::check_version(spec, &doc, &files.locator)?;
    let (unresolved, unreadable): (Vec<Error>, Vec<Error>) = bundle::bundle(files, spec, &mut doc)
        .into_iter()
        .partition(|e| matches!(e, Error::Reference { .. }));
    // A referenced file that does not parse refuses the document before overlays, which would
    // otherwise fail on what that file should have brought.
    let (_, unreadable) =
        degrade::reference_warnings(&mut doc, unreadable, Vec::new(), &files.locator);
    if let Some(error) = Error::from_list(unreadable) {
        return Err(error);
    }
    let errors = unresolved;
    // Overlays apply to the bundled document, so that they reach schemas that live in other
    // files (under the names they are bundled as) and can fix what the checks below would reject.
    for overlay in overlays {
        let overlay_doc = files.read(overlay)?;
        overlay::apply(&mut doc, overlay_doc, overlay)?;
    }
    let mut override_warnings = Vec::new();
    for file in overrides {
        let names = overrides::parse(file, &files.read_text(file)?)?;
        override_warnings.extend(overrides::apply(&mut doc, &names, file, &files.locator));
    }
    // Normalised after the overlays and overrides, which are written against the document the
    // user wrote; from here on, pointers are into the normalised document and located through its
    // moves.
    let normalized = normalize::normalize(&mut doc, dialect);
    files.locator.set_moves(normalized.moves);
    let mut warnings: Vec<Warning> = override_warnings;
    warnings.extend(normalized.warnings.into_iter().map(|(at, message)| {
        Warning::new(WarningKind::Dropped, files.locator.locate(&at), message)
    }));
    // Every reference problem is found in one go: those in other files and the local ones. A
    // reference that reaches nothing is local to one place, and becomes a warning (`degrade`).
    let mut defects = Vec::new();
    refs::check_local_refs(&doc, &doc, &Pointer::root(), &mut defects);
    let defects = defects
        .into_iter()
        .map(|defect| defect_as_written(defect, &files.locator))
        .collect();
    let (reference_warnings, errors) =
        degrade::reference_warnings(&mut doc, errors, defects, &files.locator);
    warnings.extend(reference_warnings);
    if let Some(error) = Error::from_list(errors) {
        return Err(error);
    }
    warnings.extend(degrade::impossible_constraints(&mut doc, &files.locator));
    let openapi = degrade::parse_degrading(&mut doc, &files.locator, &mut warnings)?;
    warnings.extend(checks::check_response_keys(&doc, &files.locator));
    let locator = std::mem::replace(&mut files.locator, Locator::new(spec));
    Ok(Loaded {
        root: spec.to_path_buf(),
        doc,
        openapi,
        inputs: files.order.clone(),
        warnings,
        locator,
    })
}

/// A reference problem found in the normalised document, with its references as the user wrote
/// them (`#/definitions/Pet` in a Swagger 2.0 document, not `#/components/schemas/Pet`).
fn defect_as_written(defect: RefDefect, locator: &Locator) -> RefDefect {
    let RefDefect::Unresolved {
        at,
        reference,
        mut problem,
    } = defect
    else {
        return defect;
    };
    let written = |reference: &str| match Pointer::parse(reference) {
        Some(pointer) if reference.starts_with('#') => locator.unnormalised(&pointer).to_string(),
        _ => reference.to_string(),
    };
    match &mut problem {
        ReferenceProblem::Missing { reference }
        | ReferenceProblem::TooLong { reference }
        | ReferenceProblem::NotLocal { reference } => *reference = written(reference),
        ReferenceProblem::Cycle { chain } => chain.iter_mut().for_each(|r| *r = written(r)),
        _ => {}
    }
    RefDefect::Unresolved {
        at,
        reference: written(&reference),
        problem,
    }
}

/// Decodes one JSON pointer token.
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    fn folder(test: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("apigen-load-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("schemas")).unwrap();
        dir
    }

    #[test]
    fn text_in_memory_resolves_relative_references_against_its_name() {
        let dir = folder("memory");
        std::fs::write(
            dir.join("schemas/pet.yaml"),
            "type: object\nproperties:\n  id: {type: integer}\n",
        )
        .unwrap();
        let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet: {{$ref: './schemas/pet.yaml'}}\n    Owner:\n      type: object\n      x-note: here\n");
        let source = Source::Text {
            name: dir.join("openapi.yaml"),
            text,
        };
        let loaded = load_source(&source, &[]).expect("loads");
        // The text was never read from disk; the file it references was.
        assert_eq!(loaded.inputs, [dir.join("schemas/pet.yaml")]);
        let owner = Pointer::parse("#/components/schemas/Owner/x-note").unwrap();
        assert_eq!(loaded.get(&owner), Some(&Value::from("here")));
        let location = loaded.locate(&owner);
        assert_eq!(location.file, dir.join("openapi.yaml"));
        assert_eq!(location.line, Some((9, 7)));
        let id = Pointer::parse("#/components/schemas/Pet/properties/id").unwrap();
        assert_eq!(
            loaded.locate(&id).to_string(),
            format!(
                "{}:3:3 at #/properties/id",
                dir.join("schemas/pet.yaml").display()
            )
        );
        assert_eq!(loaded.locate_str(id.as_str()), loaded.locate(&id));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_load_from_memory_lists_only_the_files_it_read() {
        let dir = folder("memory-fail");
        std::fs::write(dir.join("schemas/bad.yaml"), "type: [unclosed\n").unwrap();
        let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Bad: {{$ref: 'schemas/bad.yaml'}}\n    Gone: {{$ref: 'schemas/gone.yaml'}}\n");
        let source = Source::Text {
            name: dir.join("openapi.yaml"),
            text,
        };
        let (result, read) = load_source_with_inputs(&source, &[]);
        // The file that does not parse refuses the document; the one that cannot be read would
        // only have been a warning.
        assert!(matches!(result, Err(Error::Syntax { .. })), "{result:?}");
        assert_eq!(read, [dir.join("schemas/bad.yaml")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_reference_the_bundler_reported_is_not_reported_again() {
        let dir = folder("once");
        let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'schemas/missing.yaml'}}\n    B: {{$ref: '#/components/schemas/C'}}\n");
        let source = Source::Text {
            name: dir.join("openapi.yaml"),
            text,
        };
        let loaded = load_source(&source, &[]).expect("references that reach nothing are warnings");
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            loaded
                .warnings
                .iter()
                .all(|w| w.kind == crate::error::WarningKind::UnresolvedReference),
            "{warnings:?}"
        );
        assert!(warnings[0].contains("cannot read"), "{warnings:?}");
        assert!(
            warnings[1].ends_with(
                "nothing at #/components/schemas/C in this document; using a JSON value"
            ),
            "{warnings:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
