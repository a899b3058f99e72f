//! A struct in an example request, built the way the crate's docs tell a user to build one:
//! `types::Type { optional: Some(x), ..types::Type::new(required) }`, through a shape's
//! constructor where the struct has no `new`, and with `..Default::default()` where nothing is
//! required. The values come from an example that decodes into the struct (`analysis::check`).

use super::ident;
use super::request_example::{owned_value_tokens, value_tokens};
use crate::analysis::{allows_an_empty_shape, fill_alone, Fill};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

/// The expression that builds the struct `name` from `object`, or `None` where the object says
/// something the idiom cannot (properties kept in a map of additional ones, a shape that none of
/// its constructors makes); the caller then decodes the object instead.
pub(crate) fn struct_value(
    api: &Api,
    name: &str,
    s: &Struct,
    object: &Map<String, Value>,
) -> Option<TokenStream> {
    let declared: Vec<&str> = s
        .wire_fields(api)
        .iter()
        .map(|(_, f)| f.wire.as_str())
        .collect();
    if s.additional.is_some() && object.keys().any(|k| !declared.contains(&k.as_str())) {
        return None;
    }
    let values = field_values(api, s, object)?;
    let value_of = |f: &Field| {
        values
            .iter()
            .find(|(g, _)| std::ptr::eq(*g, f))
            .map(|(_, v)| v)
    };
    let ty = ident(name);
    let arguments: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| fill_alone(api, f) == Fill::Argument)
        .collect();
    let (made, taken) = if arguments.is_empty() && allows_an_empty_shape(s) {
        (None, Vec::new())
    } else if allows_an_empty_shape(s) {
        let args = arguments
            .iter()
            .map(|f| argument(api, f, value_of(f)?))
            .collect::<Option<Vec<_>>>()?;
        (Some(quote!(types::#ty::new(#(#args),*))), arguments)
    } else {
        let (constructor, taken) = s
            .shapes
            .iter()
            .flat_map(|shapes| &shapes.shapes)
            .find_map(|shape| shape_call(api, s, shape, &arguments, &values))?;
        (Some(quote!(types::#ty::#constructor)), taken)
    };
    let explicit: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| !taken.iter().any(|t| std::ptr::eq(*t, *f)))
        .filter_map(|f| {
            let value = value_of(f)?;
            let fixed =
                matches!(fill_alone(api, f), Fill::Fixed(v) if Some(&v) == object.get(&f.wire));
            let init = field_init(api, f, value)?;
            let name = ident(&f.name);
            (!fixed).then(|| quote!(#name: #init))
        })
        .collect();
    Some(match made {
        Some(made) if explicit.is_empty() => made,
        Some(made) => quote!(types::#ty { #(#explicit,)* ..#made }),
        None if explicit.is_empty() => quote!(types::#ty::default()),
        // Every field set: `..Default::default()` would have nothing left to fill.
        None if explicit.len() == s.fields.len() && s.additional.is_none() => {
            quote!(types::#ty { #(#explicit),* })
        }
        None => quote!(types::#ty { #(#explicit,)* ..Default::default() }),
    })
}

/// The example's value of each field it gives: its own property, or for an embedded base the
/// base's properties (kept out when there are none and the base has `Default`).
fn field_values<'a>(
    api: &Api,
    s: &'a Struct,
    object: &Map<String, Value>,
) -> Option<Vec<(&'a Field, Value)>> {
    let mut values = Vec::new();
    for f in &s.fields {
        if f.flatten {
            let base = struct_behind(api, &f.ty)?;
            let wires: Vec<&str> = base
                .wire_fields(api)
                .iter()
                .map(|(_, f)| f.wire.as_str())
                .collect();
            let own: Map<String, Value> = object
                .iter()
                .filter(|(k, _)| wires.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !own.is_empty() || fill_alone(api, f) == Fill::Argument {
                values.push((f, Value::Object(own)));
            }
        } else if let Some(value) = object.get(&f.wire) {
            values.push((f, value.clone()));
        }
    }
    Some(values)
}

/// The call of the first shape constructor whose properties the example gives, with the
/// fields it takes.
fn shape_call<'a>(
    api: &Api,
    s: &'a Struct,
    shape: &Shape,
    arguments: &[&'a Field],
    values: &[(&Field, Value)],
) -> Option<(TokenStream, Vec<&'a Field>)> {
    let value_of = |f: &Field| {
        values
            .iter()
            .find(|(g, _)| std::ptr::eq(*g, f))
            .map(|(_, v)| v)
    };
    let constructor = ident(shape.constructor.as_deref()?);
    let taken: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| {
            arguments.iter().any(|a| std::ptr::eq(*a, *f)) || shape.required.contains(&f.wire)
        })
        .collect();
    let args = taken
        .iter()
        .map(|f| argument(api, f, value_of(f)?))
        .collect::<Option<Vec<_>>>()?;
    Some((quote!(#constructor(#(#args),*)), taken))
}

/// A constructor's argument for `field`: the value inside an optional one, a string as its
/// literal (the parameter takes `impl Into<String>`); `None` where an optional one is `null`.
fn argument(api: &Api, field: &Field, value: &Value) -> Option<TokenStream> {
    match &field.ty {
        Ty::Option(inner) if !field.required => match value {
            Value::Null => None,
            _ if **inner == Ty::String => Some(value_tokens(api, inner, value)),
            _ => Some(owned_value_tokens(api, inner, value)),
        },
        Ty::String => Some(value_tokens(api, &field.ty, value)),
        _ if field.flatten || field.ty.is_option() => field_init(api, field, value),
        ty => Some(owned_value_tokens(api, ty, value)),
    }
}

/// The value of `field` in a struct literal; `None` for an optional property the example gives
/// as `null`, which is what leaving it out decodes to.
fn field_init(api: &Api, field: &Field, value: &Value) -> Option<TokenStream> {
    let nullable = field.nullable && !field.required && !field.flatten;
    match (&field.ty, value) {
        (Ty::Option(_), Value::Null) if nullable => Some(quote!(types::Nullable::Null)),
        (Ty::Option(_), Value::Null) if !field.required => None,
        (Ty::Option(_), Value::Null) => Some(quote!(None)),
        (Ty::Option(inner), _) if nullable => {
            let value = owned_value_tokens(api, inner, value);
            Some(quote!(types::Nullable::Value(#value)))
        }
        (Ty::Option(inner), _) => {
            let value = owned_value_tokens(api, inner, value);
            Some(quote!(Some(#value)))
        }
        (ty, _) => Some(owned_value_tokens(api, ty, value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, field, type_def};
    use serde_json::json;

    fn person() -> Api {
        let mut nickname = field("nickname", "nickname", Ty::String, false);
        nickname.nullable = true;
        let s = Struct {
            fields: vec![
                field("name", "name", Ty::String, true),
                field("age", "age", Ty::I64, false),
                nickname,
            ],
            ..Struct::default()
        };
        api(vec![type_def("Person", TypeKind::Struct(s))])
    }

    fn build(api: &Api, value: Value) -> String {
        let TypeKind::Struct(s) = &api.types[0].kind else {
            unreachable!("person() makes a struct")
        };
        let Value::Object(object) = value else {
            unreachable!("the tests give objects")
        };
        struct_value(api, "Person", s, &object)
            .expect("the idiom builds it")
            .to_string()
    }

    #[test]
    fn optional_fields_are_set_on_top_of_new() {
        let api = person();
        let built = build(&api, json!({"name": "Ada", "age": 36, "nickname": null}));
        let expected = quote! {
            types::Person {
                age: Some(36),
                nickname: types::Nullable::Null,
                ..types::Person::new("Ada")
            }
        };
        assert_eq!(built, expected.to_string());
        // Only required fields: `new` alone.
        let built = build(&api, json!({"name": "Ada"}));
        assert_eq!(built, quote!(types::Person::new("Ada")).to_string());
    }
}
