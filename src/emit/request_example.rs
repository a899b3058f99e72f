//! The example request of an operation: the call the operation's doc example shows, and the one
//! the conformance harness sends.
//!
//! Values come from the description's own examples (a parameter's `example`, the request body's
//! `example` or first `examples` entry), and from the schema where there is none or where the
//! example does not decode into the type (`analysis::check` says which). Description values become
//! Rust only as `proc_macro2` literals and `serde_json::json!` trees built from them, never as
//! pasted text: a string is always a string literal, whatever it holds.

use super::groups::call_path;
use super::struct_example::struct_value;
use super::{ident, ty_tokens, From};
use crate::analysis::check_constraints;
use crate::analysis::check_value;
use crate::ir::*;
use crate::pointer::Pointer;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

/// How deep the value made from a schema goes before it stops at an empty object or list.
const SCHEMA_DEPTH: usize = 6;

/// The most entries of one object or list written as a `json!` tree: `json!` expands
/// recursively, entry by entry, and a larger value would pass the compiler's recursion limit. A
/// larger value is written as one JSON string literal instead.
const JSON_MACRO_ENTRIES: usize = 24;

/// The statements of an example request, in a function that has `client: Client` and the crate's
/// `types` module in scope and returns `Result<(), Box<dyn std::error::Error>>`.
pub(crate) struct RequestExample {
    /// `let` statements that build a body or a parameter value, before the call.
    pub lets: Vec<TokenStream>,
    /// The call: `client.method(arguments).setter(value)…`, not yet awaited.
    pub call: TokenStream,
}

