//! Swagger 2.0 operations in the OpenAPI 3.0 layout: a `body` parameter becomes the request body
//! (one entry per media type the operation consumes), `formData` parameters become the properties
//! of a `multipart/form-data` or `application/x-www-form-urlencoded` body (files included), other
//! parameters keep their place with their type under `schema` and `collectionFormat` read as
//! `style`/`explode`, and each response's `schema` goes under `content`, once per media type the
//! operation produces, with its `examples`.

use super::swagger2::media_types;
use super::Rewrite;
use crate::pointer::Pointer;
use serde_json::{json, Map, Value};

/// What an operation inherits from the document.
pub(super) struct Defaults {
    /// The document's `consumes`.
    pub consumes: Vec<String>,
    /// The document's `produces`.
    pub produces: Vec<String>,
    /// The document's shared `parameters`, as written.
    pub parameters: Map<String, Value>,
}

/// The keys of a 2.0 parameter (or header, or items object) that describe its value: they move
/// under `schema`.
const VALUE_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// A parameter as the operation uses it: the object (a shared one resolved) and where it was
/// written.
struct Parameter {
    value: Map<String, Value>,
    original: Pointer,
}

/// Converts every path item of `paths`.
pub(super) fn convert_paths(paths: Value, defaults: &Defaults, rewrite: &mut Rewrite) -> Value {
    let Value::Object(paths) = paths else {
        return paths;
    };
    let mut out = Map::new();
    for (path, item) in paths {
        let at = Pointer::root().push("paths").push(&path);
        let item = match item {
            Value::Object(item) if !path.starts_with("x-") => {
                Value::Object(convert_path_item(item, &at, defaults, rewrite))
            }
            other => other,
        };
        out.insert(path, item);
    }
    Value::Object(out)
}

fn convert_path_item(
    mut item: Map<String, Value>,
    at: &Pointer,
    defaults: &Defaults,
    rewrite: &mut Rewrite,
) -> Map<String, Value> {
    let shared = resolve_parameters(item.shift_remove("parameters"), at, defaults);
    let (bodies, others): (Vec<Parameter>, Vec<Parameter>) =
        shared.into_iter().partition(is_body_or_form);
    if !others.is_empty() {
        let list = convert_parameter_list(others, &at.push("parameters"), rewrite);
        item.insert("parameters".into(), Value::Array(list));
    }
    for method in METHODS {
        let Some(Value::Object(operation)) = item.shift_remove(*method) else {
            continue;
        };
        let op_at = at.push(method);
        let converted = convert_operation(operation, &op_at, &bodies, defaults, rewrite);
        item.insert((*method).into(), Value::Object(converted));
    }
    item
}

/// The operation's parameters, each a shared one resolved or its own, with where it was written.
fn resolve_parameters(list: Option<Value>, at: &Pointer, defaults: &Defaults) -> Vec<Parameter> {
    let Some(Value::Array(list)) = list else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, parameter) in list.into_iter().enumerate() {
        let written = at.push("parameters").push(i);
        let Value::Object(value) = parameter else {
            continue;
        };
        let shared = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
            .map(|name| name.replace("~1", "/").replace("~0", "~"));
        match shared.and_then(|name| Some((defaults.parameters.get(&name)?, name))) {
            // Body and form parameters are inlined: they become (part of) a request body.
            Some((Value::Object(target), name)) if is_body_or_form_value(target) => {
                out.push(Parameter {
                    value: target.clone(),
                    original: Pointer::root().push("parameters").push(name),
                })
            }
            _ => out.push(Parameter {
                value,
                original: written,
            }),
        }
    }
    out
}

fn is_body_or_form_value(value: &Map<String, Value>) -> bool {
    matches!(
        value.get("in").and_then(Value::as_str),
        Some("body" | "formData")
    )
}

fn is_body_or_form(parameter: &Parameter) -> bool {
    is_body_or_form_value(&parameter.value)
}

/// Converts an operation: parameters, request body, responses.
fn convert_operation(
    mut operation: Map<String, Value>,
    at: &Pointer,
    inherited: &[Parameter],
    defaults: &Defaults,
    rewrite: &mut Rewrite,
) -> Map<String, Value> {
    let consumes = match operation.shift_remove("consumes") {
        Some(list) => media_types(Some(list)),
        None => defaults.consumes.clone(),
    };
    let produces = match operation.shift_remove("produces") {
        Some(list) => media_types(Some(list)),
        None => defaults.produces.clone(),
    };
    operation.shift_remove("schemes");
    let own = resolve_parameters(operation.shift_remove("parameters"), at, defaults);
    let (mut bodies, others): (Vec<Parameter>, Vec<Parameter>) =
        own.into_iter().partition(is_body_or_form);
    // Path-level body and form parameters apply unless the operation has its own of that name.
    for parameter in inherited {
        let name = parameter.value.get("name");
        if !bodies.iter().any(|b| b.value.get("name") == name) {
            bodies.push(Parameter {
                value: parameter.value.clone(),
                original: parameter.original.clone(),
            });
        }
    }
    if !others.is_empty() {
        let list = convert_parameter_list(others, &at.push("parameters"), rewrite);
        operation.insert("parameters".into(), Value::Array(list));
    }
    if let Some(body) = request_body(bodies, &consumes, &at.push("requestBody"), rewrite) {
        operation.insert("requestBody".into(), body);
    }
    if let Some(Value::Object(responses)) = operation.shift_remove("responses") {
        let (now, original) = (at.push("responses"), at.push("responses"));
        let converted = convert_responses(responses, &now, &original, &produces, rewrite);
        operation.insert("responses".into(), Value::Object(converted));
    }
    operation
}

