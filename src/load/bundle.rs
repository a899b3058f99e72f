//! Bundling: external `$ref`s move into the root document. A schema another file holds lands
//! under `#/components/schemas/<name>` (so it keeps a type of its own), anything else is inlined
//! where the reference stood; each move is recorded as an [`Origin`], so that a problem found later
//! in bundled content is reported in the file it was written in.
//!
//! Naming: a schema takes the last token of its reference's fragment (`common.yaml#/Owner` →
//! `Owner`), or the file's stem for a whole file (`./pet.yaml` → `pet`); a name already taken gets
//! `_2`, `_3`… An entry of the root's `#/components/schemas` that only refers to another file
//! (`Pet: {$ref: './pet.yaml'}`) keeps its own name for what it reaches.

use super::locate::Origin;
use super::refs;
use super::source::Files;
use crate::error::{Error, ReferenceProblem};
use crate::pointer::Pointer;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bundles the external references of `doc`, the root description read from `root`, into it.
/// Every reference that cannot be followed is returned, and removed from the document (so that
/// the local reference check does not report it again).
pub fn bundle(files: &mut Files, root: &Path, doc: &mut Value) -> Vec<Error> {
    let mut bundler = Bundler {
        files,
        root: normalize(root),
        names: BTreeMap::new(),
        errors: Vec::new(),
        unparsable: BTreeSet::new(),
        pending: Vec::new(),
    };
    bundler.bundle_root(root, doc);
    bundler.errors
}

/// Moves externally referenced documents into the root.
struct Bundler<'a> {
    files: &'a mut Files,
    /// The root description's path, normalised: a reference into it from another file is local.
    root: PathBuf,
    /// (file, pointer in it) → the local reference that now stands for what is there.
    names: BTreeMap<(PathBuf, Pointer), Pointer>,
    errors: Vec<Error>,
    /// Files that did not parse: reported once, however many references reach them.
    unparsable: BTreeSet<PathBuf>,
    /// Schemas to add to the root, each walked before it is added.
    pending: Vec<PendingSchema>,
}

/// A schema from another file, on its way under `#/components/schemas`.
struct PendingSchema {
    /// Its name under `#/components/schemas`.
    name: String,
    /// The file it was read from.
    file: PathBuf,
    /// Where it is in that file.
    pointer: Pointer,
    /// The schema, its references not yet rewritten.
    value: Value,
}

/// What an external `$ref` reaches: a file, and a fragment as written (`#` for a whole file).
struct Target {
    file: PathBuf,
    fragment: String,
}

/// What stands where an external `$ref` stood.
enum Replacement {
    /// A local reference to a schema moved under `#/components/schemas`.
    Ref(Pointer),
    /// The referenced object itself, and where it is in its file.
    Inline(Value, Pointer),
}

