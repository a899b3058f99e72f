//! Loading: read the description, check its version, apply overlays, bundle external `$ref`s into
//! the root document, check every local `$ref`, and parse the result with `openapiv3`.
//!
//! The loader is the only code that reads files. It records every file it read, so that a build
//! script can ask Cargo to rerun exactly when one of them changes.

use crate::error::{escape_pointer_token, Error, Location, Warning};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A description, loaded and bundled into one document.
#[derive(Debug)]
pub struct Loaded {
    /// The root description's path.
    pub root: PathBuf,
    /// The whole document as JSON, with external references bundled under `#/components`.
    pub doc: Value,
    /// The parsed document.
    pub openapi: openapiv3::OpenAPI,
    /// Every file read, the root first, then overlays and referenced files in the order first read.
    pub inputs: Vec<PathBuf>,
    /// The text of each file read, to find lines for pointers.
    pub sources: BTreeMap<PathBuf, String>,
    /// Problems found and worked around.
    pub warnings: Vec<Warning>,
}

impl Loaded {
    /// A location in the root document, with a line where one can be found.
    pub fn locate(&self, pointer: &str) -> Location {
        let mut location = Location::new(&self.root, pointer);
        if let Some(text) = self.sources.get(&self.root) {
            location.line = find_line(text, pointer);
        }
        location
    }

    /// The value at a local JSON pointer (`#/components/schemas/x`).
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.doc
            .pointer(pointer.strip_prefix('#').unwrap_or(pointer))
    }
}

/// Loads the description at `spec`, applying `overlays` in order.
pub fn load(spec: &Path, overlays: &[PathBuf]) -> Result<Loaded, Error> {
    let mut files = Files::default();
    let mut doc = files.read(spec)?;
    check_version(spec, &doc, &files)?;
    for overlay in overlays {
        let overlay_doc = files.read(overlay)?;
        crate::overlay::apply(&mut doc, &overlay_doc, overlay)?;
    }
    let mut bundler = Bundler {
        files: &mut files,
        names: BTreeMap::new(),
        errors: Vec::new(),
        pending: Vec::new(),
    };
    bundler.bundle_root(spec, &mut doc);
    let errors = std::mem::take(&mut bundler.errors);
    if let Some(error) = Error::from_list(errors) {
        return Err(error);
    }
    let sources = files.sources;
    let mut loaded_errors = Vec::new();
    check_local_refs(&doc, &doc, "#", spec, &sources, &mut loaded_errors);
    if let Some(error) = Error::from_list(loaded_errors) {
        return Err(error);
    }
    let openapi = parse_openapi(spec, &doc, &sources)?;
    Ok(Loaded {
        root: spec.to_path_buf(),
        doc,
        openapi,
        inputs: files.order,
        sources,
        warnings: Vec::new(),
    })
}

/// The files read so far, each parsed once.
#[derive(Default)]
struct Files {
    order: Vec<PathBuf>,
    sources: BTreeMap<PathBuf, String>,
    parsed: BTreeMap<PathBuf, Value>,
}

impl Files {
    fn read(&mut self, path: &Path) -> Result<Value, Error> {
        if let Some(value) = self.parsed.get(path) {
            return Ok(value.clone());
        }
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let value = parse_text(path, &text)?;
        self.order.push(path.to_path_buf());
        self.sources.insert(path.to_path_buf(), text);
        self.parsed.insert(path.to_path_buf(), value.clone());
        Ok(value)
    }
}

/// Parses YAML or JSON text into a JSON value. JSON is recognised by its first character.
pub fn parse_text(path: &Path, text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return serde_json::from_str(trimmed).map_err(|e| Error::Syntax {
            location: Location {
                file: path.to_path_buf(),
                pointer: String::new(),
                line: Some((e.line(), e.column())),
            },
            format: "JSON",
            message: strip_position(&e.to_string()),
        });
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| Error::Syntax {
        location: Location {
            file: path.to_path_buf(),
            pointer: String::new(),
            line: e.location().map(|l| (l.line(), l.column())),
        },
        format: "YAML",
        message: strip_position(&e.to_string()),
    })?;
    yaml.apply_merge().map_err(|e| Error::Syntax {
        location: Location::new(path, ""),
        format: "YAML",
        message: e.to_string(),
    })?;
    Ok(yaml_to_json(yaml))
}

