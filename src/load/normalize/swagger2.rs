//! A Swagger 2.0 document rebuilt in the OpenAPI 3.0 layout: `host`, `basePath` and `schemes`
//! become `servers`; `definitions`, shared `parameters` and `responses` and `securityDefinitions`
//! move under `components`; operations are converted in [`super::swagger2_operations`]. Every `$ref`
//! into a moved part is rewritten, and every part's new place is recorded against the place it
//! was written at (the new document is built from the old one, so each source pointer is an
//! original one).

use super::swagger2_operations::{convert_parameter, convert_paths, convert_responses, Defaults};
use super::{rewrite_refs, Rewrite};
use crate::pointer::Pointer;
use serde_json::{json, Map, Value};

/// Converts the Swagger 2.0 document `doc` into the OpenAPI 3.0 layout.
pub(super) fn convert_document(doc: &mut Value, rewrite: &mut Rewrite) {
    let Value::Object(mut old) = std::mem::take(doc) else {
        return;
    };
    let root = Pointer::root();
    let mut out = Map::new();
    out.insert("openapi".into(), "3.0.3".into());
    rewrite.moved_from_original(root.push("openapi"), root.push("swagger"));
    old.shift_remove("swagger");
    if let Some(info) = old.shift_remove("info") {
        out.insert("info".into(), info);
    }
    servers(&mut old, &mut out, rewrite);
    let defaults = Defaults {
        consumes: media_types(old.shift_remove("consumes")),
        produces: media_types(old.shift_remove("produces")),
        parameters: match old.shift_remove("parameters") {
            Some(Value::Object(parameters)) => parameters,
            _ => Map::new(),
        },
    };
    let paths = old.shift_remove("paths").unwrap_or_else(|| json!({}));
    out.insert("paths".into(), convert_paths(paths, &defaults, rewrite));
    let components = components(&mut old, &defaults, rewrite);
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    // What is left (`security`, `tags`, `externalDocs`, extensions) means the same in 3.0.
    out.extend(old);
    *doc = Value::Object(out);
    let renames = [
        ("definitions", ["components", "schemas"]),
        ("parameters", ["components", "parameters"]),
        ("responses", ["components", "responses"]),
    ]
    .map(|(old, new)| (root.push(old), root.join(new)));
    rewrite_refs(doc, &renames);
}