/// Converts a list of non-body parameters, each recorded at its new index.
fn convert_parameter_list(list: Vec<Parameter>, at: &Pointer, rewrite: &mut Rewrite) -> Vec<Value> {
    let mut out = Vec::new();
    for (i, parameter) in list.into_iter().enumerate() {
        let now = at.push(i);
        rewrite.moved_from_original(now.clone(), parameter.original.clone());
        if parameter.value.contains_key("$ref") {
            out.push(Value::Object(parameter.value));
            continue;
        }
        let converted = convert_parameter(
            Value::Object(parameter.value),
            &now,
            &parameter.original,
            rewrite,
        );
        out.push(converted);
    }
    out
}

/// A non-body parameter: its value's keys move under `schema`, and `collectionFormat` becomes
/// `style` and `explode`.
pub(super) fn convert_parameter(
    parameter: Value,
    now: &Pointer,
    original: &Pointer,
    rewrite: &mut Rewrite,
) -> Value {
    let Value::Object(mut parameter) = parameter else {
        return parameter;
    };
    let place = parameter.get("in").and_then(Value::as_str).unwrap_or("");
    let place = place.to_string();
    let format = parameter.shift_remove("collectionFormat");
    let schema = take_value_keys(&mut parameter);
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        let format = format.as_ref().and_then(Value::as_str).unwrap_or("csv");
        let (style, explode) = collection_style(format, &place, &now.push("style"), rewrite);
        if let Some(style) = style {
            parameter.insert("style".into(), style.into());
        }
        parameter.insert("explode".into(), explode.into());
        let from = original.push("collectionFormat");
        let from = if format == "csv" {
            original.clone()
        } else {
            from
        };
        rewrite.moved_from_original(now.push("style"), from.clone());
        rewrite.moved_from_original(now.push("explode"), from);
    }
    rewrite.moved_from_original(now.push("schema"), original.clone());
    parameter.insert("schema".into(), Value::Object(schema));
    Value::Object(parameter)
}

/// The 3.0 `style` (none for the default) and `explode` for a 2.0 `collectionFormat`.
fn collection_style(
    format: &str,
    place: &str,
    at: &Pointer,
    rewrite: &mut Rewrite,
) -> (Option<&'static str>, bool) {
    let query = place == "query";
    match format {
        "multi" => (query.then_some("form"), true),
        "ssv" if query => (Some("spaceDelimited"), false),
        "pipes" if query => (Some("pipeDelimited"), false),
        "csv" => (None, false),
        other => {
            rewrite.warn(
                at.clone(),
                format!(
                    "`collectionFormat: {other}` has no OpenAPI 3.0 equivalent for a {place} \
                     parameter; the values are sent separated by commas"
                ),
            );
            (None, false)
        }
    }
}

/// Moves the value keys of a parameter or header into a schema of their own.
fn take_value_keys(object: &mut Map<String, Value>) -> Map<String, Value> {
    let mut schema = Map::new();
    for key in VALUE_KEYS {
        if let Some(value) = object.shift_remove(*key) {
            schema.insert((*key).into(), value);
        }
    }
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        items.shift_remove("collectionFormat");
    }
    schema
}

/// The request body for an operation's body parameter, or for its form parameters.
fn request_body(
    parameters: Vec<Parameter>,
    consumes: &[String],
    at: &Pointer,
    rewrite: &mut Rewrite,
) -> Option<Value> {
    let first = parameters.first()?.original.clone();
    rewrite.moved_from_original(at.clone(), first.clone());
    rewrite.moved_from_original(at.push("content"), first.clone());
    let body = parameters
        .iter()
        .find(|p| p.value.get("in").and_then(Value::as_str) == Some("body"));
    if let Some(body) = body {
        let schema = body
            .value
            .get("schema")
            .cloned()
            .unwrap_or_else(|| json!({}));
        let mut types: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|t| !is_form(t))
            .collect();
        if types.is_empty() {
            types.push("application/json");
        }
        let mut content = Map::new();
        for media in types {
            let media_at = at.join(["content", media]);
            rewrite.moved_from_original(media_at.clone(), body.original.clone());
            rewrite.moved_from_original(media_at.push("schema"), body.original.push("schema"));
            content.insert(media.into(), json!({ "schema": schema }));
        }
        let mut out = Map::new();
        for key in ["description", "x-examples"] {
            if let Some(value) = body.value.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        out.insert("content".into(), Value::Object(content));
        if body.value.get("required") == Some(&Value::Bool(true)) {
            out.insert("required".into(), true.into());
        }
        return Some(Value::Object(out));
    }
    Some(form_body(parameters, consumes, at, rewrite))
}