/// Removes the " at line N column M" that parsers append, since the location says it already.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Converts YAML to JSON: non-string keys (YAML reads `200:` as a number) become strings, tags are
/// dropped, and non-finite numbers become null.
fn yaml_to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => serde_yaml::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                out.insert(key, yaml_to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn check_version(spec: &Path, doc: &Value, files: &Files) -> Result<(), Error> {
    let locate = |pointer: &str| {
        let mut location = Location::new(spec, pointer);
        location.line = files.sources.get(spec).and_then(|t| find_line(t, pointer));
        location
    };
    let Some(object) = doc.as_object() else {
        return Err(Error::Invalid {
            location: Location::new(spec, "#"),
            message:
                "the document is not a mapping; an OpenAPI description starts with `openapi: 3.0.x`"
                    .into(),
        });
    };
    if let Some(swagger) = object.get("swagger") {
        return Err(Error::UnsupportedVersion {
            location: locate("#/swagger"),
            message: format!(
                "this is a Swagger {} document; only OpenAPI 3.0 is supported. Convert it first \
                 (for example with `npx swagger2openapi`), then generate from the result",
                display_scalar(swagger)
            ),
        });
    }
    match object.get("openapi") {
        None => Err(Error::UnsupportedVersion {
            location: locate("#"),
            message: "no `openapi` field: an OpenAPI 3.0 description starts with `openapi: 3.0.x`".into(),
        }),
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(Value::String(v)) if v.starts_with("3.1") => Err(Error::UnsupportedVersion {
            location: locate("#/openapi"),
            message: format!(
                "OpenAPI {v} is not supported yet, only 3.0.x. If the description uses no 3.1-only \
                 features (type arrays, `null` types, `$ref` siblings), changing the field to `3.0.3` works"
            ),
        }),
        Some(other) => Err(Error::UnsupportedVersion {
            location: locate("#/openapi"),
            message: format!("unsupported OpenAPI version {}, only 3.0.x is supported", display_scalar(other)),
        }),
    }
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// Moves externally referenced documents into the root: schemas land under
/// `#/components/schemas/<name>` (so they keep a type of their own), anything else is inlined.
struct Bundler<'a> {
    files: &'a mut Files,
    /// (file, pointer) → the local reference that now stands for it.
    names: BTreeMap<(PathBuf, String), String>,
    errors: Vec<Error>,
    /// Schemas to add to the root, with the file they came from.
    pending: Vec<(String, PathBuf, Value)>,
}

impl Bundler<'_> {
    fn bundle_root(&mut self, root: &Path, doc: &mut Value) {
        let mut taken: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        self.walk(root, doc, "#", true, &mut taken);
        // Schemas found in other files are themselves walked, relative to their own file; their
        // references may add more schemas, so drain until none are left.
        let mut added = Vec::new();
        while let Some((name, file, mut value)) = self.pending.pop() {
            let pointer = format!("#/components/schemas/{}", escape_pointer_token(&name));
            self.walk(&file, &mut value, &pointer, false, &mut taken);
            added.push((name, value));
        }
        if added.is_empty() {
            return;
        }
        added.sort_by(|a, b| a.0.cmp(&b.0));
        let Some(root) = doc.as_object_mut() else {
            return;
        };
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(components) = components.as_object_mut() else {
            return;
        };
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(schemas) = schemas.as_object_mut() {
            for (name, value) in added {
                schemas.insert(name, value);
            }
        }
    }

    /// Rewrites the `$ref`s under `value`, which sits at `pointer` in `file`.
    fn walk(
        &mut self,
        file: &Path,
        value: &mut Value,
        pointer: &str,
        in_root: bool,
        taken: &mut Vec<String>,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    let (target_file, fragment) = match reference.split_once('#') {
                        Some((f, frag)) => (f.to_string(), format!("#{frag}")),
                        None => (reference.clone(), "#".to_string()),
                    };
                    if target_file.is_empty() && in_root {
                        return; // A local reference in the root: checked later.
                    }
                    let base = file.parent().unwrap_or(Path::new(""));
                    let path = if target_file.is_empty() {
                        file.to_path_buf()
                    } else {
                        normalize(&base.join(&target_file))
                    };
                    match self.resolve_external(file, pointer, &reference, &path, &fragment, taken)
                    {
                        Ok(Replacement::Ref(local)) => {
                            map.clear();
                            map.insert("$ref".into(), Value::String(local));
                        }
                        Ok(Replacement::Inline(mut inlined)) => {
                            // Inline non-schema objects, resolving their own references relative to
                            // the file they came from.
                            self.walk(&path, &mut inlined, pointer, false, taken);
                            *value = inlined;
                        }
                        Err(error) => self.errors.push(error),
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    if !pointer.ends_with("/properties")
                        && (key == "example" || key.starts_with("x-"))
                    {
                        continue;
                    }
                    let child_pointer = format!("{pointer}/{}", escape_pointer_token(key));
                    self.walk(file, child, &child_pointer, in_root, taken);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let child_pointer = format!("{pointer}/{i}");
                    self.walk(file, child, &child_pointer, in_root, taken);
                }
            }
            _ => {}
        }
    }

    fn resolve_external(
        &mut self,
        file: &Path,
        pointer: &str,
        reference: &str,
        path: &Path,
        fragment: &str,
        taken: &mut Vec<String>,
    ) -> Result<Replacement, Error> {
        let mut here = Location::new(file, pointer);
        here.line = self_line(&self.files.sources, file, pointer);
        let location = || here.clone();
        if let Some(local) = self.names.get(&(path.to_path_buf(), fragment.to_string())) {
            return Ok(Replacement::Ref(local.clone()));
        }
        let target_doc = match self.files.read(path) {
            Ok(doc) => doc,
            Err(Error::Read { source, .. }) => {
                return Err(Error::Reference {
                    location: location(),
                    reference: reference.to_string(),
                    message: format!("cannot read {}: {source}", path.display()),
                })
            }
            Err(other) => return Err(other),
        };
        let Some(target) = target_doc.pointer(&fragment[1..]).cloned() else {
            return Err(Error::Reference {
                location: location(),
                reference: reference.to_string(),
                message: format!("{} has nothing at {fragment}", path.display()),
            });
        };
        if !is_schema_context(pointer) && !fragment.starts_with("#/components/schemas/") {
            return Ok(Replacement::Inline(target));
        }
        let stem = fragment
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty() && *s != "#")
            .map(unescape_pointer_token)
            .unwrap_or_else(|| {
                path.file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("schema")
                    .to_string()
            });
        let mut name = stem.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{stem}_{n}");
            n += 1;
        }
        taken.push(name.clone());
        let local = format!("#/components/schemas/{}", escape_pointer_token(&name));
        self.names
            .insert((path.to_path_buf(), fragment.to_string()), local.clone());
        self.pending.push((name, path.to_path_buf(), target));
        Ok(Replacement::Ref(local))
    }
}

