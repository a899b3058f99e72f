//! The value a validating mock server sends for a schema when the description gives no example
//! of the whole (what Stoplight Prism's sampler builds): each property's `example`, else its
//! `default`, its first `enum` value, or a placeholder of its type and format; the first
//! alternative of a `oneOf`/`anyOf`; every `allOf` member merged; one item of a list (or
//! `minItems`); two entries of a map (`property1`, `property2`). A `$ref` already being sampled
//! stands as an empty value of its type. `check_examples` decodes it into the generated type: a
//! value that does not decode is a response the client cannot read.

use crate::load::follow_ref_chain;
use crate::pointer::Pointer;
use serde_json::{Map, Value};

/// How deep in properties and items the sample goes, as the mock's sampler does
/// (`maxSampleDepth`); a deeper schema stands as [`empty_of`] it.
const SAMPLE_DEPTH: usize = 15;

/// How many schemas one sample may visit, as the mock gives its sampler (`ticks`): beyond that
/// the mock builds no value, and neither does this.
const SAMPLE_TICKS: usize = 2500;

/// The sample of the schema at `at` in `doc`, with where each `example` it holds is; `None` when nothing is there, the schema is too
/// large for the mock to sample, or the sample stands something in for what the description
/// says (an empty value for a schema reached again inside itself or too deep, nothing for an
/// alternative that only constrains): the mock's limits, which say nothing of the description.
pub fn mock_value(doc: &Value, at: &Pointer) -> Option<(Value, Vec<Pointer>)> {
    let schema = lookup(doc, at)?;
    let mut sampler = Sampler {
        doc,
        refs: Vec::new(),
        ticks: SAMPLE_TICKS,
        cut: false,
        examples: Vec::new(),
    };
    let value = sampler.sample(schema, at, 1);
    (sampler.ticks > 0 && !sampler.cut).then(|| (value.unwrap_or(Value::Null), sampler.examples))
}

fn lookup<'d>(doc: &'d Value, at: &Pointer) -> Option<&'d Value> {
    at.tokens().try_fold(doc, |value, token| match value {
        Value::Object(map) => map.get(token.as_str()),
        Value::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// One sampling: the document, the `$ref`s being sampled (a schema reached again inside
/// itself stands as [`empty_of`] it), and the visits left.
struct Sampler<'d> {
    doc: &'d Value,
    refs: Vec<&'d str>,
    ticks: usize,
    /// Whether something was stood in for (see [`mock_value`]).
    cut: bool,
    /// Where each `example` the sample holds is.
    examples: Vec<Pointer>,
}

impl<'d> Sampler<'d> {
    /// The sample of `schema`, `depth` properties or items deep; `None` where the mock leaves
    /// the value out (a scalar reached again inside itself or too deep).
    fn sample(&mut self, schema: &'d Value, at: &Pointer, depth: usize) -> Option<Value> {
        if self.ticks == 0 {
            return None;
        }
        self.ticks -= 1;
        if depth > SAMPLE_DEPTH {
            self.cut = true;
            return empty_of(schema);
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let target = follow_ref_chain(self.doc, reference).ok()?;
            if self.refs.contains(&reference) {
                self.cut = true;
                return empty_of(target);
            }
            self.refs.push(reference);
            let target_at = Pointer::parse(reference).unwrap_or_else(|| at.clone());
            let value = self.sample(target, &target_at, depth);
            self.refs.pop();
            return value;
        }
        if let Some(example) = schema.get("example") {
            self.examples.push(at.push("example"));
            return Some(example.clone());
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            let mut merged: Option<Value> = None;
            for (i, member) in members.iter().enumerate() {
                let member_at = at.join(["allOf", &i.to_string()]);
                if let Some(value) = self.sample(member, &member_at, depth) {
                    merged = Some(merge(merged, value));
                }
            }
            // The schema's own keywords beside `allOf` (`sample_own` does not read `allOf`).
            if schema.get("properties").is_some() || schema.get("type").is_some() {
                if let Some(value) = self.sample_own(schema, at, depth) {
                    merged = Some(merge(merged, value));
                }
            }
            return merged;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = schema
                .get(key)
                .and_then(Value::as_array)
                .and_then(|a| a.first())
            {
                let value = self.sample(first, &at.join([key, "0"]), depth);
                self.cut |= value.is_none();
                return value;
            }
        }
        self.sample_own(schema, at, depth)
    }

    /// The sample of a schema's own keywords (no `$ref`, `allOf` or alternatives).
    fn sample_own(&mut self, schema: &'d Value, at: &Pointer, depth: usize) -> Option<Value> {
        if let Some(default) = schema.get("default") {
            return Some(default.clone());
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return Some(first.clone());
        }
        Some(match type_of(schema) {
            Some("object") => {
                let mut out = Map::new();
                if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                    for (name, property) in properties {
                        // A response does not carry what only requests send.
                        if property.get("writeOnly").and_then(Value::as_bool) == Some(true) {
                            continue;
                        }
                        let property_at = at.join(["properties", name]);
                        if let Some(value) = self.sample(property, &property_at, depth + 1) {
                            out.insert(name.clone(), value);
                        }
                    }
                }
                if let Some(additional) =
                    schema.get("additionalProperties").filter(|a| a.is_object())
                {
                    for key in ["property1", "property2"] {
                        let additional_at = at.push("additionalProperties");
                        if let Some(value) = self.sample(additional, &additional_at, depth + 1) {
                            out.insert(key.to_string(), value);
                        }
                    }
                }
                Value::Object(out)
            }
            Some("array") => {
                let n = schema
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
                    .max(1);
                let n = schema
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(n, |max| n.min(max));
                let item = schema
                    .get("items")
                    .and_then(|items| self.sample(items, &at.push("items"), depth + 1));
                match item {
                    Some(item) => Value::Array(vec![item; n.min(3) as usize]),
                    None => Value::Array(Vec::new()),
                }
            }
            Some("string") => Value::String(string_sample(schema)),
            Some(kind @ ("integer" | "number")) => {
                match schema.get("minimum").and_then(Value::as_f64) {
                    Some(min) if kind == "integer" => Value::from(min.ceil() as i64),
                    Some(min) => {
                        serde_json::Number::from_f64(min).map_or(Value::from(0), Value::Number)
                    }
                    None => Value::from(0),
                }
            }
            Some("boolean") => Value::Bool(true),
            _ => return None,
        })
    }
}

