//! How a struct is made: `new` with its required properties, one constructor per shape it may
//! take (`with_email`), and `Default` when nothing is required. Optional fields are set with
//! struct update syntax, `Type { optional: Some(x), ..Type::new(required) }`, the one idiom the
//! generated crates use: no setter per field, which would add a function for each of them.
//!
//! Which field is an argument and which is filled in is [`crate::analysis::fill`]'s to say.

use super::{ident, ty_tokens, From, Items};
use crate::analysis::{allows_an_empty_shape, fill, Fill};
use crate::ir::*;
use proc_macro2::{Delimiter, Group, Ident, Literal, TokenStream};
use quote::quote;
use serde_json::Value;

/// More arguments than this make clippy ask for a struct of them (`too_many_arguments`); a
/// constructor of a struct with that many required properties has them all the same.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

/// Whether a field is an optional property that may be `null`: a `Nullable`, which tells
/// absent and `null` apart.
pub(crate) fn is_nullable_optional(field: &Field) -> bool {
    field.nullable && !field.required && !field.flatten
}

/// How a struct gets `Default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DefaultImpl {
    /// It has none.
    None,
    /// `#[derive(Default)]`: every field is empty.
    Derived,
    /// An `impl Default` written out, which fills in the values the description fixes.
    Written,
}

/// How `s` gets `Default`, given which types have one ([`crate::analysis::defaultable`]).
pub(crate) fn default_impl(api: &Api, s: &Struct, id: TypeId, defaultable: &[bool]) -> DefaultImpl {
    if !defaultable[id.0] {
        DefaultImpl::None
    } else if s
        .fields
        .iter()
        .all(|f| fill(api, f, defaultable) == Fill::Empty)
    {
        DefaultImpl::Derived
    } else {
        DefaultImpl::Written
    }
}

/// The fields that are arguments of `new`, in declared order.
pub(crate) fn new_arguments<'a>(api: &Api, s: &'a Struct, defaultable: &[bool]) -> Vec<&'a Field> {
    s.fields
        .iter()
        .filter(|f| fill(api, f, defaultable) == Fill::Argument)
        .collect()
}

/// Whether `s` has a `new`: something is required, and no shape asks for more than that.
pub(crate) fn has_new(api: &Api, s: &Struct, defaultable: &[bool]) -> bool {
    !new_arguments(api, s, defaultable).is_empty() && allows_an_empty_shape(s)
}

/// `impl Name { new, with_… }` and a written `impl Default`, as far as the struct has them.
pub(crate) fn emit_constructors(
    api: &Api,
    name: &Ident,
    s: &Struct,
    default: DefaultImpl,
    defaultable: &[bool],
) -> Items {
    let arguments = new_arguments(api, s, defaultable);
    let new = has_new(api, s, defaultable).then(|| {
        let doc = " A value with the required properties given here, and every optional one \
                   left out.";
        constructor(api, s, defaultable, &ident("new"), doc, &arguments)
    });
    let shapes = s.shapes.iter().flat_map(|shapes| &shapes.shapes);
    let shaped: Vec<TokenStream> = shapes
        .filter_map(|shape| shape_constructor(api, s, defaultable, shape))
        .collect();
    let methods = (new.is_some() || !shaped.is_empty()).then(|| {
        quote! {
            impl #name {
                #new
                #(#shaped)*
            }
        }
    });
    let written_default = (default == DefaultImpl::Written).then(|| {
        let inits = s
            .fields
            .iter()
            .map(|f| field_init(api, f, defaultable, &[]));
        let additional = additional_init(s);
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self {
                        #(#inits,)*
                        #additional
                    }
                }
            }
        }
    });
    let mut items = Items::default();
    items.push(methods);
    items.push(written_default);
    items
}

/// The constructor of a shape that names one: the struct's own arguments and the shape's
/// required properties, in declared order.
fn shape_constructor(
    api: &Api,
    s: &Struct,
    defaultable: &[bool],
    shape: &Shape,
) -> Option<TokenStream> {
    let name = ident(shape.constructor.as_deref()?);
    let own = new_arguments(api, s, defaultable);
    let wanted: Vec<&Field> = shape
        .required
        .iter()
        .map(|wire| s.fields.iter().find(|f| &f.wire == wire))
        .collect::<Option<_>>()?;
    let arguments: Vec<&Field> = s
        .fields
        .iter()
        .filter(|f| own.iter().chain(&wanted).any(|w| w.wire == f.wire))
        .collect();
    let doc = match &shape.title {
        Some(title) => format!(" {}.", crate::docs::one_line(title).trim_end_matches('.')),
        None => " The shape with these properties set, and every other optional one left out."
            .to_string(),
    };
    Some(constructor(api, s, defaultable, &name, &doc, &arguments))
}