impl Bundler<'_> {
    fn bundle_root(&mut self, root: &Path, doc: &mut Value) {
        let mut taken: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        self.claim_root_schemas(root, doc);
        if refs::any_external_ref(doc) {
            let (mut pointer, mut at) = (Pointer::root(), Pointer::root());
            self.walk(root, doc, &mut pointer, &mut at, true, &mut taken);
        }
        // Schemas found in other files are themselves walked, relative to their own file; their
        // references may add more schemas, so drain until none are left.
        let mut added = Vec::new();
        while let Some(mut pending) = self.pending.pop() {
            let at = schema_pointer(&pending.name);
            self.files.locator.add_origin(Origin {
                at: at.clone(),
                file: pending.file.clone(),
                pointer: pending.pointer.clone(),
            });
            let (file, mut pointer, mut at) = (&pending.file, pending.pointer.clone(), at);
            self.walk(
                file,
                &mut pending.value,
                &mut pointer,
                &mut at,
                false,
                &mut taken,
            );
            added.push((pending.name, pending.value));
        }
        if !added.is_empty() {
            added.sort_by(|a, b| a.0.cmp(&b.0));
            add_schemas(doc, added);
        }
    }

    /// An entry of the root's `#/components/schemas` that is only a reference to another file
    /// (`Pet: {$ref: './pet.yaml'}`) keeps its name: the schema it reaches moves in under it, and
    /// every other reference to that schema points there, instead of the schema arriving as `Pet_2`
    /// with `Pet` an alias of it.
    fn claim_root_schemas(&mut self, root: &Path, doc: &Value) {
        let Some(schemas) = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return;
        };
        for (name, entry) in schemas {
            let Some(reference) = entry.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let target = self.target(root, reference);
            if target.file == self.root {
                continue;
            }
            let pointer = Pointer::parse(&target.fragment);
            let file = target.file;
            let claimed = |p: &Pointer| self.names.contains_key(&(file.clone(), p.clone()));
            if pointer.as_ref().is_some_and(claimed) {
                continue;
            }
            // A target that cannot be read or found is reported when the walk reaches the entry.
            let Ok(target_doc) = self.files.read(&file) else {
                continue;
            };
            let Some((value, pointer)) =
                pointer.and_then(|p| Some((target_doc.pointer(p.json_pointer())?.clone(), p)))
            else {
                continue;
            };
            self.names
                .insert((file.clone(), pointer.clone()), schema_pointer(name));
            self.pending.push(PendingSchema {
                name: name.clone(),
                file,
                pointer,
                value,
            });
        }
    }

    /// The file and fragment a `$ref` written in `file` reaches.
    fn target(&self, file: &Path, reference: &str) -> Target {
        let (target_file, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (f, format!("#{frag}")),
            None => (reference, "#".to_string()),
        };
        let file = if target_file.is_empty() {
            normalize(file)
        } else {
            normalize(&file.parent().unwrap_or(Path::new("")).join(target_file))
        };
        Target { file, fragment }
    }

    /// Rewrites the `$ref`s under `value`, which sits at `pointer` in `file` and at `at` in the
    /// bundled document. The two pointers go down and back up in place as the walk does, and are
    /// where they were when it returns.
    fn walk(
        &mut self,
        file: &Path,
        value: &mut Value,
        pointer: &mut Pointer,
        at: &mut Pointer,
        in_root: bool,
        taken: &mut Vec<String>,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    if reference.starts_with('#') && in_root {
                        return; // A local reference in the root: checked later.
                    }
                    let reference = reference.clone();
                    self.replace_external(file, value, pointer, at, &reference, taken);
                    return;
                }
                let is_property_map = pointer.escaped_tokens_rev().next() == Some("properties");
                for (key, child) in map.iter_mut() {
                    if !is_property_map && (key == "example" || key.starts_with("x-")) {
                        continue;
                    }
                    pointer.descend(key);
                    at.descend(key);
                    self.walk(file, child, pointer, at, in_root, taken);
                    pointer.ascend();
                    at.ascend();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    pointer.descend(i);
                    at.descend(i);
                    self.walk(file, child, pointer, at, in_root, taken);
                    pointer.ascend();
                    at.ascend();
                }
            }
            _ => {}
        }
    }

    /// Replaces `value`, an object holding the external `$ref` `reference`, with what stands for
    /// it in the bundled document.
    fn replace_external(
        &mut self,
        file: &Path,
        value: &mut Value,
        pointer: &Pointer,
        at: &Pointer,
        reference: &str,
        taken: &mut Vec<String>,
    ) {
        let target = self.target(file, reference);
        if target.file == self.root {
            // A reference into the root from another file is a local reference.
            *value = reference_to(target.fragment);
            return;
        }
        // Whether a schema is expected here is decided in the bundled document, where the rules
        // apply (a file's own pointers, such as `#/Pet`, say nothing).
        let schema = is_schema_context(at);
        match self.resolve_external(file, pointer, reference, &target, schema, taken) {
            Ok(Replacement::Ref(local)) => *value = reference_to(local.to_string()),
            Ok(Replacement::Inline(mut inlined, fragment)) => {
                // Inline non-schema objects, resolving their own references relative to the file
                // they came from.
                self.files.locator.add_origin(Origin {
                    at: at.clone(),
                    file: target.file.clone(),
                    pointer: fragment.clone(),
                });
                let (mut fragment, mut inlined_at) = (fragment, at.clone());
                self.walk(
                    &target.file,
                    &mut inlined,
                    &mut fragment,
                    &mut inlined_at,
                    false,
                    taken,
                );
                *value = inlined;
            }
            Err(error) => {
                let repeated = match &error {
                    Error::Syntax { location, .. } => {
                        !self.unparsable.insert(location.file.clone())
                    }
                    _ => false,
                };
                if !repeated {
                    self.errors.push(error);
                }
                // Reported: the reference must not be taken for a local one of the root and
                // reported again when local references are checked.
                *value = Value::Object(Map::new());
            }
        }
    }
}

