//! OpenAPI Overlay 1.0: a document of actions, each a JSONPath `target` with an `update` merged into
//! every node it selects, or `remove: true` deleting them. The loader applies overlays before
//! anything else reads the description, so fixes to a description live beside it, not inside it.
//!
//! The JSONPath subset understood is what overlays use in practice: `$`, `.name`, `['name']`,
//! `["name"]`, `[N]`, `.*` and `[*]`. Anything else is an error naming the action.

use crate::error::{Error, Location};
use crate::pointer::Pointer;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The description at `spec` with `overlays` applied in order, read and parsed as written (no
/// bundling, no other stage): what a validating mock server serves, so that it judges requests by
/// the description the client was generated from.
pub fn apply_files(spec: &Path, overlays: &[PathBuf]) -> Result<Value, Error> {
    let read = |path: &Path| {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        super::parse_text(path, &text)
    };
    let mut doc = read(spec)?;
    for overlay in overlays {
        apply(&mut doc, &read(overlay)?, overlay)?;
    }
    Ok(doc)
}

/// Applies the overlay `overlay` (read from `file`) to `doc`.
pub fn apply(doc: &mut Value, overlay: &Value, file: &Path) -> Result<(), Error> {
    let fail = |pointer: Pointer, message: String| Error::Overlay {
        location: Location::new(file, pointer),
        message,
    };
    if overlay
        .get("overlay")
        .and_then(Value::as_str)
        .is_none_or(|v| !v.starts_with("1."))
    {
        return Err(fail(
            Pointer::root().push("overlay"),
            "not an OpenAPI Overlay 1.x document (`overlay: 1.0.0` is missing)".into(),
        ));
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return Err(fail(
            Pointer::root().push("actions"),
            "an overlay needs a list of `actions`".into(),
        ));
    };
    let mut errors = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        let pointer = Pointer::root().push("actions").push(i);
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            errors.push(fail(pointer, "the action has no `target`".into()));
            continue;
        };
        let segments = match parse_path(target) {
            Ok(s) => s,
            Err(message) => {
                errors.push(fail(
                    pointer.push("target"),
                    format!("`{target}`: {message}"),
                ));
                continue;
            }
        };
        let remove = action
            .get("remove")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let update = action.get("update");
        let touched = if remove {
            remove_matches(doc, &segments)
        } else if let Some(update) = update {
            let mut count = 0;
            visit_mut(doc, &segments, &mut |node| {
                merge(node, update);
                count += 1;
            });
            count
        } else {
            errors.push(fail(
                pointer,
                "the action has neither `update` nor `remove: true`".into(),
            ));
            continue;
        };
        if touched == 0 {
            errors.push(fail(
                pointer.push("target"),
                format!("`{target}` selects nothing in the description"),
            ));
        }
    }
    match Error::from_list(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
    Wildcard,
}

fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let mut rest = path.strip_prefix('$').ok_or("a JSONPath starts with `$`")?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(".*") {
            segments.push(Segment::Wildcard);
            rest = after;
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return Err("empty name after `.`".into());
            }
            segments.push(Segment::Key(after[..end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("[*]") {
            segments.push(Segment::Wildcard);
            rest = after;
        } else if let Some(after) = rest.strip_prefix('[') {
            let quote = after.chars().next().filter(|c| *c == '\'' || *c == '"');
            if let Some(q) = quote {
                let body = &after[1..];
                let close = body.find(q).ok_or("unclosed quote")?;
                segments.push(Segment::Key(body[..close].to_string()));
                rest = body[close + 1..]
                    .strip_prefix(']')
                    .ok_or("expected `]` after a quoted name")?;
            } else {
                let close = after.find(']').ok_or("unclosed `[`")?;
                let index = after[..close].trim().parse::<usize>().map_err(|_| {
                    format!(
                        "`[{}]` is not supported: use a name, an index or `*`",
                        &after[..close]
                    )
                })?;
                segments.push(Segment::Index(index));
                rest = &after[close + 1..];
            }
        } else {
            return Err(format!("unexpected `{rest}`"));
        }
    }
    Ok(segments)
}

fn visit_mut(node: &mut Value, segments: &[Segment], f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = segments.split_first() else {
        f(node);
        return;
    };
    match (first, node) {
        (Segment::Key(k), Value::Object(map)) => {
            if let Some(child) = map.get_mut(k) {
                visit_mut(child, rest, f);
            }
        }
        (Segment::Index(i), Value::Array(items)) => {
            if let Some(child) = items.get_mut(*i) {
                visit_mut(child, rest, f);
            }
        }
        (Segment::Wildcard, Value::Object(map)) => {
            map.values_mut().for_each(|c| visit_mut(c, rest, f))
        }
        (Segment::Wildcard, Value::Array(items)) => {
            items.iter_mut().for_each(|c| visit_mut(c, rest, f))
        }
        _ => {}
    }
}

fn remove_matches(node: &mut Value, segments: &[Segment]) -> usize {
    let Some((last, parents)) = segments.split_last() else {
        return 0;
    };
    let mut count = 0;
    visit_mut(node, parents, &mut |parent| match (last, parent) {
        (Segment::Key(k), Value::Object(map)) => {
            count += usize::from(map.shift_remove(k).is_some())
        }
        (Segment::Index(i), Value::Array(items)) if *i < items.len() => {
            items.remove(*i);
            count += 1;
        }
        (Segment::Wildcard, Value::Object(map)) => {
            count += map.len();
            map.clear();
        }
        (Segment::Wildcard, Value::Array(items)) => {
            count += items.len();
            items.clear();
        }
        _ => {}
    });
    count
}

/// Merges `update` into `target` as Overlay 1.0 says: objects recursively, arrays appended, any
/// other value replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                match t.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
        (t, u) => *t = u.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn updates_removes_and_reports_misses() {
        let mut doc = json!({"components": {"schemas": {"company": {"properties": {"custom_attributes": {"additionalProperties": {"type": "string"}}}}}}});
        let overlay = json!({"overlay": "1.0.0", "actions": [
            {"target": "$.components.schemas.company.properties.custom_attributes.additionalProperties", "remove": true},
            {"target": "$.components.schemas['company'].properties.custom_attributes", "update": {"description": "fixed"}},
        ]});
        apply(&mut doc, &overlay, Path::new("o.yaml")).unwrap();
        assert_eq!(
            doc.pointer("/components/schemas/company/properties/custom_attributes"),
            Some(&json!({"description": "fixed"}))
        );
        let miss = json!({"overlay": "1.0.0", "actions": [{"target": "$.nope", "remove": true}]});
        let err = apply(&mut doc, &miss, Path::new("o.yaml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("o.yaml at #/actions/0/target") && err.contains("selects nothing"),
            "{err}"
        );
    }

    #[test]
    fn wildcards_and_indexes_select_and_updates_merge() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"tags": ["a"]}, "post": {"tags": ["b"]}},
            "/b": {"get": {"tags": ["c"], "parameters": [{"name": "x"}, {"name": "y"}]}},
        }});
        let overlay = json!({"overlay": "1.0.0", "actions": [
            {"target": "$.paths.*.get", "update": {"tags": ["read"], "x-read": true}},
            {"target": "$.paths['/b'].get.parameters[1]", "remove": true},
            {"target": "$.paths[\"/a\"][*].tags", "update": ["all"]},
        ]});
        apply(&mut doc, &overlay, Path::new("o.yaml")).unwrap();
        // Objects merge key by key, arrays are appended to.
        assert_eq!(
            doc["paths"]["/a"]["get"],
            json!({"tags": ["a", "read", "all"], "x-read": true})
        );
        assert_eq!(doc["paths"]["/a"]["post"]["tags"], json!(["b", "all"]));
        assert_eq!(
            doc["paths"]["/b"]["get"]["parameters"],
            json!([{"name": "x"}])
        );
    }

    #[test]
    fn malformed_overlays_and_actions_are_named() {
        let mut doc = json!({"a": 1});
        let message = |overlay: Value| {
            apply(&mut doc.clone(), &overlay, Path::new("o.yaml"))
                .unwrap_err()
                .to_string()
        };
        assert!(message(json!({"actions": []})).starts_with("o.yaml at #/overlay: "));
        assert!(message(json!({"overlay": "1.0.0"})).starts_with("o.yaml at #/actions: "));
        let actions = json!({"overlay": "1.0.0", "actions": [
            {"update": {}},
            {"target": "$.a[?(@.x)]", "remove": true},
            {"target": "$.a"},
        ]});
        assert_eq!(
            message(actions),
            "3 problems:\n  \
             - o.yaml at #/actions/0: overlay action does not apply: the action has no `target`\n  \
             - o.yaml at #/actions/1/target: overlay action does not apply: `$.a[?(@.x)]`: `[?(@.x)]` is not supported: use a name, an index or `*`\n  \
             - o.yaml at #/actions/2: overlay action does not apply: the action has neither `update` nor `remove: true`"
        );
        assert_eq!(
            parse_path("a"),
            Err("a JSONPath starts with `$`".to_string())
        );
        assert_eq!(
            parse_path("$.a['b'][2].*"),
            Ok(vec![
                Segment::Key("a".into()),
                Segment::Key("b".into()),
                Segment::Index(2),
                Segment::Wildcard
            ])
        );
        apply(
            &mut doc,
            &json!({"overlay": "1.0.0", "actions": []}),
            Path::new("o.yaml"),
        )
        .unwrap();
    }
}
