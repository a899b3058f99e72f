//! The structured target's descriptions in the other dialects the generator reads: OpenAPI 3.1
//! keywords applied to any schema, and a whole 3.0 document rewritten into 3.1 forms or into
//! Swagger 2.0, so that the normalisation stage meets every shape the 3.0 generator meets.

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

/// The dialect a description is written in.
#[derive(Arbitrary, Debug)]
pub enum Dialect {
    OpenApi30,
    OpenApi31,
    Swagger2,
}

/// JSON Schema 2020-12 keywords (OpenAPI 3.1), applied to a schema.
#[derive(Arbitrary, Debug)]
pub enum Keyword31 {
    /// `const`, with the value.
    Const(i64, Option<String>),
    /// `type` as a list, with `null` or with a second type.
    TypeList(bool),
    /// `anyOf` (or `oneOf`) of the schema and `{type: null}`.
    NullBranch(bool),
    /// `prefixItems` of copies of the schema, with `items: false` or not.
    PrefixItems(u8, bool),
    /// The schema under `$defs` of an object, referenced from a property (or, dangling, not).
    Defs(String, bool),
    /// A `$ref` beside the schema's keywords.
    RefBeside(String),
    /// One keyword 3.0 cannot say, beside the schema.
    Dropped(u8),
    /// `examples` as a list.
    Examples(Vec<i64>),
    /// A numeric exclusive bound.
    ExclusiveBound(f64, bool),
    /// `contentEncoding` or `contentMediaType`.
    Content(bool, String),
    /// A boolean schema instead.
    Boolean(bool),
}

const DROPPED: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "propertyNames",
    "contains",
    "patternProperties",
    "$dynamicRef",
    "$id",
    "$anchor",
    "$comment",
];

impl Keyword31 {
    /// Applies the keyword to `schema`.
    pub fn apply(&self, schema: Value) -> Value {
        let mut map = match schema {
            Value::Object(map) => map,
            other => return other,
        };
        match self {
            Keyword31::Const(n, text) => {
                let value = text.clone().map_or_else(|| json!(n), Value::String);
                map.insert("const".into(), value);
            }
            Keyword31::TypeList(with_null) => {
                let kind = map.get("type").cloned().unwrap_or_else(|| json!("string"));
                let second = if *with_null { "null" } else { "integer" };
                map.insert("type".into(), json!([kind, second]));
            }
            Keyword31::NullBranch(one_of) => {
                let key = if *one_of { "oneOf" } else { "anyOf" };
                return json!({ key: [Value::Object(map), {"type": "null"}] });
            }
            Keyword31::PrefixItems(count, closed) => {
                let items: Vec<Value> =
                    (0..count % 4).map(|_| Value::Object(map.clone())).collect();
                let mut tuple = json!({"type": "array", "prefixItems": items});
                if *closed {
                    tuple["items"] = json!(false);
                }
                return tuple;
            }
            Keyword31::Defs(name, referenced) => {
                let target = if *referenced { name.as_str() } else { "gone" };
                let reference = format!("#/$defs/{}", target.replace('~', "~0").replace('/', "~1"));
                return json!({"type": "object", "$defs": { name.as_str(): Value::Object(map) },
                    "properties": {"inner": {"$ref": reference}}});
            }
            Keyword31::RefBeside(reference) => {
                map.insert("$ref".into(), Value::String(reference.clone()));
            }
            Keyword31::Dropped(index) => {
                let keyword = DROPPED[*index as usize % DROPPED.len()];
                map.insert(keyword.into(), json!({}));
            }
            Keyword31::Examples(values) => {
                map.insert("examples".into(), json!(values));
            }
            Keyword31::ExclusiveBound(bound, minimum) => {
                let key = if *minimum {
                    "exclusiveMinimum"
                } else {
                    "exclusiveMaximum"
                };
                if let Some(bound) = serde_json::Number::from_f64(*bound) {
                    map.insert(key.into(), Value::Number(bound));
                }
            }
            Keyword31::Content(encoding, text) => {
                let key = if *encoding {
                    "contentEncoding"
                } else {
                    "contentMediaType"
                };
                map.insert(key.into(), Value::String(text.clone()));
            }
            Keyword31::Boolean(allowed) => return Value::Bool(*allowed),
        }
        Value::Object(map)
    }
}

/// A 3.0 document in 3.1 forms: the version, `nullable` as a `null` type or branch, enums of one
/// value as `const`, and the webhooks 3.1 allows.
pub fn to_v31(mut doc: Value) -> Value {
    doc["openapi"] = json!("3.1.0");
    rewrite_schemas(&mut doc, &|map| {
        if map.remove("nullable") == Some(Value::Bool(true)) {
            match map.get("type").cloned() {
                Some(kind) => {
                    map.insert("type".into(), json!([kind, "null"]));
                }
                None => {
                    let inner = Value::Object(std::mem::take(map));
                    map.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                }
            }
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            if values.len() == 1 {
                let value = values[0].clone();
                map.remove("enum");
                map.insert("const".into(), value);
            }
        }
    });
    if let Some(paths) = doc.get("paths").cloned() {
        doc["webhooks"] = paths;
    }
    doc
}

