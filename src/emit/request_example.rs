//! The example request of an operation: the call the operation's doc example shows, and the one
//! the conformance harness sends.
//!
//! Values come from the description's own examples (a parameter's `example`, the request body's
//! `example` or first `examples` entry), and from the schema where there is none or where the
//! example does not decode into the type (`passes::check` says which). Description values become
//! Rust only as `proc_macro2` literals and `serde_json::json!` trees built from them, never as
//! pasted text: a string is always a string literal, whatever it holds.

use super::groups::call_path;
use super::struct_example::struct_value;
use super::{ident, ty_tokens, From};
use crate::analysis::check_value;
use crate::ir::*;
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
            let value = example.unwrap_or_else(|| schema_value(api, &body.ty, 0));
            lets.push(body_let(api, body, &value));
            body.required
        })
    });
    if body == Some(true) {
        args.push(quote!(body));
    }
    let mut setters = Vec::new();
    for p in op.params.iter().filter(|p| !p.required) {
        let example = p.example.as_ref().filter(|v| decodes(api, &p.ty, v));
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

/// The value of a required parameter: its example where it decodes, else one made from its type
/// (a string parameter gets its own wire name, which reads as a placeholder).
fn param_value(api: &Api, p: &Param) -> TokenStream {
    let value = match p.example.as_ref().filter(|v| decodes(api, &p.ty, v)) {
        Some(value) => value.clone(),
        None if p.ty == Ty::String => Value::String(p.wire.clone()),
        None => schema_value(api, &p.ty, 0),
    };
    value_tokens(api, &p.ty, &value)
}

/// The first example of the request body that decodes into its type.
fn body_example(api: &Api, op: &Operation, body: &Body) -> Option<Value> {
    let request_body = op.origin.push("requestBody");
    api.examples
        .iter()
        .filter(|e| e.origin.starts_with(&request_body))
        .map(|e| &e.value)
        .find(|value| decodes(api, &body.ty, value))
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
/// the first alternative of a union, a placeholder for a string.
fn schema_value(api: &Api, ty: &Ty, depth: usize) -> Value {
    if depth > SCHEMA_DEPTH {
        return Value::Null;
    }
    match ty {
        Ty::Bool => Value::Bool(true),
        Ty::I32 | Ty::I64 => Value::from(1),
        Ty::F64 => Value::from(1.0),
        Ty::String | Ty::Bytes | Ty::File => Value::from("string"),
        Ty::Json | Ty::Map(_) => Value::Object(Default::default()),
        Ty::Vec(_) => Value::Array(Vec::new()),
        Ty::Option(_) => Value::Null,
        Ty::Box(inner) => schema_value(api, inner, depth + 1),
        Ty::Named(id) => match &api.types[id.0].kind {
            // An embedded base's properties sit beside the struct's own on the wire.
            TypeKind::Struct(s) => Value::Object(
                s.wire_fields(api)
                    .into_iter()
                    .filter(|(_, f)| f.required)
                    .map(|(_, f)| (f.wire.clone(), schema_value(api, &f.ty, depth + 1)))
                    .collect(),
            ),
            TypeKind::StringEnum(e) => e
                .variants
                .first()
                .map_or(Value::from("string"), |v| Value::from(v.value.clone())),
            TypeKind::Union(u) => u
                .variants
                .first()
                .map_or(Value::Null, |v| schema_value(api, &v.ty, depth + 1)),
            TypeKind::Alias(inner) => schema_value(api, inner, depth + 1),
        },
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
