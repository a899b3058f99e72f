//! Parsing a document that parses as it is with `openapiv3`, on two threads: its component schemas
//! and examples on one, everything else on the other. On GitHub's description those two maps are
//! three fifths of the text, and parsing them apart took the loading stage from 127 to 98 ms. The
//! result is the one parsing the whole document gives: serde parses each map the same way inside
//! the document or alone.

use openapiv3::{Example, OpenAPI, ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The maps of `components` that are parsed on the other thread.
const APART: [&str; 2] = ["schemas", "examples"];

/// `doc` parsed with `openapiv3`, or `None` when any part of it fails to parse (the caller then
/// parses it whole, and finds where). `doc` is left as it was.
pub fn parse(doc: &mut Value) -> Option<OpenAPI> {
    let taken = take_apart(doc);
    let (rest, apart) = std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .name("apigen-parse".into())
            .spawn_scoped(scope, || parse_apart(&taken));
        let rest = OpenAPI::deserialize(&*doc).ok();
        let apart = match helper {
            Ok(handle) => handle.join().ok().flatten(),
            // No thread could be made: this one parses them too.
            Err(_) => parse_apart(&taken),
        };
        (rest, apart)
    });
    put_back(doc, taken);
    let (mut openapi, (schemas, examples)) = (rest?, apart?);
    // Without `components` nothing was taken apart, and both maps are empty.
    if let Some(components) = openapi.components.as_mut() {
        components.schemas = schemas;
        components.examples = examples;
    }
    Some(openapi)
}

/// The parsed maps of [`APART`], in that order.
type Apart = (
    indexmap::IndexMap<String, ReferenceOr<Schema>>,
    indexmap::IndexMap<String, ReferenceOr<Example>>,
);

/// Takes the maps of [`APART`] out of `doc`'s `components`, each left as an empty map; absent
/// ones are taken as absent (`None`).
fn take_apart(doc: &mut Value) -> [Option<Value>; 2] {
    let components = doc.get_mut("components").and_then(Value::as_object_mut);
    let Some(components) = components else {
        return [None, None];
    };
    APART.map(|key| {
        let value = components.get_mut(key)?;
        Some(std::mem::replace(value, Value::Object(Map::new())))
    })
}

/// Puts back what [`take_apart`] took.
fn put_back(doc: &mut Value, taken: [Option<Value>; 2]) {
    let components = doc.get_mut("components").and_then(Value::as_object_mut);
    let Some(components) = components else {
        return;
    };
    for (key, value) in APART.into_iter().zip(taken) {
        if let (Some(value), Some(slot)) = (value, components.get_mut(key)) {
            *slot = value;
        }
    }
}

/// The maps [`take_apart`] took, parsed as `Components` parses them.
fn parse_apart(taken: &[Option<Value>; 2]) -> Option<Apart> {
    let [schemas, examples] = taken;
    Some((parse_map(schemas)?, parse_map(examples)?))
}

/// A map taken apart, parsed; an absent one is empty, as `Components` defaults it.
fn parse_map<T: serde::de::DeserializeOwned + Default>(taken: &Option<Value>) -> Option<T> {
    match taken {
        Some(value) => T::deserialize(value).ok(),
        None => Some(T::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(components: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "components": components,
        })
    }

    #[test]
    fn parsed_in_two_is_parsed_whole_and_the_document_is_left_as_it_was() {
        let cases = [
            json!({
                "schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}}, "B": {"type": "string", "enum": ["x"]}},
                "examples": {"e": {"value": {"a": 1}}, "r": {"$ref": "#/components/examples/e"}},
                "parameters": {"p": {"name": "p", "in": "query", "schema": {"type": "integer"}}},
            }),
            json!({"schemas": {"A": {"type": "integer"}}}),
            json!({"examples": {"e": {"summary": "s", "value": [1, 2]}}}),
            json!({}),
        ];
        for components in cases {
            let mut doc = document(components);
            let before = doc.clone();
            let whole = OpenAPI::deserialize(&doc).unwrap();
            assert_eq!(parse(&mut doc), Some(whole));
            assert_eq!(doc, before);
        }
        let mut without_components = document(Value::Null);
        without_components
            .as_object_mut()
            .unwrap()
            .remove("components");
        let whole = OpenAPI::deserialize(&without_components).unwrap();
        assert_eq!(parse(&mut without_components), Some(whole));
    }

    #[test]
    fn a_failure_in_either_part_is_none_and_the_document_is_left_as_it_was() {
        for components in [
            json!({"schemas": {"A": {"type": "object", "properties": 3}}}),
            json!({"examples": {"e": 3}}),
            json!({"parameters": {"p": {"in": "query"}}, "schemas": {"A": {"type": "integer"}}}),
        ] {
            let mut doc = document(components);
            let before = doc.clone();
            assert!(OpenAPI::deserialize(&doc).is_err());
            assert_eq!(parse(&mut doc), None);
            assert_eq!(doc, before);
        }
    }
}