enum Replacement {
    Ref(String),
    Inline(Value),
}

fn self_line(
    sources: &BTreeMap<PathBuf, String>,
    file: &Path,
    pointer: &str,
) -> Option<(usize, usize)> {
    sources.get(file).and_then(|t| find_line(t, pointer))
}

/// Whether a `$ref` at `pointer` stands where a schema is expected.
fn is_schema_context(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').collect();
    let Some(last) = tokens.last() else {
        return false;
    };
    let parent = tokens
        .len()
        .checked_sub(2)
        .and_then(|i| tokens.get(i))
        .copied()
        .unwrap_or("");
    matches!(*last, "schema" | "items" | "additionalProperties" | "not")
        || matches!(
            parent,
            "properties" | "allOf" | "oneOf" | "anyOf" | "schemas"
        )
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
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

/// Decodes one JSON pointer token.
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Checks that every local `$ref` points at something, and that no chain of references goes round
/// in a circle without reaching a definition.
fn check_local_refs(
    root: &Value,
    value: &Value,
    pointer: &str,
    file: &Path,
    sources: &BTreeMap<PathBuf, String>,
    errors: &mut Vec<Error>,
) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let location = || {
                    let mut l = Location::new(file, pointer);
                    l.line = self_line(sources, file, pointer);
                    l
                };
                let Some(reference) = reference.as_str() else {
                    errors.push(Error::Invalid {
                        location: location(),
                        message: "`$ref` must be a string".into(),
                    });
                    return;
                };
                if let Err(message) = follow_ref_chain(root, reference) {
                    errors.push(Error::Reference {
                        location: location(),
                        reference: reference.to_string(),
                        message,
                    });
                }
                return;
            }
            for (key, child) in map {
                // Examples are data: a `$ref` key inside one is not a reference.
                let is_property_map = pointer.ends_with("/properties");
                if !is_property_map && key.starts_with("x-") {
                    continue;
                }
                if !is_property_map && (key == "example" || key == "examples") {
                    if key == "examples" {
                        check_examples(
                            root,
                            child,
                            &format!("{pointer}/examples"),
                            file,
                            sources,
                            errors,
                        );
                    }
                    continue;
                }
                let child_pointer = format!("{pointer}/{}", escape_pointer_token(key));
                check_local_refs(root, child, &child_pointer, file, sources, errors);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_local_refs(
                    root,
                    child,
                    &format!("{pointer}/{i}"),
                    file,
                    sources,
                    errors,
                );
            }
        }
        _ => {}
    }
}

