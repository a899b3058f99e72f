//! Degrade, don't refuse: a defect local to one schema, parameter, example or operation becomes a
//! located warning, and the generator goes on with the widest sound reading of that one place (a
//! schema becomes a JSON value, anything else is left out). Only a document that cannot be read
//! as OpenAPI at all is refused.
//!
//! Three kinds of local defect are handled here, each by one function:
//! - [`reference_warnings`]: a `$ref` that reaches nothing (a missing place or file, a cycle, a
//!   chain too long). The reference stays in the document; `lower` takes a schema it cannot
//!   resolve for a JSON value and leaves out a parameter, body, response or path item, without a
//!   second warning.
//! - [`parse_degrading`]: an object `openapiv3` cannot parse. The innermost failing place is
//!   replaced (a schema by `{}`, which is any JSON value) or removed (an example, a response, an
//!   operation, a path item), and the document is parsed again.
//! - [`impossible_constraints`]: a schema whose bounds no value meets (`minimum` above `maximum`,
//!   `minLength` above `maxLength`, …) becomes `{}`, keeping its description.

use super::bundle::{is_schema_context, is_schema_context_at};
use super::locate::Locator;
use super::openapi::{locate_parse_error, ParseFailure};
use super::refs::RefDefect;
use crate::error::{Error, ReferenceProblem, Warning, WarningKind};
use crate::pointer::{Pointer, Step};
use serde_json::{Map, Value};

/// How many places [`parse_degrading`] replaces or removes before it gives up: each one costs a
/// parse of the whole document, and a document with this many broken objects is not OpenAPI.
pub const MAX_DEGRADED: usize = 200;

/// The warnings for the references that reach nothing: those the bundler could not follow to
/// another file (`bundled`, errors it returned: a file that does not parse stays an error and is
/// handed back), and the local ones (`defects`). A local defect where a schema is expected loses
/// its `$ref`, so that the schema is any JSON value, without a second warning about a cycle of
/// aliases; elsewhere the reference stays, and `lower` leaves out what it names.
pub fn reference_warnings(
    doc: &mut Value,
    bundled: Vec<Error>,
    defects: Vec<RefDefect>,
    locator: &Locator,
) -> (Vec<Warning>, Vec<Error>) {
    let mut warnings = Vec::new();
    let mut remaining = Vec::new();
    // An external reference the bundler could not follow has been reported by it already.
    let bundler_reported = !bundled.is_empty();
    for error in bundled {
        match error {
            Error::Reference {
                location,
                reference,
                problem,
            } => {
                // The pointer is the one in the file the reference is written in: for the root
                // file the bundled one, for others one whose last tokens say as much.
                let consequence = location.pointer.as_ref().map_or(LEFT_OUT, consequence_at);
                let message =
                    format!("cannot resolve `$ref: {reference}`: {problem}; {consequence}");
                warnings.push(Warning::new(
                    WarningKind::UnresolvedReference,
                    location,
                    message,
                ));
            }
            // A file that does not parse is reported once, however many references reach it.
            other
                if remaining
                    .iter()
                    .any(|e: &Error| e.to_string() == other.to_string()) => {}
            other => remaining.push(other),
        }
    }
    for defect in defects {
        let (at, kind, message) = match defect {
            RefDefect::Unresolved {
                problem: ReferenceProblem::NotLocal { .. },
                ..
            } if bundler_reported => continue,
            RefDefect::Unresolved {
                at,
                reference,
                problem,
            } => {
                let consequence = consequence_at(&at);
                let message =
                    format!("cannot resolve `$ref: {reference}`: {problem}; {consequence}");
                (at, WarningKind::UnresolvedReference, message)
            }
            RefDefect::NotAString { at } => {
                let message = format!(
                    "`$ref` must be a string; it is ignored ({})",
                    consequence_at(&at)
                );
                (at, WarningKind::MalformedObject, message)
            }
        };
        if is_schema_context(&at) {
            if let Some(map) = doc
                .pointer_mut(at.json_pointer())
                .and_then(Value::as_object_mut)
            {
                map.shift_remove("$ref");
            }
        } else if let Some((stand_in, _)) = json_stand_in(&at) {
            replace(doc, &at, stand_in);
        }
        warnings.push(Warning::new(kind, locator.locate(&at), message));
    }
    (warnings, remaining)
}

