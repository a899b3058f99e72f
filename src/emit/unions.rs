//! `oneOf` unions: tagged ones decode by their discriminator's value, untagged ones try their
//! alternatives in turn.

use super::{doc_attrs, ident, ty_tokens, From, Items};
use crate::ir::*;
use crate::names;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// What both kinds of union emit alike: the name, the docs, and each variant with its type.
struct UnionParts {
    name: Ident,
    doc: TokenStream,
    variants: Vec<Ident>,
    types: Vec<TokenStream>,
}

fn union_parts(api: &Api, def: &TypeDef, u: &Union) -> UnionParts {
    UnionParts {
        name: ident(&def.name),
        doc: doc_attrs(def.doc.as_deref()),
        variants: u.variants.iter().map(|v| ident(&v.name)).collect(),
        types: u
            .variants
            .iter()
            .map(|v| ty_tokens(api, &v.ty, From::Types))
            .collect(),
    }
}

/// A union; `serialize` says a request sends it, so that it needs `Serialize`.
pub(super) fn emit_union(api: &Api, def: &TypeDef, u: &Union, serialize: bool) -> Items {
    let mut items = match &u.discriminator {
        Some(d) => emit_tagged_union(api, def, u, d, serialize),
        None => emit_untagged_union(api, def, u, serialize),
    };
    items.append(emit_conversions(api, def, u));
    items.push(emit_display(api, def, u));
    items
}

/// `From` each variant's type, for the variants whose type no other variant shares.
fn emit_conversions(api: &Api, def: &TypeDef, u: &Union) -> Items {
    let name = ident(&def.name);
    // Two variants whose types are the same Rust type (once aliases are seen through) would make
    // two conflicting impls: neither gets one.
    let types: Vec<Ty> = u
        .variants
        .iter()
        .map(|v| unaliased(api, &v.ty, 0))
        .collect();
    let impls = u.variants.iter().zip(&types).filter_map(|(v, ty)| {
        if types.iter().filter(|t| spelled_alike(api, t, ty)).count() > 1 {
            return None;
        }
        let variant = ident(&v.name);
        let ty = ty_tokens(api, &v.ty, From::Types);
        Some(quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#variant(value)
                }
            }
        })
    });
    Items(impls.collect())
}

/// Whether two types are spelled as one Rust type: named types by their names.
fn spelled_alike(api: &Api, a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Named(a), Ty::Named(b)) => api.types[a.0].name == api.types[b.0].name,
        (Ty::Vec(a), Ty::Vec(b))
        | (Ty::Map(a), Ty::Map(b))
        | (Ty::Option(a), Ty::Option(b))
        | (Ty::Box(a), Ty::Box(b)) => spelled_alike(api, a, b),
        (a, b) => a == b,
    }
}

/// A type with every alias in it replaced by what it stands for, so that two spellings of one
/// Rust type compare equal.
fn unaliased(api: &Api, ty: &Ty, depth: usize) -> Ty {
    if depth > crate::limits::MAX_REF_DEPTH {
        return ty.clone();
    }
    let inner = |t: &Ty| Box::new(unaliased(api, t, depth + 1));
    match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(target) => unaliased(api, target, depth + 1),
            _ => ty.clone(),
        },
        Ty::Vec(t) => Ty::Vec(inner(t)),
        Ty::Map(t) => Ty::Map(inner(t)),
        Ty::Option(t) => Ty::Option(inner(t)),
        Ty::Box(t) => Ty::Box(inner(t)),
        other => other.clone(),
    }
}

/// `Display` for a union of scalars (numbers, strings, booleans, string enums), so that it can
/// stand in a path, a query or a header: each variant shows its value as text.
fn emit_display(api: &Api, def: &TypeDef, u: &Union) -> Option<TokenStream> {
    if !u.variants.iter().all(|v| displays_as_text(api, &v.ty, 0)) {
        return None;
    }
    let name = ident(&def.name);
    let variants = u.variants.iter().map(|v| ident(&v.name));
    let unknown = u.discriminator.as_ref().map(|_| {
        let unknown = ident(&names::union_unknown_variant(
            u.variants.iter().map(|v| v.name.as_str()),
        ));
        quote!(Self::#unknown(value) => std::fmt::Display::fmt(value, f),)
    });
    Some(quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #( Self::#variants(value) => std::fmt::Display::fmt(value, f), )*
                    #unknown
                }
            }
        }
    })
}

/// Whether values of a type show as text with `Display`: scalars, string enums, and unions of
/// them (which [`emit_display`] gives `Display`).
pub(super) fn displays_as_text(api: &Api, ty: &Ty, depth: usize) -> bool {
    if depth > crate::limits::MAX_REF_DEPTH {
        return false;
    }
    match ty {
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::String => true,
        Ty::Box(inner) => displays_as_text(api, inner, depth + 1),
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::StringEnum(_) => true,
            TypeKind::Alias(inner) => displays_as_text(api, inner, depth + 1),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .all(|v| displays_as_text(api, &v.ty, depth + 1)),
            TypeKind::Struct(_) => false,
        },
        _ => false,
    }
}

