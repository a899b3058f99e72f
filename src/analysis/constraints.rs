//! Examples against their schemas' constraints ([`Constraints`]): a value that decodes may still
//! break what the description requires of it (an empty list where `minItems: 1`, a string too
//! long, a number out of bounds). The examples the generator writes must meet them, and one of
//! the description's own that breaks them is reported and not sent.

use crate::ir::*;
use crate::pointer::Pointer;
use serde_json::Value;

/// Checks that `value`, which decodes into `ty`, meets the constraints recorded for every
/// property it holds, and says where it does not (`$.tags: 0 items, fewer than minItems 1`).
pub fn check_constraints(api: &Api, ty: &Ty, value: &Value) -> Result<(), String> {
    if api.constraints.is_empty() {
        return Ok(());
    }
    check_at(api, ty, None, value, "$", 0)
}

fn check_at(
    api: &Api,
    ty: &Ty,
    at: Option<&Pointer>,
    value: &Value,
    path: &str,
    depth: usize,
) -> Result<(), String> {
    if depth > 64 {
        return Ok(());
    }
    if let Some(reason) = at
        .and_then(|at| api.constraints.get(at))
        .and_then(|c| c.broken_by(value))
    {
        return Err(format!("{path}: {reason}"));
    }
    match (ty, value) {
        (Ty::Option(inner) | Ty::Box(inner), _) => check_at(api, inner, at, value, path, depth + 1),
        (Ty::Vec(item), Value::Array(items)) => {
            let items_at = at.map(|at| at.push("items"));
            for (i, v) in items.iter().enumerate() {
                let path = format!("{path}[{i}]");
                check_at(api, item, items_at.as_ref(), v, &path, depth + 1)?;
            }
            Ok(())
        }
        (Ty::Map(inner), Value::Object(map)) => {
            for (k, v) in map {
                check_at(api, inner, None, v, &format!("{path}.{k}"), depth + 1)?;
            }
            Ok(())
        }
        (Ty::Named(id), _) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => check_at(api, inner, at, value, path, depth + 1),
            TypeKind::Struct(s) => check_struct(api, s, value, path, depth),
            // Which alternative a value is depends on how it decodes; each is checked where
            // its own examples are.
            TypeKind::Union(_) | TypeKind::StringEnum(_) => Ok(()),
        },
        _ => Ok(()),
    }
}

fn check_struct(
    api: &Api,
    s: &Struct,
    value: &Value,
    path: &str,
    depth: usize,
) -> Result<(), String> {
    let Some(map) = value.as_object() else {
        return Ok(());
    };
    for field in &s.fields {
        if field.flatten {
            check_at(api, &field.ty, None, value, path, depth + 1)?;
        } else if let Some(v) = map.get(&field.wire) {
            let path = format!("{path}.{}", field.wire);
            check_at(api, &field.ty, Some(&field.origin), v, &path, depth + 1)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, field, type_def};
    use serde_json::json;

    #[test]
    fn a_value_breaking_a_property_constraint_is_told_where() {
        let mut tags = field("tags", "tags", Ty::Vec(Box::new(Ty::String)), true);
        tags.origin = Pointer::parse("#/components/schemas/T/properties/tags").unwrap();
        let s = Struct {
            fields: vec![tags.clone()],
            ..Struct::default()
        };
        let mut api = api(vec![type_def("T", TypeKind::Struct(s))]);
        api.constraints.insert(
            tags.origin.clone(),
            Constraints {
                min_items: Some(1),
                ..Constraints::default()
            },
        );
        api.constraints.insert(
            tags.origin.push("items"),
            Constraints {
                max_length: Some(3),
                ..Constraints::default()
            },
        );
        let ty = Ty::Named(TypeId(0));
        assert_eq!(
            check_constraints(&api, &ty, &json!({"tags": []})),
            Err("$.tags: 0 items, fewer than minItems 1".to_string())
        );
        assert_eq!(
            check_constraints(&api, &ty, &json!({"tags": ["a", "long"]})),
            Err("$.tags[1]: 4 characters, more than maxLength 3".to_string())
        );
        assert_eq!(
            check_constraints(&api, &ty, &json!({"tags": ["a"]})),
            Ok(())
        );
    }
}