impl Bundler<'_> {
    /// What stands for the external reference `reference`, written at `pointer` in `file`, to
    /// `target`: a local reference to a schema under `#/components/schemas` where a schema is
    /// expected, the referenced object otherwise.
    fn resolve_external(
        &mut self,
        file: &Path,
        pointer: &Pointer,
        reference: &str,
        target: &Target,
        schema: bool,
        taken: &mut Vec<String>,
    ) -> Result<Replacement, Error> {
        let fail = |files: &Files, problem| Error::Reference {
            location: files.locator.locate_in(file, pointer),
            reference: reference.to_string(),
            problem: Box::new(problem),
        };
        let fragment = Pointer::parse(&target.fragment);
        if let Some(fragment) = &fragment {
            if let Some(local) = self.names.get(&(target.file.clone(), fragment.clone())) {
                return Ok(Replacement::Ref(local.clone()));
            }
        }
        let target_doc = match self.files.read(&target.file) {
            Ok(doc) => doc,
            Err(Error::Read { source, .. }) => {
                let problem = ReferenceProblem::Unreadable {
                    file: target.file.clone(),
                    reason: source.to_string(),
                };
                return Err(fail(self.files, problem));
            }
            Err(other) => return Err(other),
        };
        let found = fragment.and_then(|f| Some((target_doc.pointer(f.json_pointer())?.clone(), f)));
        let Some((value, fragment)) = found else {
            let problem = ReferenceProblem::MissingInFile {
                file: target.file.clone(),
                fragment: target.fragment.clone(),
            };
            return Err(fail(self.files, problem));
        };
        let under_schemas = Pointer::root().join(["components", "schemas"]);
        let in_schemas = fragment.starts_with(&under_schemas) && fragment != under_schemas;
        if !schema && !in_schemas {
            return Ok(Replacement::Inline(value, fragment));
        }
        let name = claim_name(schema_stem(&target.file, &fragment), taken);
        let local = schema_pointer(&name);
        let key = (target.file.clone(), fragment.clone());
        self.names.insert(key, local.clone());
        self.pending.push(PendingSchema {
            name,
            file: target.file.clone(),
            pointer: fragment,
            value,
        });
        Ok(Replacement::Ref(local))
    }
}

/// The name a schema from another file asks for: the last token of its pointer there, or the
/// file's stem for a whole file.
fn schema_stem(file: &Path, pointer: &Pointer) -> String {
    pointer
        .last()
        .filter(|s| !s.is_empty() && s != "#")
        .unwrap_or_else(|| {
            file.file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("schema")
                .to_string()
        })
}