fn emit_tagged_union(
    api: &Api,
    def: &TypeDef,
    u: &Union,
    d: &Discriminator,
    serialize: bool,
) -> Items {
    let UnionParts {
        name,
        doc,
        variants,
        types,
    } = union_parts(api, def, u);
    let unknown = ident(&names::union_unknown_variant(
        u.variants.iter().map(|v| v.name.as_str()),
    ));
    let property = &d.property;
    let arms = d.mapping.iter().map(|(value, i)| {
        let variant = &variants[*i];
        quote! {
            Some(#value) => serde_json::from_value(value).map(Self::#variant).map_err(serde::de::Error::custom),
        }
    });
    let unmapped: Vec<&Ident> = (0..variants.len())
        .filter(|i| !d.mapping.iter().any(|(_, j)| j == i))
        .map(|i| &variants[i])
        .collect();
    let fallback = if unmapped.is_empty() {
        quote!(_ => Ok(Self::#unknown(value)),)
    } else {
        // Alternatives with no tag value of their own are tried in turn before giving up.
        quote! {
            _ => {
                #( if let Ok(v) = serde_json::from_value(value.clone()) { return Ok(Self::#unmapped(v)); } )*
                Ok(Self::#unknown(value))
            }
        }
    };
    let tag_doc = format!(
        " Decoded by the {} property; a value it does not know is kept whole.",
        crate::docs::inline_code(property)
    );
    let blank = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
    let derives = hand_decoded_derives(serialize);
    let mut items = Items::one(quote! {
        #doc
        #blank
        #[doc = #tag_doc]
        #derives
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants(#types), )*
            /// An alternative this client does not know yet, kept as JSON.
            #unknown(serde_json::Value),
        }
    });
    items.push(quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    #fallback
                }
            }
        }
    });
    items
}

/// The derives of a union that decodes by hand: `Serialize` as one of its alternatives, where a
/// request sends it.
fn hand_decoded_derives(serialize: bool) -> TokenStream {
    match serialize {
        true => quote! {
            #[derive(Clone, Debug, PartialEq, Serialize)]
            #[serde(untagged)]
        },
        false => {
            let feature = super::types::serialize_with_feature(false, quote!(untagged));
            quote!(#[derive(Clone, Debug, PartialEq)] #feature)
        }
    }
}

/// The wire names of a type's properties, when it is a struct (through aliases and boxes).
fn struct_keys<'a>(api: &'a Api, ty: &Ty) -> Option<Vec<&'a str>> {
    let s = struct_behind(api, ty)?;
    Some(
        s.wire_fields(api)
            .into_iter()
            .map(|(_, f)| f.wire.as_str())
            .collect(),
    )
}