/// A schema's `type`, or the type its keywords imply.
fn type_of(schema: &Value) -> Option<&str> {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return Some(t);
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        Some("object")
    } else if schema.get("items").is_some() {
        Some("array")
    } else {
        None
    }
}

/// The placeholder string the mock's sampler gives a format.
fn string_sample(schema: &Value) -> String {
    let sample = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2019-08-24T14:15:22Z",
        Some("date") => "2019-08-24",
        Some("email") => "user@example.com",
        Some("uuid") => "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
        Some("uri") | Some("url") => "http://example.com",
        Some("hostname") => "example.com",
        Some("ipv4") => "192.168.0.1",
        _ => "string",
    };
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let mut s = sample.to_string();
    while s.chars().count() < min {
        s.push_str("string");
    }
    s
}

/// What a schema reached again inside itself, or too deep, stands as in the mock's sample: an
/// empty object or list, and nothing (the property left out) for anything else.
fn empty_of(schema: &Value) -> Option<Value> {
    match type_of(schema) {
        Some("array") => Some(Value::Array(Vec::new())),
        Some("object") => Some(Value::Object(Map::new())),
        _ => None,
    }
}

/// Two samples of `allOf` members together: objects merge their properties (the later wins),
/// anything else is the later.
fn merge(earlier: Option<Value>, later: Value) -> Value {
    match (earlier, later) {
        (Some(Value::Object(mut a)), Value::Object(b)) => {
            a.extend(b);
            Value::Object(a)
        }
        (_, later) => later,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn properties_take_their_example_default_enum_or_placeholder() {
        let doc = json!({
            "components": {"schemas": {
                "Tag": {"type": "object", "properties": {
                    "name": {"type": "string", "example": "vip"}
                }},
                "Node": {"type": "object", "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
                }},
                "Ticket": {"allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {
                        "state": {"type": "string", "enum": ["open", "closed"]},
                        "size": {"type": "integer", "default": 3},
                        "at": {"type": "string", "format": "date-time"},
                        "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "kind": {"oneOf": [{"type": "boolean"}, {"type": "string"}]},
                        "secret": {"type": "string", "writeOnly": true}
                    }}
                ]},
                "Base": {"type": "object", "properties": {"id": {"type": "string"}}}
            }}
        });
        let at = Pointer::parse("#/components/schemas/Ticket").unwrap();
        assert_eq!(
            mock_value(&doc, &at).map(|(value, _)| value),
            Some(json!({
                "id": "string",
                "state": "open",
                "size": 3,
                "at": "2019-08-24T14:15:22Z",
                "tags": [{"name": "vip"}],
                "counts": {"property1": 0, "property2": 0},
                "kind": true
            }))
        );
        // A schema reached again inside itself is stood in for by the mock: no value to check.
        let node = Pointer::parse("#/components/schemas/Node").unwrap();
        assert_eq!(mock_value(&doc, &node), None);
    }
}
