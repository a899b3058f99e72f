//! Lowering: the parsed description becomes our IR. Every schema that needs a type of its own gets
//! one here (component schemas by their key, inline ones hoisted with a name made from where they
//! stand); everything after this stage works on [`Api`] alone.
//!
//! The stage runs in this order, one file per job:
//! 1. `info`: the title, servers and authentication;
//! 2. `schemas`: every component schema becomes a named type (all names claimed first, so that the
//!    description's names win over hoisted ones), reading each schema through one uniform
//!    `view`; `composition` merges `allOf` parts and builds `oneOf`/`anyOf` unions for it;
//! 3. `operations`: each operation, its path template and its pagination extension
//!    (`pagination`), its parameters (`params`), and its bodies and responses (`media`).

mod composed;
mod composition;
mod constraints;
mod info;
mod media;
mod mock_value;
mod operations;
mod pagination;
mod params;
mod schemas;
mod shapes;
mod streaming;
mod unions;
mod view;

use crate::error::{Error, Warning, WarningKind};
use crate::ir::*;
use crate::load::{follow_ref_chain, Loaded};
use crate::names::{self, Scope};
use crate::pointer::Pointer;
use openapiv3::ReferenceOr;
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

pub use mock_value::mock_value;
pub use schemas::string_enum;

/// How deep inline schemas may nest before the generator gives up on them and uses a JSON value.
const MAX_DEPTH: usize = 64;

/// Lowers a loaded description into the IR.
pub fn lower(loaded: &Loaded) -> Result<(Api, Vec<Warning>), Error> {
    let mut lowerer = Lowerer {
        loaded,
        api: Api::default(),
        components: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        type_scope: Scope::with_taken([]),
        field_names: RefCell::default(),
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    lowerer.lower_info();
    lowerer.lower_components();
    lowerer.lower_operations();
    if let Some(error) = Error::from_list(std::mem::take(&mut lowerer.errors)) {
        return Err(error);
    }
    Ok((lowerer.api, lowerer.warnings))
}

/// The state of one lowering: the description, the IR built so far, and what was found on the way.
struct Lowerer<'a> {
    loaded: &'a Loaded,
    api: Api,
    /// Component schema key → its type.
    components: BTreeMap<String, TypeId>,
    /// Pointer of an inline schema → the type hoisted from it.
    hoisted: BTreeMap<Pointer, TypeId>,
    type_scope: Scope,
    /// The field names made so far, by wire name: GitHub's schemas spell the same property names
    /// thousands of times, and the case conversion costs more than the lookup. Type names are
    /// made from hints that seldom repeat, and are not cached.
    field_names: RefCell<HashMap<String, String>>,
    warnings: Vec<Warning>,
    errors: Vec<Error>,
}

/// Joins a title and a description into documentation.
fn doc_of(title: Option<&str>, description: Option<&str>) -> Option<String> {
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    match (title, description) {
        (Some(t), Some(d)) if !d.starts_with(t) => Some(format!("{t}\n\n{d}")),
        (_, Some(d)) => Some(d.to_string()),
        (Some(t), None) => Some(t.to_string()),
        (None, None) => None,
    }
}