/// `stem`, or `stem_2`, `stem_3`… whichever is not taken yet; then it is.
fn claim_name(stem: String, taken: &mut Vec<String>) -> String {
    let mut name = stem.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{stem}_{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// `#/components/schemas/<name>`.
fn schema_pointer(name: &str) -> Pointer {
    Pointer::root().join(["components", "schemas", name])
}

/// An object holding only `$ref: <reference>`.
fn reference_to(reference: String) -> Value {
    let mut map = Map::new();
    map.insert("$ref".into(), Value::String(reference));
    Value::Object(map)
}

/// Adds the bundled schemas under the root's `#/components/schemas`, making it where it is missing.
fn add_schemas(doc: &mut Value, added: Vec<(String, Value)>) {
    let mut at = doc;
    for key in ["components", "schemas"] {
        let Some(map) = at.as_object_mut() else {
            return;
        };
        at = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    }
    if let Some(schemas) = at.as_object_mut() {
        schemas.extend(added);
    }
}

/// Whether a `$ref` at `pointer` stands where a schema is expected.
pub(super) fn is_schema_context(pointer: &Pointer) -> bool {
    // The keywords hold no `~` or `/`, so the tokens as written compare as well as unescaped ones.
    let mut tokens = pointer.escaped_tokens_rev();
    is_schema_context_at(tokens.next(), tokens.next())
}

/// [`is_schema_context`] for a pointer whose last token is `last` and the one before `parent`.
pub(super) fn is_schema_context_at(last: Option<&str>, parent: Option<&str>) -> bool {
    matches!(
        last,
        Some("schema" | "items" | "additionalProperties" | "not")
    ) || matches!(
        parent,
        Some("properties" | "allOf" | "oneOf" | "anyOf" | "schemas")
    )
}

/// Removes `.` and `..` components without touching the file system.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Source;

    /// A folder of its own for one test, holding `files`.
    fn folder(test: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("apigen-bundle-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    /// Bundles `root` (text, named `root.yaml` in `dir`): the document, the errors and the origins.
    fn bundled(dir: &Path, root: &str) -> (Value, Vec<String>, Vec<Origin>) {
        let name = dir.join("root.yaml");
        let mut files = Files::new(&name);
        let source = Source::Text {
            name: name.clone(),
            text: root.to_string(),
        };
        let mut doc = files.read_source(&source).unwrap();
        let errors = bundle(&mut files, &name, &mut doc);
        let errors = errors.iter().map(ToString::to_string).collect();
        (doc, errors, files.locator.origins().to_vec())
    }

    #[test]
    fn schemas_are_named_after_their_fragment_or_file_and_collisions_numbered() {
        let dir = folder(
            "naming",
            &[
                ("pet.yaml", "type: object\n"),
                (
                    "common.yaml",
                    "Owner: {type: string}\nTag: {type: integer}\n",
                ),
                ("other/common.yaml", "Owner: {type: boolean}\n"),
            ],
        );
        let root = "components:\n  schemas:\n    Tag: {type: string}\n    Animal: {$ref: './pet.yaml'}\npaths:\n  /a:\n    get:\n      parameters:\n      - {name: a, in: query, schema: {$ref: 'common.yaml#/Owner'}}\n      - {name: b, in: query, schema: {$ref: 'other/common.yaml#/Owner'}}\n      - {name: c, in: query, schema: {$ref: 'common.yaml#/Tag'}}\n      - {name: d, in: query, schema: {$ref: 'pet.yaml'}}\n";
        let (doc, errors, origins) = bundled(&dir, root);
        assert!(errors.is_empty(), "{errors:?}");
        let refs: Vec<&str> = (0..4)
            .map(|i| {
                doc.pointer(&format!("/paths/~1a/get/parameters/{i}/schema/$ref"))
                    .and_then(Value::as_str)
                    .unwrap()
            })
            .collect();
        assert_eq!(
            refs,
            [
                "#/components/schemas/Owner",
                "#/components/schemas/Owner_2",
                "#/components/schemas/Tag_2",
                // The root's `Animal` entry claimed the whole of pet.yaml under its own name.
                "#/components/schemas/Animal",
            ]
        );
        let schemas = doc.pointer("/components/schemas").unwrap();
        assert_eq!(schemas["Animal"], serde_json::json!({"type": "object"}));
        assert_eq!(schemas["Owner_2"], serde_json::json!({"type": "boolean"}));
        let origin = origins
            .iter()
            .find(|o| o.at == "#/components/schemas/Owner_2")
            .unwrap();
        assert_eq!(origin.file, dir.join("other/common.yaml"));
        assert_eq!(origin.pointer, "#/Owner");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn other_objects_are_inlined_and_their_own_references_followed() {
        let dir = folder(
            "inline",
            &[
                (
                    "responses.yaml",
                    "NotFound:\n  description: gone\n  content:\n    application/json:\n      schema: {$ref: 'schemas.yaml#/Error'}\n",
                ),
                ("schemas.yaml", "Error: {type: object}\n"),
            ],
        );
        let root = "paths:\n  /a:\n    get:\n      responses:\n        '404': {$ref: 'responses.yaml#/NotFound'}\n";
        let (doc, errors, origins) = bundled(&dir, root);
        assert!(errors.is_empty(), "{errors:?}");
        let response = doc.pointer("/paths/~1a/get/responses/404").unwrap();
        assert_eq!(response["description"], "gone");
        assert_eq!(
            response["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
        assert_eq!(
            origins[0],
            Origin {
                at: Pointer::parse("#/paths/~1a/get/responses/404").unwrap(),
                file: dir.join("responses.yaml"),
                pointer: Pointer::parse("#/NotFound").unwrap(),
            }
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unfollowable_references_are_reported_where_written_and_removed() {
        let dir = folder("errors", &[("there.yaml", "A: {type: string}\n")]);
        let root = "paths:\n  /a:\n    get:\n      parameters:\n      - name: a\n        schema: {$ref: 'missing.yaml'}\n      - name: b\n        schema: {$ref: 'there.yaml#/B'}\n";
        let (doc, errors, _) = bundled(&dir, root);
        let root_name = dir.join("root.yaml").display().to_string();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with(&format!(
                "{root_name}:6:9 at #/paths/~1a/get/parameters/0/schema: cannot resolve `$ref: missing.yaml`: cannot read {}",
                dir.join("missing.yaml").display()
            )),
            "{errors:?}"
        );
        assert_eq!(
            errors[1],
            format!(
                "{root_name}:8:9 at #/paths/~1a/get/parameters/1/schema: cannot resolve `$ref: there.yaml#/B`: {} has nothing at #/B",
                dir.join("there.yaml").display()
            )
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/parameters/0/schema"),
            Some(&serde_json::json!({}))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_that_does_not_parse_is_reported_once() {
        let dir = folder("unparsable", &[("bad.yaml", "A: [unclosed\n")]);
        let root = "paths:\n  /a:\n    get:\n      parameters:\n      - name: a\n        schema: {$ref: 'bad.yaml#/A'}\n      - name: b\n        schema: {$ref: 'bad.yaml#/A'}\n";
        let (_, errors, _) = bundled(&dir, root);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("not valid YAML"), "{errors:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn schema_places_are_recognised_by_whole_tokens() {
        for yes in [
            "#/a/schema",
            "#/a/items",
            "#/a/properties/x",
            "#/components/schemas/S",
        ] {
            assert!(is_schema_context(&Pointer::parse(yes).unwrap()), "{yes}");
        }
        for no in [
            "#",
            "#/schemas",
            "#/a/responses/200",
            "#/a/x~1schema",
            "#/properties",
        ] {
            assert!(!is_schema_context(&Pointer::parse(no).unwrap()), "{no}");
        }
        assert_eq!(
            normalize(Path::new("a/./b/../c.yaml")),
            Path::new("a/c.yaml")
        );
        assert_eq!(normalize(Path::new("../x.yaml")), Path::new("../x.yaml"));
    }
}