/// A list of media types (`consumes`, `produces`), or none.
pub(super) fn media_types(value: Option<Value>) -> Vec<String> {
    match value {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// `host`, `basePath` and `schemes` as `servers`: one per scheme (`https` when none is given),
/// or the base path alone, relative, when there is no host.
fn servers(old: &mut Map<String, Value>, out: &mut Map<String, Value>, rewrite: &mut Rewrite) {
    let host = old.shift_remove("host");
    let base_path = old.shift_remove("basePath");
    let schemes = media_types(old.shift_remove("schemes"));
    let base = base_path.as_ref().and_then(Value::as_str).unwrap_or("");
    let (urls, from) = match host.as_ref().and_then(Value::as_str) {
        Some(host) => {
            let schemes = if schemes.is_empty() {
                vec!["https".to_string()]
            } else {
                schemes
            };
            let urls: Vec<String> = schemes
                .iter()
                .map(|scheme| format!("{scheme}://{host}{base}"))
                .collect();
            (urls, "host")
        }
        None if !base.is_empty() => (vec![base.to_string()], "basePath"),
        None => return,
    };
    let root = Pointer::root();
    let list = root.push("servers");
    rewrite.moved_from_original(list.clone(), root.push(from));
    for (i, _) in urls.iter().enumerate() {
        rewrite.moved_from_original(list.push(i), root.push(from));
        rewrite.moved_from_original(list.push(i).push("url"), root.push(from));
    }
    let servers = urls.into_iter().map(|url| json!({ "url": url })).collect();
    out.insert("servers".into(), Value::Array(servers));
}

/// `definitions`, shared non-body `parameters`, `responses` and `securityDefinitions`, under
/// `components` (with any schemas the bundler already put there from other files).
fn components(
    old: &mut Map<String, Value>,
    defaults: &Defaults,
    rewrite: &mut Rewrite,
) -> Map<String, Value> {
    let root = Pointer::root();
    let at = root.push("components");
    let mut components = match old.shift_remove("components") {
        Some(Value::Object(components)) => components,
        _ => Map::new(),
    };
    // Each part as a whole, so that a reference to a name that is missing maps back too.
    for (part, original) in [
        ("schemas", "definitions"),
        ("parameters", "parameters"),
        ("responses", "responses"),
        ("securitySchemes", "securityDefinitions"),
    ] {
        rewrite.moved_from_original(at.push(part), root.push(original));
    }
    // Schemas the bundler brought from other files stay where it recorded them, after the
    // document's own.
    let bundled = match components.shift_remove("schemas") {
        Some(Value::Object(bundled)) => bundled,
        _ => Map::new(),
    };
    for name in bundled.keys() {
        let here = at.join(["schemas", name.as_str()]);
        rewrite.moved_from_original(here.clone(), here);
    }
    if let Some(Value::Object(definitions)) = old.shift_remove("definitions") {
        let schemas = super::object_at(&mut components, "schemas");
        schemas.extend(definitions);
    }
    if !bundled.is_empty() {
        super::object_at(&mut components, "schemas").extend(bundled);
    }
    let mut parameters = Map::new();
    for (name, parameter) in &defaults.parameters {
        let place = parameter.get("in").and_then(Value::as_str);
        if matches!(place, Some("body" | "formData")) {
            // Inlined where operations use them: they become (part of) request bodies.
            continue;
        }
        let now = at.join(["parameters", name.as_str()]);
        let original = root.join(["parameters", name.as_str()]);
        let converted = convert_parameter(parameter.clone(), &now, &original, rewrite);
        parameters.insert(name.clone(), converted);
    }
    if !parameters.is_empty() {
        components.insert("parameters".into(), Value::Object(parameters));
    }
    if let Some(Value::Object(responses)) = old.shift_remove("responses") {
        let now = at.push("responses");
        let original = root.push("responses");
        let responses = convert_responses(responses, &now, &original, &defaults.produces, rewrite);
        components.insert("responses".into(), Value::Object(responses));
    }
    if let Some(Value::Object(schemes)) = old.shift_remove("securityDefinitions") {
        let mut converted = Map::new();
        for (name, scheme) in schemes {
            converted.insert(name, security_scheme(scheme));
        }
        components.insert("securitySchemes".into(), Value::Object(converted));
    }
    components
}

/// A 2.0 security definition as a 3.0 security scheme: `basic` is HTTP basic, `apiKey` is
/// unchanged, `oauth2`'s one flow goes under `flows` by its 3.0 name.
fn security_scheme(scheme: Value) -> Value {
    let Value::Object(mut scheme) = scheme else {
        return scheme;
    };
    let kind = scheme
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string);
    match kind.as_deref() {
        Some("basic") => {
            scheme.insert("type".into(), "http".into());
            scheme.insert("scheme".into(), "basic".into());
        }
        Some("oauth2") => {
            let flow = scheme.shift_remove("flow");
            let flow = match flow.as_ref().and_then(Value::as_str) {
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                Some("password") => "password",
                _ => "implicit",
            };
            let mut settings = Map::new();
            for key in ["authorizationUrl", "tokenUrl"] {
                if let Some(url) = scheme.shift_remove(key) {
                    settings.insert(key.into(), url);
                }
            }
            let scopes = scheme.shift_remove("scopes").unwrap_or_else(|| json!({}));
            settings.insert("scopes".into(), scopes);
            scheme.insert("flows".into(), json!({ flow: settings }));
        }
        _ => {}
    }
    Value::Object(scheme)
}
