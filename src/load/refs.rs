//! Local references: after bundling, every `$ref` should reach a definition in the one document,
//! without going round in a circle. Each one that does not is a [`RefDefect`], of a
//! [`ReferenceProblem`] kind, so that callers can tell the kinds apart without reading messages;
//! `degrade` turns them into warnings.

use crate::error::ReferenceProblem;
use crate::pointer::{Pointer, Step};
use serde_json::Value;

pub use crate::limits::MAX_REF_DEPTH;

/// A `$ref` in the bundled document that reaches no definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefDefect {
    /// The reference at `at` cannot be followed to a definition.
    Unresolved {
        /// Where the `$ref` is, in the bundled document.
        at: Pointer,
        /// The reference as written.
        reference: String,
        /// Why it cannot be followed.
        problem: ReferenceProblem,
    },
    /// The `$ref` at `at` is not a string.
    NotAString {
        /// Where the `$ref` is, in the bundled document.
        at: Pointer,
    },
}

/// Finds every local `$ref` under `value` (at `pointer` in `root`) that points at nothing, or
/// starts a chain of references that goes round in a circle without reaching a definition.
pub fn check_local_refs(
    root: &Value,
    value: &Value,
    pointer: &Pointer,
    defects: &mut Vec<RefDefect>,
) {
    let mut walk = Walk {
        root,
        base: pointer,
        path: Vec::new(),
        defects,
    };
    walk.below(value);
}

/// The walk of [`check_local_refs`]: where it is is kept as the steps down from `base`, and made
/// into a [`Pointer`] only for a defect (GitHub's document has millions of values, and a few
/// defects).
struct Walk<'a, 'w> {
    root: &'a Value,
    base: &'w Pointer,
    path: Vec<Step<'a>>,
    defects: &'w mut Vec<RefDefect>,
}

