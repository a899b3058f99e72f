//! Emission: IR → token streams, one function per kind of item. Nothing here reads the description.
//!
//! The rooms, in the order a generated crate is read:
//! - `types`: the `types` module, one item per named type: structs and aliases here, string enums in
//!   `enums`, tagged and untagged unions in `unions`;
//! - `client`: the `operations` module: the servers, the client's constructors and the methods;
//! - `groups`: the groups of operations (`client.contacts()`) and how each operation is called;
//! - `operation`: one method and one request builder per operation, and how the builder sends;
//! - `results`: what a builder returns, success and error alike, by status;
//! - `pagination`: `pages()` and `items()` on the builders of list operations;
//! - `examples`: `tests/examples.rs`, which decodes every example the description carries;
//! - `request_example`: each operation's example request (the description's example values, or
//!   values made from the schema), which `doc_example` puts in the operation's docs as a `no_run`
//!   doctest and `crate_docs` uses in the crate's quick start; the call starts from the method
//!   `groups::call_path` names.
//!
//! This module holds what they share: identifiers, doc attributes and the Rust spelling of a type.

mod client;
mod conformance;
mod constructors;
mod crate_docs;
mod doc_example;
mod encode;
mod enums;
mod examples;
#[cfg(test)]
pub(crate) mod fixtures;
mod groups;
mod operation;
mod pagination;
mod request_example;
mod results;
mod struct_example;
mod types;
mod unions;

pub use client::emit_operations;
pub use conformance::emit_conformance_harness;
pub use crate_docs::emit_crate_docs;
pub use examples::emit_example_tests;
pub use groups::resource_features;
pub use types::{emit_types, TypesPlan, SERIALIZE_FEATURE};

use crate::ir::*;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier the IR already named (through `names`), spelled as Rust tokens.
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "…"]` attributes for description text, one per line, made safe by
/// [`crate::docs::rustdoc_lines`]: no code block in a description can become a doctest.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    doc_line_attrs(&doc.map(crate::docs::rustdoc_lines).unwrap_or_default())
}

/// `#[doc = "…"]` attributes for lines made by [`crate::docs`].
pub fn doc_line_attrs(lines: &[String]) -> TokenStream {
    quote! { #( #[doc = #lines] )* }
}

/// Where a type is referred to from: inside `types` or from another module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// Inside the `types` module.
    Types,
    /// Anywhere else in the crate (or a test), through `types::`.
    Outside,
}

/// The Rust type for a `Ty`.
pub fn ty_tokens(api: &Api, ty: &Ty, from: From) -> TokenStream {
    match ty {
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::String => quote!(String),
        Ty::Bytes => quote!(Vec<u8>),
        Ty::File => match from {
            From::Types => quote!(super::runtime::FilePart),
            From::Outside => quote!(runtime::FilePart),
        },
        Ty::Json => quote!(serde_json::Value),
        Ty::Named(id) => {
            let name = ident(&api.types[id.0].name);
            match from {
                From::Types => quote!(#name),
                From::Outside => quote!(types::#name),
            }
        }
        Ty::Vec(inner) => {
            let inner = ty_tokens(api, inner, from);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(api, inner, from);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Option(inner) => {
            let inner = ty_tokens(api, inner, from);
            quote!(Option<#inner>)
        }
        Ty::Box(inner) => {
            let inner = ty_tokens(api, inner, from);
            quote!(Box<#inner>)
        }
    }
}