/// `examples` maps names to Example objects, which may be `$ref`s themselves; their values are data.
fn check_examples(
    root: &Value,
    examples: &Value,
    pointer: &str,
    file: &Path,
    sources: &BTreeMap<PathBuf, String>,
    errors: &mut Vec<Error>,
) {
    let Some(map) = examples.as_object() else {
        return;
    };
    for (name, example) in map {
        if let Some(reference) = example.get("$ref") {
            let p = format!("{pointer}/{}", escape_pointer_token(name));
            let reference = reference.as_str().unwrap_or_default();
            if let Err(message) = follow_ref_chain(root, reference) {
                let mut location = Location::new(file, &p);
                location.line = self_line(sources, file, &p);
                errors.push(Error::Reference {
                    location,
                    reference: reference.to_string(),
                    message,
                });
            }
        }
    }
}

/// Follows a chain of local references to a value that is not itself a reference.
pub fn follow_ref_chain<'a>(root: &'a Value, reference: &str) -> Result<&'a Value, String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut current = reference;
    loop {
        let Some(fragment) = current.strip_prefix('#') else {
            return Err(format!(
                "`{current}` is not a local reference after bundling"
            ));
        };
        if seen.contains(&current) {
            seen.push(current);
            return Err(format!("the references form a cycle: {}", seen.join(" → ")));
        }
        seen.push(current);
        let Some(target) = root.pointer(fragment) else {
            return Err(format!("nothing at {current} in this document"));
        };
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) => current = next,
            None => return Ok(target),
        }
    }
}

fn parse_openapi(
    spec: &Path,
    doc: &Value,
    sources: &BTreeMap<PathBuf, String>,
) -> Result<openapiv3::OpenAPI, Error> {
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc).map_err(|e| {
        let mut pointer = path_to_pointer(e.path());
        let mut message = e.inner().to_string();
        // `paths` is a flattened map, where serde loses track of the path: find the path item
        // that fails on its own.
        if pointer == "#/paths" {
            if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
                for (key, item) in paths {
                    if key.starts_with("x-") {
                        continue;
                    }
                    if let Err(inner) =
                        serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item)
                    {
                        pointer = format!(
                            "#/paths/{}{}",
                            escape_pointer_token(key),
                            &path_to_pointer(inner.path())[1..]
                        );
                        message = inner.inner().to_string();
                        break;
                    }
                }
            }
        }
        let mut location = Location::new(spec, &pointer);
        location.line = self_line(sources, spec, &pointer);
        Error::Invalid {
            location,
            message: format!("not a valid OpenAPI 3.0 object here: {message}"),
        }
    })
}

