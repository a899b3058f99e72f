//! One schema, normalised to OpenAPI 3.0, then its subschemas, top down (so that every move is
//! recorded at the place it ends up). OpenAPI 3.1 schemas are JSON Schema 2020-12: `type` lists
//! with `null`, `anyOf` with a `null` branch, `const`, `examples` lists, numeric exclusive bounds,
//! `contentEncoding`, `prefixItems`, boolean schemas and `$ref` with siblings are rewritten; the
//! keywords 3.0 cannot say are dropped with a warning. Swagger 2.0 schemas differ from 3.0 only in
//! `x-nullable`, `type: file` and a discriminator given as a bare property name.

use super::{Dialect, Rewrite};
use crate::pointer::Pointer;
use serde_json::{json, Map, Value};

/// The keywords 3.0 cannot say, and why each is dropped.
const DROPPED: &[(&str, &str)] = &[
    ("if", "conditional schemas"),
    ("then", "conditional schemas"),
    ("else", "conditional schemas"),
    ("dependentSchemas", "conditional schemas"),
    ("dependentRequired", "conditional requirements"),
    ("unevaluatedProperties", "evaluation across subschemas"),
    ("unevaluatedItems", "evaluation across subschemas"),
    ("propertyNames", "constraints on property names"),
    ("contains", "constraints on some items"),
    ("minContains", "constraints on some items"),
    ("maxContains", "constraints on some items"),
    ("patternProperties", "properties matched by a pattern"),
    ("$dynamicRef", "dynamic references"),
    ("$dynamicAnchor", "dynamic references"),
    ("$anchor", "anchors"),
    ("$id", "schema identifiers"),
];

/// Keywords removed without a word: they say nothing about the data.
const SILENT: &[&str] = &["$schema", "$comment", "$vocabulary"];

/// Keywords beside a `$ref` that 3.0 ignores, and that ask for no `allOf`: they describe the
/// reference, they do not constrain it.
const ANNOTATIONS: &[&str] = &[
    "$ref",
    "description",
    "title",
    "summary",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "default",
    "externalDocs",
];

/// Normalises the schema `value` at `at`, then its subschemas.
pub(super) fn normalize_schema(value: &mut Value, at: &Pointer, rewrite: &mut Rewrite) {
    if let Value::Bool(allowed) = value {
        // `true` allows anything, `false` nothing.
        *value = if *allowed {
            json!({})
        } else {
            json!({"not": {}})
        };
        return;
    }
    let Value::Object(map) = value else {
        return;
    };
    if rewrite.dialect == Dialect::Swagger2 {
        swagger2_keywords(map, at, rewrite);
    }
    // Swagger 2.0 descriptions in the wild use JSON Schema beyond what 2.0 allows (`null` types,
    // lists of `items`) too: the same rewrites read them.
    json_schema_keywords(map, at, rewrite);
    ref_siblings(map, at, rewrite);
    for key in ["items", "additionalProperties", "not"] {
        // `additionalProperties` may be a boolean in 3.0 too; elsewhere a boolean schema is 3.1.
        let schema =
            |c: &&mut Value| c.is_object() || c.is_boolean() && key != "additionalProperties";
        if let Some(child) = map.get_mut(key).filter(schema) {
            normalize_schema(child, &at.push(key), rewrite);
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, child) in properties.iter_mut() {
            normalize_schema(child, &at.push("properties").push(name), rewrite);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            for (i, child) in branches.iter_mut().enumerate() {
                normalize_schema(child, &at.push(key).push(i), rewrite);
            }
        }
    }
}

/// The keywords of a 3.1 (JSON Schema) schema, in an order where each rewrite sees the one
/// before's result.
fn json_schema_keywords(map: &mut Map<String, Value>, at: &Pointer, rewrite: &mut Rewrite) {
    for key in ["anyOf", "oneOf"] {
        null_branches(map, key, at, rewrite);
    }
    type_list(map, at, rewrite);
    drop_unsupported(map, at, rewrite);
    if let Some(value) = map.shift_remove("const") {
        const_to_enum(map, value, at, rewrite);
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        if !map.contains_key("example") {
            if let Some(first) = examples.first().cloned() {
                map.insert("example".into(), first);
                rewrite.moved(at.push("example"), &at.join(["examples", "0"]));
            }
        }
        map.shift_remove("examples");
    }
    exclusive_bound(map, "exclusiveMinimum", "minimum", at, rewrite);
    exclusive_bound(map, "exclusiveMaximum", "maximum", at, rewrite);
    content_keywords(map, at, rewrite);
    if let Some(Value::Array(prefix)) = map.shift_remove("prefixItems") {
        prefix_items(map, prefix, at, rewrite, "prefixItems");
    } else if map.get("items").is_some_and(Value::is_array) {
        // A list of `items` is the tuple of older JSON Schema drafts.
        if let Some(Value::Array(prefix)) = map.shift_remove("items") {
            prefix_items(map, prefix, at, rewrite, "items");
        }
    }
}

