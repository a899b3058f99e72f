//! Loading: read the description, check its version, bundle external `$ref`s into the root
//! document, apply overlays, check every local `$ref`, and parse the result with `openapiv3`.
//!
//! The loader is the only code that reads files. It records every file it read, so that a build
//! script can ask Cargo to rerun exactly when one of them changes.

use crate::error::{escape_pointer_token, Error, Location, Warning};
use serde::Deserialize as _;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    /// Where bundled content came from: (pointer in `doc`, file, pointer in that file), one entry per
    /// externally referenced schema moved under `#/components/schemas` or object inlined.
    pub origins: Vec<(String, PathBuf, String)>,
    /// Each source split into lines once, with the lines found so far, for [`Loaded::locate`].
    lines: Mutex<BTreeMap<PathBuf, LineIndex>>,
}

impl Loaded {
    /// The location of a pointer into the bundled document: in the file the content came from
    /// (the root, or the file an external `$ref` reached), with a line where one can be found.
    pub fn locate(&self, pointer: &str) -> Location {
        let mut location = bundled_location(&self.root, &self.origins, pointer);
        if let Some(text) = self.sources.get(&location.file) {
            let mut indexes = self.lines.lock().unwrap_or_else(|e| e.into_inner());
            let index = indexes
                .entry(location.file.clone())
                .or_insert_with(|| LineIndex::new(text));
            location.line = index.find(text, &location.pointer);
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
    load_with_inputs(spec, overlays).0
}

/// [`load`], and every file it read, whether loading succeeded or not: what a build script watches
/// when the description is broken, so that fixing any of those files reruns it. A file that could
/// not be read is not listed; one that was read but does not parse is.
pub fn load_with_inputs(
    spec: &Path,
    overlays: &[PathBuf],
) -> (Result<Loaded, Error>, Vec<PathBuf>) {
    let mut files = Files::default();
    let result = load_files(&mut files, spec, overlays);
    (result, files.order)
}

fn load_files(files: &mut Files, spec: &Path, overlays: &[PathBuf]) -> Result<Loaded, Error> {
    let mut doc = files.read(spec)?;
    check_version(spec, &doc, files)?;
    let mut bundler = Bundler {
        files,
        root: normalize(spec),
        names: BTreeMap::new(),
        errors: Vec::new(),
        pending: Vec::new(),
        origins: Vec::new(),
    };
    bundler.bundle_root(spec, &mut doc);
    let mut errors = std::mem::take(&mut bundler.errors);
    let origins = std::mem::take(&mut bundler.origins);
    // Overlays apply to the bundled document, so that they reach schemas that live in other
    // files (under the names they are bundled as) and can fix what the checks below would reject.
    for overlay in overlays {
        let overlay_doc = files.read(overlay)?;
        crate::overlay::apply(&mut doc, &overlay_doc, overlay)?;
    }
    let sources = files.sources.clone();
    let locate = |pointer: &str| locate_bundled(spec, &origins, &sources, pointer);
    // Every reference problem is reported in one go: those in other files and the local ones.
    let mut local_errors = Vec::new();
    check_local_refs(&doc, &doc, "#", &locate, &mut local_errors);
    if !errors.is_empty() {
        // An external reference the bundler could not follow is still in the document; it has
        // been reported already.
        local_errors.retain(|e| {
            !matches!(e, Error::Reference { message, .. }
                if message.contains("is not a local reference after bundling"))
        });
    }
    errors.extend(local_errors);
    if let Some(error) = Error::from_list(errors) {
        return Err(error);
    }
    let openapi = parse_openapi(&doc, &locate)?;
    let warnings = check_response_keys(&doc, &locate);
    Ok(Loaded {
        root: spec.to_path_buf(),
        doc,
        openapi,
        inputs: files.order.clone(),
        sources,
        warnings,
        origins,
        lines: Mutex::default(),
    })
}

/// The location of `pointer`, a pointer into the bundled document: the innermost bundled content
/// it falls in maps it back to its own file and pointer; anything else is in the root.
fn locate_bundled(
    root: &Path,
    origins: &[(String, PathBuf, String)],
    sources: &BTreeMap<PathBuf, String>,
    pointer: &str,
) -> Location {
    let mut location = bundled_location(root, origins, pointer);
    location.line = self_line(sources, &location.file, &location.pointer);
    location
}

/// [`locate_bundled`] without the line.
fn bundled_location(root: &Path, origins: &[(String, PathBuf, String)], pointer: &str) -> Location {
    let inside = |prefix: &str| {
        pointer
            .strip_prefix(prefix)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    let innermost = origins
        .iter()
        .filter_map(|(at, file, fragment)| inside(at).map(|rest| (at.len(), file, fragment, rest)))
        .max_by_key(|(len, ..)| *len);
    match innermost {
        Some((_, file, fragment, rest)) => Location::new(file, format!("{fragment}{rest}")),
        None => Location::new(root, pointer),
    }
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
        // Recorded before parsing: a file that does not parse is still an input to watch.
        if !self.sources.contains_key(path) {
            self.order.push(path.to_path_buf());
        }
        self.sources.insert(path.to_path_buf(), text.clone());
        let value = parse_text(path, &text)?;
        self.parsed.insert(path.to_path_buf(), value.clone());
        Ok(value)
    }
}

/// Parses YAML or JSON text into a JSON value. JSON is recognised by its first character.
pub fn parse_text(path: &Path, text: &str) -> Result<Value, Error> {
    // A byte order mark is not part of the document (and serde_yaml takes it for a second one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // Parsed untrimmed, so that the lines in errors are the file's.
        return serde_json::from_str(text).map_err(|e| Error::Syntax {
            location: Location {
                file: path.to_path_buf(),
                pointer: String::new(),
                line: Some((e.line(), e.column())),
            },
            format: "JSON",
            message: explain(strip_position(&e.to_string()), text, Some(e.line())),
        });
    }
    let syntax_error = |e: serde_yaml::Error| Error::Syntax {
        location: Location {
            file: path.to_path_buf(),
            pointer: String::new(),
            line: e.location().map(|l| (l.line(), l.column())),
        },
        format: "YAML",
        message: explain(
            strip_position(&e.to_string()),
            text,
            e.location().map(|l| l.line()),
        ),
    };
    // Without merge keys (`<<`), YAML deserialises straight into JSON values, which is twice as
    // fast as going through `serde_yaml::Value`; keys such as `200` arrive as strings either way.
    if !text.contains("<<") {
        return serde_yaml::from_str::<StrictJson>(text)
            .map(|v| v.0)
            .map_err(syntax_error);
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(syntax_error)?;
    yaml.apply_merge().map_err(|e| Error::Syntax {
        location: Location::new(path, ""),
        format: "YAML",
        message: e.to_string(),
    })?;
    Ok(yaml_to_json(yaml))
}

/// A JSON value deserialised from YAML, refusing duplicate keys (which a plain
/// `serde_json::Value` would silently overwrite).
struct StrictJson(Value);

impl<'de> serde::Deserialize<'de> for StrictJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(StrictJsonVisitor)
            .map(StrictJson)
    }
}