/// A union without a discriminator. Its alternatives are already ordered from most to least
/// particular (`passes::order_untagged_variants`). When two or more are objects, an object is
/// first offered to the alternatives whose properties cover most of its keys, so that
/// `{"operator": "AND", "value": [...]}` is a multiple filter even though a single filter, whose
/// properties are all optional, would accept it too; among equals, the one with the fewest
/// properties left over wins.
fn emit_untagged_union(api: &Api, def: &TypeDef, u: &Union, serialize: bool) -> Items {
    let UnionParts {
        name,
        doc,
        variants,
        types,
    } = union_parts(api, def, u);
    let keys: Vec<Option<Vec<&str>>> = u.variants.iter().map(|v| struct_keys(api, &v.ty)).collect();
    if keys.iter().filter(|k| k.is_some()).count() < 2 {
        let serialize_derive = super::types::serialize_derive(serialize);
        let serialize_feature = super::types::serialize_with_feature(serialize, TokenStream::new());
        return Items::one(quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, #serialize_derive Deserialize)]
            #serialize_feature
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #( #variants(#types), )*
            }
        });
    }
    let key_lists = keys.iter().map(|k| {
        let k = k.clone().unwrap_or_default();
        quote!(&[#(#k),*])
    });
    let indices = (0..variants.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let message = format!("the value matches none of the alternatives of {}", def.name);
    let derives = hand_decoded_derives(serialize);
    let mut items = Items::one(quote! {
        #doc
        #derives
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants(#types), )*
        }
    });
    items.push(quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const KEYS: &[&[&str]] = &[#(#key_lists),*];
                let value = serde_json::Value::deserialize(deserializer)?;
                let mut order: Vec<usize> = (0..KEYS.len()).collect();
                if let Some(object) = value.as_object() {
                    // Most keys covered first, then fewest properties left over; ties keep the
                    // order of the alternatives.
                    order.sort_by_key(|&i| {
                        let covered = object.keys().filter(|k| KEYS[i].contains(&k.as_str())).count();
                        (std::cmp::Reverse(covered), KEYS[i].len() - covered)
                    });
                }
                for i in order {
                    let decoded = match i {
                        #( #indices => serde_json::from_value(value.clone()).map(Self::#variants), )*
                        _ => continue,
                    };
                    if let Ok(decoded) = decoded {
                        return Ok(decoded);
                    }
                }
                Err(serde::de::Error::custom(#message))
            }
        }
    });
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, field, holds, type_def};

    /// Two structs, `Single` (one optional property) and `Multiple` (two), and a union of them and a
    /// string, in the order given.
    fn filters(order: &[usize], discriminator: Option<Discriminator>) -> Api {
        let single = Struct {
            fields: vec![field("value", "value", Ty::String, false)],
            additional: None,
            shapes: None,
        };
        let multiple = Struct {
            fields: vec![
                field("operator", "operator", Ty::String, true),
                field("value", "value", Ty::Vec(Box::new(Ty::String)), true),
            ],
            additional: None,
            shapes: None,
        };
        let alternatives = [
            UnionVariant {
                name: "Single".into(),
                ty: Ty::Named(TypeId(0)),
            },
            UnionVariant {
                name: "Multiple".into(),
                ty: Ty::Named(TypeId(1)),
            },
            UnionVariant {
                name: "String".into(),
                ty: Ty::String,
            },
        ];
        let union = Union {
            variants: order.iter().map(|i| alternatives[*i].clone()).collect(),
            discriminator,
        };
        api(vec![
            type_def("Single", TypeKind::Struct(single)),
            type_def("Multiple", TypeKind::Struct(multiple)),
            type_def("Filter", TypeKind::Union(union)),
        ])
    }

    fn emit_filter(api: &Api) -> TokenStream {
        let TypeKind::Union(u) = &api.types[2].kind else {
            unreachable!("filters() makes a union")
        };
        emit_union(api, &api.types[2], u, true).into_tokens()
    }

    #[test]
    fn an_untagged_union_keeps_the_order_of_its_alternatives() {
        for order in [[1, 0, 2], [2, 0, 1]] {
            let api = filters(&order, None);
            let tokens = emit_filter(&api);
            let names = ["Single", "Multiple", "String"].map(ident);
            let types = [quote!(Single), quote!(Multiple), quote!(String)];
            let [a, b, c] = order.map(|i| names[i].clone());
            let [ta, tb, tc] = order.map(|i| types[i].clone());
            let declared = quote!(pub enum Filter { #a(#ta), #b(#tb), #c(#tc), });
            assert!(holds(&tokens, declared), "{tokens}");
        }
    }

    #[test]
    fn objects_are_offered_first_to_the_alternatives_covering_most_keys() {
        let tokens = emit_filter(&filters(&[0, 1, 2], None));
        let keys = quote!(
            const KEYS: &[&[&str]] = &[&["value"], &["operator", "value"], &[]];
        );
        assert!(holds(&tokens, keys), "{tokens}");
        assert!(
            holds(
                &tokens,
                quote!(0 => serde_json::from_value(value.clone()).map(Self::Single),)
            ),
            "{tokens}"
        );
    }

    #[test]
    fn an_untagged_union_with_one_object_lets_serde_try_alternatives_in_order() {
        let mut api = filters(&[0, 2], None);
        api.types[1].kind = TypeKind::Alias(Ty::String);
        let tokens = emit_filter(&api);
        let derived =
            quote!(#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)] #[serde(untagged)]);
        assert!(holds(&tokens, derived), "{tokens}");
        assert!(!holds(&tokens, quote!(KEYS)), "{tokens}");
    }

    #[test]
    fn a_tagged_union_decodes_by_its_tag_and_keeps_unknown_alternatives() {
        let discriminator = Discriminator {
            property: "type".into(),
            mapping: vec![("multiple".into(), 1)],
        };
        let tokens = emit_filter(&filters(&[0, 1], Some(discriminator)));
        let arm = quote!(Some("multiple") => serde_json::from_value(value).map(Self::Multiple));
        assert!(holds(&tokens, arm), "{tokens}");
        // `Single` has no tag value: it is tried before giving up.
        let fallback = quote!(if let Ok(v) = serde_json::from_value(value.clone()) {
            return Ok(Self::Single(v));
        });
        assert!(holds(&tokens, fallback), "{tokens}");
        assert!(
            holds(&tokens, quote!(Unknown(serde_json::Value),)),
            "{tokens}"
        );
    }
}