/// The keywords of a Swagger 2.0 schema that 3.0 spells differently.
fn swagger2_keywords(map: &mut Map<String, Value>, at: &Pointer, rewrite: &mut Rewrite) {
    if let Some(nullable) = map.shift_remove("x-nullable") {
        map.insert("nullable".into(), nullable);
        rewrite.moved(at.push("nullable"), &at.push("x-nullable"));
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), "string".into());
        map.insert("format".into(), "binary".into());
        rewrite.moved(at.push("format"), &at.push("type"));
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let property = property.clone();
        map.insert("discriminator".into(), json!({ "propertyName": property }));
        let discriminator = at.push("discriminator");
        rewrite.moved(discriminator.push("propertyName"), &discriminator);
    }
}

/// `anyOf`/`oneOf` with a `{type: 'null'}` branch: the branch goes, the schema becomes nullable,
/// and a single branch left is read as the schema itself (a reference through `allOf`).
fn null_branches(map: &mut Map<String, Value>, key: &str, at: &Pointer, rewrite: &mut Rewrite) {
    let Some(Value::Array(branches)) = map.get_mut(key) else {
        return;
    };
    let is_null = |branch: &Value| {
        let kind = branch.get("type");
        kind == Some(&Value::from("null")) || kind == Some(&json!(["null"]))
    };
    let Some(first_null) = branches.iter().position(is_null) else {
        return;
    };
    let kept: Vec<(usize, Value)> = std::mem::take(branches)
        .into_iter()
        .enumerate()
        .filter(|(_, branch)| !is_null(branch))
        .collect();
    let list = at.push(key);
    // Recorded before the branches' new indexes, which would otherwise take this pointer in.
    map.insert("nullable".into(), Value::Bool(true));
    rewrite.moved(at.push("nullable"), &list.push(first_null));
    // In increasing order, each from an index no branch has moved to yet.
    for (now, (before, _)) in kept.iter().enumerate() {
        rewrite.moved(list.push(now), &list.push(before));
    }
    let others = ["allOf", "anyOf", "oneOf"]
        .iter()
        .any(|k| *k != key && map.contains_key(*k));
    if kept.is_empty() {
        map.shift_remove(key);
    } else if kept.len() == 1 && !others {
        let (before, branch) = kept.into_iter().next().expect("one branch is left");
        lift_branch(map, key, before, branch, at, rewrite);
    } else {
        let kept = kept.into_iter().map(|(_, branch)| branch).collect();
        map.insert(key.into(), Value::Array(kept));
    }
}

/// The one branch left of `key` once its `null` branches are gone, read as the schema itself: a
/// reference through `allOf` (the 3.0 way to make one nullable), an inline schema merged into its
/// parent when no keyword but annotations is on both.
fn lift_branch(
    map: &mut Map<String, Value>,
    key: &str,
    before: usize,
    branch: Value,
    at: &Pointer,
    rewrite: &mut Rewrite,
) {
    let from = at.push(key).push(before);
    let Value::Object(branch) = branch else {
        map.insert(key.into(), Value::Array(vec![branch]));
        return;
    };
    if branch.contains_key("$ref") {
        map.shift_remove(key);
        map.insert("allOf".into(), Value::Array(vec![Value::Object(branch)]));
        rewrite.moved(at.push("allOf"), &at.push(key));
        rewrite.moved(at.join(["allOf", "0"]), &from);
        return;
    }
    let clash = branch
        .keys()
        .any(|k| map.contains_key(k) && !ANNOTATIONS.contains(&k.as_str()) && k != "nullable");
    if clash {
        map.insert(key.into(), Value::Array(vec![Value::Object(branch)]));
        return;
    }
    map.shift_remove(key);
    for (name, value) in branch {
        if !map.contains_key(&name) {
            rewrite.moved(at.push(&name), &from.push(&name));
            map.insert(name, value);
        }
    }
}

