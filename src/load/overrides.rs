//! Fern overrides documents, read for their SDK names only. Such a document mirrors a description
//! (`paths./contacts.post.x-fern-sdk-group-name: [contacts]`) and is merged into it by fern; a
//! vendor that publishes one (Intercom does) says in it what its own SDKs call each operation.
//!
//! Of each operation under `paths`, only [`SDK_GROUP_KEY`] and [`SDK_METHOD_KEY`] are taken, and
//! only for operations the description has: a path matches a description's path with the same
//! template whatever its parameters are called (`/contacts/{contact_id}` is `/contacts/{id}`, as
//! OpenAPI holds two such paths to be the same). Names for an operation the description lacks are
//! a warning located in the overrides file; every other key (schemas, parameters, servers…) is
//! ignored.

use super::locate::Locator;
use crate::error::{Error, Location, Warning, WarningKind};
use crate::pointer::Pointer;
use serde_json::Value;
use std::path::Path;

/// The extension naming the groups an operation's method is on, outermost first.
pub const SDK_GROUP_KEY: &str = "x-fern-sdk-group-name";

/// The extension naming an operation's method in its group.
pub const SDK_METHOD_KEY: &str = "x-fern-sdk-method-name";

/// Parses an overrides document (YAML or JSON). Unlike a description, a key given twice is not an
/// error: the last one wins. Fern's own documents repeat keys in parts the generator ignores
/// (Intercom's repeats `components.schemas.company`).
pub fn parse(file: &Path, text: &str) -> Result<Value, Error> {
    serde_yaml::from_str::<Value>(text).map_err(|e| Error::Syntax {
        location: Location {
            file: file.to_path_buf(),
            pointer: None,
            line: e.location().map(|l| (l.line(), l.column())),
        },
        format: "YAML",
        message: e.to_string(),
    })
}

/// The keys of a path item that are operations.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A path template with its parameters' names left out: `/contacts/{}/companies`.
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' if !in_param => {
                in_param = true;
                out.push('{');
            }
            '}' if in_param => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// Copies the SDK names of `overrides` (read from `file`) into the operations of `doc`, returning
/// a warning for each operation named there that `doc` does not have.
pub fn apply(doc: &mut Value, overrides: &Value, file: &Path, locator: &Locator) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let warn = |pointer: Pointer, message: String| {
        Warning::new(
            WarningKind::SdkName,
            locator.locate_in(file, &pointer),
            message,
        )
    };
    let Some(paths) = overrides.get("paths").and_then(Value::as_object) else {
        warnings.push(warn(
            Pointer::root(),
            "the overrides document has no `paths`; it names no operation".into(),
        ));
        return warnings;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in METHODS {
            let Some(names) = item.get(method).map(sdk_names).filter(|n| !n.is_empty()) else {
                continue;
            };
            match operation_mut(doc, path, method) {
                Some(operation) => {
                    for (key, value) in names {
                        operation.insert(key.to_string(), value);
                    }
                }
                None => warnings.push(warn(
                    Pointer::root().push("paths").push(path).push(method),
                    format!(
                        "names for `{} {path}`, which the description does not have; ignored",
                        method.to_uppercase()
                    ),
                )),
            }
        }
    }
    warnings
}

/// The SDK names an operation of an overrides document gives.
fn sdk_names(operation: &Value) -> Vec<(&'static str, Value)> {
    [SDK_GROUP_KEY, SDK_METHOD_KEY]
        .into_iter()
        .filter_map(|key| Some((key, operation.get(key)?.clone())))
        .collect()
}

/// The operation of `doc` at `method` of the path with the same template as `path`.
fn operation_mut<'d>(
    doc: &'d mut Value,
    path: &str,
    method: &str,
) -> Option<&'d mut serde_json::Map<String, Value>> {
    let paths = doc.get_mut("paths")?.as_object_mut()?;
    let wanted = shape(path);
    let item = match paths.contains_key(path) {
        true => paths.get_mut(path)?,
        false => paths
            .iter_mut()
            .find(|(candidate, _)| shape(candidate) == wanted)
            .map(|(_, item)| item)?,
    };
    item.get_mut(method)?.as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_sdk_names_of_operations_the_description_has_are_taken() {
        let mut doc = json!({"paths": {
            "/contacts/{id}": {"get": {"operationId": "showContact"}},
            "/contacts": {"post": {"operationId": "createContact"}},
        }});
        let text = r#"paths:
  /contacts/{contact_id}:
    get:
      x-fern-sdk-group-name: [contacts]
      x-fern-sdk-method-name: find
      x-fern-request-name: FindContactRequest
      parameters: [{name: x, in: query}]
  /contacts:
    post: {x-fern-sdk-method-name: create}
    get: {summary: x}
  /admins/{admin_id}:
    get: {x-fern-sdk-method-name: find}
"#;
        let file = Path::new("overrides.yml");
        let overrides = parse(file, text).expect("parses");
        let mut locator = Locator::new(Path::new("api.yaml"));
        locator.add_source(file, text.to_string());
        let warnings = apply(&mut doc, &overrides, file, &locator);
        assert_eq!(
            doc["paths"]["/contacts/{id}"]["get"],
            json!({"operationId": "showContact", "x-fern-sdk-group-name": ["contacts"], "x-fern-sdk-method-name": "find"})
        );
        assert_eq!(
            doc["paths"]["/contacts"],
            json!({"post": {"operationId": "createContact", "x-fern-sdk-method-name": "create"}})
        );
        let [warning] = &warnings[..] else {
            panic!("one warning: {warnings:?}")
        };
        assert_eq!(
            warning.to_string(),
            "overrides.yml:12:5 at #/paths/~1admins~1{admin_id}/get: names for `GET /admins/{admin_id}`, which the description does not have; ignored"
        );
    }

    #[test]
    fn a_key_given_twice_is_no_error_in_an_overrides_document() {
        let text = "components:\n  schemas:\n    a: 1\n    a: 2\npaths: {}\n";
        let value = parse(Path::new("o.yml"), text).expect("parses");
        assert_eq!(value["components"]["schemas"]["a"], 2);
        let broken = parse(Path::new("o.yml"), "paths: [").unwrap_err();
        assert!(broken.to_string().starts_with("o.yml:"), "{broken}");
    }

    #[test]
    fn paths_match_whatever_their_parameters_are_called() {
        assert_eq!(
            shape("/contacts/{contact_id}/tags/{tag_id}"),
            "/contacts/{}/tags/{}"
        );
        assert_eq!(shape("/plain"), "/plain");
    }
}
