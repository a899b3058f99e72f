//! Two measures of how much of a description the generated types keep, counted on the IR and
//! reported in [`crate::Stats`] (and by `cargo xtask corpus`):
//!
//! - [`untyped_values`]: values typed as a JSON value although their schema gave a type: struct
//!   fields, type aliases, union alternatives and request bodies whose schema has a `type` other
//!   than a free-form `object`, or `properties`; a union alternative also counts when the union's
//!   own schema lists `properties` (alternatives that only add `required` lose them all).
//! - [`numbered_names`]: type and union-variant names that carry a number only to tell them apart:
//!   `…Variant3`, or `Foo2` where `Foo` names another type (or variant of the same union).
//!
//! Both are figures to drive down, not errors: the generated code is sound either way.

use crate::ir::*;
use crate::load::follow_ref_chain;
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::BTreeSet;

/// How many values are typed as a JSON value although the description gave their schema a type.
pub fn untyped_values(api: &Api, doc: &Value) -> usize {
    let schema_at = |at: &Pointer| schema(doc, doc.pointer(at.json_pointer())?);
    let mut count = 0;
    for def in &api.types {
        // The type's own schema is looked up only where it is read: a lookup from the root for
        // each of GitHub's thousands of structs was most of this count's time.
        let own = || schema_at(&def.origin);
        match &def.kind {
            TypeKind::Alias(ty) if is_json(ty) => count += usize::from(own().is_some_and(typed)),
            TypeKind::Struct(s) => {
                count += s
                    .fields
                    .iter()
                    .filter(|f| is_json(&f.ty) && schema_at(&f.origin).is_some_and(typed))
                    .count();
            }
            TypeKind::Union(u) => {
                let own = own();
                let parent_has_properties = own.is_some_and(|s| s.get("properties").is_some());
                for (i, variant) in u.variants.iter().enumerate() {
                    let alternative = own.and_then(|s| alternative(doc, s, i));
                    if is_json(&variant.ty)
                        && (parent_has_properties || alternative.is_some_and(typed))
                    {
                        count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    for operation in &api.operations {
        let Some(body) = operation.body.as_ref().filter(|b| is_json(&b.ty)) else {
            continue;
        };
        let at = operation
            .origin
            .join(["requestBody", "content", &body.content_type, "schema"]);
        let body_schema = doc
            .pointer(operation.origin.json_pointer())
            .and_then(|op| op.get("requestBody"))
            .and_then(|b| schema(doc, b))
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get(&body.content_type))
            .and_then(|m| m.get("schema"))
            .and_then(|s| schema(doc, s))
            .or_else(|| schema_at(&at));
        count += usize::from(body_schema.is_some_and(typed));
    }
    count
}

/// How many type names and union-variant names carry a number only to be told apart.
pub fn numbered_names(api: &Api) -> usize {
    let types: BTreeSet<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    let mut count = types
        .iter()
        .filter(|name| is_numbered(name, &types))
        .count();
    for def in &api.types {
        if let TypeKind::Union(u) = &def.kind {
            let variants: BTreeSet<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
            count += variants
                .iter()
                .filter(|name| is_numbered(name, &variants))
                .count();
        }
    }
    count
}

/// Whether `name` ends in a number that only tells it apart from a name among `names`, or from
/// the other alternatives of a union (`…Variant3`).
fn is_numbered(name: &str, names: &BTreeSet<&str>) -> bool {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.len() == name.len() || stem.is_empty() {
        return false;
    }
    stem.ends_with("Variant") || names.contains(stem)
}

/// Whether a type is a JSON value, under any number of `Option`s and `Box`es.
fn is_json(ty: &Ty) -> bool {
    match ty {
        Ty::Json => true,
        Ty::Option(inner) | Ty::Box(inner) => is_json(inner),
        _ => false,
    }
}

/// The schema `value` is, following its `$ref`s.
fn schema<'a>(doc: &'a Value, value: &'a Value) -> Option<&'a Value> {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => follow_ref_chain(doc, reference).ok(),
        None => Some(value),
    }
}

/// The `i`th alternative of a union's schema (`oneOf`, else `anyOf`), its `$ref`s followed.
fn alternative<'a>(doc: &'a Value, union: &'a Value, i: usize) -> Option<&'a Value> {
    let list = union.get("oneOf").or_else(|| union.get("anyOf"))?;
    schema(doc, list.get(i)?)
}

/// Whether a schema says what its values are: a `type` other than a free-form `object`, or
/// `properties`.
fn typed(schema: &Value) -> bool {
    if schema
        .get("properties")
        .is_some_and(|p| p.as_object().is_some_and(|m| !m.is_empty()))
    {
        return true;
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => schema
            .get("additionalProperties")
            .is_some_and(Value::is_object),
        Some(_) => true,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointer(text: &str) -> Pointer {
        Pointer::parse(text).unwrap()
    }

    fn def(name: &str, origin: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: pointer(origin),
            doc: None,
            kind,
        }
    }

    fn field(wire: &str, ty: Ty, origin: &str) -> Field {
        Field {
            wire: wire.into(),
            name: wire.into(),
            ty,
            required: false,
            doc: None,
            origin: pointer(origin),
            flatten: false,
            nullable: false,
            default: None,
        }
    }

    fn variant(name: &str, ty: Ty) -> UnionVariant {
        UnionVariant {
            name: name.into(),
            ty,
        }
    }

    #[test]
    fn json_values_count_only_where_the_schema_gave_a_type() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {
                "free": {"type": "object"}, "any": {}, "odd": {"type": "file"},
                "map": {"type": "object", "additionalProperties": {"type": "string"}},
                "ref": {"$ref": "#/components/schemas/S"}, "typed": {"type": "string"}}},
            "S": {"type": "string"},
            "Alias": {"type": "integer"},
        }}});
        let at = |p: &str| format!("#/components/schemas/A/properties/{p}");
        let fields = ["free", "any", "odd", "map", "ref"]
            .map(|p| field(p, Ty::Option(Box::new(Ty::Json)), &at(p)))
            .into_iter()
            .chain([field("typed", Ty::String, &at("typed"))])
            .collect();
        let api = Api {
            types: vec![
                def(
                    "A",
                    "#/components/schemas/A",
                    TypeKind::Struct(Struct {
                        fields,
                        ..Struct::default()
                    }),
                ),
                def(
                    "Alias",
                    "#/components/schemas/Alias",
                    TypeKind::Alias(Ty::Json),
                ),
            ],
            ..Api::default()
        };
        // `free` and `any` say no more than a JSON value; `odd`, `map`, `ref` (a string, through
        // its reference) and the alias gave a type that was lost.
        assert_eq!(untyped_values(&api, &doc), 4);
    }

    #[test]
    fn constraint_only_alternatives_lose_the_parents_properties() {
        let doc = json!({"components": {"schemas": {
            "Create": {"type": "object", "properties": {"email": {"type": "string"}},
                       "anyOf": [{"required": ["email"]}, {"required": ["id"]}]},
            "Either": {"oneOf": [{"type": "integer"}, {}]},
        }}});
        let union = |variants| {
            TypeKind::Union(Union {
                variants,
                ..Union::default()
            })
        };
        let api = Api {
            types: vec![
                def(
                    "Create",
                    "#/components/schemas/Create",
                    union(vec![variant("Json", Ty::Json), variant("Json2", Ty::Json)]),
                ),
                def(
                    "Either",
                    "#/components/schemas/Either",
                    union(vec![
                        variant("Variant1", Ty::Json),
                        variant("Variant2", Ty::Json),
                    ]),
                ),
            ],
            ..Api::default()
        };
        // Both of `Create`'s alternatives lose `email`; of `Either`'s, only the integer.
        assert_eq!(untyped_values(&api, &doc), 3);
        assert_eq!(numbered_names(&api), 3);
    }

    #[test]
    fn numbers_count_where_they_only_tell_names_apart() {
        let names: BTreeSet<&str> = ["Foo", "Foo2", "Oauth2", "BarVariant3", "Base64"].into();
        let numbered: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| is_numbered(n, &names))
            .collect();
        assert_eq!(numbered, ["BarVariant3", "Foo2"]);
    }
}