impl Lowerer<'_> {
    /// [`names::field_name`] of `raw`, made once per spelling.
    fn field_name(&self, raw: &str) -> String {
        let mut cache = self.field_names.borrow_mut();
        if let Some(name) = cache.get(raw) {
            return name.clone();
        }
        let name = names::field_name(raw);
        cache.insert(raw.to_string(), name.clone());
        name
    }

    /// Warns at `at` about a construct worked around, of no more particular kind.
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warn_as(WarningKind::Other, at, message);
    }

    /// Warns at `at` about a problem of `kind`.
    fn warn_as(&mut self, kind: WarningKind, at: &Pointer, message: impl Into<String>) {
        let location = self.loaded.locate(at);
        self.warnings.push(Warning::new(kind, location, message));
    }

    /// Deserialises what a local reference points at.
    fn resolve<T: serde::de::DeserializeOwned>(&self, reference: &str) -> Option<T> {
        let value = follow_ref_chain(&self.loaded.doc, reference).ok()?;
        // Read from the borrowed value, without copying it first.
        T::deserialize(value).ok()
    }

    /// Whether a chain of local references starting at `reference` reaches a value: one that does
    /// not was reported (and its consequence said) by the loader.
    fn reaches_something(&self, reference: &str) -> bool {
        follow_ref_chain(&self.loaded.doc, reference).is_ok()
    }

    /// The object itself, borrowed, or what its reference points at, read from the document; `None`
    /// when the reference points at something else. An object is not copied: GitHub's inline
    /// responses carry large examples.
    fn resolve_item<'i, T>(&self, item: &'i ReferenceOr<T>) -> Option<Cow<'i, T>>
    where
        T: Clone + serde::de::DeserializeOwned,
    {
        match item {
            ReferenceOr::Item(item) => Some(Cow::Borrowed(item)),
            ReferenceOr::Reference { reference } => self.resolve(reference).map(Cow::Owned),
        }
    }

    /// Like [`Lowerer::resolve_item`], warning at `at` when the reference points at something that
    /// is not `what` (`a parameter`), and saying what the generator does instead (`skipped`).
    fn resolve_or_warn<'i, T>(
        &mut self,
        item: &'i ReferenceOr<T>,
        at: &Pointer,
        what: &str,
        instead: &str,
    ) -> Option<Cow<'i, T>>
    where
        T: Clone + serde::de::DeserializeOwned,
    {
        let resolved = self.resolve_item(item);
        if let (None, ReferenceOr::Reference { reference }) = (&resolved, item) {
            // A reference that reaches nothing was reported by the loader, which said what
            // becomes of it; one that reaches the wrong kind of object is reported here.
            if self.reaches_something(reference) {
                let message = format!("`$ref: {reference}` is not {what}; {instead}");
                self.warn_as(WarningKind::WrongReferenceTarget, at, message);
            }
        }
        resolved
    }

    fn new_type(&mut self, name_hint: &str, origin: &Pointer, doc: Option<String>) -> TypeId {
        self.new_named_type(&names::type_name(name_hint), origin, doc)
    }

    /// [`Lowerer::new_type`] for a hint already made into a type name.
    fn new_named_type(&mut self, type_name: &str, origin: &Pointer, doc: Option<String>) -> TypeId {
        let name = self.type_scope.claim(type_name);
        let id = TypeId(self.api.types.len());
        self.api.types.push(TypeDef {
            name,
            origin: origin.clone(),
            doc,
            kind: TypeKind::Alias(Ty::Json),
        });
        id
    }

    /// Records an example found at `origin/key`, to be decoded into `ty`.
    fn example(&mut self, origin: &Pointer, key: &str, value: &Value, ty: Ty) {
        let ty = match ty {
            Ty::Option(inner) if !value.is_null() => *inner,
            other => other,
        };
        self.api.examples.push(Example {
            origin: origin.push(key),
            value: value.clone(),
            ty,
        });
    }
}

/// Lowering small descriptions written inline, for the tests of each file of this stage.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::error::Warning;
    use crate::ir::{Api, TypeDef, TypeKind};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Lowers a description given as YAML text; `paths` and `components` are written under a
    /// fixed `openapi`/`info` header. The loader reads files, so the text goes through a
    /// temporary file of its own.
    pub fn lower_yaml(body: &str) -> (Api, Vec<Warning>) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("apigen-lower-test-{}-{n}.yaml", std::process::id()));
        let text = format!("openapi: 3.0.3\ninfo:\n  title: T\n  version: '1'\n{body}");
        std::fs::write(&path, text).expect("the temporary description is written");
        let loaded = crate::load::load(&path, &[]);
        let _ = std::fs::remove_file(&path);
        let loaded = loaded.expect("the test description loads");
        let (api, mut warnings) = super::lower(&loaded).expect("the test description lowers");
        warnings.extend(loaded.warnings);
        (api, warnings)
    }

    /// The type named `name`.
    pub fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
        api.types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type `{name}` among {:?}", type_names(api)))
    }

    /// The struct named `name`.
    pub fn struct_named<'a>(api: &'a Api, name: &str) -> &'a crate::ir::Struct {
        match &type_named(api, name).kind {
            TypeKind::Struct(s) => s,
            other => panic!("`{name}` is not a struct: {other:?}"),
        }
    }

    /// Every type's name, in order.
    pub fn type_names(api: &Api) -> Vec<&str> {
        api.types.iter().map(|t| t.name.as_str()).collect()
    }

    /// Each warning as (pointer, message).
    pub fn located(warnings: &[Warning]) -> Vec<(&str, &str)> {
        warnings
            .iter()
            .map(|w| {
                (
                    w.location.pointer.as_ref().map_or("", |p| p.as_str()),
                    w.message.as_str(),
                )
            })
            .collect()
    }
}