impl<'a> Walk<'a, '_> {
    /// Where the walk is, then `last` below it when given.
    fn at(&self, last: Option<&str>) -> Pointer {
        let mut at = self.base.below(&self.path);
        if let Some(last) = last {
            at.descend(last);
        }
        at
    }

    /// Whether the walk is at a schema's `properties`, whose keys are names, not keywords.
    fn in_property_map(&self) -> bool {
        match self.path.last() {
            // The keyword holds no `~` or `/`: the key as written compares as its token would.
            Some(Step::Key(key)) => *key == "properties",
            Some(Step::Index(_)) => false,
            None => self.base.escaped_tokens_rev().next() == Some("properties"),
        }
    }

    fn below(&mut self, value: &'a Value) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref") {
                    match reference.as_str() {
                        Some(reference) => self.check(reference, None),
                        None => {
                            let at = self.at(None);
                            self.defects.push(RefDefect::NotAString { at });
                        }
                    }
                    return;
                }
                let is_property_map = self.in_property_map();
                for (key, child) in map {
                    // Examples are data: a `$ref` key inside one is not a reference.
                    if !is_property_map && key.starts_with("x-") {
                        continue;
                    }
                    self.path.push(Step::Key(key));
                    if !is_property_map && (key == "example" || key == "examples") {
                        if key == "examples" {
                            self.examples(child);
                        }
                    } else {
                        self.below(child);
                    }
                    self.path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    self.path.push(Step::Index(i));
                    self.below(child);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    /// `examples` maps names to Example objects, which may be `$ref`s themselves; their values
    /// are data.
    fn examples(&mut self, examples: &'a Value) {
        let Some(map) = examples.as_object() else {
            return;
        };
        for (name, example) in map {
            if let Some(reference) = example.get("$ref") {
                self.check(reference.as_str().unwrap_or_default(), Some(name));
            }
        }
    }

    /// Follows `reference`, written where the walk is (at `last` below it when given), and
    /// records why it cannot be resolved, if it cannot.
    fn check(&mut self, reference: &str, last: Option<&str>) {
        if let Err(problem) = follow_ref_chain(self.root, reference) {
            self.defects.push(RefDefect::Unresolved {
                at: self.at(last),
                reference: reference.to_string(),
                problem,
            });
        }
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
        let Some(at) = current.strip_prefix('#') else {
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
        let Some(target) = lookup(root, at) else {
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

/// Whether any `$ref` under `value`, examples and extensions included, is a string that does not
/// start with `#`: a reference that may lead to another file. Without one, bundling has nothing to
/// do, and a description of one file (GitHub's 13 MB) is not walked with pointers for nothing.
pub(crate) fn any_external_ref(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, child)| {
            (key == "$ref" && child.as_str().is_some_and(|r| !r.starts_with('#')))
                || any_external_ref(child)
        }),
        Value::Array(items) => items.iter().any(any_external_ref),
        _ => false,
    }
}

/// What the JSON pointer `pointer` (RFC 6901, without the `#`) reaches in `root`, as
/// [`Value::pointer`] finds it, without making a string for each token that needs no unescaping:
/// references are followed for every use of every component, GitHub's hundreds of thousands.
pub(crate) fn lookup<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut target = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let unescaped;
        let token = match token.contains('~') {
            true => {
                unescaped = token.replace("~1", "/").replace("~0", "~");
                unescaped.as_str()
            }
            false => token,
        };
        target = match target {
            Value::Object(map) => map.get(token)?,
            // An index as RFC 6901 writes one: digits, without a leading zero.
            Value::Array(items) if token == "0" || !token.starts_with(['0', '+']) => {
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(doc: &Value) -> Vec<RefDefect> {
        let mut defects = Vec::new();
        check_local_refs(doc, doc, &Pointer::root(), &mut defects);
        defects
    }

    #[test]
    fn an_external_ref_is_found_anywhere_and_a_local_one_is_not_external() {
        assert!(!any_external_ref(
            &json!({"a": {"$ref": "#/b"}, "b": [{"$ref": "#/a"}]})
        ));
        assert!(!any_external_ref(&json!({"$ref": 3, "x": "other.yaml"})));
        assert!(any_external_ref(
            &json!({"a": [{"b": {"$ref": "other.yaml#/c"}}]})
        ));
        assert!(any_external_ref(&json!({"example": {"$ref": "./x.json"}})));
    }

    #[test]
    fn lookup_reaches_what_value_pointer_reaches() {
        let doc = json!({"a/b": {"c~d": [10, 11, {"": 12}]}, "e": [[1], [2]], "01": 3});
        for pointer in [
            "",
            "/",
            "/a~1b",
            "/a~1b/c~0d",
            "/a~1b/c~0d/2/",
            "/a~1b/c~0d/1",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/a~1b/c~0d/3",
            "/a~1b/c~0d/-",
            "/e/0/0",
            "/e/1/0",
            "/e/00",
            "/01",
            "/a/b",
            "a",
            "/e/0/0/x",
        ] {
            assert_eq!(lookup(&doc, pointer), doc.pointer(pointer), "{pointer}");
        }
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
    fn a_defect_is_placed_by_escaped_keys_and_indexes_below_the_pointer_the_walk_starts_at() {
        let doc = json!({
            "paths": {"/a~b": {"get": {"parameters": [{"in": "query"}, {"$ref": "#/nope"}]}}},
            "properties": {"x-y": {"$ref": "#/gone"}},
        });
        let mut defects = Vec::new();
        let paths = Pointer::root().push("paths");
        check_local_refs(&doc, &doc["paths"], &paths, &mut defects);
        // Walked from `#/properties`, its keys are property names, not extensions.
        let properties = Pointer::root().push("properties");
        check_local_refs(&doc, &doc["properties"], &properties, &mut defects);
        let at: Vec<&str> = defects
            .iter()
            .map(|d| match d {
                RefDefect::Unresolved { at, .. } | RefDefect::NotAString { at } => at.as_str(),
            })
            .collect();
        assert_eq!(at, ["#/paths/~1a~0b/get/parameters/1", "#/properties/x-y"]);
    }

    #[test]
    fn examples_and_extensions_are_data_but_properties_are_not() {
        let doc = json!({
            "x-notes": {"$ref": "#/nowhere"},
            "example": {"$ref": "#/nowhere"},
            "examples": {"one": {"$ref": "#/nowhere/either"}, "two": {"value": {"$ref": "#/x"}}},
            "properties": {"example": {"$ref": "#/missing-property"}, "x-y": {"$ref": 3}},
        });
        let at = |p: &str| Pointer::parse(p).unwrap();
        let missing = |p: &str, r: &str| RefDefect::Unresolved {
            at: at(p),
            reference: r.into(),
            problem: ReferenceProblem::Missing {
                reference: r.into(),
            },
        };
        assert_eq!(
            problems(&doc),
            [
                missing("#/examples/one", "#/nowhere/either"),
                missing("#/properties/example", "#/missing-property"),
                RefDefect::NotAString {
                    at: at("#/properties/x-y")
                },
            ]
        );
    }
}
