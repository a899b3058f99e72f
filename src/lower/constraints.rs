//! The constraints of a schema as written ([`Constraints`]): read from the document, following
//! `$ref`s and merging `allOf` members (each member narrows: the largest minimum, the smallest
//! maximum), for the examples the generator writes to meet.

use super::Lowerer;
use crate::ir::Constraints;
use crate::load::{follow_ref_chain, MAX_REF_DEPTH};
use crate::pointer::Pointer;
use serde_json::Value;

/// The constraints `schema` states, itself and through its `$ref`s and `allOf` members.
pub(super) fn constraints_of(doc: &Value, schema: &Value) -> Constraints {
    let mut out = Constraints::default();
    gather(doc, schema, &mut out, 0);
    out
}

/// The schema of the items of `schema`, where it (or a schema it follows) is a list.
pub(super) fn items_of<'d>(doc: &'d Value, schema: &'d Value, depth: usize) -> Option<&'d Value> {
    if depth > MAX_REF_DEPTH {
        return None;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return items_of(doc, follow_ref_chain(doc, reference).ok()?, depth + 1);
    }
    if let Some(items) = schema.get("items") {
        return Some(items);
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)?
        .iter()
        .find_map(|m| items_of(doc, m, depth + 1))
}

fn gather(doc: &Value, schema: &Value, out: &mut Constraints, depth: usize) {
    if depth > MAX_REF_DEPTH {
        return;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if let Ok(target) = follow_ref_chain(doc, reference) {
            gather(doc, target, out, depth + 1);
        }
        return;
    }
    let count = |key: &str| schema.get(key).and_then(Value::as_u64);
    let number = |key: &str| schema.get(key).and_then(Value::as_f64);
    let flag = |key: &str| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    narrow_up(&mut out.min_items, count("minItems"));
    narrow_down(&mut out.max_items, count("maxItems"));
    narrow_up(&mut out.min_length, count("minLength"));
    narrow_down(&mut out.max_length, count("maxLength"));
    if let Some(min) = number("minimum") {
        if out.minimum.is_none_or(|(m, _)| min > m) {
            out.minimum = Some((min, flag("exclusiveMinimum")));
        }
    }
    if let Some(max) = number("maximum") {
        if out.maximum.is_none_or(|(m, _)| max < m) {
            out.maximum = Some((max, flag("exclusiveMaximum")));
        }
    }
    let text = |key: &str| schema.get(key).and_then(Value::as_str).map(str::to_string);
    out.pattern = out.pattern.take().or_else(|| text("pattern"));
    out.format = out.format.take().or_else(|| text("format"));
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if out.values.is_empty() && !values.iter().all(|v| v.is_string() || v.is_null()) {
            out.values = values.iter().filter(|v| !v.is_null()).cloned().collect();
        }
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        gather(doc, member, out, depth + 1);
    }
}

fn narrow_up(at: &mut Option<u64>, new: Option<u64>) {
    if let Some(new) = new {
        *at = Some(at.map_or(new, |old| old.max(new)));
    }
}

fn narrow_down(at: &mut Option<u64>, new: Option<u64>) {
    if let Some(new) = new {
        *at = Some(at.map_or(new, |old| old.min(new)));
    }
}

impl Lowerer<'_> {
    /// Records the constraints of the property schema `raw` at `origin`, and of its items at
    /// `origin/items`, where it states some.
    pub(super) fn record_constraints(&mut self, origin: &Pointer, raw: Option<&Value>) {
        let Some(raw) = raw else {
            return;
        };
        let doc = &self.loaded.doc;
        let own = constraints_of(doc, raw);
        let items = items_of(doc, raw, 0).map(|items| constraints_of(doc, items));
        if !own.is_empty() {
            self.api.constraints.insert(origin.clone(), own);
        }
        if let Some(items) = items.filter(|c| !c.is_empty()) {
            self.api.constraints.insert(origin.push("items"), items);
        }
    }

    /// The constraints of the schema of the parameter at `param_at` (through a `$ref`).
    pub(super) fn param_constraints(&self, param_at: &Pointer) -> Constraints {
        let doc = &self.loaded.doc;
        let Some(mut param) = self.loaded.get(param_at) else {
            return Constraints::default();
        };
        if let Some(reference) = param.get("$ref").and_then(Value::as_str) {
            match follow_ref_chain(doc, reference) {
                Ok(target) => param = target,
                Err(_) => return Constraints::default(),
            }
        }
        param
            .get("schema")
            .map(|schema| constraints_of(doc, schema))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lower_yaml;
    use crate::ir::Constraints;

    #[test]
    fn constraints_are_read_through_refs_and_all_of_members() {
        let (api, _) = lower_yaml(
            r#"
paths:
  /things:
    get:
      operationId: things
      parameters:
        - {name: per_page, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
      responses:
        '204': {description: ok}
components:
  schemas:
    Tags:
      type: array
      minItems: 1
      items: {type: string, minLength: 2}
    Thing:
      type: object
      properties:
        tags: { $ref: '#/components/schemas/Tags' }
        size:
          allOf:
            - { type: integer, minimum: 0, maximum: 10 }
            - { minimum: 2, exclusiveMaximum: true, maximum: 9 }
        when: { type: string, format: date-time }
        plain: { type: string }
"#,
        );
        let at = |p: &str| crate::pointer::Pointer::parse(p).expect("a pointer");
        let tags = &api.constraints[&at("#/components/schemas/Thing/properties/tags")];
        assert_eq!(tags.min_items, Some(1));
        let items = &api.constraints[&at("#/components/schemas/Thing/properties/tags/items")];
        assert_eq!(items.min_length, Some(2));
        let size = &api.constraints[&at("#/components/schemas/Thing/properties/size")];
        assert_eq!(
            (size.minimum, size.maximum),
            (Some((2.0, false)), Some((9.0, true)))
        );
        let when = &api.constraints[&at("#/components/schemas/Thing/properties/when")];
        assert_eq!(when.format.as_deref(), Some("date-time"));
        assert!(!api
            .constraints
            .contains_key(&at("#/components/schemas/Thing/properties/plain")));
        let per_page = &api.operations[0].params[0].constraints;
        assert_eq!(
            per_page,
            &Constraints {
                minimum: Some((1.0, false)),
                maximum: Some((100.0, false)),
                ..Constraints::default()
            }
        );
    }
}
