//! Examples against their types: whether a JSON value decodes the way the emitted serde code
//! decodes it, and, where it does not, the path to the first value that does not fit.

use crate::ir::*;
use serde_json::Value;

/// Checks that a JSON value decodes into `ty` the way the emitted serde code decodes it, and says
/// where it does not (`$.custom_attributes.paid_subscriber: expected a string, found true`).
pub fn check_value(api: &Api, ty: &Ty, value: &Value) -> Result<(), String> {
    check_at(api, ty, value, "$", 0)
}

fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{:?}", s.chars().take(40).collect::<String>()),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn check_at(api: &Api, ty: &Ty, value: &Value, path: &str, depth: usize) -> Result<(), String> {
    if depth > 128 {
        return Ok(());
    }
    let fail = |expected: &str| mismatch(path, expected, value);
    match ty {
        Ty::Json => Ok(()),
        Ty::Option(inner) => {
            if value.is_null() {
                Ok(())
            } else {
                check_at(api, inner, value, path, depth + 1)
            }
        }
        Ty::Box(inner) => check_at(api, inner, value, path, depth + 1),
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::String | Ty::Bytes | Ty::File => {
            check_scalar(ty, value, path)
        }
        Ty::Vec(inner) => match value.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_at(api, inner, item, &format!("{path}[{i}]"), depth + 1)?;
                }
                Ok(())
            }
            None => fail("an array"),
        },
        Ty::Map(inner) => match value.as_object() {
            Some(map) => {
                for (k, v) in map {
                    check_at(api, inner, v, &format!("{path}.{k}"), depth + 1)?;
                }
                Ok(())
            }
            None => fail("an object"),
        },
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => check_at(api, inner, value, path, depth + 1),
            TypeKind::StringEnum(_) => {
                if value.is_string() {
                    Ok(())
                } else {
                    fail("a string")
                }
            }
            TypeKind::Struct(s) => check_struct(api, s, value, path, depth),
            TypeKind::Union(u) => check_union(api, u, value, path, depth),
        },
    }
}

/// What [`check_at`] says where a value is not what its type expects.
fn mismatch(path: &str, expected: &str, value: &Value) -> Result<(), String> {
    Err(format!(
        "{path}: expected {expected}, found {}",
        kind_of(value)
    ))
}

/// Checks a value against a scalar type.
fn check_scalar(ty: &Ty, value: &Value, path: &str) -> Result<(), String> {
    let (fits, expected) = match ty {
        Ty::Bool => (value.is_boolean(), "a boolean"),
        Ty::I32 => (
            value.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
            "a 32-bit integer",
        ),
        Ty::I64 => (value.is_i64(), "an integer"),
        Ty::F64 => (value.is_number(), "a number"),
        _ => (value.is_string(), "a string"),
    };
    if fits {
        Ok(())
    } else {
        mismatch(path, expected, value)
    }
}

/// Checks a value against a struct: an object with every required property, or an array filling
/// the fields in order, as serde's derived structs also accept.
fn check_struct(
    api: &Api,
    s: &Struct,
    value: &Value,
    path: &str,
    depth: usize,
) -> Result<(), String> {
    let embeds = s.fields.iter().any(|f| f.flatten);
    if let Some(items) = value.as_array().filter(|_| !embeds) {
        if items.len() > s.fields.len() {
            return mismatch(path, "an object", value);
        }
        for (i, field) in s.fields.iter().enumerate() {
            match items.get(i) {
                Some(item) => check_at(api, &field.ty, item, &format!("{path}[{i}]"), depth + 1)?,
                None if field.ty.is_option() && !field.required => {}
                None => return mismatch(path, "an object", value),
            }
        }
        return Ok(());
    }
    let Some(map) = value.as_object() else {
        return mismatch(path, "an object", value);
    };
    for field in &s.fields {
        if field.flatten {
            // An embedded base reads its own properties from the same object.
            check_at(api, &field.ty, value, path, depth + 1)?;
            continue;
        }
        match map.get(&field.wire) {
            None if field.ty.is_option() => {}
            None => {
                return Err(format!(
                    "{path}: the required property `{}` is missing",
                    field.wire
                ))
            }
            Some(v) => check_at(
                api,
                &field.ty,
                v,
                &format!("{path}.{}", field.wire),
                depth + 1,
            )?,
        }
    }
    if let Some(additional) = &s.additional {
        for (k, v) in map {
            if !s.wire_fields(api).iter().any(|(_, f)| &f.wire == k) {
                check_at(api, additional, v, &format!("{path}.{k}"), depth + 1)?;
            }
        }
    }
    Ok(())
}

/// Checks a value against a union: the alternative its tag selects, or else the first that fits.
fn check_union(
    api: &Api,
    u: &Union,
    value: &Value,
    path: &str,
    depth: usize,
) -> Result<(), String> {
    if let Some(d) = &u.discriminator {
        let tag = value.get(&d.property).and_then(Value::as_str);
        return match tag.and_then(|t| d.mapping.iter().find(|(v, _)| v == t)) {
            Some((_, i)) => check_at(api, &u.variants[*i].ty, value, path, depth + 1),
            // Unknown tags decode into the catch-all variant.
            None if value.is_object() => Ok(()),
            None => mismatch(path, "an object", value),
        };
    }
    let mut reasons = Vec::new();
    for variant in &u.variants {
        match check_at(api, &variant.ty, value, path, depth + 1) {
            Ok(()) => return Ok(()),
            Err(e) => reasons.push(e),
        }
    }
    Err(format!(
        "{path}: matches none of the alternatives ({})",
        reasons.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::test_ir::{field, named};

    #[test]
    fn check_value_names_the_failing_path() {
        let mut api = Api::default();
        api.types.push(named(
            "Company",
            TypeKind::Struct(Struct {
                fields: vec![field(
                    "custom_attributes",
                    Ty::Map(Box::new(Ty::String)).optional(),
                    false,
                )],
                additional: None,
                shapes: None,
            }),
        ));
        let value = serde_json::json!({"custom_attributes": {"paid_subscriber": true}});
        let err = check_value(&api, &Ty::Named(TypeId(0)), &value).unwrap_err();
        assert_eq!(
            err,
            "$.custom_attributes.paid_subscriber: expected a string, found true"
        );
    }
}
