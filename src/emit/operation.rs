//! One operation: its method on `Client`, its request builder, and how the builder sends.

use super::pagination::emit_pagination;
use super::results::operation_results;
use super::{doc_attrs, ident, ty_tokens, From};
use crate::ir::*;
use crate::names::Scope;
use proc_macro2::TokenStream;
use quote::quote;

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

pub(super) fn emit_operation(
    api: &Api,
    op: &Operation,
    scope: &mut Scope,
) -> (TokenStream, TokenStream) {
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