/// What becomes of a reference whose place says nothing more particular.
const LEFT_OUT: &str = "what it names is left out";

/// What the generator does with a `$ref` at `at` that reaches nothing: the words after the
/// warning's semicolon, the same `lower` would act on.
fn consequence_at(at: &Pointer) -> &'static str {
    let parent = at.parent().and_then(|p| p.last());
    if is_schema_context(at) {
        return "using a JSON value";
    }
    if let Some((_, consequence)) = json_stand_in(at) {
        return consequence;
    }
    match (parent.as_deref(), at.last().as_deref()) {
        (Some("parameters"), _) => "the parameter is skipped",
        (Some("paths"), _) => "the path is skipped",
        (Some("examples"), _) => "the example is not checked",
        _ => LEFT_OUT,
    }
}

/// A request body or a response whose content is any JSON value, with what to say about it, when
/// `at` is the place of a request body or of a response (in an operation or under `components`):
/// the widest sound reading of one that cannot be read or reached.
fn json_stand_in(at: &Pointer) -> Option<(Value, &'static str)> {
    let parent = at.parent().and_then(|p| p.last());
    let operation_body = at.last().as_deref() == Some("requestBody") && at.depth() == 4;
    let any_json = serde_json::json!({"application/json": {"schema": {}}});
    match parent.as_deref() {
        Some("requestBodies") if at.depth() == 3 => {}
        Some("responses") if at.depth() == 3 || at.depth() == 5 => {
            let response = serde_json::json!({"description": "", "content": any_json});
            return Some((response, "its body is any JSON value"));
        }
        _ if operation_body => {}
        _ => return None,
    }
    let body = serde_json::json!({"content": any_json});
    Some((body, "the body is any JSON value"))
}

/// Parses `doc` with `openapiv3`; where an object fails to parse and the failure is local to one
/// schema, example, response, parameter, operation or path item, that place is replaced or removed
/// with a warning, and the document parsed again. Fails when the document as a whole is not
/// OpenAPI (no `info`, `paths` of the wrong type…) or after [`MAX_DEGRADED`] places.
pub fn parse_degrading(
    doc: &mut Value,
    locator: &Locator,
    warnings: &mut Vec<Warning>,
) -> Result<openapiv3::OpenAPI, Error> {
    // Most documents parse as they are: parse once on two threads and without tracking the
    // path, which only a failure needs.
    if let Some(openapi) = super::split_parse::parse(doc) {
        return Ok(openapi);
    }
    let mut degraded = 0;
    loop {
        let failure = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&*doc) {
            Ok(openapi) => return Ok(openapi),
            Err(e) => locate_parse_error(doc, &e),
        };
        let fix = (degraded < MAX_DEGRADED)
            .then(|| degrade_at(doc, &failure.pointer))
            .flatten();
        let Some(consequence) = fix else {
            return Err(failure.into_error(locator));
        };
        degraded += 1;
        warnings.push(Warning::new(
            WarningKind::MalformedObject,
            locator.locate(&failure.pointer),
            format!(
                "not a valid OpenAPI 3.0 object here: {}; {consequence}",
                failure.message
            ),
        ));
    }
}

impl ParseFailure {
    /// The error that refuses the document.
    fn into_error(self, locator: &Locator) -> Error {
        Error::Invalid {
            location: locator.locate(&self.pointer),
            message: format!("not a valid OpenAPI 3.0 object here: {}", self.message),
        }
    }
}

