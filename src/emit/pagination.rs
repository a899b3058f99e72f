//! Pagination: `pages()` and `items()` on the request builder of a list operation.

use super::{ident, ty_tokens, From};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// A chain of `Option` steps from `start` along `steps`, by reference (`as_ref`) or by value.
fn option_chain(start: TokenStream, steps: &[Step], by_ref: bool) -> TokenStream {
    let mut expr = start;
    for step in steps {
        let name = ident(&step.name);
        expr = match (step.optional, by_ref) {
            (true, true) => quote!(#expr.and_then(|v| v.#name.as_ref())),
            (true, false) if step.nullable => quote!(#expr.and_then(|v| v.#name.into_option())),
            (true, false) => quote!(#expr.and_then(|v| v.#name)),
            (false, true) => quote!(#expr.map(|v| &v.#name)),
            (false, false) => quote!(#expr.map(|v| v.#name)),
        };
    }
    expr
}

/// `pages()` and `items()` on the request builder of a list operation, and the private step that
/// fetches one page and prepares the request for the next.
pub(super) fn emit_pagination(
    api: &Api,
    op: &Operation,
    p: &Pagination,
    error: &TokenStream,
) -> TokenStream {
    let item = ty_tokens(api, &p.item, From::Outside);
    let results = option_chain(quote!(Some(page)), &p.results, false);
    let (next_cursor, advance, how) = match &p.kind {
        PaginationKind::Cursor { target, next } => {
            let cursor = option_chain(quote!(Some(&page)), next, true);
            let set = set_cursor(op, target);
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
        pub fn pages(self) -> impl futures_core::Stream<Item = Result<Vec<#item>, Error<#error>>> + runtime::platform::MaybeSend + 'a {
            runtime::pages(self, Self::next_page)
        }

        #[doc = #items_doc]
        pub fn items(self) -> impl futures_core::Stream<Item = Result<#item, Error<#error>>> + runtime::platform::MaybeSend + 'a {
            runtime::items(self, Self::next_page)
        }

        fn next_page(self) -> impl std::future::Future<Output = Result<(Vec<#item>, Option<Self>), Error<#error>>> + runtime::platform::MaybeSend + 'a {
            let mut next_request = self.clone();
            runtime::fetch_page(self.send(), move |page| {
                #next_cursor
                let next = #advance;
                (#results.unwrap_or_default(), next)
            })
        }
    }
}

/// The statement that puts `cursor` where the next request carries it: a parameter, or a field of
/// the body, creating the optional objects on the way when they are absent.
fn set_cursor(op: &Operation, target: &CursorTarget) -> TokenStream {
    let steps = match target {
        CursorTarget::Param(i) => {
            let name = ident(&op.params[*i].name);
            return if op.params[*i].required {
                quote!(next_request.#name = cursor;)
            } else {
                quote!(next_request.#name = Some(cursor);)
            };
        }
        CursorTarget::Body(steps) => steps,
    };
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    let mut place = if body_required {
        quote!(next_request.body)
    } else {
        quote!(next_request.body.get_or_insert_with(Default::default))
    };
    let Some((last, inner)) = steps.split_last() else {
        return quote!();
    };
    for step in inner {
        let name = ident(&step.name);
        place = if step.optional {
            quote!(#place.#name.get_or_insert_with(Default::default))
        } else {
            quote!(#place.#name)
        };
    }
    let name = ident(&last.name);
    if last.nullable {
        quote!(#place.#name = runtime::Nullable::Value(cursor);)
    } else if last.optional {
        quote!(#place.#name = Some(cursor);)
    } else {
        quote!(#place.#name = cursor;)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{json_body, operation, query};

    fn step(name: &str, optional: bool) -> Step {
        Step {
            name: name.into(),
            optional,
            nullable: false,
        }
    }

    #[test]
    fn a_cursor_parameter_is_set_as_it_is_stored() {
        let mut op = operation();
        op.params = vec![
            query("after", Ty::String, false),
            query("from", Ty::String, true),
        ];
        let optional = set_cursor(&op, &CursorTarget::Param(0));
        assert_eq!(
            optional.to_string(),
            quote!(next_request.after = Some(cursor);).to_string()
        );
        let required = set_cursor(&op, &CursorTarget::Param(1));
        assert_eq!(
            required.to_string(),
            quote!(next_request.from = cursor;).to_string()
        );
    }

    #[test]
    fn a_cursor_in_the_body_creates_the_optional_objects_on_its_way() {
        let mut op = operation();
        op.body = Some(json_body(Ty::Json, false));
        let steps = vec![step("pagination", true), step("starting_after", true)];
        let set = set_cursor(&op, &CursorTarget::Body(steps));
        let expected = quote! {
            next_request.body.get_or_insert_with(Default::default)
                .pagination.get_or_insert_with(Default::default)
                .starting_after = Some(cursor);
        };
        assert_eq!(set.to_string(), expected.to_string());
        op.body = Some(json_body(Ty::Json, true));
        let steps = vec![step("query", false), step("cursor", false)];
        let set = set_cursor(&op, &CursorTarget::Body(steps));
        assert_eq!(
            set.to_string(),
            quote!(next_request.body.query.cursor = cursor;).to_string()
        );
    }

    #[test]
    fn results_are_read_through_optional_steps() {
        let chain = option_chain(
            quote!(Some(page)),
            &[step("data", true), step("items", false)],
            false,
        );
        let expected = quote!(Some(page).and_then(|v| v.data).map(|v| v.items));
        assert_eq!(chain.to_string(), expected.to_string());
    }
}
