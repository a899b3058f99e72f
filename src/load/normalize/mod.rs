//! Normalisation: an OpenAPI 3.1 or Swagger 2.0 document rewritten, as JSON, into the OpenAPI 3.0
//! model that `openapiv3` and the rest of the generator read. It runs on the bundled document
//! (after overlays, which are written against the document as the user wrote it), in this order:
//!
//! 1. the document's layout: `swagger2` moves a 2.0 document's parts to their 3.0 places
//!    (`definitions`, body and form parameters, `produces`, `host`…), `v31` handles what 3.1
//!    adds at the top (`webhooks`, `jsonSchemaDialect`, optional `paths`) and hoists `$defs`;
//! 2. every schema, top down (`schema`): the keywords 3.1 (or 2.0) spells differently are
//!    rewritten, and those 3.0 cannot say are dropped with a warning.
//!
//! Every move is recorded in a [`PointerMap`] from the normalised document back to the document as
//! written, so that every later diagnostic names the place the user wrote. Each stage records
//! against the document as rewritten so far, and walks top down, so that the entries compose.
//! A 3.0 document is not touched.

mod schema;
mod swagger2;
mod swagger2_operations;
mod v31;

use crate::pointer::{Pointer, PointerMap};
use serde_json::Value;

/// The kind of description a document is, from its version field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0.x: read as it is.
    OpenApi30,
    /// OpenAPI 3.1.x: schemas are JSON Schema 2020-12.
    OpenApi31,
    /// Swagger 2.0.
    Swagger2,
}

/// What normalisation did besides rewriting the document.
#[derive(Debug, Default)]
pub struct Normalized {
    /// Pointers into the normalised document → pointers into the document as written.
    pub moves: PointerMap,
    /// What was dropped or read differently, each at a pointer into the normalised document (a
    /// dropped keyword's pointer names where it was, below a place that still exists).
    pub warnings: Vec<(Pointer, String)>,
}

/// Rewrites `doc`, a `dialect` document, into OpenAPI 3.0.
pub fn normalize(doc: &mut Value, dialect: Dialect) -> Normalized {
    let mut rewrite = Rewrite {
        dialect,
        done: Normalized::default(),
    };
    match dialect {
        Dialect::OpenApi30 => return rewrite.done,
        Dialect::OpenApi31 => v31::normalize_document(doc, &mut rewrite),
        Dialect::Swagger2 => swagger2::convert_document(doc, &mut rewrite),
    }
    normalize_schemas(doc, &Pointer::root(), &mut rewrite);
    rewrite.done
}

/// The state of one normalisation: the dialect, the moves recorded and the warnings.
struct Rewrite {
    dialect: Dialect,
    done: Normalized,
}

impl Rewrite {
    /// Records that what is now at `now` was at `before` (both in the document as rewritten so
    /// far, `before` before this move).
    fn moved(&mut self, now: Pointer, before: &Pointer) {
        self.done.moves.record(now, before);
    }

    /// Records that what is now at `now` was written at `original`, a pointer into the document
    /// as written: for the stage that builds a new document out of the old one.
    fn moved_from_original(&mut self, now: Pointer, original: Pointer) {
        self.done.moves.record_original(now, original);
    }

    /// Warns about something at `at`, a pointer into the document as rewritten so far.
    fn warn(&mut self, at: Pointer, message: String) {
        self.done.warnings.push((at, message));
    }
}

/// Keys below which a value is data, not description: examples and extensions.
fn is_data(key: &str) -> bool {
    key == "example" || key == "examples" || key.starts_with("x-")
}

/// Finds every schema of a document in the 3.0 layout, top down, and normalises it: the entries of
/// `#/components/schemas` and the value of every `schema` key (parameters, headers, media types).
fn normalize_schemas(value: &mut Value, at: &Pointer, rewrite: &mut Rewrite) {
    match value {
        Value::Object(map) => {
            let in_schemas = at.as_str() == "#/components/schemas";
            for (key, child) in map.iter_mut() {
                let child_at = at.push(key);
                if in_schemas || key == "schema" {
                    schema::normalize_schema(child, &child_at, rewrite);
                } else if !is_data(key) {
                    normalize_schemas(child, &child_at, rewrite);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                normalize_schemas(child, &at.push(i), rewrite);
            }
        }
        _ => {}
    }
}

/// Rewrites every `$ref` under `value` whose target starts with one of `prefixes`' old pointers,
/// token by token, to start with its new one instead. Examples are walked too: a property may be
/// named `example`, and a `$ref` key inside example data is rare enough not to matter.
fn rewrite_refs(value: &mut Value, prefixes: &[(Pointer, Pointer)]) {
    if prefixes.is_empty() {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(target) = Pointer::parse(reference) {
                    let renamed = prefixes
                        .iter()
                        .find_map(|(old, new)| target.rebase(old, new));
                    if let Some(renamed) = renamed {
                        *reference = renamed.to_string();
                    }
                }
            }
            map.values_mut().for_each(|c| rewrite_refs(c, prefixes));
        }
        Value::Array(items) => items.iter_mut().for_each(|c| rewrite_refs(c, prefixes)),
        _ => {}
    }
}

/// The object at `key` of `map`, created empty if it is missing or not an object.
fn object_at<'a>(
    map: &'a mut serde_json::Map<String, Value>,
    key: &str,
) -> &'a mut serde_json::Map<String, Value> {
    let slot = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(serde_json::Map::new());
    }
    slot.as_object_mut().expect("an object was just put here")
}

/// The list at `key` of `map`, created empty if it is missing or not a list.
fn list_at<'a>(map: &'a mut serde_json::Map<String, Value>, key: &str) -> &'a mut Vec<Value> {
    let slot = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    slot.as_array_mut().expect("a list was just put here")
}

#[cfg(test)]
mod tests;