fn is_form(media: &str) -> bool {
    media.starts_with("multipart/form-data")
        || media.starts_with("application/x-www-form-urlencoded")
}

/// Form parameters as one object schema, under the form media types the operation consumes
/// (multipart when there is a file and it names none).
fn form_body(
    parameters: Vec<Parameter>,
    consumes: &[String],
    at: &Pointer,
    rewrite: &mut Rewrite,
) -> Value {
    let mut types: Vec<&str> = consumes
        .iter()
        .map(String::as_str)
        .filter(|t| is_form(t))
        .collect();
    if types.is_empty() {
        let file = parameters
            .iter()
            .any(|p| p.value.get("type").and_then(Value::as_str) == Some("file"));
        types.push(if file {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        });
    }
    let mut properties = Map::new();
    let mut required = Vec::new();
    for mut parameter in parameters {
        let name = match parameter.value.get("name").and_then(Value::as_str) {
            Some(name) => name.to_string(),
            None => continue,
        };
        let mut schema = take_value_keys(&mut parameter.value);
        if let Some(description) = parameter.value.get("description") {
            schema.insert("description".into(), description.clone());
        }
        if parameter.value.get("required") == Some(&Value::Bool(true)) {
            required.push(Value::from(name.as_str()));
        }
        for media in &types {
            let property = at.join(["content", media, "schema", "properties", name.as_str()]);
            rewrite.moved_from_original(property, parameter.original.clone());
        }
        properties.insert(name, Value::Object(schema));
    }
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    let content: Map<String, Value> = types
        .into_iter()
        .map(|media| (media.to_string(), json!({ "schema": schema })))
        .collect();
    json!({ "content": content })
}

/// Converts the responses of an operation (or the shared ones): `schema` under `content` once per
/// media type produced, `examples` as each media type's `example`, headers' values under `schema`.
pub(super) fn convert_responses(
    responses: Map<String, Value>,
    now: &Pointer,
    original: &Pointer,
    produces: &[String],
    rewrite: &mut Rewrite,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (code, response) in responses {
        let converted = match response {
            Value::Object(response) if !response.contains_key("$ref") => {
                let (now, original) = (now.push(&code), original.push(&code));
                rewrite.moved_from_original(now.clone(), original.clone());
                Value::Object(convert_response(
                    response, &now, &original, produces, rewrite,
                ))
            }
            other => other,
        };
        out.insert(code, converted);
    }
    out
}

fn convert_response(
    mut response: Map<String, Value>,
    now: &Pointer,
    original: &Pointer,
    produces: &[String],
    rewrite: &mut Rewrite,
) -> Map<String, Value> {
    if !response.contains_key("description") {
        response.insert("description".into(), "".into());
    }
    if let Some(Value::Object(headers)) = response.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            if let Value::Object(header) = header {
                let schema = take_value_keys(header);
                let at = now.join(["headers", name.as_str(), "schema"]);
                let from = original.join(["headers", name.as_str()]);
                rewrite.moved_from_original(at, from);
                header.insert("schema".into(), Value::Object(schema));
            }
        }
    }
    let examples = match response.shift_remove("examples") {
        Some(Value::Object(examples)) => examples,
        _ => Map::new(),
    };
    let Some(schema) = response.shift_remove("schema") else {
        return response;
    };
    let file = schema.get("type").and_then(Value::as_str) == Some("file");
    let mut types: Vec<&str> = produces.iter().map(String::as_str).collect();
    if types.is_empty() {
        types.push(if file {
            "application/octet-stream"
        } else {
            "application/json"
        });
    }
    let mut content = Map::new();
    rewrite.moved_from_original(now.push("content"), original.clone());
    for media in types {
        let media_at = now.join(["content", media]);
        rewrite.moved_from_original(media_at.clone(), original.clone());
        rewrite.moved_from_original(media_at.push("schema"), original.push("schema"));
        let mut entry = json!({ "schema": schema });
        if let Some(example) = examples.get(media) {
            entry["example"] = example.clone();
            let from = original.join(["examples", media]);
            rewrite.moved_from_original(media_at.push("example"), from);
        }
        content.insert(media.into(), entry);
    }
    response.insert("content".into(), Value::Object(content));
    response
}
