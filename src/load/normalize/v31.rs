//! The parts of an OpenAPI 3.1 document outside its schemas: the version, `jsonSchemaDialect`,
//! `webhooks` (skipped with a warning: the client calls the API, webhooks are calls the API makes),
//! optional `paths`, mutual TLS security schemes, and `$defs`, hoisted into `#/components/schemas`
//! with every `$ref` into them rewritten.

use super::{is_data, object_at, rewrite_refs, Rewrite};
use crate::pointer::Pointer;
use serde_json::{Map, Value};

/// The dialect OpenAPI 3.1 schemas have unless `jsonSchemaDialect` says otherwise.
const OPENAPI_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Rewrites the top of a 3.1 document into 3.0, and hoists its `$defs`.
pub(super) fn normalize_document(doc: &mut Value, rewrite: &mut Rewrite) {
    let Some(map) = doc.as_object_mut() else {
        return;
    };
    map.insert("openapi".into(), "3.0.3".into());
    if let Some(dialect) = map.shift_remove("jsonSchemaDialect") {
        if dialect.as_str() != Some(OPENAPI_DIALECT) {
            rewrite.warn(
                Pointer::root().push("jsonSchemaDialect"),
                format!(
                    "schemas are read as OpenAPI's own dialect, not as {dialect}; keywords of \
                     that dialect are not understood"
                ),
            );
        }
    }
    if let Some(webhooks) = map.shift_remove("webhooks") {
        let count = webhooks.as_object().map_or(0, Map::len);
        if count > 0 {
            rewrite.warn(
                Pointer::root().push("webhooks"),
                format!(
                    "{count} webhook(s) skipped: the generated client makes requests to the API, \
                     and webhooks are requests the API makes; schemas they name under \
                     `components` are still generated"
                ),
            );
        }
    }
    if !map.contains_key("paths") {
        map.insert("paths".into(), Value::Object(Map::new()));
        rewrite.moved(Pointer::root().push("paths"), &Pointer::root());
    }
    drop_mutual_tls(map, rewrite);
    hoist_defs(doc, rewrite);
}

/// Security schemes of type `mutualTLS` (new in 3.1) are dropped with a warning: the certificate
/// is configured on the HTTP client, not per request.
fn drop_mutual_tls(map: &mut Map<String, Value>, rewrite: &mut Rewrite) {
    let Some(Value::Object(schemes)) = map
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    else {
        return;
    };
    let mutual: Vec<String> = schemes
        .iter()
        .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    for name in mutual {
        schemes.shift_remove(&name);
        rewrite.warn(
            Pointer::root().join(["components", "securitySchemes", name.as_str()]),
            "a `mutualTLS` security scheme is skipped: configure the client certificate on the \
             HTTP client"
                .into(),
        );
    }
}

/// A `$defs` entry on its way to `#/components/schemas`: the schema that holds it, its name
/// there and the schema.
struct Definition {
    owner: Pointer,
    name: String,
    schema: Value,
}

/// Moves every `$defs` entry to `#/components/schemas` (under its own name, or its owner's name
/// and its own when that is taken), innermost first, and rewrites the references into them.
fn hoist_defs(doc: &mut Value, rewrite: &mut Rewrite) {
    let mut found = Vec::new();
    take_defs(doc, &Pointer::root(), &mut found);
    if found.is_empty() {
        return;
    }
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let schemas = object_at(object_at(root, "components"), "schemas");
    let mut renames = Vec::new();
    for Definition {
        owner,
        name,
        schema,
    } in found
    {
        let owner_name = owner.last().unwrap_or_default();
        let candidates = [name.clone(), format!("{owner_name}_{name}")];
        let free = candidates
            .into_iter()
            .chain((2..).map(|n| format!("{owner_name}_{name}_{n}")))
            .find(|candidate| !schemas.contains_key(candidate))
            .expect("the numbered names never run out");
        let from = owner.push("$defs").push(&name);
        let to = Pointer::root().join(["components", "schemas", free.as_str()]);
        schemas.insert(free, schema);
        rewrite.moved(to.clone(), &from);
        renames.push((from, to));
    }
    // The longest (innermost) prefix is tried first.
    renames.sort_by_key(|(from, _)| std::cmp::Reverse(from.depth()));
    rewrite_refs(doc, &renames);
}

/// Removes every `$defs` under `value` (at `at`), innermost first, into `found`.
fn take_defs(value: &mut Value, at: &Pointer, found: &mut Vec<Definition>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if !is_data(key) {
                    take_defs(child, &at.push(key), found);
                }
            }
            if let Some(Value::Object(defs)) = map.shift_remove("$defs") {
                found.extend(defs.into_iter().map(|(name, schema)| Definition {
                    owner: at.clone(),
                    name,
                    schema,
                }));
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                take_defs(child, &at.push(i), found);
            }
        }
        _ => {}
    }
}
