//! Parsing a document that parses as it is with `openapiv3`, on two threads. Its component
//! examples, and its component schemas cut into pieces, are parsed apart: one thread takes them
//! from the start, and the other joins in once it has parsed the rest of the document, so that
//! neither waits for the other long, whatever the description's proportions. On GitHub's
//! description those two maps are three fifths of the text. The result is the one parsing the
//! whole document gives: serde parses each map entry by entry, the same inside the document or in
//! pieces.

use openapiv3::{Example, OpenAPI, ReferenceOr, Schema};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The maps of `components` that are parsed apart.
const APART: [&str; 2] = ["schemas", "examples"];

/// How many pieces of about equal weight the component schemas are cut into: enough that the
/// thread that joins late finds work left (GitHub's rest parses in about half the time its
/// schemas take), and that the last piece taken ends soon after.
const SCHEMA_PIECES: usize = 32;

/// Parsed schemas, by name, as `Components` holds them.
type Schemas = indexmap::IndexMap<String, ReferenceOr<Schema>>;

/// Parsed examples, by name, as `Components` holds them.
type Examples = indexmap::IndexMap<String, ReferenceOr<Example>>;

/// `doc` parsed with `openapiv3`, or `None` when any part of it fails to parse (the caller then
/// parses it whole, and finds where). `doc` is left as it was.
pub fn parse(doc: &mut Value) -> Option<OpenAPI> {
    let [schemas, examples] = take_apart(doc);
    let apart = Apart::new(cut(schemas), examples);
    let rest = std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .name("apigen-parse".into())
            .spawn_scoped(scope, || apart.work());
        let rest = OpenAPI::deserialize(&*doc).ok();
        apart.work();
        // A helper that panicked left its piece unparsed; that shows below.
        if let Ok(handle) = helper {
            let _ = handle.join();
        }
        rest
    });
    let (schemas, examples) = apart.finish(doc);
    let (mut openapi, schemas, examples) = (rest?, schemas?, examples?);
    // Without `components` nothing was taken apart, and both maps are empty.
    if let Some(components) = openapi.components.as_mut() {
        components.schemas = schemas;
        components.examples = examples;
    }
    Some(openapi)
}

/// What is parsed apart: the component examples and the pieces of the component schemas (taken
/// out of the document), the next job to take, and each job's result.
struct Apart {
    examples: Option<Value>,
    pieces: Vec<Value>,
    /// The next job: 0 is the examples, `i + 1` the piece `i`.
    next: AtomicUsize,
    parsed_examples: OnceLock<Option<Examples>>,
    parsed_pieces: Vec<OnceLock<Option<Schemas>>>,
}

impl Apart {
    fn new(pieces: Vec<Value>, examples: Option<Value>) -> Self {
        Apart {
            examples,
            parsed_pieces: pieces.iter().map(|_| OnceLock::new()).collect(),
            pieces,
            next: AtomicUsize::new(0),
            parsed_examples: OnceLock::new(),
        }
    }

    /// Takes jobs until none is left.
    fn work(&self) {
        loop {
            match self.next.fetch_add(1, Ordering::Relaxed) {
                0 => {
                    let _ = self.parsed_examples.set(parse_map(&self.examples));
                }
                job => match self.pieces.get(job - 1) {
                    Some(piece) => {
                        let _ = self.parsed_pieces[job - 1].set(Schemas::deserialize(piece).ok());
                    }
                    None => return,
                },
            }
        }
    }

    /// The parsed maps (`None` where a part failed to parse, or was not parsed), once the maps
    /// taken from `doc` are put back.
    fn finish(self, doc: &mut Value) -> (Option<Schemas>, Option<Examples>) {
        let mut schemas = Some(Schemas::new());
        for parsed in self.parsed_pieces {
            match (schemas.as_mut(), parsed.into_inner().flatten()) {
                (Some(all), Some(piece)) => all.extend(piece),
                _ => schemas = None,
            }
        }
        let examples = self.parsed_examples.into_inner().flatten();
        put_back(doc, [join(self.pieces), self.examples]);
        (schemas, examples)
    }
}

/// The schemas taken apart, in pieces of consecutive entries of about equal weight (none when
/// there are none): schemas differ in size a thousandfold, and GitHub's largest fifteen, side by
/// side, are a quarter of its schemas. A value that is not a map is one piece, which fails to
/// parse as one.
fn cut(schemas: Option<Value>) -> Vec<Value> {
    let map = match schemas {
        None => return Vec::new(),
        Some(Value::Object(map)) => map,
        Some(other) => return vec![other],
    };
    let weights: Vec<usize> = map.values().map(weight).collect();
    let piece_weight = weights.iter().sum::<usize>().div_ceil(SCHEMA_PIECES).max(1);
    let mut pieces = Vec::new();
    let mut piece = Map::new();
    let mut weight_so_far = 0;
    for ((name, schema), weight) in map.into_iter().zip(weights) {
        piece.insert(name, schema);
        weight_so_far += weight;
        if weight_so_far >= piece_weight {
            pieces.push(Value::Object(std::mem::take(&mut piece)));
            weight_so_far = 0;
        }
    }
    if !piece.is_empty() || pieces.is_empty() {
        pieces.push(Value::Object(piece));
    }
    pieces
}