/// Replaces or removes the innermost place around `pointer` that can go on its own, and says what
/// became of it; `None` when no such place holds it (the document itself is wrong).
fn degrade_at(doc: &mut Value, pointer: &Pointer) -> Option<&'static str> {
    let mut at = Some(pointer.clone());
    while let Some(place) = at {
        let parent = place.parent();
        let parent_token = parent.as_ref().and_then(Pointer::last);
        let grandparent = parent.as_ref().and_then(Pointer::parent);
        let in_paths = grandparent.as_ref().is_some_and(|g| *g == Pointer::root())
            && parent_token.as_deref() == Some("paths");
        let is_operation = grandparent
            .as_ref()
            .is_some_and(|g| *g == Pointer::root().push("paths"))
            && place.last().is_some_and(|t| METHODS.contains(&t.as_str()));
        if is_schema_context(&place) && place.depth() > 2 {
            return replace(doc, &place, Value::Object(Map::new())).then_some("using a JSON value");
        }
        if let Some((stand_in, consequence)) = json_stand_in(&place) {
            return replace(doc, &place, stand_in).then_some(consequence);
        }
        match parent_token.as_deref() {
            Some("examples") => return remove(doc, &place).then_some("the example is left out"),
            // A parameter that cannot be read points at itself instead: `lower` skips a parameter
            // whose reference reaches nothing (a reference to it too), and the items after it
            // keep their pointers.
            Some("parameters") if place.depth() >= 3 => {
                let own = Value::String(place.as_str().to_string());
                let reference = Value::Object(Map::from_iter([("$ref".to_string(), own)]));
                return replace(doc, &place, reference).then_some("the parameter is skipped");
            }
            _ => {}
        }
        if is_operation {
            return remove(doc, &place).then_some("the operation is skipped");
        }
        if in_paths {
            return remove(doc, &place).then_some("the path is skipped");
        }
        at = parent;
    }
    None
}

/// The keys of a path item that hold operations.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Replaces the value at `at` with `value`; whether there was one.
fn replace(doc: &mut Value, at: &Pointer, value: Value) -> bool {
    match doc.pointer_mut(at.json_pointer()) {
        Some(slot) => {
            *slot = value;
            true
        }
        None => false,
    }
}

/// Removes the entry at `at` from the map that holds it; whether there was one.
fn remove(doc: &mut Value, at: &Pointer) -> bool {
    let (Some(parent), Some(key)) = (at.parent(), at.last()) else {
        return false;
    };
    doc.pointer_mut(parent.json_pointer())
        .and_then(Value::as_object_mut)
        .and_then(|map| map.shift_remove(&key))
        .is_some()
}

/// Pairs of bounds where the first above the second leaves no value that fits.
const BOUNDS: [(&str, &str); 4] = [
    ("minimum", "maximum"),
    ("minLength", "maxLength"),
    ("minItems", "maxItems"),
    ("minProperties", "maxProperties"),
];

/// Finds every schema whose bounds no value can meet, replaces it with `{}` (any JSON value, its
/// description kept) and warns at it.
pub fn impossible_constraints(doc: &mut Value, locator: &Locator) -> Vec<Warning> {
    let mut found = Vec::new();
    find_impossible(doc, &mut Vec::new(), &mut found, 0);
    let mut warnings = Vec::new();
    for (at, reason) in found {
        let description = doc
            .pointer(at.json_pointer())
            .and_then(|s| s.get("description"))
            .cloned();
        let mut any = Map::new();
        if let Some(description) = description {
            any.insert("description".into(), description);
        }
        replace(doc, &at, Value::Object(any));
        warnings.push(Warning::new(
            WarningKind::ImpossibleConstraint,
            locator.locate(&at),
            format!("no value can meet this schema: {reason}; using a JSON value"),
        ));
    }
    warnings
}

