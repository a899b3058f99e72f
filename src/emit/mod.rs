//! Emission: IR → token streams, one function per kind of item. Nothing here reads the description.

use crate::ir::*;
use crate::names::Scope;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "…"]` attributes for a description, one per line. Tabs become spaces and trailing blanks
/// go, so that the text reads the same in an editor and in rustdoc.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let lines: Vec<String> = doc
        .trim()
        .lines()
        .map(|l| format!(" {}", l.replace('\t', "    ").trim_end()))
        .collect();
    let lines = lines.iter().map(|l| {
        if l.trim().is_empty() {
            String::new()
        } else {
            l.clone()
        }
    });
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
    let mut scope = Scope::with_taken(s.fields.iter().map(|f| f.name.as_str()));
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
        let field = ident(&scope.claim("additional_properties"));
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

fn emit_string_enum(def: &TypeDef, e: &StringEnum) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let unknown = ident(&e.unknown);
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    // Each value as code on one line: control characters escaped (`\t`), and a value holding a
    // backtick fenced with two.
    let variant_docs = values.iter().map(|v| {
        let shown: String = v
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        if shown.contains('`') {
            format!(" `` {shown} ``")
        } else {
            format!(" `{shown}`")
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this client does not know yet.
            #unknown(String),
        }

        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::#unknown(other.to_string()),
                }
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn emit_union(api: &Api, def: &TypeDef, u: &Union) -> TokenStream {
    let Some(d) = &u.discriminator else {
        return emit_untagged_union(api, def, u);
    };
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let variants: Vec<Ident> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| ty_tokens(api, &v.ty, From::Types))
        .collect();
    let mut scope = Scope::with_taken(u.variants.iter().map(|v| v.name.as_str()));
    let unknown = ident(&scope.claim("Unknown"));
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
    let tag_doc =
        format!(" Decoded by the `{property}` property; a value it does not know is kept whole.");
    quote! {
        #doc
        #[doc = ""]
        #[doc = #tag_doc]
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants(#types), )*
            /// An alternative this client does not know yet, kept as JSON.
            #unknown(serde_json::Value),
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}

/// The wire names of a type's properties, when it is a struct (through aliases and boxes).
fn struct_keys<'a>(api: &'a Api, ty: &Ty) -> Option<Vec<&'a str>> {
    let mut ty = ty;
    for _ in 0..64 {
        match ty {
            Ty::Box(inner) => ty = inner,
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Struct(s) => {
                    return Some(s.fields.iter().map(|f| f.wire.as_str()).collect())
                }
                TypeKind::Alias(inner) => ty = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// A union without a discriminator. Its alternatives are already ordered from most to least
/// particular (`passes::order_untagged_variants`). When two or more are objects, an object is
/// first offered to the alternatives whose properties cover most of its keys, so that
/// `{"operator": "AND", "value": [...]}` is a multiple filter even though a single filter, whose
/// properties are all optional, would accept it too; among equals, the one with the fewest
/// properties left over wins.
fn emit_untagged_union(api: &Api, def: &TypeDef, u: &Union) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let variants: Vec<Ident> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| ty_tokens(api, &v.ty, From::Types))
        .collect();
    let keys: Vec<Option<Vec<&str>>> = u.variants.iter().map(|v| struct_keys(api, &v.ty)).collect();
    if keys.iter().filter(|k| k.is_some()).count() < 2 {
        return quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #( #variants(#types), )*
            }
        };
    }
    let key_lists = keys.iter().map(|k| {
        let k = k.clone().unwrap_or_default();
        quote!(&[#(#k),*])
    });
    let indices = (0..variants.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let message = format!("the value matches none of the alternatives of {}", def.name);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants(#types), )*
        }

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

/// Whether values of a type can be written into a URL or header with `to_string()`.
fn is_scalar(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::String => true,
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::StringEnum(_) => true,
            TypeKind::Alias(inner) => is_scalar(api, inner),
            _ => false,
        },
        Ty::Box(inner) => is_scalar(api, inner),
        _ => false,
    }
}

/// The statuses a response covers, as a match pattern.
fn status_pattern(statuses: &[StatusMatch]) -> TokenStream {
    let pats = statuses.iter().map(|s| match s {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let lo = Literal::u16_unsuffixed(r * 100);
            let hi = Literal::u16_unsuffixed(r * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    });
    quote!(#(#pats)|*)
}

/// The decoding call for a body kind.
fn decode_call(kind: Option<MediaKind>) -> TokenStream {
    match kind {
        Some(MediaKind::Json) => quote!(response.json()),
        Some(MediaKind::Text) => quote!(response.text()),
        Some(MediaKind::Bytes | MediaKind::Form | MediaKind::Multipart) => quote!(response.bytes()),
        None => quote!(response.empty()),
    }
}

/// What an operation returns on success and on error, and the per-operation enums that needs.
struct Results {
    success: TokenStream,
    error: TokenStream,
    arms: Vec<TokenStream>,
    items: Vec<TokenStream>,
}

fn operation_results(api: &Api, op: &Operation, scope: &mut Scope) -> Results {
    let mut arms = Vec::new();
    let mut items = Vec::new();
    // Success: group the 2xx responses by body type, in status order.
    let mut successes: Vec<&Response> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .collect();
    successes.sort_by_key(|r| r.status);
    let mut distinct: Vec<&Ty> = Vec::new();
    for r in &successes {
        if let Some((_, _, ty)) = &r.body {
            if !distinct.contains(&ty) {
                distinct.push(ty);
            }
        }
    }
    let any_empty = successes.iter().any(|r| r.body.is_none());
    let success = if successes.is_empty() {
        arms.push(quote!(200..=299 => response.empty(),));
        quote!(())
    } else if distinct.len() <= 1 {
        let ty = distinct.first().map(|t| ty_tokens(api, t, From::Outside));
        for r in &successes {
            let pat = status_pattern(&[r.status]);
            let call = decode_call(r.body.as_ref().map(|b| b.1));
            let arm = match (&r.body, any_empty && ty.is_some()) {
                (Some(_), true) => quote!(#pat => #call.map(|r| r.map(Some)),),
                (None, true) => quote!(#pat => #call.map(|r| r.map(|()| None)),),
                _ => quote!(#pat => #call,),
            };
            arms.push(arm);
        }
        match (ty, any_empty) {
            (Some(t), true) => quote!(Option<#t>),
            (Some(t), false) => t,
            (None, _) => quote!(()),
        }
    } else {
        let enum_name = ident(&scope.claim(&format!("{}Response", op.builder)));
        let mut variants = Vec::new();
        for r in &successes {
            let label = match r.status {
                StatusMatch::Code(c) => format!("Status{c}"),
                StatusMatch::Range(x) => format!("Status{x}xx"),
                StatusMatch::Default => "Default".into(),
            };
            let variant = ident(&label);
            let pat = status_pattern(&[r.status]);
            let doc = doc_attrs(r.doc.as_deref());
            match &r.body {
                Some((_, kind, ty)) => {
                    let ty = ty_tokens(api, ty, From::Outside);
                    let call = decode_call(Some(*kind));
                    variants.push(quote!(#doc #variant(#ty),));
                    arms.push(quote!(#pat => #call.map(|r| r.map(#enum_name::#variant)),));
                }
                None => {
                    variants.push(quote!(#doc #variant,));
                    arms.push(
                        quote!(#pat => response.empty().map(|r| r.map(|()| #enum_name::#variant)),),
                    );
                }
            }
        }
        let doc = format!(" The successful responses of [`Client::{}`].", op.fn_name);
        items.push(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #enum_name { #(#variants)* }
        });
        quote!(#enum_name)
    };
    // Errors: every non-2xx response with a body decodes into the error type.
    let mut failures: Vec<&Response> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .collect();
    failures.sort_by_key(|r| r.status);
    let mut error_types: Vec<&Ty> = Vec::new();
    for r in &failures {
        if let Some((_, MediaKind::Json, ty)) = &r.body {
            if !error_types.contains(&ty) {
                error_types.push(ty);
            }
        }
    }
    let mut default_arm = quote!(_ => Err(response.unexpected()),);
    let error = if error_types.len() <= 1 {
        let ty = error_types
            .first()
            .map(|t| ty_tokens(api, t, From::Outside))
            .unwrap_or(quote!(serde_json::Value));
        for r in &failures {
            let pat = status_pattern(&[r.status]);
            let arm = match &r.body {
                Some((_, MediaKind::Json, _)) => quote!(#pat => Err(response.api_error()),),
                _ => quote!(#pat => Err(response.unexpected()),),
            };
            if r.status == StatusMatch::Default {
                default_arm = arm;
            } else {
                arms.push(arm);
            }
        }
        ty
    } else {
        let enum_name = ident(&scope.claim(&format!("{}Error", op.builder)));
        let mut variants = Vec::new();
        let mut variant_scope = Scope::new();
        for r in &failures {
            let pat = status_pattern(&[r.status]);
            let Some((_, MediaKind::Json, ty)) = &r.body else {
                let arm = quote!(#pat => Err(response.unexpected()),);
                if r.status == StatusMatch::Default {
                    default_arm = arm
                } else {
                    arms.push(arm)
                }
                continue;
            };
            let label = match r.status {
                StatusMatch::Code(c) => format!("Status{c}"),
                StatusMatch::Range(x) => format!("Status{x}xx"),
                StatusMatch::Default => "Default".into(),
            };
            let variant = ident(&variant_scope.claim(&label));
            let doc = doc_attrs(r.doc.as_deref());
            let ty_tokens = ty_tokens(api, ty, From::Outside);
            variants.push(quote!(#doc #variant(#ty_tokens),));
            let arm = quote!(#pat => Err(response.api_error_with(#enum_name::#variant)),);
            if r.status == StatusMatch::Default {
                default_arm = arm
            } else {
                arms.push(arm)
            }
        }
        let doc = format!(
            " The documented error bodies of [`Client::{}`], by status.",
            op.fn_name
        );
        items.push(quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            pub enum #enum_name { #(#variants)* }
        });
        quote!(#enum_name)
    };
    arms.push(default_arm);
    Results {
        success,
        error,
        arms,
        items,
    }
}

/// The `operations` module: the servers, the client's constructors, and one method plus one request
/// builder per operation.
pub fn emit_operations(api: &Api) -> TokenStream {
    let servers = emit_servers(api);
    let constructors = emit_constructors(api);
    let mut scope = Scope::with_taken(api.operations.iter().map(|o| o.builder.as_str()));
    // Methods are grouped by their first tag, in the order the description lists its tags (then
    // tags it does not list, then untagged operations): one `impl Client` block per group.
    let mut groups: Vec<(Option<&str>, Vec<TokenStream>)> = Vec::new();
    let mut builders = Vec::new();
    for op in &api.operations {
        let (method, builder) = emit_operation(api, op, &mut scope);
        let tag = op.tags.first().map(String::as_str);
        match groups.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, methods)) => methods.push(method),
            None => groups.push((tag, vec![method])),
        }
        builders.push(builder);
    }
    let rank = |tag: &Option<&str>| match tag {
        Some(t) => api
            .tags
            .iter()
            .position(|(name, _)| name == t)
            .unwrap_or(api.tags.len()),
        None => api.tags.len() + 1,
    };
    groups.sort_by_key(|(tag, _)| rank(tag));
    let impls = groups.iter().map(|(tag, methods)| {
        let doc = match tag {
            Some(t) => {
                let description = api
                    .tags
                    .iter()
                    .find(|(name, _)| name == t)
                    .and_then(|(_, d)| d.as_deref());
                let text = match description {
                    Some(d) if !d.trim().is_empty() => format!("# {t}\n\n{}", d.trim()),
                    _ => format!("# {t}"),
                };
                doc_attrs(Some(&text))
            }
            None => doc_attrs(Some("# Other operations")),
        };
        quote! {
            #doc
            impl Client {
                #(#methods)*
            }
        }
    });
    if api.operations.is_empty() {
        return quote! {
            //! The description has no operations: only the client's constructors.
            use super::runtime::{self, Client, ClientBuilder};

            #servers
            #constructors
        };
    }
    quote! {
        //! The operations of the API: a method on [`Client`] for each, returning a request builder
        //! that is sent by awaiting it.
        use super::runtime::{self, Client, ClientBuilder, Error, RequestOptions, Response};
        use super::types;

        #servers
        #constructors

        #(#impls)*

        #(#builders)*
    }
}

fn emit_servers(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return quote! {
            /// The description lists no server: set one with [`ClientBuilder::base_url`].
            pub const DEFAULT_BASE_URL: &str = "";
        };
    }
    let variants: Vec<Ident> = api.servers.iter().map(|s| ident(&s.name)).collect();
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    let docs = api.servers.iter().map(|s| {
        let text = match &s.description {
            Some(d) => format!("{d}: <{}>", s.url),
            None => format!("<{}>", s.url),
        };
        doc_attrs(Some(&text))
    });
    let default_url = urls[0];
    let first = &variants[0];
    let rest = &variants[1..];
    let rest_docs = docs.collect::<Vec<_>>();
    let first_doc = &rest_docs[0];
    let rest_docs = &rest_docs[1..];
    quote! {
        /// The servers the description lists; the first is the default.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum Server {
            #first_doc
            #[default]
            #first,
            #( #rest_docs #rest, )*
        }

        impl Server {
            /// The server's base URL.
            pub fn url(self) -> &'static str {
                match self {
                    #( Self::#variants => #urls, )*
                }
            }
        }

        /// The default server's base URL.
        pub const DEFAULT_BASE_URL: &str = #default_url;

        impl ClientBuilder {
            /// Sends requests to one of the servers the description lists.
            pub fn server(self, server: Server) -> Self {
                self.base_url(server.url())
            }
        }
    }
}

fn emit_constructors(api: &Api) -> TokenStream {
    let (args, setup, doc) = match &api.auth {
        Auth::Bearer => (
            quote!(token: impl Into<String>),
            quote!(.bearer_token(token)),
            " A client for the default server, authenticating with a bearer token.",
        ),
        Auth::Basic => (
            quote!(username: impl Into<String>, password: impl Into<String>),
            quote!(.basic_auth(username, password)),
            " A client for the default server, authenticating with a user name and password.",
        ),
        Auth::Header(name) => (
            quote!(api_key: impl Into<String>),
            quote!(.auth(runtime::Auth::Header { name: #name.to_string(), value: runtime::Secret::new(api_key.into()) })),
            " A client for the default server, sending the API key in a header.",
        ),
        Auth::Query(name) => (
            quote!(api_key: impl Into<String>),
            quote!(.auth(runtime::Auth::Query { name: #name.to_string(), value: runtime::Secret::new(api_key.into()) })),
            " A client for the default server, sending the API key in the query string.",
        ),
        Auth::None => (quote!(), quote!(), " A client for the default server."),
    };
    quote! {
        /// The `User-Agent` sent unless the builder sets another: the crate's name and version.
        pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        impl Client {
            #[doc = #doc]
            pub fn new(#args) -> Result<Self, runtime::BuildError> {
                Self::builder() #setup .build()
            }

            /// A builder for a client with other settings: server, timeouts, retries, headers.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(DEFAULT_BASE_URL, USER_AGENT)
            }
        }
    }
}

fn method_tokens(method: Method) -> TokenStream {
    let m = ident(method.as_str());
    quote!(reqwest::Method::#m)
}

/// The argument type and the stored type of a required parameter.
fn param_arg(api: &Api, ty: &Ty) -> (TokenStream, TokenStream, bool) {
    if *ty == Ty::String {
        (quote!(impl Into<String>), quote!(String), true)
    } else {
        let t = ty_tokens(api, ty, From::Outside);
        (t.clone(), t, false)
    }
}

fn emit_operation(api: &Api, op: &Operation, scope: &mut Scope) -> (TokenStream, TokenStream) {
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder);
    let results = operation_results(api, op, scope);
    let success = &results.success;
    let error = &results.error;
    let arms = &results.arms;
    let extra_items = &results.items;

    let mut method_doc = String::new();
    if let Some(summary) = &op.summary {
        method_doc.push_str(summary.trim());
    }
    if let Some(description) = &op.description {
        if !description.trim().is_empty()
            && Some(description.trim()) != op.summary.as_deref().map(str::trim)
        {
            if !method_doc.is_empty() {
                method_doc.push_str("\n\n");
            }
            method_doc.push_str(description.trim());
        }
    }
    if !method_doc.is_empty() {
        method_doc.push_str("\n\n");
    }
    method_doc.push_str(&format!(
        "`{} {}` (operation `{}`).",
        op.method.as_str(),
        op.path,
        op.id
    ));
    let method_doc = doc_attrs(Some(&method_doc));
    let deprecated = op.deprecated.then(
        || quote!(#[deprecated(note = "the API description marks this operation as deprecated")]),
    );

    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();

    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut fields = Vec::new();
    for p in &required {
        let name = ident(&p.name);
        let (arg, stored, into) = param_arg(api, &p.ty);
        args.push(quote!(#name: #arg));
        inits.push(if into {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        });
        fields.push(quote!(#name: #stored));
    }
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    let body_ty = op
        .body
        .as_ref()
        .map(|b| ty_tokens(api, &b.ty, From::Outside));
    if let Some(ty) = &body_ty {
        if body_required {
            args.push(quote!(body: #ty));
            inits.push(quote!(body));
            fields.push(quote!(body: #ty));
        } else {
            inits.push(quote!(body: None));
            fields.push(quote!(body: Option<#ty>));
        }
    }
    let mut setters = Vec::new();
    for p in &optional {
        let name = ident(&p.name);
        let ty = ty_tokens(api, &p.ty, From::Outside);
        let doc = doc_attrs(
            p.doc
                .as_deref()
                .or(Some(&format!("The `{}` parameter.", p.wire))),
        );
        inits.push(quote!(#name: None));
        fields.push(quote!(#name: Option<#ty>));
        if p.ty == Ty::String {
            setters.push(quote! {
                #doc
                pub fn #name(mut self, value: impl Into<String>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            });
        } else {
            setters.push(quote! {
                #doc
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = Some(value);
                    self
                }
            });
        }
    }
    if let (Some(ty), false) = (&body_ty, body_required) {
        let doc = doc_attrs(
            op.body
                .as_ref()
                .and_then(|b| b.doc.as_deref())
                .or(Some("The request body.")),
        );
        setters.push(quote! {
            #doc
            pub fn body(mut self, value: #ty) -> Self {
                self.body = Some(value);
                self
            }
        });
    }

    // The path, with each parameter percent-encoded as one segment.
    let pieces: Vec<TokenStream> = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(#text),
            PathPart::Param(i) => {
                let p = &op.params[*i];
                let name = ident(&p.name);
                let wire = &p.wire;
                if p.ty == Ty::String {
                    quote!(&runtime::path_segment(#wire, &self.#name)?)
                } else {
                    quote!(&runtime::path_segment(#wire, &self.#name.to_string())?)
                }
            }
        })
        .collect();
    let path_expr = match &pieces[..] {
        [only]
            if op
                .path_parts
                .iter()
                .all(|p| matches!(p, PathPart::Literal(_))) =>
        {
            quote!(#only.to_string())
        }
        _ => quote!([#(#pieces),*].concat()),
    };
    let template = &op.path;
    let http_method = method_tokens(op.method);

    let mut sends = Vec::new();
    for p in &op.params {
        if p.location == ParamLocation::Path {
            continue;
        }
        let name = ident(&p.name);
        let wire = &p.wire;
        let value = quote!(value);
        let put = |v: TokenStream| match p.location {
            ParamLocation::Query => quote!(request.query(#wire, #v);),
            _ => quote!(request.header(#wire, &#v);),
        };
        let send_one = match &p.ty {
            ty if is_scalar(api, ty) => put(quote!(#value.to_string())),
            Ty::Vec(inner) if is_scalar(api, inner) => {
                if p.explode && p.location == ParamLocation::Query {
                    let one = put(quote!(item.to_string()));
                    quote!(for item in #value { #one })
                } else {
                    put(
                        quote!(#value.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")),
                    )
                }
            }
            _ => put(quote!(serde_json::to_string(#value).unwrap_or_default())),
        };
        let send = if p.required {
            quote!({ let value = &self.#name; #send_one })
        } else if let (Some(default), ParamLocation::Header) = (&p.default, p.location) {
            quote! {
                match &self.#name {
                    Some(value) => { #send_one }
                    None => request.header_default(#wire, #default),
                }
            }
        } else {
            quote!(if let Some(value) = &self.#name { #send_one })
        };
        sends.push(send);
    }
    if let Some(body) = &op.body {
        let ct = &body.content_type;
        let put = match body.kind {
            MediaKind::Json => quote!(request.json_body(body);),
            MediaKind::Form => quote!(request.form_body(body);),
            MediaKind::Multipart => quote!(request.multipart_body(body);),
            MediaKind::Text => quote!(request.text_body(#ct, body.clone());),
            MediaKind::Bytes => quote!(request.bytes_body(#ct, body.clone());),
        };
        if body_required {
            sends.push(quote!({ let body = &self.body; #put }));
        } else {
            sends.push(quote!(if let Some(body) = &self.body { #put }));
        }
    }
    let mut accepts: Vec<&str> = op
        .responses
        .iter()
        .filter_map(|r| r.body.as_ref().map(|b| b.0.as_str()))
        .collect();
    accepts.sort();
    accepts.dedup();
    let accept = (!accepts.is_empty()).then(|| {
        let joined = accepts.join(", ");
        quote!(request.accept(#joined);)
    });

    let pagination = op
        .pagination
        .as_ref()
        .map(|p| emit_pagination(api, op, p, error))
        .unwrap_or_default();
    let args_allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let method = quote! {
        #method_doc
        #deprecated
        #args_allow
        pub fn #fn_name(&self, #(#args),*) -> #builder<'_> {
            #builder { client: self, #(#inits,)* options: RequestOptions::default() }
        }
    };
    let builder_doc = format!(
        " The request of [`Client::{}`]: set optional parameters, then `.await` it (or call \
         [`send_with_response`](Self::send_with_response) for the status and headers too).",
        op.fn_name
    );
    let builder_item = quote! {
        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
            options: RequestOptions,
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Per-call options: extra headers, timeout, retry policy.
            pub fn options(mut self, options: RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request; the decoded body comes with the status and headers.
            pub async fn send_with_response(self) -> Result<Response<#success>, Error<#error>> {
                let path = #path_expr;
                let mut request = runtime::Request::new(#http_method, #template, path);
                #(#sends)*
                #accept
                request.options(self.options);
                let response = self.client.execute(request).await?;
                match response.status() {
                    #(#arms)*
                }
            }

            /// Sends the request and returns the decoded body.
            pub async fn send(self) -> Result<#success, Error<#error>> {
                self.send_with_response().await.map(Response::into_body)
            }

            #pagination
        }

        impl<'a> std::future::IntoFuture for #builder<'a> {
            type Output = Result<#success, Error<#error>>;
            type IntoFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        #(#extra_items)*
    };
    (method, builder_item)
}

/// A chain of `Option` steps from `start` along `steps`, by reference (`as_ref`) or by value.
fn option_chain(start: TokenStream, steps: &[Step], by_ref: bool) -> TokenStream {
    let mut expr = start;
    for step in steps {
        let name = ident(&step.name);
        expr = match (step.optional, by_ref) {
            (true, true) => quote!(#expr.and_then(|v| v.#name.as_ref())),
            (true, false) => quote!(#expr.and_then(|v| v.#name)),
            (false, true) => quote!(#expr.map(|v| &v.#name)),
            (false, false) => quote!(#expr.map(|v| v.#name)),
        };
    }
    expr
}

/// `pages()` and `items()` on the request builder of a list operation, and the private step that
/// fetches one page and prepares the request for the next.
fn emit_pagination(api: &Api, op: &Operation, p: &Pagination, error: &TokenStream) -> TokenStream {
    let item = ty_tokens(api, &p.item, From::Outside);
    let results = option_chain(quote!(Some(page)), &p.results, false);
    let (next_cursor, advance, how) = match &p.kind {
        PaginationKind::Cursor { target, next } => {
            let cursor = option_chain(quote!(Some(&page)), next, true);
            let set = match target {
                CursorTarget::Param(i) => {
                    let name = ident(&op.params[*i].name);
                    if op.params[*i].required {
                        quote!(next_request.#name = cursor;)
                    } else {
                        quote!(next_request.#name = Some(cursor);)
                    }
                }
                CursorTarget::Body(steps) => {
                    let body_required = op.body.as_ref().is_some_and(|b| b.required);
                    let mut place = if body_required {
                        quote!(next_request.body)
                    } else {
                        quote!(next_request.body.get_or_insert_with(Default::default))
                    };
                    let (last, inner) = steps
                        .split_last()
                        .map(|(l, i)| (Some(l), i))
                        .unwrap_or((None, &[]));
                    for step in inner {
                        let name = ident(&step.name);
                        place = if step.optional {
                            quote!(#place.#name.get_or_insert_with(Default::default))
                        } else {
                            quote!(#place.#name)
                        };
                    }
                    match last {
                        Some(step) if step.optional => {
                            let name = ident(&step.name);
                            quote!(#place.#name = Some(cursor);)
                        }
                        Some(step) => {
                            let name = ident(&step.name);
                            quote!(#place.#name = cursor;)
                        }
                        None => quote!(),
                    }
                }
            };
            let how = "each response's cursor is sent with the next request, until there is none";
            (
                quote!(let cursor = #cursor.cloned();),
                quote! {
                    cursor.map(|cursor| {
                        #set
                        next_request
                    })
                },
                how,
            )
        }
        PaginationKind::Page { param } => {
            let name = ident(&op.params[*param].name);
            let how = "the page number counts up from the first, until a page comes back empty";
            (
                quote!(let number = next_request.#name.unwrap_or(1);),
                quote! {{
                    next_request.#name = Some(number + 1);
                    Some(next_request)
                }},
                how,
            )
        }
    };
    let pages_doc = format!(" Every page of results, fetched as the stream is polled: {how}.");
    let items_doc =
        " Every result of every page, in order, fetched page by page as the stream is polled.";
    quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> impl futures_core::Stream<Item = Result<Vec<#item>, Error<#error>>> + Send + 'a {
            runtime::pages(self, Self::next_page)
        }

        #[doc = #items_doc]
        pub fn items(self) -> impl futures_core::Stream<Item = Result<#item, Error<#error>>> + Send + 'a {
            runtime::items(self, Self::next_page)
        }

        async fn next_page(self) -> Result<(Vec<#item>, Option<Self>), Error<#error>> {
            let mut next_request = self.clone();
            let page = self.send().await?;
            #next_cursor
            let next = #advance;
            Ok((#results.unwrap_or_default(), next))
        }
    }
}

/// `tests/examples.rs`: every example decodes into its type; every example the generator found to
/// contradict its schema still fails to, so the list of defects stays true.
pub fn emit_example_tests(
    api: &Api,
    lib: &str,
    checked: &[(usize, Result<(), String>)],
) -> TokenStream {
    let lib = ident(lib);
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (i, result) in checked {
        let example = &api.examples[*i];
        let origin = &example.origin;
        let json = serde_json::to_string(&example.value).unwrap_or_default();
        let ty = ty_tokens(api, &example.ty, From::Outside);
        let row = quote!((#origin, #json, decodes::<#ty>),);
        match result {
            Ok(()) => good.push(row),
            Err(_) => bad.push(row),
        }
    }
    quote! {
        //! Every example in the API description, decoded into the type the description gives.

        // The table is long and machine-made: rustfmt leaves it as prettyplease wrote it.
        #[rustfmt::skip]
        mod cases {
        use #lib::types;

        type Case = (&'static str, &'static str, fn(&str) -> Result<(), String>);

        fn decodes<T: serde::de::DeserializeOwned>(json: &str) -> Result<(), String> {
            serde_json::from_str::<T>(json).map(drop).map_err(|e| e.to_string())
        }

        /// Examples that agree with their schemas.
        const EXAMPLES: &[Case] = &[ #(#good)* ];

        /// Examples the generator reported as contradicting their schemas (see its warnings).
        const DEFECTS: &[Case] = &[ #(#bad)* ];

        #[test]
        fn every_example_decodes() {
            let failures: Vec<String> = EXAMPLES
                .iter()
                .filter_map(|(origin, json, decode)| decode(json).err().map(|e| format!("{origin}: {e}")))
                .collect();
            assert!(failures.is_empty(), "{} of {} examples do not decode:\n{}", failures.len(), EXAMPLES.len(), failures.join("\n"));
        }

        #[test]
        fn every_reported_defect_is_real() {
            let decoded: Vec<&str> = DEFECTS.iter().filter(|(_, json, decode)| decode(json).is_ok()).map(|(origin, _, _)| *origin).collect();
            assert!(decoded.is_empty(), "reported as defects but decode: {decoded:?}");
        }
        }
    }
}