/// `pub fn name(arguments) -> Self`, every other field filled.
fn constructor(
    api: &Api,
    s: &Struct,
    defaultable: &[bool],
    name: &Ident,
    doc: &str,
    arguments: &[&Field],
) -> TokenStream {
    // Built by moving each part's tokens in: interpolated with `quote`, every argument's type and
    // every field's value would be copied once more.
    let mut params = TokenStream::new();
    for (i, f) in arguments.iter().enumerate() {
        let arg = ident(&f.name);
        match i {
            0 => params.extend(quote!(#arg:)),
            _ => params.extend(quote!(, #arg:)),
        }
        params.extend(argument_type(api, f));
    }
    let params = Group::new(Delimiter::Parenthesis, params);
    let mut inits = TokenStream::new();
    for f in &s.fields {
        inits.extend(field_init(api, f, defaultable, arguments));
        inits.extend(quote!(,));
    }
    inits.extend(additional_init(s));
    let inits = Group::new(Delimiter::Brace, inits);
    let doc = super::doc_literal(doc);
    let allow = (arguments.len() > CLIPPY_MAX_ARGUMENTS)
        .then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #[doc = #doc]
        #allow
        pub fn #name #params -> Self {
            Self #inits
        }
    }
}

/// The type a constructor takes for a field: the value inside an optional one (the caller is
/// giving it), an `Option` for a required nullable one.
fn argument_ty(f: &Field) -> &Ty {
    match &f.ty {
        Ty::Option(inner) if !f.required => inner,
        other => other,
    }
}

/// The type of a constructor's parameter for a field: [`argument_ty`], taking any
/// `impl Into<String>` for a string.
fn argument_type(api: &Api, f: &Field) -> TokenStream {
    match argument_ty(f) {
        Ty::String => quote!(impl Into<String>),
        ty => ty_tokens(api, ty, From::Types),
    }
}

/// `name: value` for one field of a constructor taking `arguments`.
fn field_init(api: &Api, f: &Field, defaultable: &[bool], arguments: &[&Field]) -> TokenStream {
    let name = ident(&f.name);
    if arguments.iter().any(|a| std::ptr::eq(*a, f)) {
        let value = if *argument_ty(f) == Ty::String {
            quote!(#name.into())
        } else {
            quote!(#name)
        };
        return if is_nullable_optional(f) {
            quote!(#name: Nullable::Value(#value))
        } else if (f.required || f.flatten) && *argument_ty(f) == Ty::String {
            quote!(#name: #value)
        } else if f.required || f.flatten {
            // The field init shorthand, which clippy asks for.
            quote!(#name)
        } else {
            quote!(#name: Some(#value))
        };
    }
    match fill(api, f, defaultable) {
        Fill::Fixed(value) => {
            let value = fixed_value(api, &f.ty, &value);
            quote!(#name: #value)
        }
        _ if is_nullable_optional(f) => quote!(#name: Nullable::Absent),
        _ if !f.flatten && f.ty.is_option() => quote!(#name: None),
        _ => quote!(#name: Default::default()),
    }
}

/// The map of additional properties, empty.
fn additional_init(s: &Struct) -> Option<TokenStream> {
    s.additional.as_ref()?;
    let field = ident(&crate::names::additional_properties_field(
        s.fields.iter().map(|f| f.name.as_str()),
    ));
    Some(quote!(#field: Default::default(),))
}

/// The Rust value of a value the description fixes, which [`crate::analysis::fill`] has checked
/// is a scalar of `ty` or a value of the string enum it names.
fn fixed_value(api: &Api, ty: &Ty, value: &Value) -> TokenStream {
    match (ty, value) {
        (Ty::String, Value::String(s)) => {
            let s = Literal::string(s);
            quote!(#s.to_string())
        }
        (Ty::Bool, Value::Bool(b)) => quote!(#b),
        (Ty::F64, Value::Number(n)) => {
            let f = n.as_f64().unwrap_or_default();
            let literal = Literal::f64_unsuffixed(f.abs());
            if f < 0.0 {
                quote!(-#literal)
            } else {
                quote!(#literal)
            }
        }
        (_, Value::Number(n)) => {
            let n = n.as_i64().unwrap_or_default();
            let literal = Literal::u64_unsuffixed(n.unsigned_abs());
            if n < 0 {
                quote!(-#literal)
            } else {
                quote!(#literal)
            }
        }
        _ => {
            let text = value.as_str().unwrap_or_default();
            let found = enum_behind(api, ty).and_then(|(name, e)| {
                let variant = e.variants.iter().find(|v| v.value == text)?;
                Some((ident(name), ident(&variant.name)))
            });
            match found {
                Some((name, variant)) => quote!(#name::#variant),
                None => quote!(Default::default()),
            }
        }
    }
}

/// The name and the variants of the string enum `ty` names, through aliases.
fn enum_behind<'a>(api: &'a Api, ty: &Ty) -> Option<(&'a str, &'a StringEnum)> {
    let def = api.definition_behind(ty)?;
    match &def.kind {
        TypeKind::StringEnum(e) => Some((&def.name, e)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, field, holds, type_def};

    /// `Ticket { id: String, type: Kind (one value), note: Option<String>, company:
    /// Nullable<String> }`, and the one-value enum `Kind`.
    fn ticket() -> Api {
        let mut company = field("company", "company", Ty::String, false);
        company.nullable = true;
        let s = Struct {
            fields: vec![
                field("id", "id", Ty::String, true),
                field("type", "type_", Ty::Named(TypeId(1)), true),
                field("note", "note", Ty::String, false),
                company,
            ],
            ..Struct::default()
        };
        let kind = crate::lower::string_enum(vec!["ticket".into()]);
        api(vec![
            type_def("Ticket", TypeKind::Struct(s)),
            type_def("Kind", TypeKind::StringEnum(kind)),
        ])
    }

    fn ticket_struct(api: &Api) -> &Struct {
        let TypeKind::Struct(s) = &api.types[0].kind else {
            unreachable!("ticket() makes a struct first")
        };
        s
    }

    #[test]
    fn new_takes_the_required_fields_and_fills_in_the_rest() {
        let api = ticket();
        let s = ticket_struct(&api);
        let defaultable = crate::analysis::defaultable(&api);
        assert_eq!(
            default_impl(&api, s, TypeId(0), &defaultable),
            DefaultImpl::None
        );
        let tokens = emit_constructors(&api, &ident("Ticket"), s, DefaultImpl::None, &defaultable)
            .into_tokens();
        let new = quote! {
            pub fn new(id: impl Into<String>) -> Self {
                Self {
                    id: id.into(),
                    type_: Kind::Ticket,
                    note: None,
                    company: Nullable::Absent,
                }
            }
        };
        assert!(holds(&tokens, new), "{tokens}");
        assert!(!holds(&tokens, quote!(impl Default)), "{tokens}");
    }

    #[test]
    fn a_struct_whose_required_fields_are_all_fixed_writes_its_default_out() {
        let mut api = ticket();
        let TypeKind::Struct(s) = &mut api.types[0].kind else {
            unreachable!("ticket() makes a struct first")
        };
        s.fields.remove(0);
        let s = ticket_struct(&api);
        let defaultable = crate::analysis::defaultable(&api);
        let default = default_impl(&api, s, TypeId(0), &defaultable);
        assert_eq!(default, DefaultImpl::Written);
        let tokens =
            emit_constructors(&api, &ident("Ticket"), s, default, &defaultable).into_tokens();
        assert!(!holds(&tokens, quote!(pub fn new)), "{tokens}");
        let written = quote! {
            impl Default for Ticket {
                fn default() -> Self {
                    Self { type_: Kind::Ticket, note: None, company: Nullable::Absent, }
                }
            }
        };
        assert!(holds(&tokens, written), "{tokens}");
    }

    #[test]
    fn a_shape_constructor_takes_the_shape_and_the_struct_arguments() {
        let mut api = ticket();
        let TypeKind::Struct(s) = &mut api.types[0].kind else {
            unreachable!("ticket() makes a struct first")
        };
        s.shapes = Some(Shapes {
            exactly_one: false,
            shapes: vec![Shape {
                title: None,
                required: vec!["company".into()],
                constructor: Some("with_company".into()),
            }],
        });
        let s = ticket_struct(&api);
        let defaultable = crate::analysis::defaultable(&api);
        let tokens = emit_constructors(&api, &ident("Ticket"), s, DefaultImpl::None, &defaultable)
            .into_tokens();
        // Every shape asks for a property: no `new`, only the shape's constructor.
        assert!(!holds(&tokens, quote!(pub fn new)), "{tokens}");
        let shaped = quote! {
            pub fn with_company(id: impl Into<String>, company: impl Into<String>) -> Self {
                Self {
                    id: id.into(),
                    type_: Kind::Ticket,
                    note: None,
                    company: Nullable::Value(company.into()),
                }
            }
        };
        assert!(holds(&tokens, shaped), "{tokens}");
    }
}