/// The example request of `op`: every required parameter and a required body, the optional body
/// and optional query parameters where the description gives an example of them.
pub(crate) fn request_example(api: &Api, op: &Operation) -> RequestExample {
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        args.push(param_value(api, p));
    }
    let body = op.body.as_ref().and_then(|body| {
        let example = body_example(api, op, body);
        (body.required || example.is_some()).then(|| {
            let value = example.unwrap_or_else(|| schema_value(api, &body.ty, None, 0));
            lets.push(body_let(api, body, &value));
            body.required
        })
    });
    if body == Some(true) {
        args.push(quote!(body));
    }
    let mut setters = Vec::new();
    for p in op.params.iter().filter(|p| !p.required) {
        let example = p.example.as_ref().filter(|v| param_decodes(api, p, v));
        if let (Some(value), ParamLocation::Query) = (example, p.location) {
            let name = ident(&p.name);
            let value = value_tokens(api, &p.ty, value);
            setters.push(quote!(.#name(#value)));
        }
    }
    if body == Some(false) {
        setters.push(quote!(.body(body)));
    }
    let method = call_path(api, op);
    RequestExample {
        lets,
        call: quote!(#method(#(#args),*) #(#setters)*),
    }
}

/// The value of a required parameter: its example where it decodes and meets its schema's
/// constraints, else one made from its type (a string parameter gets its own wire name, which
/// reads as a placeholder, where its constraints allow it).
fn param_value(api: &Api, p: &Param) -> TokenStream {
    let value = match p.example.as_ref().filter(|v| param_decodes(api, p, v)) {
        Some(value) => value.clone(),
        None if p.ty == Ty::String => meet(Value::String(p.wire.clone()), Some(&p.constraints)),
        None => match (
            &p.ty,
            meet(schema_value(api, &p.ty, None, 0), Some(&p.constraints)),
        ) {
            // An empty list sends no value at all, and the parameter is required: one item.
            (Ty::Vec(item), Value::Array(items)) if items.is_empty() => {
                Value::Array(vec![schema_value(api, item, None, 0)])
            }
            (_, value) => value,
        },
    };
    value_tokens(api, &p.ty, &value)
}

/// Whether a parameter's example decodes into its type and meets its constraints.
fn param_decodes(api: &Api, p: &Param, value: &Value) -> bool {
    decodes(api, &p.ty, value) && p.constraints.broken_by(value).is_none()
}

/// The first example of the request body that decodes into its type.
fn body_example(api: &Api, op: &Operation, body: &Body) -> Option<Value> {
    let request_body = op.origin.push("requestBody");
    api.examples
        .iter()
        .filter(|e| e.origin.starts_with(&request_body))
        .map(|e| &e.value)
        .find(|value| {
            decodes(api, &body.ty, value) && check_constraints(api, &body.ty, value).is_ok()
        })
        .cloned()
}

/// `let body = …;` for a body, typed so that the reader sees what it is.
fn body_let(api: &Api, body: &Body, value: &Value) -> TokenStream {
    let ty = ty_tokens(api, &body.ty, From::Outside);
    let value = value_tokens(api, &body.ty, value);
    // A string literal is a `&str`; a text body is a `String`.
    let value = if body.ty == Ty::String {
        quote!(#value.to_string())
    } else {
        value
    };
    quote!(let body: #ty = #value;)
}

/// Whether `value` decodes into `ty` the way the generated serde code decodes it.
fn decodes(api: &Api, ty: &Ty, value: &Value) -> bool {
    check_value(api, ty, value).is_ok()
}

/// A Rust expression of type `ty` for `value` (which decodes into it): a literal for a string,
/// number or boolean, the variant for a string enum, `vec![…]` for a list, a struct built the
/// way a user builds one (`Type { optional: Some(x), ..Type::new(required) }`), else
/// `serde_json::from_value` of a `json!` tree (or `serde_json::from_str` of one literal, for a
/// large value).
pub(crate) fn value_tokens(api: &Api, ty: &Ty, value: &Value) -> TokenStream {
    match (ty, value) {
        (Ty::String, Value::String(s)) => Literal::string(s).into_token_stream(),
        (Ty::Bytes, Value::String(s)) => {
            let bytes = Literal::byte_string(s.as_bytes());
            quote!(#bytes.to_vec())
        }
        (Ty::Bool, Value::Bool(b)) => quote!(#b),
        (Ty::I32 | Ty::I64, Value::Number(n)) if n.as_i64().is_some() => {
            integer_literal(n.as_i64().unwrap_or_default())
        }
        (Ty::F64, Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => {
            let f = n.as_f64().unwrap_or_default();
            let literal = Literal::f64_unsuffixed(f.abs()).into_token_stream();
            if f < 0.0 {
                quote!(-#literal)
            } else {
                literal
            }
        }
        (Ty::Box(inner), _) => {
            let inner = owned_value_tokens(api, inner, value);
            quote!(Box::new(#inner))
        }
        (Ty::Vec(item), Value::Array(items)) => {
            let items = items.iter().map(|v| owned_value_tokens(api, item, v));
            quote!(vec![#(#items),*])
        }
        (Ty::Named(id), Value::Object(map)) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => {
                struct_value(api, &api.types[id.0].name, s, map).unwrap_or_else(|| decoded(value))
            }
            TypeKind::Alias(inner) => value_tokens(api, inner, value),
            _ => decoded(value),
        },
        (Ty::Named(id), Value::String(s)) => match &api.types[id.0].kind {
            TypeKind::StringEnum(e) => match e.variants.iter().find(|v| &v.value == s) {
                Some(variant) => {
                    let ty = ident(&api.types[id.0].name);
                    let variant = ident(&variant.name);
                    quote!(types::#ty::#variant)
                }
                None => decoded(value),
            },
            TypeKind::Alias(inner) if is_literal_scalar(inner) => value_tokens(api, inner, value),
            _ => decoded(value),
        },
        _ => decoded(value),
    }
}

/// [`value_tokens`], with a string literal made a `String` where `ty` is one: the value of a
/// field or of a list's item, where no `impl Into<String>` takes the literal.
pub(crate) fn owned_value_tokens(api: &Api, ty: &Ty, value: &Value) -> TokenStream {
    let tokens = value_tokens(api, ty, value);
    let mut behind = ty;
    while let Ty::Named(id) = behind {
        match &api.types[id.0].kind {
            TypeKind::Alias(inner) => behind = inner,
            _ => break,
        }
    }
    if *behind == Ty::String && value.is_string() {
        quote!(#tokens.to_string())
    } else {
        tokens
    }
}

/// An integer literal; a negative one as a negation, which reads the same and parses everywhere.
fn integer_literal(n: i64) -> TokenStream {
    let literal = Literal::u64_unsuffixed(n.unsigned_abs()).into_token_stream();
    if n < 0 {
        quote!(-#literal)
    } else {
        literal
    }
}

/// Whether values of `ty` are written as literals by [`value_tokens`].
fn is_literal_scalar(ty: &Ty) -> bool {
    matches!(ty, Ty::String | Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64)
}

/// `serde_json::from_value(json!(…))?`, or `serde_json::from_str("…")?` for a value too large for
/// `json!`. Every place an example value goes (a typed `let`, a method's argument, a setter's)
/// gives the type.
pub(crate) fn decoded(value: &Value) -> TokenStream {
    if fits_json_macro(value) {
        let tree = json_tree(value);
        quote!(serde_json::from_value(serde_json::json!(#tree))?)
    } else {
        let text = serde_json::to_string(value).unwrap_or_default();
        quote!(serde_json::from_str(#text)?)
    }
}

/// Whether every object and list in `value` is small enough for `json!`.
fn fits_json_macro(value: &Value) -> bool {
    match value {
        Value::Array(items) => {
            items.len() <= JSON_MACRO_ENTRIES && items.iter().all(fits_json_macro)
        }
        Value::Object(map) => map.len() <= JSON_MACRO_ENTRIES && map.values().all(fits_json_macro),
        _ => true,
    }
}

/// The tokens of a `json!` tree for `value`: keys and strings as string literals, numbers as
/// number literals.
fn json_tree(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => integer_literal(i),
            (None, Some(u), _) => Literal::u64_unsuffixed(u).into_token_stream(),
            (_, _, Some(f)) if f.is_finite() && f >= 0.0 => {
                Literal::f64_unsuffixed(f).into_token_stream()
            }
            (_, _, Some(f)) if f.is_finite() => {
                let literal = Literal::f64_unsuffixed(-f);
                quote!(-#literal)
            }
            _ => quote!(null),
        },
        Value::String(s) => Literal::string(s).into_token_stream(),
        Value::Array(items) => {
            let items = items.iter().map(json_tree);
            quote!([#(#items),*])
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(key, value)| {
                let key = Literal::string(key);
                let value = json_tree(value);
                quote!(#key: #value)
            });
            quote!({ #(#entries),* })
        }
    }
}

/// A value of `ty` made from its schema: required properties only, the first value of an enum,
/// the first alternative of a union, a placeholder for a string; meeting the constraints
/// recorded at `at` (the property it is the value of, or its items'), see [`meet`].
fn schema_value(api: &Api, ty: &Ty, at: Option<&Pointer>, depth: usize) -> Value {
    if depth > SCHEMA_DEPTH {
        return Value::Null;
    }
    let constraints = at.and_then(|at| api.constraints.get(at));
    let value = match ty {
        Ty::Bool => Value::Bool(true),
        Ty::I32 | Ty::I64 => Value::from(1),
        Ty::F64 => Value::from(1.0),
        Ty::String | Ty::Bytes | Ty::File => Value::from("string"),
        Ty::Json | Ty::Map(_) => Value::Object(Default::default()),
        Ty::Vec(item) => {
            let n = constraints.and_then(|c| c.min_items).unwrap_or(0).min(3);
            let items_at = at.map(|at| at.push("items"));
            Value::Array(
                (0..n)
                    .map(|_| schema_value(api, item, items_at.as_ref(), depth + 1))
                    .collect(),
            )
        }
        Ty::Option(_) => Value::Null,
        Ty::Box(inner) => schema_value(api, inner, at, depth + 1),
        Ty::Named(id) => match &api.types[id.0].kind {
            // An embedded base's properties sit beside the struct's own on the wire.
            TypeKind::Struct(s) => Value::Object(
                s.wire_fields(api)
                    .into_iter()
                    .filter(|(_, f)| f.required)
                    .map(|(_, f)| {
                        let value = schema_value(api, &f.ty, Some(&f.origin), depth + 1);
                        (f.wire.clone(), value)
                    })
                    .collect(),
            ),
            TypeKind::StringEnum(e) => e
                .variants
                .first()
                .map_or(Value::from("string"), |v| Value::from(v.value.clone())),
            TypeKind::Union(u) => u
                .variants
                .first()
                .map_or(Value::Null, |v| schema_value(api, &v.ty, None, depth + 1)),
            TypeKind::Alias(inner) => schema_value(api, inner, at, depth + 1),
        },
    };
    meet(value, constraints)
}

/// `value` changed as little as it takes to meet `constraints`: the first value `enum` lists; a
/// string of the shape its `format` gives, padded to `minLength` and cut to `maxLength`; a
/// number moved inside its bounds (an exclusive one by one, or half the range).
fn meet(value: Value, constraints: Option<&Constraints>) -> Value {
    let Some(c) = constraints else {
        return value;
    };
    if let Some(first) = c.values.first().filter(|_| !c.values.contains(&value)) {
        return first.clone();
    }
    match value {
        Value::String(s) => {
            // A made-up value takes the shape a simple pattern gives it.
            let s = match c.pattern.as_deref().and_then(pattern_example) {
                Some(matching) => return Value::String(matching),
                None => s,
            };
            let mut s = match c.format.as_deref() {
                Some(format) if !meets_format(format, &s) => format_placeholder(format).to_string(),
                _ => s,
            };
            let min = c.min_length.unwrap_or(0) as usize;
            let n = s.chars().count();
            if n < min {
                s.extend(std::iter::repeat_n('x', min - n));
            }
            if let Some(max) = c.max_length {
                s = s.chars().take(max as usize).collect();
            }
            Value::String(s)
        }
        Value::Number(n) => {
            let integer = n.is_i64() || n.is_u64();
            let mut x = n.as_f64().unwrap_or(1.0);
            let step = |bound: f64, other: Option<(f64, bool)>, up: bool| -> f64 {
                let sign = if up { 1.0 } else { -1.0 };
                match other {
                    Some((o, _)) if !integer && (o - bound).abs() < 2.0 => (bound + o) / 2.0,
                    _ => bound + sign,
                }
            };
            if let Some((min, exclusive)) = c.minimum {
                if x < min || (exclusive && x == min) {
                    x = if exclusive {
                        step(min, c.maximum, true)
                    } else {
                        min
                    };
                }
            }
            if let Some((max, exclusive)) = c.maximum {
                if x > max || (exclusive && x == max) {
                    x = if exclusive {
                        step(max, c.minimum, false)
                    } else {
                        max
                    };
                }
            }
            if integer {
                let rounded = if c.minimum.is_some_and(|(min, _)| x.ceil() >= min) {
                    x.ceil()
                } else {
                    x.floor()
                };
                Value::from(rounded as i64)
            } else {
                serde_json::Number::from_f64(x).map_or(Value::from(1.0), Value::Number)
            }
        }
        other => other,
    }
}

/// A string of the shape of `format`, for the formats [`meets_format`] tells.
fn format_placeholder(format: &str) -> &'static str {
    match format {
        "date" => "2024-01-01",
        "date-time" => "2024-01-01T00:00:00Z",
        "uuid" => "00000000-0000-4000-8000-000000000000",
        "email" => "user@example.com",
        _ => "https://example.com",
    }
}

/// Turns a token into a one-token stream.
trait IntoTokenStream {
    fn into_token_stream(self) -> TokenStream;
}

impl IntoTokenStream for Literal {
    fn into_token_stream(self) -> TokenStream {
        quote!(#self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::test_support::lower_yaml;
    use serde_json::json;

    #[test]
    fn values_made_from_a_schema_meet_its_constraints() {
        let (api, _) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Card:
      type: object
      required: [title, labels, weight, due, level]
      properties:
        title: { type: string, minLength: 8, maxLength: 9 }
        labels: { type: array, minItems: 2, items: { type: string, format: email } }
        weight: { type: integer, minimum: 5, exclusiveMaximum: true, maximum: 6 }
        due: { type: string, format: date }
        level: { type: integer, enum: [2, 4] }
"#,
        );
        let card = Ty::Named(TypeId(0));
        let value = schema_value(&api, &card, None, 0);
        assert_eq!(
            value,
            json!({
                "title": "stringxx",
                "labels": ["user@example.com", "user@example.com"],
                "weight": 5,
                "due": "2024-01-01",
                "level": 2
            })
        );
        assert_eq!(check_constraints(&api, &card, &value), Ok(()));
    }
}