/// `type` as a list: `null` in it makes the schema nullable; one type left is the type, several
/// become an `anyOf` of one branch per type, each taking the keywords that apply to its type.
fn type_list(map: &mut Map<String, Value>, at: &Pointer, rewrite: &mut Rewrite) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return,
    };
    let kind = at.push("type");
    if let Some(i) = types.iter().position(|t| t == "null") {
        map.insert("nullable".into(), Value::Bool(true));
        let null_at = if map.get("type").is_some_and(Value::is_array) {
            kind.push(i)
        } else {
            kind.clone()
        };
        rewrite.moved(at.push("nullable"), &null_at);
    }
    let mut rest: Vec<(usize, String)> = Vec::new();
    for (i, t) in types.into_iter().enumerate() {
        if t != "null" && !rest.iter().any(|(_, seen)| *seen == t) {
            rest.push((i, t));
        }
    }
    map.shift_remove("type");
    match rest.len() {
        0 => {}
        1 => {
            let (i, t) = rest.remove(0);
            map.insert("type".into(), Value::from(t));
            rewrite.moved(kind.clone(), &kind.push(i));
        }
        _ if map.contains_key("anyOf") => {
            rewrite.warn(
                kind,
                "a list of types beside `anyOf` cannot be said in OpenAPI 3.0; the types are \
                 ignored"
                    .into(),
            );
        }
        _ => split_types(map, rest, at, rewrite),
    }
}

/// The keywords that apply only to one type, moved into that type's branch.
fn keywords_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        "string" => &["minLength", "maxLength", "pattern", "format"],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        _ => &[],
    }
}

/// Several types: an `anyOf` of one branch per type.
fn split_types(
    map: &mut Map<String, Value>,
    types: Vec<(usize, String)>,
    at: &Pointer,
    rewrite: &mut Rewrite,
) {
    let mut branches = Vec::new();
    let list = at.push("anyOf");
    for (n, (i, kind)) in types.iter().enumerate() {
        let mut branch = Map::new();
        branch.insert("type".into(), Value::from(kind.as_str()));
        rewrite.moved(list.push(n), &at.push("type").push(i));
        for keyword in keywords_of(kind) {
            if let Some(value) = map.shift_remove(*keyword) {
                branch.insert((*keyword).into(), value);
                rewrite.moved(list.push(n).push(keyword), &at.push(keyword));
            }
        }
        branches.push(Value::Object(branch));
    }
    map.insert("anyOf".into(), Value::Array(branches));
}

/// Removes the keywords 3.0 cannot say, each with a warning; `patternProperties` with one
/// pattern is read as `additionalProperties` where that says nothing else.
fn drop_unsupported(map: &mut Map<String, Value>, at: &Pointer, rewrite: &mut Rewrite) {
    for key in SILENT {
        map.shift_remove(*key);
    }
    if let Some(Value::Object(patterns)) = map.get("patternProperties") {
        let open = matches!(
            map.get("additionalProperties"),
            None | Some(Value::Bool(true))
        );
        if let (true, 1) = (open, patterns.len()) {
            let (pattern, schema) = patterns.iter().next().expect("one pattern");
            let (pattern, schema) = (pattern.clone(), schema.clone());
            map.shift_remove("patternProperties");
            map.insert("additionalProperties".into(), schema);
            let from = at.join(["patternProperties", pattern.as_str()]);
            rewrite.moved(at.push("additionalProperties"), &from);
            rewrite.warn(
                at.push("additionalProperties"),
                format!(
                    "`patternProperties` is read as `additionalProperties`: the names of the \
                     properties are not checked against `{pattern}`"
                ),
            );
        }
    }
    for (key, what) in DROPPED {
        if map.shift_remove(*key).is_some() {
            rewrite.warn(
                at.push(key),
                format!(
                    "`{key}` ({what}) cannot be said in OpenAPI 3.0, which the generator reads; \
                     the keyword is ignored"
                ),
            );
        }
    }
}

/// `const`: an enum of one value, typed after the value where the schema names no type.
fn const_to_enum(map: &mut Map<String, Value>, value: Value, at: &Pointer, rewrite: &mut Rewrite) {
    let from = at.push("const");
    if !map.contains_key("type") {
        let kind = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_f64() => Some("number"),
            Value::Number(_) => Some("integer"),
            _ => None,
        };
        if let Some(kind) = kind {
            map.insert("type".into(), kind.into());
            rewrite.moved(at.push("type"), &from);
        }
    }
    if !map.contains_key("enum") {
        map.insert("enum".into(), Value::Array(vec![value]));
        rewrite.moved(at.push("enum"), &from);
        rewrite.moved(at.join(["enum", "0"]), &from);
    }
}