struct StrictJsonVisitor;

impl<'de> serde::de::Visitor<'de> for StrictJsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // `.nan` and `.inf` have no JSON form.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        StrictJson::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(StrictJson(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        // Keys such as `200` or `true` arrive as their text.
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate entry with key \"{key}\""
                )));
            }
            let StrictJson(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A parser's message, with the likely cause added where it is a common one.
fn explain(message: String, text: &str, line: Option<usize>) -> String {
    if message.contains("recursion limit exceeded") {
        return format!(
            "{message}: the document nests more than 128 levels deep, further than the parser follows"
        );
    }
    let indented_with_tab = line
        .and_then(|l| text.lines().nth(l.saturating_sub(1)))
        .is_some_and(|l| l.trim_start_matches(' ').starts_with('\t'));
    if indented_with_tab {
        return format!("{message}: YAML does not allow tabs in indentation, only spaces");
    }
    message
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
        let found = match doc {
            Value::Null => "empty",
            Value::Array(_) => "a list",
            _ => "a single value",
        };
        return Err(Error::Invalid {
            location: locate("#"),
            message: format!(
                "the document is {found}, not a mapping; an OpenAPI description starts with \
                 `openapi: 3.0.x`"
            ),
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
        Some(Value::Number(n)) => Err(Error::UnsupportedVersion {
            location: locate("#/openapi"),
            message: format!(
                "the version is the number `{n}`, but it must be a string: write \
                 `openapi: \"3.0.3\"` (YAML reads an unquoted `3.0` as a number)"
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
    /// The root description's path, normalised: a reference into it from another file is local.
    root: PathBuf,
    /// (file, pointer) → the local reference that now stands for it.
    names: BTreeMap<(PathBuf, String), String>,
    errors: Vec<Error>,
    /// Schemas to add to the root: name, the file they came from and their pointer in it.
    pending: Vec<(String, PathBuf, String, Value)>,
    /// Where bundled content came from, for [`Loaded::origins`].
    origins: Vec<(String, PathBuf, String)>,
}

impl Bundler<'_> {
    fn bundle_root(&mut self, root: &Path, doc: &mut Value) {
        let mut taken: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        self.claim_root_schemas(root, doc);
        self.walk(root, doc, "#", "#", true, &mut taken);
        // Schemas found in other files are themselves walked, relative to their own file; their
        // references may add more schemas, so drain until none are left.
        let mut added = Vec::new();
        while let Some((name, file, fragment, mut value)) = self.pending.pop() {
            let at = format!("#/components/schemas/{}", escape_pointer_token(&name));
            self.origins
                .push((at.clone(), file.clone(), fragment.clone()));
            self.walk(&file, &mut value, &fragment, &at, false, &mut taken);
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
            let (path, fragment) = self.target(root, reference);
            if path == self.root || self.names.contains_key(&(path.clone(), fragment.clone())) {
                continue;
            }
            // A target that cannot be read or found is reported when the walk reaches the entry.
            let Ok(target_doc) = self.files.read(&path) else {
                continue;
            };
            let Some(target) = target_doc.pointer(&fragment[1..]).cloned() else {
                continue;
            };
            let local = format!("#/components/schemas/{}", escape_pointer_token(name));
            self.names.insert((path.clone(), fragment.clone()), local);
            self.pending.push((name.clone(), path, fragment, target));
        }
    }

    /// The file and fragment a `$ref` written in `file` reaches; the fragment is `#` for a whole
    /// file.
    fn target(&self, file: &Path, reference: &str) -> (PathBuf, String) {
        let (target_file, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (f, format!("#{frag}")),
            None => (reference, "#".to_string()),
        };
        let path = if target_file.is_empty() {
            normalize(file)
        } else {
            normalize(&file.parent().unwrap_or(Path::new("")).join(target_file))
        };
        (path, fragment)
    }

    /// Rewrites the `$ref`s under `value`, which sits at `pointer` in `file` and at `at` in the
    /// bundled document.
    fn walk(
        &mut self,
        file: &Path,
        value: &mut Value,
        pointer: &str,
        at: &str,
        in_root: bool,
        taken: &mut Vec<String>,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    if reference.starts_with('#') && in_root {
                        return; // A local reference in the root: checked later.
                    }
                    let target = self.target(file, &reference);
                    let (path, fragment) = target.clone();
                    if path == self.root {
                        // A reference into the root from another file is a local reference.
                        map.clear();
                        map.insert("$ref".into(), Value::String(fragment));
                        return;
                    }
                    // Whether a schema is expected here is decided in the bundled document, where
                    // the rules apply (a file's own pointers, such as `#/Pet`, say nothing).
                    let schema = is_schema_context(at);
                    match self.resolve_external(file, pointer, &reference, &target, schema, taken) {
                        Ok(Replacement::Ref(local)) => {
                            map.clear();
                            map.insert("$ref".into(), Value::String(local));
                        }
                        Ok(Replacement::Inline(mut inlined)) => {
                            // Inline non-schema objects, resolving their own references relative to
                            // the file they came from.
                            self.origins
                                .push((at.to_string(), path.clone(), fragment.clone()));
                            self.walk(&path, &mut inlined, &fragment, at, false, taken);
                            *value = inlined;
                        }
                        Err(error) => {
                            self.errors.push(error);
                            // Reported: the reference must not be taken for a local one of the
                            // root and reported again when local references are checked.
                            map.clear();
                        }
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    if !pointer.ends_with("/properties")
                        && (key == "example" || key.starts_with("x-"))
                    {
                        continue;
                    }
                    let token = escape_pointer_token(key);
                    let child_pointer = format!("{pointer}/{token}");
                    let child_at = format!("{at}/{token}");
                    self.walk(file, child, &child_pointer, &child_at, in_root, taken);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    let child_pointer = format!("{pointer}/{i}");
                    let child_at = format!("{at}/{i}");
                    self.walk(file, child, &child_pointer, &child_at, in_root, taken);
                }
            }
            _ => {}
        }
    }

    /// What stands for the external reference `reference`, written at `pointer` in `file`, to
    /// `target` (file and fragment): a local reference to a schema under `#/components/schemas`
    /// where a schema is expected, the referenced object otherwise.
    fn resolve_external(
        &mut self,
        file: &Path,
        pointer: &str,
        reference: &str,
        target: &(PathBuf, String),
        schema: bool,
        taken: &mut Vec<String>,
    ) -> Result<Replacement, Error> {
        let (path, fragment) = (target.0.as_path(), target.1.as_str());
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
        if !schema && !fragment.starts_with("#/components/schemas/") {
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
        self.pending
            .push((name, path.to_path_buf(), fragment.to_string(), target));
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

/// Warns about the keys of operations' `responses` that are not status codes: the parser skips them
/// without a word, so the response they describe would silently be missing from the client.
fn check_response_keys(doc: &Value, locate: &dyn Fn(&str) -> Location) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return warnings;
    };
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    for (path, item) in paths {
        for method in methods {
            let Some(responses) = item
                .get(method)
                .and_then(|op| op.get("responses"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for key in responses.keys() {
                let status =
                    serde_json::from_value::<openapiv3::StatusCode>(Value::String(key.clone()));
                if key == "default" || key.starts_with("x-") || status.is_ok() {
                    continue;
                }
                let at = crate::error::pointer("#/paths", &[path, method, "responses", key]);
                warnings.push(Warning {
                    location: locate(&at),
                    message: format!(
                        "`{key}` is not a status code (such as `200`, `2XX` or `default`); \
                         this response is ignored"
                    ),
                });
            }
        }
    }
    warnings
}

/// Checks that every local `$ref` points at something, and that no chain of references goes round
/// in a circle without reaching a definition.
fn check_local_refs(
    root: &Value,
    value: &Value,
    pointer: &str,
    locate: &dyn Fn(&str) -> Location,
    errors: &mut Vec<Error>,
) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let location = || locate(pointer);
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
                        check_examples(root, child, &format!("{pointer}/examples"), locate, errors);
                    }
                    continue;
                }
                let child_pointer = format!("{pointer}/{}", escape_pointer_token(key));
                check_local_refs(root, child, &child_pointer, locate, errors);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_local_refs(root, child, &format!("{pointer}/{i}"), locate, errors);
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
    locate: &dyn Fn(&str) -> Location,
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
                errors.push(Error::Reference {
                    location: locate(&p),
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
    doc: &Value,
    locate: &dyn Fn(&str) -> Location,
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
        // Schemas nest, and serde loses track of the path inside them: go down to the innermost
        // schema that fails on its own.
        if let Some(value) = doc
            .pointer(&pointer[1..])
            .filter(|_| is_schema_context(&pointer))
        {
            if let Some((inner_pointer, inner_message)) = innermost_bad_schema(value, &pointer, 0) {
                pointer = inner_pointer;
                message = inner_message;
            }
        }
        Error::Invalid {
            location: locate(&pointer),
            message: format!("not a valid OpenAPI 3.0 object here: {message}"),
        }
    })
}

/// The innermost schema at or below `value` (at `pointer`) that does not parse on its own, with
/// what the parser said about it.
fn innermost_bad_schema(value: &Value, pointer: &str, depth: usize) -> Option<(String, String)> {
    type SchemaOrRef = openapiv3::ReferenceOr<openapiv3::Schema>;
    let error = serde_path_to_error::deserialize::<_, SchemaOrRef>(value).err()?;
    if depth < 64 {
        if let Some(map) = value.as_object() {
            let mut children: Vec<(String, &Value)> = Vec::new();
            for key in ["items", "additionalProperties", "not"] {
                if let Some(child) = map.get(key).filter(|c| !c.is_boolean()) {
                    children.push((key.to_string(), child));
                }
            }
            for key in ["properties", "allOf", "oneOf", "anyOf"] {
                match map.get(key) {
                    Some(Value::Object(entries)) => children.extend(
                        entries
                            .iter()
                            .map(|(k, c)| (format!("{key}/{}", escape_pointer_token(k)), c)),
                    ),
                    Some(Value::Array(items)) => children.extend(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, c)| (format!("{key}/{i}"), c)),
                    ),
                    _ => {}
                }
            }
            for (relative, child) in children {
                let child_pointer = format!("{pointer}/{relative}");
                if let Some(found) = innermost_bad_schema(child, &child_pointer, depth + 1) {
                    return Some(found);
                }
            }
        }
    }
    let inner = path_to_pointer(error.path());
    Some((
        format!("{pointer}{}", &inner[1..]),
        error.inner().to_string(),
    ))
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
    LineIndex::new(text).find(text, pointer)
}

/// One text split into lines once, and the line (0-based) and indentation of every pointer prefix
/// found in it so far. Locating many pointers in one long description (every warning, every
/// example that contradicts its schema) then splits the file once, and scans each block once for
/// its keys, instead of doing both over the whole file for every pointer.
#[derive(Debug)]
struct LineIndex {
    /// The byte range of each line of the text.
    lines: Vec<(usize, usize)>,
    json: bool,
    /// Pointer prefix (`/components/schemas`) → where it was found, or `None`.
    found: HashMap<String, Option<(usize, usize)>>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let lines = text
            .lines()
            .map(|line| {
                let start = line.as_ptr() as usize - text.as_ptr() as usize;
                (start, start + line.len())
            })
            .collect();
        LineIndex {
            lines,
            json: text.trim_start().starts_with('{'),
            found: HashMap::new(),
        }
    }

    /// The 1-based line and column of `pointer` in `text`, the text this index was made from.
    fn find(&mut self, text: &str, pointer: &str) -> Option<(usize, usize)> {
        let fragment = pointer.strip_prefix('#').unwrap_or(pointer);
        if fragment.is_empty() {
            return Some((1, 1));
        }
        // Split only when some prefix is not known yet.
        let mut lines: Option<Vec<&str>> = None;
        let mut prefix = String::with_capacity(fragment.len());
        let mut start = 0usize;
        let mut parent_indent: isize = -1;
        let mut found = None;
        for token in fragment.split('/').skip(1) {
            prefix.push('/');
            prefix.push_str(token);
            let hit = match self.found.get(&prefix) {
                Some(hit) => *hit,
                None => {
                    let lines = lines.get_or_insert_with(|| {
                        self.lines.iter().map(|&(a, b)| &text[a..b]).collect()
                    });
                    let token = unescape_pointer_token(token);
                    let hit = find_token(lines, &token, start, parent_indent, self.json);
                    self.found.insert(prefix.clone(), hit);
                    hit
                }
            };
            let (line, indent) = hit?;
            start = line;
            parent_indent = indent as isize;
            found = Some((line + 1, indent + 1));
        }
        found
    }
}

/// The line and indentation of one pointer token below line `start`: a key, or else the index-th
/// list item at the first indentation deeper than the parent's.
fn find_token(
    lines: &[&str],
    token: &str,
    start: usize,
    parent_indent: isize,
    json: bool,
) -> Option<(usize, usize)> {
    let mut hit = find_key(lines, token, start, parent_indent, json);
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
    hit
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