/// Applies `rewrite` to every object under `value` (schemas and everything else: the rewrites
/// only touch schema keywords).
fn rewrite_schemas(value: &mut Value, rewrite: &dyn Fn(&mut Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            rewrite(map);
            map.values_mut().for_each(|v| rewrite_schemas(v, rewrite));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_schemas(v, rewrite)),
        _ => {}
    }
}

/// A 3.0 document as Swagger 2.0: `servers` as host and base path, `components` at the top under
/// their 2.0 names, request bodies as body or form parameters, response content as `schema` and
/// `produces`, `nullable` as `x-nullable`.
pub fn to_swagger2(doc: Value) -> Value {
    let text = serde_json::to_string(&doc).unwrap_or_default();
    let text = text
        .replace("#/components/schemas/", "#/definitions/")
        .replace("#/components/parameters/", "#/parameters/")
        .replace("\"nullable\":", "\"x-nullable\":");
    let mut doc: Value = serde_json::from_str(&text).unwrap_or(doc);
    let mut out = json!({"swagger": "2.0", "info": doc["info"].clone()});
    if let Some(url) = doc.pointer("/servers/0/url").and_then(Value::as_str) {
        match url.split_once("://") {
            Some((scheme, rest)) => {
                let (host, base) = rest.split_once('/').unwrap_or((rest, ""));
                out["schemes"] = json!([scheme]);
                out["host"] = json!(host);
                out["basePath"] = json!(format!("/{base}"));
            }
            None => out["basePath"] = json!(url),
        }
    }
    let components = doc["components"].take();
    out["definitions"] = components["schemas"].clone();
    if let Some(Value::Object(parameters)) = components.get("parameters") {
        let flat: Map<String, Value> = parameters
            .iter()
            .map(|(name, p)| (name.clone(), flatten_parameter(p.clone())))
            .collect();
        out["parameters"] = Value::Object(flat);
    }
    if let Some(scheme) = components.pointer("/securitySchemes/auth") {
        let scheme = match scheme.get("scheme").and_then(Value::as_str) {
            Some(_) => json!({"type": "basic"}),
            None => scheme.clone(),
        };
        out["securityDefinitions"] = json!({ "auth": scheme });
        out["security"] = doc["security"].take();
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            if let Value::Object(item) = item {
                item.values_mut().for_each(operation_to_swagger2);
            }
        }
    }
    out["paths"] = doc["paths"].take();
    out
}

/// A 3.0 parameter with its schema's keywords on the parameter itself.
fn flatten_parameter(parameter: Value) -> Value {
    let Value::Object(mut parameter) = parameter else {
        return parameter;
    };
    if let Some(Value::Object(schema)) = parameter.remove("schema") {
        parameter.extend(schema);
    }
    if parameter.remove("explode") == Some(Value::Bool(true)) {
        parameter.insert("collectionFormat".into(), json!("multi"));
    }
    Value::Object(parameter)
}

/// An operation (or a path item's parameter list) in 2.0 form.
fn operation_to_swagger2(operation: &mut Value) {
    if let Value::Array(parameters) = operation {
        // A path item's shared parameters.
        for p in parameters.iter_mut() {
            *p = flatten_parameter(p.take());
        }
        return;
    }
    let Some(map) = operation.as_object_mut() else {
        return;
    };
    let mut parameters: Vec<Value> = match map.remove("parameters") {
        Some(Value::Array(list)) => list.into_iter().map(flatten_parameter).collect(),
        _ => Vec::new(),
    };
    if let Some(body) = map.remove("requestBody") {
        if let Some(Value::Object(content)) = body.get("content") {
            let consumes: Vec<&String> = content.keys().collect();
            map.insert("consumes".into(), json!(consumes));
            let schema = content.values().find_map(|m| m.get("schema")).cloned();
            let form = consumes.iter().any(|c| c.contains("form"));
            match (form, schema) {
                (true, Some(Value::Object(schema))) => {
                    let properties = schema.get("properties").and_then(Value::as_object);
                    for (name, property) in properties.into_iter().flatten() {
                        let mut parameter = json!({"name": name, "in": "formData"});
                        if let (Some(p), Value::Object(property)) =
                            (parameter.as_object_mut(), property.clone())
                        {
                            p.extend(property);
                        }
                        if parameter["format"] == "binary" {
                            parameter["type"] = json!("file");
                        }
                        parameters.push(parameter);
                    }
                }
                (_, schema) => parameters.push(json!({"name": "body", "in": "body",
                    "required": body.get("required").cloned().unwrap_or(json!(false)),
                    "schema": schema.unwrap_or(json!({}))})),
            }
        }
    }
    if !parameters.is_empty() {
        map.insert("parameters".into(), Value::Array(parameters));
    }
    let mut produces = Vec::new();
    if let Some(Value::Object(responses)) = map.get_mut("responses") {
        for response in responses.values_mut() {
            let Some(Value::Object(content)) = response.get_mut("content").map(Value::take) else {
                continue;
            };
            if let Some(r) = response.as_object_mut() {
                r.remove("content");
                if let Some(schema) = content.values().find_map(|m| m.get("schema")) {
                    r.insert("schema".into(), schema.clone());
                }
            }
            produces.extend(content.keys().cloned());
        }
    }
    if !produces.is_empty() {
        map.insert("produces".into(), json!(produces));
    }
}
