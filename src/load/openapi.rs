//! Where the bundled document fails to parse with `openapiv3`: at the innermost place that fails
//! on its own, since serde loses track of the path inside flattened
//! maps (`paths`) and nested schemas.

use super::bundle::is_schema_context;
use super::refs::MAX_REF_DEPTH;
use crate::pointer::Pointer;
use serde_json::Value;

/// Where the document fails to parse, and what the parser said there.
pub struct ParseFailure {
    /// The innermost place that fails on its own.
    pub pointer: Pointer,
    /// What the parser said about it.
    pub message: String,
}

/// The innermost place of `doc` that fails to parse on its own, for the parse error `e`.
pub fn locate_parse_error(
    doc: &Value,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> ParseFailure {
    let mut pointer = path_to_pointer(e.path());
    let mut message = e.inner().to_string();
    if pointer == "#/paths" {
        if let Some((inner_pointer, inner_message)) = first_bad_path_item(doc) {
            pointer = inner_pointer;
            message = inner_message;
        }
    }
    // `responses` is a flattened map too: go down to the response that fails on its own.
    if pointer.last().as_deref() == Some("responses") {
        if let Some((inner_pointer, inner_message)) = first_bad_response(doc, &pointer) {
            pointer = inner_pointer;
            message = inner_message;
        }
    }
    // Schemas nest, and serde loses track of the path inside them: go down to the innermost
    // schema that fails on its own.
    if let Some(value) = doc
        .pointer(pointer.json_pointer())
        .filter(|_| is_schema_context(&pointer))
    {
        if let Some((inner_pointer, inner_message)) = innermost_bad_schema(value, &pointer, 0) {
            pointer = inner_pointer;
            message = inner_message;
        }
    }
    ParseFailure { pointer, message }
}

/// `paths` is a flattened map, where serde loses track of the path: the first path item that
/// fails on its own, with the place inside it and what the parser said.
fn first_bad_path_item(doc: &Value) -> Option<(Pointer, String)> {
    let paths = doc.get("paths").and_then(Value::as_object)?;
    paths
        .iter()
        .filter(|(key, _)| !key.starts_with("x-"))
        .find_map(|(key, item)| {
            let inner = serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item).err()?;
            let item_pointer = Pointer::root().push("paths").push(key);
            let pointer = path_to_pointer(inner.path()).rebase(&Pointer::root(), &item_pointer)?;
            Some((pointer, inner.inner().to_string()))
        })
}

/// `responses` (at `pointer`) is a flattened map, where serde loses track of the path: the first
/// response that fails on its own, with the place inside it and what the parser said.
fn first_bad_response(doc: &Value, pointer: &Pointer) -> Option<(Pointer, String)> {
    let responses = doc.pointer(pointer.json_pointer())?.as_object()?;
    responses
        .iter()
        .filter(|(key, response)| !key.starts_with("x-") && response.get("$ref").is_none())
        .find_map(|(key, response)| {
            // Not `ReferenceOr<Response>`: serde loses the path inside an untagged enum.
            let inner =
                serde_path_to_error::deserialize::<_, openapiv3::Response>(response).err()?;
            let at = pointer.push(key);
            let inner_pointer = path_to_pointer(inner.path()).rebase(&Pointer::root(), &at)?;
            Some((inner_pointer, inner.inner().to_string()))
        })
}

/// The innermost schema at or below `value` (at `pointer`) that does not parse on its own, with
/// what the parser said about it.
pub fn innermost_bad_schema(
    value: &Value,
    pointer: &Pointer,
    depth: usize,
) -> Option<(Pointer, String)> {
    type SchemaOrRef = openapiv3::ReferenceOr<openapiv3::Schema>;
    let error = serde_path_to_error::deserialize::<_, SchemaOrRef>(value).err()?;
    if depth < MAX_REF_DEPTH {
        let inner = subschemas(value, pointer)
            .into_iter()
            .find_map(|(child_pointer, child)| {
                innermost_bad_schema(child, &child_pointer, depth + 1)
            });
        if inner.is_some() {
            return inner;
        }
    }
    let inner = path_to_pointer(error.path()).rebase(&Pointer::root(), pointer)?;
    Some((inner, error.inner().to_string()))
}

/// The schemas directly inside the schema `value` (at `pointer`), each with its pointer, in the
/// order they are looked at for errors.
fn subschemas<'a>(value: &'a Value, pointer: &Pointer) -> Vec<(Pointer, &'a Value)> {
    let Some(map) = value.as_object() else {
        return Vec::new();
    };
    let mut children = Vec::new();
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get(key).filter(|c| !c.is_boolean()) {
            children.push((pointer.push(key), child));
        }
    }
    for key in ["properties", "allOf", "oneOf", "anyOf"] {
        match map.get(key) {
            Some(Value::Object(entries)) => {
                children.extend(entries.iter().map(|(k, c)| (pointer.push(key).push(k), c)))
            }
            Some(Value::Array(items)) => children.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (pointer.push(key).push(i), c)),
            ),
            _ => {}
        }
    }
    children
}

/// Turns a serde_path_to_error path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> Pointer {
    let mut out = Pointer::root();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => out = out.push(index),
            serde_path_to_error::Segment::Map { key } => out = out.push(key),
            serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_innermost_bad_schema_is_named() {
        let schema = json!({"type": "object", "properties": {
            "fine": {"type": "string"},
            "list": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer", "minimum": "zero"}}}},
        }});
        let at = Pointer::parse("#/components/schemas/A").unwrap();
        let (pointer, message) = innermost_bad_schema(&schema, &at, 0).unwrap();
        assert_eq!(
            pointer,
            "#/components/schemas/A/properties/list/items/properties/n"
        );
        assert_eq!(
            message,
            "invalid type: string \"zero\", expected a JSON number"
        );
        assert_eq!(
            innermost_bad_schema(&json!({"type": "string"}), &at, 0),
            None
        );
    }

    #[test]
    fn a_bad_path_item_is_found_in_the_flattened_map() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a/{b}": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/c": {"get": {"parameters": [{"name": "x", "in": "query", "required": "yes"}], "responses": {}}},
        }});
        let error = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&doc).unwrap_err();
        let failure = locate_parse_error(&doc, &error);
        assert_eq!(failure.pointer, "#/paths/~1c/get/parameters/0");
        assert!(
            failure.message.contains("expected a boolean"),
            "{}",
            failure.message
        );
    }
}