/// Turns a serde_path_to_error path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut out = String::from("#");
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => out.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_pointer_token(key));
            }
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    out
}

/// Finds the line and column of a JSON pointer in YAML block style or JSON text, best effort: each
/// token is looked for as a key (or list item) below the line of its parent.
pub fn find_line(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let fragment = pointer.strip_prefix('#').unwrap_or(pointer);
    if fragment.is_empty() {
        return Some((1, 1));
    }
    let lines: Vec<&str> = text.lines().collect();
    let json = text.trim_start().starts_with('{');
    let mut start = 0usize;
    let mut parent_indent: isize = -1;
    let mut found = None;
    for token in fragment.split('/').skip(1) {
        let token = unescape_pointer_token(token);
        let mut hit = find_key(&lines, &token, start, parent_indent, json);
        if hit.is_some() {
            // Found as a key.
        } else if let Ok(index) = token.parse::<usize>() {
            // A list item: the index-th "- " at the first indentation deeper than the parent.
            let mut count = 0usize;
            let mut item_indent: Option<usize> = None;
            for (i, line) in lines.iter().enumerate().skip(start) {
                let indent = line.len() - line.trim_start().len();
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                if i > start && (indent as isize) <= parent_indent && !trimmed.starts_with('-') {
                    break;
                }
                if trimmed.starts_with("- ") || trimmed == "-" {
                    if item_indent.is_none() {
                        item_indent = Some(indent);
                    }
                    if Some(indent) == item_indent {
                        if count == index {
                            hit = Some((i, indent));
                            break;
                        }
                        count += 1;
                    }
                }
            }
            if json && hit.is_none() {
                hit = Some((start, 0));
            }
        }
        let (line, indent) = hit?;
        start = line;
        parent_indent = indent as isize;
        found = Some((line + 1, indent + 1));
    }
    found
}

/// The line and indentation of `token` as a key below line `start`, within its parent's block.
fn find_key(
    lines: &[&str],
    token: &str,
    start: usize,
    parent_indent: isize,
    json: bool,
) -> Option<(usize, usize)> {
    let candidates = [
        format!("{token}:"),
        format!("\"{token}\":"),
        format!("'{token}':"),
        format!("\"{token}\" :"),
    ];
    for (i, line) in lines.iter().enumerate().skip(start) {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let indent = line.len() - trimmed.len();
        let blank_or_comment = trimmed.is_empty() || line.trim_start().starts_with('#');
        if i > start && !json && !blank_or_comment && (indent as isize) <= parent_indent {
            return None;
        }
        if candidates.iter().any(|c| trimmed.starts_with(c.as_str())) {
            return Some((i, indent));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_in_yaml() {
        let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters:\n      - name: x\n      - name: y\n        in: query\n";
        assert_eq!(find_line(text, "#/paths/~1a/get"), Some((4, 5)));
        assert_eq!(
            find_line(text, "#/paths/~1a/get/parameters/1/in"),
            Some((8, 9))
        );
        assert_eq!(find_line(text, "#/nothing"), None);
        let numbered = "paths:\n  /a:\n    get:\n      responses:\n        \"200\":\n          description: ok\n";
        assert_eq!(
            find_line(numbered, "#/paths/~1a/get/responses/200/description"),
            Some((6, 11))
        );
    }

    #[test]
    fn reference_cycles_are_reported() {
        let doc: Value = serde_json::json!({"components": {"schemas": {"a": {"$ref": "#/components/schemas/b"}, "b": {"$ref": "#/components/schemas/a"}}}});
        let err = follow_ref_chain(&doc, "#/components/schemas/a").unwrap_err();
        assert!(err.contains("cycle"), "{err}");
    }

    #[test]
    fn yaml_number_keys_become_strings() {
        let v = parse_text(
            Path::new("x.yaml"),
            "responses:\n  200:\n    description: ok\n",
        )
        .unwrap();
        assert!(v.pointer("/responses/200/description").is_some());
    }
}
