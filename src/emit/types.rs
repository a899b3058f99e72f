//! The `types` module: structs and aliases here; string enums and unions in their own rooms.

use super::enums::emit_string_enum;
use super::unions::emit_union;
use super::{doc_attrs, ident, ty_tokens, From};
use crate::ir::*;
use crate::names;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The `types` module: every named type, in name order.
pub fn emit_types(api: &Api) -> TokenStream {
    let defaultable = crate::passes::defaultable(api);
    let mut items: BTreeMap<&str, TokenStream> = BTreeMap::new();
    for (i, def) in api.types.iter().enumerate() {
        let tokens = match &def.kind {
            TypeKind::Struct(s) => emit_struct(api, def, s, defaultable[i]),
            TypeKind::StringEnum(e) => emit_string_enum(def, e),
            TypeKind::Union(u) => emit_union(api, def, u),
            TypeKind::Alias(ty) => emit_alias(api, def, ty),
        };
        items.insert(&def.name, tokens);
    }
    let items = items.into_values();
    quote! {
        //! The request and response types of the API.
        use serde::{Deserialize, Serialize};
        #(#items)*
    }
}

fn emit_struct(api: &Api, def: &TypeDef, s: &Struct, default: bool) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let derive_default = default.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| {
        let field_name = ident(&f.name);
        let ty = ty_tokens(api, &f.ty, From::Types);
        let doc = doc_attrs(f.doc.as_deref());
        let mut serde_args = Vec::new();
        if f.wire != f.name {
            let wire = &f.wire;
            serde_args.push(quote!(rename = #wire));
        }
        if !f.required && f.ty.is_option() {
            serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
        }
        let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
        quote! {
            #doc
            #serde_attr
            pub #field_name: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|ty| {
        let field = ident(&names::additional_properties_field(
            s.fields.iter().map(|f| f.name.as_str()),
        ));
        let ty = ty_tokens(api, ty, From::Types);
        quote! {
            /// Properties not listed above.
            #[serde(flatten)]
            pub #field: std::collections::BTreeMap<String, #ty>,
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, #derive_default PartialEq, Serialize, Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn emit_alias(api: &Api, def: &TypeDef, ty: &Ty) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let ty = ty_tokens(api, ty, From::Types);
    quote! {
        #doc
        pub type #name = #ty;
    }
}