/// How much parsing `value` costs, roughly: how many values it holds, itself included.
fn weight(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(weight).sum::<usize>(),
        Value::Array(items) => 1 + items.iter().map(weight).sum::<usize>(),
        _ => 1,
    }
}

/// The pieces [`cut`] made, joined into the value they were cut from.
fn join(pieces: Vec<Value>) -> Option<Value> {
    let mut pieces = pieces.into_iter();
    let first = pieces.next()?;
    let Value::Object(mut map) = first else {
        return Some(first);
    };
    for piece in pieces {
        if let Value::Object(more) = piece {
            map.extend(more);
        }
    }
    Some(Value::Object(map))
}

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
            json!({"schemas": {}}),
            json!({}),
            json!({"schemas": many_schemas(None), "examples": {"e": {"value": 1}}}),
        ];
        for components in cases {
            let mut doc = document(components);
            let before = serde_json::to_string(&doc).unwrap();
            let whole = OpenAPI::deserialize(&doc).unwrap();
            let parsed = parse(&mut doc);
            // The order of the schemas is kept too (`Value`'s equality would not see it).
            assert_eq!(
                format!("{parsed:?}"),
                format!("{:?}", Some(&whole)),
                "{before}"
            );
            assert_eq!(parsed, Some(whole));
            assert_eq!(serde_json::to_string(&doc).unwrap(), before);
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
            json!({"schemas": many_schemas(Some(37))}),
            json!({"schemas": [{"type": "integer"}]}),
        ] {
            let mut doc = document(components);
            let before = serde_json::to_string(&doc).unwrap();
            assert!(OpenAPI::deserialize(&doc).is_err());
            assert_eq!(parse(&mut doc), None);
            assert_eq!(serde_json::to_string(&doc).unwrap(), before);
        }
    }

    /// Enough schemas to be cut into every piece, named out of alphabetical order, each
    /// referring to the next; the one at `broken` does not parse.
    fn many_schemas(broken: Option<usize>) -> Value {
        let mut schemas = Map::new();
        for i in 0..SCHEMA_PIECES * 3 + 5 {
            let name = format!("S{}", (i * 7919) % 1000);
            let schema = match broken == Some(i) {
                true => json!({"type": "object", "properties": 3}),
                false => json!({
                    "type": "object",
                    "properties": {"next": {"$ref": format!("#/components/schemas/S{}", ((i + 1) * 7919) % 1000)}},
                }),
            };
            schemas.insert(name, schema);
        }
        Value::Object(schemas)
    }

    #[test]
    fn schemas_are_cut_into_pieces_of_consecutive_entries_that_join_back() {
        let schemas = many_schemas(None);
        let pieces = cut(Some(schemas.clone()));
        assert!(
            (2..=SCHEMA_PIECES).contains(&pieces.len()),
            "{}",
            pieces.len()
        );
        assert!(pieces
            .iter()
            .all(|p| p.as_object().is_some_and(|m| !m.is_empty())));
        let joined = join(pieces).unwrap();
        assert_eq!(
            serde_json::to_string(&joined).unwrap(),
            serde_json::to_string(&schemas).unwrap()
        );
        assert!(cut(None).is_empty());
        // A few heavy schemas among many light ones: a piece weighs the target at most, but for
        // its last schema.
        let mut skewed = Map::new();
        for i in 0..200 {
            let properties: Map<String, Value> = (0..if i % 50 == 7 { 400 } else { 2 })
                .map(|p| (format!("p{p}"), json!({"type": "string"})))
                .collect();
            skewed.insert(
                format!("S{i}"),
                json!({"type": "object", "properties": properties}),
            );
        }
        let target = weight(&Value::Object(skewed.clone())).div_ceil(SCHEMA_PIECES);
        let pieces = cut(Some(Value::Object(skewed)));
        assert!(pieces.len() > 4, "{}", pieces.len());
        for piece in &pieces {
            let map = piece.as_object().unwrap();
            let last = map.values().next_back().map_or(0, weight);
            assert!(
                weight(piece) - 1 - last < target,
                "{} {target}",
                weight(piece)
            );
        }
        assert_eq!(cut(Some(json!({}))), [json!({})]);
    }
}