/// A numeric `exclusiveMinimum` (3.1) becomes `minimum` with the boolean `exclusiveMinimum: true`
/// (3.0), unless an inclusive `minimum` already bounds tighter; the same for maximum.
fn exclusive_bound(
    map: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    at: &Pointer,
    rewrite: &mut Rewrite,
) {
    let Some(bound) = map.get(exclusive).and_then(Value::as_f64) else {
        return;
    };
    let value = map
        .shift_remove(exclusive)
        .expect("the bound was just read");
    let tighter = match map.get(inclusive).and_then(Value::as_f64) {
        None => true,
        Some(other) if inclusive == "minimum" => bound >= other,
        Some(other) => bound <= other,
    };
    if tighter {
        map.insert(inclusive.into(), value);
        map.insert(exclusive.into(), Value::Bool(true));
        rewrite.moved(at.push(inclusive), &at.push(exclusive));
    }
}

/// `contentEncoding`/`contentMediaType` on a string: base64 text is `format: byte`, raw content of
/// a media type that is not text is `format: binary`.
fn content_keywords(map: &mut Map<String, Value>, at: &Pointer, rewrite: &mut Rewrite) {
    let encoding = map.shift_remove("contentEncoding");
    let media_type = map.shift_remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media_type.as_ref(),
    ) {
        (Some("base64" | "base64url"), _) => Some(("byte", "contentEncoding")),
        (Some(_), _) => Some(("binary", "contentEncoding")),
        (None, Some(Value::String(media))) if !is_text(media) => {
            Some(("binary", "contentMediaType"))
        }
        _ => None,
    };
    if let Some((format, from)) = format {
        map.insert("format".into(), format.into());
        rewrite.moved(at.push("format"), &at.push(from));
    }
}

/// Whether content of `media` is text, which a Rust `String` holds as it is.
fn is_text(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or(media).trim();
    media.starts_with("text/")
        || media == "application/json"
        || media.ends_with("+json")
        || media.ends_with("+xml")
        || media == "application/xml"
}

/// `prefixItems` (a tuple): 3.0 has no tuples, so the array's items are any of its schemas (and
/// of `items`, when the tuple may go on).
fn prefix_items(
    map: &mut Map<String, Value>,
    prefix: Vec<Value>,
    at: &Pointer,
    rewrite: &mut Rewrite,
    keyword: &str,
) {
    let items = at.push("items");
    let rest = map.shift_remove("items").filter(Value::is_object);
    let mut branches: Vec<(Pointer, Value)> = prefix
        .into_iter()
        .enumerate()
        .map(|(i, branch)| (at.push(keyword).push(i), branch))
        .collect();
    if let Some(rest) = rest {
        branches.push((items.clone(), rest));
    }
    // A tuple of one schema repeated (a pair of numbers) is an array of that schema.
    let mut distinct: Vec<(Pointer, Value)> = Vec::new();
    for (from, branch) in branches {
        if !distinct.iter().any(|(_, seen)| *seen == branch) {
            distinct.push((from, branch));
        }
    }
    let mut branches = distinct;
    rewrite.warn(
        items.clone(),
        format!(
            "a tuple (`{keyword}` as a list) cannot be said in OpenAPI 3.0; the array's items \
             are read as any of its schemas"
        ),
    );
    if branches.len() == 1 {
        let (from, branch) = branches.remove(0);
        map.insert("items".into(), branch);
        rewrite.moved(items, &from);
        return;
    }
    let list = items.push("anyOf");
    for (i, (from, _)) in branches.iter().enumerate() {
        rewrite.moved(list.push(i), from);
    }
    let branches = branches.into_iter().map(|(_, branch)| branch).collect();
    map.insert("items".into(), json!({ "anyOf": Value::Array(branches) }));
}

/// A `$ref` with keywords beside it: 3.1 applies them all, 3.0 ignores them. Where they constrain
/// (or, in 2.0 and 3.1, make the reference nullable) the reference moves into `allOf`, beside
/// them; annotations alone (a description) stay, for 3.0 readers to ignore.
fn ref_siblings(map: &mut Map<String, Value>, at: &Pointer, rewrite: &mut Rewrite) {
    if !map.get("$ref").is_some_and(Value::is_string) {
        return;
    }
    let constrains = |key: &String| !ANNOTATIONS.contains(&key.as_str()) && !key.starts_with("x-");
    let wanted = match rewrite.dialect {
        Dialect::OpenApi31 => map.keys().any(constrains),
        Dialect::Swagger2 => map.get("nullable") == Some(&Value::Bool(true)),
        Dialect::OpenApi30 => false,
    };
    if !wanted {
        return;
    }
    let reference = map
        .shift_remove("$ref")
        .expect("the reference was just read");
    let all_of = super::list_at(map, "allOf");
    let index = all_of.len();
    all_of.push(json!({ "$ref": reference }));
    rewrite.moved(at.push("allOf").push(index), at);
}