/// Collects, below `value` at `path`, each schema with bounds no value meets and why; examples
/// and extensions are data and are not searched. `path` goes down and back up in place as the
/// walk does, and becomes a pointer only where something is found.
fn find_impossible<'a>(
    value: &'a Value,
    path: &mut Vec<Step<'a>>,
    found: &mut Vec<(Pointer, String)>,
    depth: usize,
) {
    if depth > super::MAX_REF_DEPTH * 4 {
        return;
    }
    // The keywords hold no `~` or `/`: a key compares with them as well as its escaped token.
    let last = |back: usize| match path.len().checked_sub(back + 1).map(|i| &path[i]) {
        Some(Step::Key(key)) => Some(*key),
        Some(Step::Index(_)) => Some(""),
        None => None,
    };
    match value {
        Value::Object(map) => {
            if is_schema_context_at(last(0), last(1)) {
                if let Some(reason) = impossible_bounds(map) {
                    found.push((Pointer::root().below(path), reason));
                    return;
                }
            }
            let is_property_map = last(0) == Some("properties");
            for (key, child) in map {
                let data = key.starts_with("x-") || key == "example" || key == "examples";
                if is_property_map || !data {
                    path.push(Step::Key(key));
                    find_impossible(child, path, found, depth + 1);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Step::Index(i));
                find_impossible(child, path, found, depth + 1);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Why the bounds of one schema leave no value, if they do.
fn impossible_bounds(schema: &Map<String, Value>) -> Option<String> {
    for (low, high) in BOUNDS {
        let (Some(min), Some(max)) = (
            schema.get(low).and_then(Value::as_f64),
            schema.get(high).and_then(Value::as_f64),
        ) else {
            continue;
        };
        let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool) == Some(true);
        if min > max {
            return Some(format!("`{low}` {min} is above `{high}` {max}"));
        }
        if min == max
            && low == "minimum"
            && (exclusive("exclusiveMinimum") || exclusive("exclusiveMaximum"))
        {
            return Some(format!(
                "`{low}` and `{high}` are both {min}, and one of them is exclusive"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn locator() -> Locator {
        let mut locator = Locator::new(Path::new("d.yaml"));
        locator.add_source(Path::new("d.yaml"), String::new());
        locator
    }

    fn head(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas}})
    }

    fn messages(warnings: &[Warning]) -> Vec<String> {
        warnings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_malformed_schema_becomes_a_json_value() {
        let mut doc = head(
            json!({}),
            json!({"A": {"type": "object", "properties": {"tags": {"type": "array", "items": [1]}}}}),
        );
        let mut warnings = Vec::new();
        let openapi = parse_degrading(&mut doc, &locator(), &mut warnings).expect("degrades");
        assert_eq!(
            doc.pointer("/components/schemas/A/properties/tags/items"),
            Some(&json!({}))
        );
        assert!(openapi.components.is_some());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind, WarningKind::MalformedObject);
        let message = &warnings[0].to_string();
        assert!(
            message.starts_with("d.yaml at #/components/schemas/A/properties/tags/items: not a valid OpenAPI 3.0 object here: "),
            "{message}"
        );
        assert!(message.ends_with("; using a JSON value"), "{message}");
    }

    #[test]
    fn malformed_parameters_and_operations_are_left_out() {
        let mut doc = head(
            json!({
                "/a": {"get": {"parameters": [{"name": "x", "in": "query", "required": "yes"}, {"name": "y", "in": "query", "schema": {"type": "string"}}], "responses": {}}},
                "/b": {"get": {"parameters": "not a list", "responses": {}}, "post": {"responses": {}}},
            }),
            json!({}),
        );
        let mut warnings = Vec::new();
        parse_degrading(&mut doc, &locator(), &mut warnings).expect("degrades");
        let messages = messages(&warnings);
        assert_eq!(
            doc.pointer("/paths/~1a/get/parameters/0"),
            Some(&json!({"$ref": "#/paths/~1a/get/parameters/0"})),
            "{messages:?}"
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/parameters/1/name"),
            Some(&json!("y"))
        );
        assert_eq!(doc.pointer("/paths/~1b/get"), None);
        assert!(doc.pointer("/paths/~1b/post").is_some());
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].ends_with("; the parameter is skipped"),
            "{messages:?}"
        );
        assert!(
            messages[1].ends_with("; the operation is skipped"),
            "{messages:?}"
        );
    }

    #[test]
    fn a_document_that_is_not_openapi_is_still_refused() {
        let mut doc = json!({"openapi": "3.0.3", "paths": {}});
        let error = parse_degrading(&mut doc, &locator(), &mut Vec::new()).unwrap_err();
        assert!(
            error.to_string().contains("missing field `info`"),
            "{error}"
        );
    }

    #[test]
    fn impossible_bounds_make_a_json_value_and_possible_ones_stay() {
        let mut doc = head(
            json!({}),
            json!({
                "Age": {"type": "integer", "minimum": 10, "maximum": 1, "description": "years"},
                "Name": {"type": "string", "minLength": 5, "maxLength": 5},
                "Open": {"type": "number", "minimum": 1, "maximum": 1, "exclusiveMaximum": true},
                "Holder": {"type": "object", "properties": {"tags": {"type": "array", "minItems": 3, "maxItems": 2}},
                           "example": {"minimum": 3, "maximum": 1}},
            }),
        );
        let warnings = impossible_constraints(&mut doc, &locator());
        assert_eq!(
            messages(&warnings),
            [
                "d.yaml at #/components/schemas/Age: no value can meet this schema: `minimum` 10 is above `maximum` 1; using a JSON value",
                "d.yaml at #/components/schemas/Open: no value can meet this schema: `minimum` and `maximum` are both 1, and one of them is exclusive; using a JSON value",
                "d.yaml at #/components/schemas/Holder/properties/tags: no value can meet this schema: `minItems` 3 is above `maxItems` 2; using a JSON value",
            ]
        );
        assert_eq!(
            doc.pointer("/components/schemas/Age"),
            Some(&json!({"description": "years"}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Name/minLength"),
            Some(&json!(5))
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_one_error_and_references_are_warnings() {
        let syntax = || Error::Syntax {
            location: crate::error::Location::in_file(Path::new("big.yml")),
            format: "YAML",
            message: "too large".into(),
        };
        let unreadable = Error::Reference {
            location: crate::error::Location::new(
                Path::new("d.yaml"),
                Pointer::parse("#/components/schemas/A").unwrap(),
            ),
            reference: "gone.yaml".into(),
            problem: Box::new(ReferenceProblem::Unreadable {
                file: "gone.yaml".into(),
                reason: "not found".into(),
            }),
        };
        let mut doc = json!({});
        let (warnings, errors) = reference_warnings(
            &mut doc,
            vec![syntax(), unreadable, syntax()],
            Vec::new(),
            &locator(),
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            messages(&warnings),
            ["d.yaml at #/components/schemas/A: cannot resolve `$ref: gone.yaml`: cannot read gone.yaml: not found; using a JSON value"]
        );
    }

    #[test]
    fn each_unresolved_reference_says_what_becomes_of_it() {
        let at = |p: &str| Pointer::parse(p).unwrap();
        assert_eq!(
            consequence_at(&at("#/components/schemas/A")),
            "using a JSON value"
        );
        assert_eq!(
            consequence_at(&at("#/paths/~1a/get/parameters/0")),
            "the parameter is skipped"
        );
        assert_eq!(
            consequence_at(&at("#/paths/~1a/get/requestBody")),
            "the body is any JSON value"
        );
        assert_eq!(
            consequence_at(&at("#/paths/~1a/get/responses/200")),
            "its body is any JSON value"
        );
        assert_eq!(consequence_at(&at("#/paths/~1a")), "the path is skipped");
    }
}
