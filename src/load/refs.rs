//! Local references: after bundling, every `$ref` must reach a definition in the one document,
//! without going round in a circle. Each problem is an [`Error::Reference`] of a
//! [`ReferenceProblem`] kind, so that callers can tell the kinds apart without reading messages.

use super::locate::Locator;
use crate::error::{Error, ReferenceProblem};
use crate::pointer::Pointer;
use serde_json::Value;

/// How many links a chain of references (a `$ref` to a `$ref`, or an alias of an alias in the IR)
/// may have before the generator stops following it: a longer chain is taken to be a cycle, or a
/// description no one should have to wait for. The one limit for such chains, used by `load`,
/// `lower`, `passes` and `emit`.
pub const MAX_REF_DEPTH: usize = 64;

/// Checks that every local `$ref` under `value` (at `pointer` in `root`) points at something, and
/// that no chain of references goes round in a circle without reaching a definition.
pub fn check_local_refs(
    root: &Value,
    value: &Value,
    pointer: &Pointer,
    locator: &Locator,
    errors: &mut Vec<Error>,
) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let Some(reference) = reference.as_str() else {
                    errors.push(Error::Invalid {
                        location: locator.locate(pointer),
                        message: "`$ref` must be a string".into(),
                    });
                    return;
                };
                check_reference(root, reference, pointer, locator, errors);
                return;
            }
            let is_property_map = pointer.last().as_deref() == Some("properties");
            for (key, child) in map {
                // Examples are data: a `$ref` key inside one is not a reference.
                if !is_property_map && key.starts_with("x-") {
                    continue;
                }
                if !is_property_map && (key == "example" || key == "examples") {
                    if key == "examples" {
                        check_examples(root, child, &pointer.push(key), locator, errors);
                    }
                    continue;
                }
                check_local_refs(root, child, &pointer.push(key), locator, errors);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_local_refs(root, child, &pointer.push(i), locator, errors);
            }
        }
        _ => {}
    }
}

/// `examples` maps names to Example objects, which may be `$ref`s themselves; their values are data.
fn check_examples(
    root: &Value,
    examples: &Value,
    pointer: &Pointer,
    locator: &Locator,
    errors: &mut Vec<Error>,
) {
    let Some(map) = examples.as_object() else {
        return;
    };
    for (name, example) in map {
        if let Some(reference) = example.get("$ref") {
            let reference = reference.as_str().unwrap_or_default();
            check_reference(root, reference, &pointer.push(name), locator, errors);
        }
    }
}

/// Follows `reference`, written at `pointer`, and records why it cannot be resolved, if it cannot.
fn check_reference(
    root: &Value,
    reference: &str,
    pointer: &Pointer,
    locator: &Locator,
    errors: &mut Vec<Error>,
) {
    if let Err(problem) = follow_ref_chain(root, reference) {
        errors.push(Error::Reference {
            location: locator.locate(pointer),
            reference: reference.to_string(),
            problem: Box::new(problem),
        });
    }
}

/// Follows a chain of local references to a value that is not itself a reference: at most
/// [`MAX_REF_DEPTH`] of them.
pub fn follow_ref_chain<'a>(
    root: &'a Value,
    reference: &str,
) -> Result<&'a Value, ReferenceProblem> {
    let mut seen: Vec<&str> = Vec::new();
    let mut current = reference;
    loop {
        let Some(at) = current.strip_prefix('#').map(|_| Pointer::parse(current)) else {
            return Err(ReferenceProblem::NotLocal {
                reference: current.to_string(),
            });
        };
        if seen.contains(&current) {
            seen.push(current);
            return Err(ReferenceProblem::Cycle {
                chain: seen.into_iter().map(str::to_string).collect(),
            });
        }
        if seen.len() == MAX_REF_DEPTH {
            return Err(ReferenceProblem::TooLong {
                reference: reference.to_string(),
            });
        }
        seen.push(current);
        let Some(target) = at.and_then(|at| root.pointer(at.json_pointer())) else {
            return Err(ReferenceProblem::Missing {
                reference: current.to_string(),
            });
        };
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) => current = next,
            None => return Ok(target),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn problems(doc: &Value) -> Vec<String> {
        let mut locator = Locator::new(Path::new("r.yaml"));
        locator.add_source(Path::new("r.yaml"), String::new());
        let mut errors = Vec::new();
        check_local_refs(doc, doc, &Pointer::root(), &locator, &mut errors);
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reference_cycles_are_reported() {
        let doc = json!({"components": {"schemas": {"a": {"$ref": "#/components/schemas/b"}, "b": {"$ref": "#/components/schemas/a"}}}});
        let problem = follow_ref_chain(&doc, "#/components/schemas/a").unwrap_err();
        assert_eq!(
            problem,
            ReferenceProblem::Cycle {
                chain: ["a", "b", "a"]
                    .map(|n| format!("#/components/schemas/{n}"))
                    .to_vec()
            }
        );
        assert_eq!(
            problem.to_string(),
            "the references form a cycle: #/components/schemas/a → #/components/schemas/b → #/components/schemas/a"
        );
    }

    #[test]
    fn chains_are_followed_to_a_definition_up_to_the_limit() {
        let mut schemas = serde_json::Map::new();
        for i in 0..MAX_REF_DEPTH {
            let next = format!("#/s/{}", i + 1);
            schemas.insert(i.to_string(), json!({"$ref": next}));
        }
        schemas.insert(MAX_REF_DEPTH.to_string(), json!({"type": "string"}));
        let doc = json!({"s": schemas});
        assert_eq!(
            follow_ref_chain(&doc, "#/s/1"),
            Ok(&json!({"type": "string"}))
        );
        assert_eq!(
            follow_ref_chain(&doc, "#/s/0"),
            Err(ReferenceProblem::TooLong {
                reference: "#/s/0".into()
            })
        );
    }

    #[test]
    fn each_kind_of_problem_is_told_apart() {
        let doc = json!({"a": {"$ref": "other.yaml#/x"}, "b": {"$ref": "#/nowhere"}, "c": {"$ref": "#no-slash"}});
        assert_eq!(
            follow_ref_chain(&doc, "#/a"),
            Err(ReferenceProblem::NotLocal {
                reference: "other.yaml#/x".into()
            })
        );
        assert_eq!(
            follow_ref_chain(&doc, "#/b"),
            Err(ReferenceProblem::Missing {
                reference: "#/nowhere".into()
            })
        );
        assert_eq!(
            follow_ref_chain(&doc, "#/c"),
            Err(ReferenceProblem::Missing {
                reference: "#no-slash".into()
            })
        );
    }

    #[test]
    fn examples_and_extensions_are_data_but_properties_are_not() {
        let doc = json!({
            "x-notes": {"$ref": "#/nowhere"},
            "example": {"$ref": "#/nowhere"},
            "examples": {"one": {"$ref": "#/nowhere/either"}, "two": {"value": {"$ref": "#/x"}}},
            "properties": {"example": {"$ref": "#/missing-property"}, "x-y": {"$ref": 3}},
        });
        assert_eq!(
            problems(&doc),
            [
                "r.yaml at #/examples/one: cannot resolve `$ref: #/nowhere/either`: nothing at #/nowhere/either in this document",
                "r.yaml at #/properties/example: cannot resolve `$ref: #/missing-property`: nothing at #/missing-property in this document",
                "r.yaml at #/properties/x-y: `$ref` must be a string",
            ]
        );
    }
}
