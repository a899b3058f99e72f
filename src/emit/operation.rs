//! One operation: its method on `Client`, its request builder, and how the builder sends.

use super::encode::{accept_call, path_expr, send_body, send_param};
use super::groups;
use super::pagination::emit_pagination;
use super::results::{operation_results, Results};
use super::{doc_attrs, doc_line_attrs, ident, ty_tokens, From, Items};
use crate::ir::*;
use crate::names::Scope;
use proc_macro2::TokenStream;
use quote::quote;

/// `reqwest::Method::GET` and the like.
fn method_tokens(method: Method) -> TokenStream {
    let m = ident(method.as_str());
    quote!(reqwest::Method::#m)
}

/// Whether a parameter of type `ty` takes `impl Into<…>`: a string, or an alias that stands for
/// one (`CodeScanningAnalysisSarifId`), so that a literal is passed to either alike.
fn takes_into(api: &Api, ty: &Ty) -> bool {
    let mut ty = ty;
    for _ in 0..=crate::load::MAX_REF_DEPTH {
        match ty {
            Ty::String => return true,
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Alias(target) => ty = target,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

/// The argument type and the stored type of a required parameter.
fn param_arg(api: &Api, ty: &Ty) -> (TokenStream, TokenStream, bool) {
    if *ty == Ty::String {
        (quote!(impl Into<String>), quote!(String), true)
    } else if takes_into(api, ty) {
        let t = ty_tokens(api, ty, From::Outside);
        (quote!(impl Into<#t>), t, true)
    } else {
        let t = ty_tokens(api, ty, From::Outside);
        (t.clone(), t, false)
    }
}

/// The method on `Client` that starts an operation's request, and the request builder with its
/// setters, its ways of sending and (for a list operation) its pages.
pub(super) fn emit_operation(
    api: &Api,
    op: &Operation,
    scope: &mut Scope,
    target: &super::Target,
) -> (TokenStream, Items) {
    let builder = ident(&op.builder);
    let method_path = groups::method_path(api, op);
    let results = operation_results(api, op, &method_path, scope);
    let members = builder_members(api, op);
    let example = target
        .examples()
        .map(|lib| super::doc_example::example_doc(api, op, lib));
    let method = emit_method(op, &members, example.unwrap_or_default());
    let Members {
        fields, setters, ..
    } = &members;
    let request_and_decode = emit_request_and_decode(api, op, &results);
    let pagination = op
        .pagination
        .as_ref()
        .map(|p| emit_pagination(api, op, p, &results.error))
        .unwrap_or_default();
    let streaming = super::stream::emit_stream(api, op, &results);
    let Results {
        success,
        error,
        items,
        ..
    } = &results;
    let call = groups::call_text(api, op);
    let builder_doc = format!(
        " The request of [`{method_path}`] (`{call}(…)`): set optional parameters, then `.await` \
         it (or call [`send_with_response`](Self::send_with_response) for the status and headers \
         too)."
    );
    let builder_doc = super::doc_literal(&builder_doc);
    let mut builder_items = Items::one(quote! {
        #[doc = #builder_doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
            options: RequestOptions,
        }
    });
    builder_items.push(quote! {
        impl<'a> #builder<'a> {
            #(#setters)*

            #request_and_decode

            #pagination

            #streaming
        }
    });
    builder_items.push(quote! {
        super::runtime::request_builder!(#builder => #success, #error);
    });
    for item in items {
        builder_items.push(item.clone());
    }
    (method, builder_items)
}

/// Whether an operation's method or builder names a type of the `types` module: a parameter's, the
/// body's, a result's or the pages' items.
pub(super) fn names_types(api: &Api, op: &Operation) -> bool {
    op.params.iter().any(|p| p.ty.holds_a_named_type())
        || op.body.as_ref().is_some_and(|b| b.ty.holds_a_named_type())
        || super::results::result_types(api, op)
            .into_iter()
            .any(Ty::holds_a_named_type)
        || op
            .pagination
            .as_ref()
            .is_some_and(|p| p.item.holds_a_named_type())
}

/// The method on `Client` or on the operation's group: it takes the required parameters and returns
/// the request builder, which borrows the client.
fn emit_method(op: &Operation, members: &Members, example: Vec<String>) -> TokenStream {
    let fn_name = ident(&op.placement.method);
    let (lifetime, client) = match op.placement.group {
        Some(_) => (quote!('a), quote!(self.client)),
        None => (quote!('_), quote!(self)),
    };
    let builder = ident(&op.builder);
    let Members { args, inits, .. } = members;
    let method_doc = method_doc(op, example);
    let deprecated = op.deprecated.then(
        || quote!(#[deprecated(note = "the API description marks this operation as deprecated")]),
    );
    let args_allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #method_doc
        #deprecated
        #args_allow
        pub fn #fn_name(&self, #(#args),*) -> #builder<#lifetime> {
            #builder { client: #client, #(#inits,)* options: RequestOptions::default() }
        }
    }
}

/// The method's docs: the summary, the description when it says more, the method and path, and
/// the example (`no_run`) where the crate has one.
fn method_doc(op: &Operation, example: Vec<String>) -> TokenStream {
    let summary = op.summary.as_deref().map(str::trim).unwrap_or_default();
    let description = op.description.as_deref().map(str::trim).unwrap_or_default();
    let signature = format!(
        " {} (operation {}).",
        crate::docs::inline_code(&format!("{} {}", op.method.as_str(), op.path)),
        crate::docs::inline_code(&op.id)
    );
    doc_line_attrs(&crate::docs::blocks([
        crate::docs::rustdoc_lines(summary),
        if description == summary {
            Vec::new()
        } else {
            crate::docs::rustdoc_lines(description)
        },
        vec![signature],
        example,
    ]))
}

/// What a request builder holds for an operation's parameters and body.
struct Members {
    /// The method's arguments: the required parameters, then a required body.
    args: Vec<TokenStream>,
    /// The builder's initial field values, in field order.
    inits: Vec<TokenStream>,
    /// The builder's fields: required parameters, the body, then optional parameters.
    fields: Vec<TokenStream>,
    /// One setter per optional parameter, then one for an optional body.
    setters: Vec<TokenStream>,
}

/// The arguments, fields and setters of an operation's request builder.
fn builder_members(api: &Api, op: &Operation) -> Members {
    let mut members = Members {
        args: Vec::new(),
        inits: Vec::new(),
        fields: Vec::new(),
        setters: Vec::new(),
    };
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.name);
        let (arg, stored, into) = param_arg(api, &p.ty);
        members.args.push(quote!(#name: #arg));
        members.inits.push(if into {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        });
        members.fields.push(quote!(#name: #stored));
    }
    let body_ty = op
        .body
        .as_ref()
        .map(|b| (ty_tokens(api, &b.ty, From::Outside), b.required));
    match &body_ty {
        Some((ty, true)) => {
            members.args.push(quote!(body: #ty));
            members.inits.push(quote!(body));
            members.fields.push(quote!(body: #ty));
        }
        Some((ty, false)) => {
            members.inits.push(quote!(body: None));
            members.fields.push(quote!(body: Option<#ty>));
        }
        None => {}
    }
    for p in op.params.iter().filter(|p| !p.required) {
        let name = ident(&p.name);
        let ty = ty_tokens(api, &p.ty, From::Outside);
        members.inits.push(quote!(#name: None));
        members.fields.push(quote!(#name: Option<#ty>));
        members.setters.push(optional_setter(api, p));
    }
    if let Some((ty, false)) = &body_ty {
        let doc = op.body.as_ref().and_then(|b| b.doc.as_deref());
        let doc = doc_attrs(doc.or(Some("The request body.")));
        members.setters.push(quote! {
            #doc
            pub fn body(mut self, value: #ty) -> Self {
                self.body = Some(value);
                self
            }
        });
    }
    members
}

/// The setter of an optional parameter; a string one takes anything that converts into a string.
fn optional_setter(api: &Api, p: &Param) -> TokenStream {
    let name = ident(&p.name);
    let ty = ty_tokens(api, &p.ty, From::Outside);
    let doc = param_doc(p);
    if takes_into(api, &p.ty) {
        quote! {
            #doc
            pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                self.#name = Some(value.into());
                self
            }
        }
    } else {
        quote! {
            #doc
            pub fn #name(mut self, value: #ty) -> Self {
                self.#name = Some(value);
                self
            }
        }
    }
}

/// An optional parameter's docs: the description's, and for a header with a default what this
/// client sends when it is not set (the description's words may name the server's default).
fn param_doc(p: &Param) -> TokenStream {
    let text = p
        .doc
        .clone()
        .unwrap_or_else(|| format!("The {} parameter.", crate::docs::inline_code(&p.wire)));
    let sent = match (&p.default, p.location) {
        (Some(default), ParamLocation::Header) => vec![format!(
            " When this is not set, this client sends {}: the server's own default never applies.",
            crate::docs::inline_code(&format!("{}: {default}", p.wire))
        )],
        _ => Vec::new(),
    };
    doc_line_attrs(&crate::docs::blocks([
        crate::docs::rustdoc_lines(&text),
        sent,
    ]))
}

/// The plain fns `request` and `decode`, through which the runtime's `request_builder!` sends the
/// request with its one generic `call`: no operation has an `async` body (a future type to check)
/// of its own, nor a copy of the methods every builder shares.
fn emit_request_and_decode(api: &Api, op: &Operation, results: &Results) -> TokenStream {
    let path_expr = path_expr(op);
    let template = &op.path;
    let http_method = method_tokens(op.method);
    let sends = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| send_param(api, p));
    let body = op.body.as_ref().map(|body| send_body(api, body));
    let accept = accept_call(op);
    let Results {
        success,
        error,
        arms,
        ..
    } = results;
    quote! {
        /// The request the builder's fields make (the error is the call's, returned as it is).
        #[allow(clippy::result_large_err)]
        fn request(self) -> Result<runtime::Request, Error<#error>> {
            let path = #path_expr;
            let mut request = runtime::Request::new(#http_method, #template, path);
            #(#sends)*
            #body
            #accept
            request.options(self.options);
            Ok(request)
        }

        /// The response decoded by its status.
        #[allow(clippy::result_large_err)]
        fn decode(response: runtime::RawResponse) -> Result<Response<#success>, Error<#error>> {
            match response.status() {
                #(#arms)*
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, holds, json_body, operation, parse, query, response};

    /// A list operation: a required and two optional parameters, an optional body, a cursor
    /// paginated response.
    fn list_things() -> Operation {
        let mut op = operation();
        op.params = vec![
            query("per_page", Ty::I64, true),
            query("starting_after", Ty::String, false),
            query("tags", Ty::Vec(Box::new(Ty::String)), false),
        ];
        op.body = Some(json_body(Ty::Json, false));
        op.responses = vec![response(StatusMatch::Code(200), Some(Ty::Json))];
        op.pagination = Some(Pagination {
            results: Vec::new(),
            item: Ty::Json,
            kind: PaginationKind::Cursor {
                target: CursorTarget::Param(1),
                next: Vec::new(),
            },
        });
        op.streaming = Some(Streaming {
            status: StatusMatch::Code(200),
            format: StreamFormat::EventStream,
            event: Ty::Json,
            flag: None,
            terminator: None,
            error_event: None,
        });
        op
    }

    fn emit(op: &Operation) -> (TokenStream, TokenStream) {
        let (method, builder) = emit_operation(
            &api(Vec::new()),
            op,
            &mut Scope::new(),
            &crate::emit::Target::single_file(crate::config::Grouping::Flat),
        );
        (method, builder.into_tokens())
    }

    #[test]
    fn required_parameters_are_arguments_and_optional_ones_have_setters() {
        let (method, builder) = emit(&list_things());
        let signature = quote!(pub fn list_things(&self, per_page: i64) -> ListThings<'_>);
        assert!(holds(&method, signature), "{method}");
        let string_setter = quote! {
            pub fn starting_after(mut self, value: impl Into<String>) -> Self {
                self.starting_after = Some(value.into());
                self
            }
        };
        assert!(holds(&builder, string_setter), "{builder}");
        let list_setter = quote! {
            pub fn tags(mut self, value: Vec<String>) -> Self {
                self.tags = Some(value);
                self
            }
        };
        assert!(holds(&builder, list_setter), "{builder}");
        let body_setter = quote!(pub fn body(mut self, value: serde_json::Value) -> Self);
        assert!(holds(&builder, body_setter), "{builder}");
    }

    #[test]
    fn fields_hold_required_parameters_then_the_body_then_optional_parameters() {
        let (_, builder) = emit(&list_things());
        // `Option<#ty>` around `Vec<String>` closes with two separate `>` tokens.
        let fields = quote! {
            client: &'a Client,
            per_page: i64,
            body: Option<serde_json::Value>,
            starting_after: Option<String>,
            tags: Option<Vec<String> >,
            options: RequestOptions,
        };
        assert!(holds(&builder, fields), "{builder}");
    }

    /// The functions the runtime's `request_builder!` gives a builder, read from its source.
    fn request_builder_macro_fns() -> Vec<String> {
        let source = include_str!("../../templates/src/runtime/macros.rs");
        let start = source
            .find("macro_rules! request_builder")
            .expect("the runtime defines request_builder!");
        let body = &source[start..];
        let body = &body[..body[1..]
            .find("\nmacro_rules!")
            .map_or(body.len(), |end| end + 1)];
        let fns: Vec<String> = body
            .split("fn ")
            .skip(1)
            .filter_map(|rest| rest.split(['(', '<']).next())
            .map(|name| name.trim().to_string())
            .collect();
        assert!(fns.contains(&"send".to_string()), "{fns:?}");
        fns
    }

    /// The names of the members a builder has beyond its parameters: the fields of its struct, the
    /// functions of its impl blocks (inherent and trait) and those `request_builder!` adds, less
    /// one per parameter.
    fn builder_members_beyond_parameters(op: &Operation) -> Vec<String> {
        let (_, builder) = emit(op);
        let mut names = Vec::new();
        for item in parse(builder).items {
            match item {
                syn::Item::Struct(s) if s.ident == op.builder => {
                    names.extend(
                        s.fields
                            .iter()
                            .filter_map(|f| f.ident.as_ref().map(ToString::to_string)),
                    );
                }
                syn::Item::Impl(block) => {
                    names.extend(block.items.iter().filter_map(|member| match member {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    }));
                }
                syn::Item::Macro(m)
                    if m.mac
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "request_builder") =>
                {
                    names.extend(request_builder_macro_fns());
                }
                _ => {}
            }
        }
        let parameters: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
        names.retain(|name| !parameters.contains(&name.as_str()));
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn the_reserved_builder_members_are_what_a_builder_has() {
        let mut listed: Vec<String> = crate::names::BUILDER_MEMBERS
            .iter()
            .map(|s| s.to_string())
            .collect();
        listed.sort();
        assert_eq!(
            builder_members_beyond_parameters(&list_things()),
            listed,
            "names::BUILDER_MEMBERS must list every member a (paginated) request builder has"
        );
        // A builder without pages has a subset of them.
        let plain = builder_members_beyond_parameters(&operation());
        assert!(plain.iter().all(|m| listed.contains(m)), "{plain:?}");
    }
}
