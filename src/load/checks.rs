//! Checks of the description as a whole: its version (and so its dialect), before anything else
//! reads it, and the
//! keys of its responses, which the parser would skip without a word.

use super::locate::Locator;
use super::normalize::Dialect;
use crate::error::{Error, Warning, WarningKind};
use crate::pointer::Pointer;
use serde_json::Value;
use std::path::Path;

/// Checks, before anything else reads the root document, that it is a description the generator
/// reads (OpenAPI 3.0 or 3.1, or Swagger 2.0), and says which; any other version, or none, gets an
/// error that says what to do.
pub fn check_version(spec: &Path, doc: &Value, locator: &Locator) -> Result<Dialect, Error> {
    let locate = |tokens: &[&str]| locator.locate_in(spec, &Pointer::root().join(tokens));
    let Some(object) = doc.as_object() else {
        let found = match doc {
            Value::Null => "empty",
            Value::Array(_) => "a list",
            _ => "a single value",
        };
        return Err(Error::Invalid {
            location: locate(&[]),
            message: format!(
                "the document is {found}, not a mapping; an OpenAPI description starts with \
                 `openapi: 3.0.x`"
            ),
        });
    };
    if let Some(swagger) = object.get("swagger") {
        return match swagger {
            Value::String(v) if v == "2.0" => Ok(Dialect::Swagger2),
            other => Err(Error::UnsupportedVersion {
                location: locate(&["swagger"]),
                message: format!(
                    "unsupported Swagger version {}: only `swagger: \"2.0\"` is read (and \
                     OpenAPI 3.0 and 3.1)",
                    display_scalar(other)
                ),
            }),
        };
    }
    match object.get("openapi") {
        None => Err(Error::UnsupportedVersion {
            location: locate(&[]),
            message: "no `openapi` field: an OpenAPI description starts with `openapi: 3.0.x` \
                      (or `3.1.x`, or `swagger: \"2.0\"`)"
                .into(),
        }),
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(Dialect::OpenApi30),
        Some(Value::String(v)) if v.starts_with("3.1") => Ok(Dialect::OpenApi31),
        Some(Value::Number(n)) => Err(Error::UnsupportedVersion {
            location: locate(&["openapi"]),
            message: format!(
                "the version is the number `{n}`, but it must be a string: write \
                 `openapi: \"3.0.3\"` (YAML reads an unquoted `3.0` as a number)"
            ),
        }),
        Some(other) => Err(Error::UnsupportedVersion {
            location: locate(&["openapi"]),
            message: format!(
                "unsupported OpenAPI version {}: 3.0.x and 3.1.x are read (and Swagger 2.0)",
                display_scalar(other)
            ),
        }),
    }
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// Warns about the keys of operations' `responses` that are not status codes: the parser skips them
/// without a word, so the response they describe would silently be missing from the client.
pub fn check_response_keys(doc: &Value, locator: &Locator) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return warnings;
    };
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    for (path, item) in paths {
        for method in methods {
            let Some(responses) = item
                .get(method)
                .and_then(|op| op.get("responses"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            for key in responses.keys() {
                let status =
                    serde_json::from_value::<openapiv3::StatusCode>(Value::String(key.clone()));
                if key == "default" || key.starts_with("x-") || status.is_ok() {
                    continue;
                }
                let at = Pointer::root().join(["paths", path, method, "responses", key]);
                warnings.push(Warning {
                    location: locator.locate(&at),
                    message: format!(
                        "`{key}` is not a status code (such as `200`, `2XX` or `default`); \
                         this response is ignored"
                    ),
                    kind: WarningKind::IgnoredResponse,
                });
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn version_error(doc: Value) -> String {
        let locator = Locator::new(Path::new("v.yaml"));
        check_version(Path::new("v.yaml"), &doc, &locator)
            .unwrap_err()
            .to_string()
    }

    fn dialect(doc: Value) -> Dialect {
        check_version(
            Path::new("v.yaml"),
            &doc,
            &Locator::new(Path::new("v.yaml")),
        )
        .unwrap()
    }

    #[test]
    fn versions_other_than_3_0_3_1_and_2_0_are_refused_with_advice() {
        assert_eq!(dialect(json!({"openapi": "3.0.1"})), Dialect::OpenApi30);
        assert_eq!(dialect(json!({"openapi": "3.1.0"})), Dialect::OpenApi31);
        assert_eq!(dialect(json!({"swagger": "2.0"})), Dialect::Swagger2);
        let swagger = version_error(json!({"swagger": "1.2"}));
        assert!(
            swagger.starts_with("v.yaml at #/swagger: unsupported Swagger version `1.2`"),
            "{swagger}"
        );
        let future = version_error(json!({"openapi": "4.0.0"}));
        assert!(
            future.starts_with("v.yaml at #/openapi: unsupported OpenAPI version `4.0.0`"),
            "{future}"
        );
        let number = version_error(json!({"openapi": 3.0}));
        assert!(
            number.contains("the version is the number `3.0`"),
            "{number}"
        );
        let list = version_error(json!([1]));
        assert!(
            list.starts_with("v.yaml at #: the document is a list, not a mapping"),
            "{list}"
        );
        let missing = version_error(json!({"info": {}}));
        assert!(
            missing.starts_with("v.yaml at #: no `openapi` field"),
            "{missing}"
        );
    }

    #[test]
    fn response_keys_that_are_not_status_codes_are_warned_about() {
        let text = "paths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n        2XX: {description: ok}\n        ok: {description: ok}\n        x-note: {}\n";
        let doc = super::super::parse::parse_text(Path::new("k.yaml"), text).unwrap();
        let mut locator = Locator::new(Path::new("k.yaml"));
        locator.add_source(Path::new("k.yaml"), text.to_string());
        let warnings: Vec<String> = check_response_keys(&doc, &locator)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            warnings,
            ["k.yaml:7:9 at #/paths/~1a/get/responses/ok: `ok` is not a status code (such as `200`, `2XX` or `default`); this response is ignored"]
        );
    }
}
