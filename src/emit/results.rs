//! What a request builder returns: the success type and the error type, each by status.

use super::{doc_attrs, ident, ty_tokens, From};
use crate::ir::*;
use crate::names::{self, Scope};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// The statuses a response covers, as a match pattern.
pub(super) fn status_pattern(statuses: &[StatusMatch]) -> TokenStream {
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
        Some(MediaKind::Bytes | MediaKind::Form | MediaKind::Multipart) => {
            quote!(response.download())
        }
        None => quote!(response.empty()),
    }
}

/// Whether a body of this kind is handed out as a `runtime::Download` (every kind but JSON and
/// text: bytes the client does not decode).
pub(super) fn is_download(kind: MediaKind) -> bool {
    matches!(
        kind,
        MediaKind::Bytes | MediaKind::Form | MediaKind::Multipart
    )
}

/// The type a decoded body of `kind` has: a `runtime::Download` for binary bodies, else `ty`.
fn body_ty_tokens(api: &Api, kind: MediaKind, ty: &Ty) -> TokenStream {
    match is_download(kind) {
        true => quote!(runtime::Download),
        false => ty_tokens(api, ty, From::Outside),
    }
}

/// What an operation returns on success and on error, and the per-operation enums that needs.
pub(super) struct Results {
    /// The type a successful call returns.
    pub success: TokenStream,
    /// The type of a documented error body.
    pub error: TokenStream,
    /// The arms of the match on the response's status, the catch-all last.
    pub arms: Vec<TokenStream>,
    /// The arms of [`Results::arms`] that give an error (every one after the successes), for a
    /// stream's function for the statuses it does not stream with.
    pub error_arms: Vec<TokenStream>,
    /// Enums of bodies by status, where one half has several types.
    pub items: Vec<TokenStream>,
}

/// One half of an operation's responses: the successes (2xx) or the errors (every other status).
/// Both halves are emitted by [`emit_half`]; what differs between them is written here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Half {
    /// The 2xx responses: every body is decoded into the success type.
    Success,
    /// Every other response: JSON bodies are decoded into the error type, the rest kept as text.
    Error,
}

impl Half {
    /// Whether a response belongs to this half.
    fn covers(self, response: &Response) -> bool {
        response.status.is_success() == (self == Half::Success)
    }

    /// The body this half decodes from a response, with its type: any body on success, only JSON
    /// on error.
    fn decoded_body(self, response: &Response) -> Option<(MediaKind, &Ty)> {
        let body = response.body.as_ref()?;
        match self {
            Half::Success => Some((body.kind, &body.ty)),
            Half::Error => body.json_ty().map(|ty| (MediaKind::Json, ty)),
        }
    }

    /// The type of the half when no response gives it one.
    fn no_type(self) -> TokenStream {
        match self {
            Half::Success => quote!(()),
            Half::Error => quote!(serde_json::Value),
        }
    }

    /// The doc of the enum of bodies by status; `method` is the method's path (`Contacts::list`).
    fn enum_doc(self, method: &str) -> String {
        match self {
            Half::Success => format!(" The successful responses of [`{method}`]."),
            Half::Error => format!(" The documented error bodies of [`{method}`], by status."),
        }
    }

    /// The arm for a response when the half has one type. `optional` says the success type is an
    /// `Option`, because some successes have a body and some none.
    fn arm(self, pat: &TokenStream, response: &Response, optional: bool) -> TokenStream {
        let body = self.decoded_body(response);
        match self {
            Half::Success => {
                let call = decode_call(body.map(|(kind, _)| kind));
                match (body, optional) {
                    (Some(_), true) => quote!(#pat => #call.map(|r| r.map(Some)),),
                    (None, true) => quote!(#pat => #call.map(|r| r.map(|()| None)),),
                    _ => quote!(#pat => #call,),
                }
            }
            Half::Error if body.is_some() => quote!(#pat => Err(response.api_error()),),
            Half::Error => quote!(#pat => Err(response.unexpected()),),
        }
    }

    /// The arm for a response that is the variant `variant` of the enum `name`; `body` is how its
    /// body is decoded (a success without a body is a unit variant).
    fn enum_arm(
        self,
        pat: &TokenStream,
        name: &Ident,
        variant: &Ident,
        body: Option<MediaKind>,
    ) -> TokenStream {
        match (self, body) {
            (Half::Success, Some(kind)) => {
                let call = decode_call(Some(kind));
                quote!(#pat => #call.map(|r| r.map(#name::#variant)),)
            }
            (Half::Success, None) => {
                quote!(#pat => response.empty().map(|r| r.map(|()| #name::#variant)),)
            }
            (Half::Error, _) => quote!(#pat => Err(response.api_error_with(#name::#variant)),),
        }
    }

    /// The name of the enum of bodies by status for the builder `builder`.
    fn enum_name(self, builder: &str) -> String {
        match self {
            Half::Success => names::success_enum_name(builder),
            Half::Error => names::error_enum_name(builder),
        }
    }
}

/// The type, arms and enum of one half.
struct HalfResults {
    ty: TokenStream,
    /// Each arm with the status it matches, in status order.
    arms: Vec<(StatusMatch, TokenStream)>,
    item: Option<TokenStream>,
}

/// Emits one half of an operation's responses: its type (one body type, `Option` of it, or an enum
/// of bodies by status when they differ) and one match arm per documented status.
fn emit_half(
    api: &Api,
    op: &Operation,
    half: Half,
    method: &str,
    scope: &mut Scope,
) -> HalfResults {
    let mut responses: Vec<&Response> = op.responses.iter().filter(|r| half.covers(r)).collect();
    responses.sort_by_key(|r| r.status);
    let mut distinct: Vec<(MediaKind, &Ty)> = Vec::new();
    for r in &responses {
        if let Some((kind, ty)) = half.decoded_body(r) {
            if !distinct.iter().any(|(_, seen)| *seen == ty) {
                distinct.push((kind, ty));
            }
        }
    }
    if distinct.len() > 1 {
        return emit_half_enum(api, op, half, &responses, method, scope);
    }
    // An operation that documents no error body takes the description's common one, which its
    // catch-all arm decodes.
    if half == Half::Error && distinct.is_empty() {
        distinct.extend(api.common_error.as_ref().map(|ty| (MediaKind::Json, ty)));
    }
    let ty = distinct
        .first()
        .map(|(kind, ty)| body_ty_tokens(api, *kind, ty));
    // A success type is an `Option` when some successes have a body and some have none.
    let optional = half == Half::Success
        && ty.is_some()
        && responses.iter().any(|r| half.decoded_body(r).is_none());
    let mut arms: Vec<(StatusMatch, TokenStream)> = responses
        .iter()
        .map(|r| {
            let pat = status_pattern(&[r.status]);
            (r.status, half.arm(&pat, r, optional))
        })
        .collect();
    if responses.is_empty() && half == Half::Success {
        arms.push((
            StatusMatch::Range(2),
            quote!(200..=299 => response.empty(),),
        ));
    }
    let ty = match (ty, optional) {
        (Some(t), true) => quote!(Option<#t>),
        (Some(t), false) => t,
        (None, _) => half.no_type(),
    };
    HalfResults {
        ty,
        arms,
        item: None,
    }
}

/// One half whose responses have several body types: an enum with a variant per status.
fn emit_half_enum(
    api: &Api,
    op: &Operation,
    half: Half,
    responses: &[&Response],
    method: &str,
    scope: &mut Scope,
) -> HalfResults {
    let enum_name = ident(&scope.claim(&half.enum_name(&op.builder)));
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut variant_scope = Scope::new();
    // A download is neither `Clone` nor `PartialEq`: it may still be on the connection.
    let mut downloads = false;
    for r in responses {
        let pat = status_pattern(&[r.status]);
        let body = half.decoded_body(r);
        if half == Half::Error && body.is_none() {
            arms.push((r.status, half.arm(&pat, r, false)));
            continue;
        }
        let variant = ident(&variant_scope.claim(&names::status_variant_name(r.status)));
        let doc = doc_attrs(r.doc.as_deref());
        variants.push(match body {
            Some((kind, ty)) => {
                downloads |= is_download(kind);
                let ty = body_ty_tokens(api, kind, ty);
                quote!(#doc #variant(#ty),)
            }
            None => quote!(#doc #variant,),
        });
        let arm = half.enum_arm(&pat, &enum_name, &variant, body.map(|(kind, _)| kind));
        arms.push((r.status, arm));
    }
    let doc = super::doc_literal(&half.enum_doc(method));
    let derives = match downloads {
        true => quote!(#[derive(Debug)]),
        false => quote!(#[derive(Clone, Debug, PartialEq)]),
    };
    let item = quote! {
        #[doc = #doc]
        #derives
        #[allow(clippy::large_enum_variant)]
        pub enum #enum_name { #(#variants)* }
    };
    HalfResults {
        ty: quote!(#enum_name),
        arms,
        item: Some(item),
    }
}

/// The success and error types of an operation, and the match that decodes a response into one of
/// them: the successes in status order, then the errors, then the `default` response or, when there
/// is none, a catch-all that keeps the body as text. `method` is the method's path, for docs.
pub(super) fn operation_results(
    api: &Api,
    op: &Operation,
    method: &str,
    scope: &mut Scope,
) -> Results {
    let success = emit_half(api, op, Half::Success, method, scope);
    let error = emit_half(api, op, Half::Error, method, scope);
    let mut arms: Vec<TokenStream> = Vec::new();
    // Statuses the operation does not document are decoded as the description's common error
    // body, where that is the operation's error type; otherwise only their text is kept.
    let mut default_arm = match error.item.is_none() && decodes_common_error(api, op) {
        true => quote!(_ => Err(response.api_error()),),
        false => quote!(_ => Err(response.unexpected()),),
    };
    for (status, arm) in error.arms {
        if status == StatusMatch::Default {
            default_arm = arm;
        } else {
            arms.push(arm);
        }
    }
    arms.push(default_arm);
    let error_arms = arms;
    let arms = success.arms.into_iter().map(|(_, arm)| arm);
    Results {
        success: success.ty,
        error: error.ty,
        arms: arms.chain(error_arms.iter().cloned()).collect(),
        error_arms,
        items: success.item.into_iter().chain(error.item).collect(),
    }
}

/// The types an operation's results name: the bodies each half decodes (a download names none),
/// and the description's common error body where the operation documents no error body.
pub(super) fn result_types<'a>(api: &'a Api, op: &'a Operation) -> Vec<&'a Ty> {
    let mut types = Vec::new();
    for half in [Half::Success, Half::Error] {
        let bodies: Vec<(MediaKind, &Ty)> = op
            .responses
            .iter()
            .filter(|r| half.covers(r))
            .filter_map(|r| half.decoded_body(r))
            .collect();
        if half == Half::Error && bodies.is_empty() {
            types.extend(api.common_error.as_ref());
        }
        types.extend(
            bodies
                .into_iter()
                .filter(|(kind, _)| !is_download(*kind))
                .map(|(_, ty)| ty),
        );
    }
    types
}

/// Whether an operation's one error type is the description's common error body: it documents
/// that one as its only JSON error body, or none at all.
fn decodes_common_error(api: &Api, op: &Operation) -> bool {
    let Some(common) = &api.common_error else {
        return false;
    };
    op.responses
        .iter()
        .filter(|r| !r.status.is_success())
        .filter_map(|r| r.body.as_ref().and_then(ResponseBody::json_ty))
        .all(|ty| ty == common)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, holds, operation, response};

    fn results_of(responses: Vec<Response>) -> (Results, Vec<String>) {
        let mut op = operation();
        op.responses = responses;
        let api = api(Vec::new());
        let results = operation_results(&api, &op, "Client::list_things", &mut Scope::new());
        let arms = results.arms.iter().map(ToString::to_string).collect();
        (results, arms)
    }

    #[test]
    fn status_patterns_for_codes_ranges_and_default() {
        assert_eq!(status_pattern(&[StatusMatch::Code(201)]).to_string(), "201");
        assert_eq!(
            status_pattern(&[StatusMatch::Range(4)]).to_string(),
            quote!(400..=499).to_string()
        );
        assert_eq!(status_pattern(&[StatusMatch::Default]).to_string(), "_");
        let both = status_pattern(&[StatusMatch::Code(404), StatusMatch::Range(5)]);
        assert_eq!(both.to_string(), quote!(404 | 500..=599).to_string());
    }

    #[test]
    fn successes_then_errors_then_the_default_response_last() {
        let (results, arms) = results_of(vec![
            response(StatusMatch::Default, Some(Ty::Json)),
            response(StatusMatch::Range(4), Some(Ty::Json)),
            response(StatusMatch::Code(200), Some(Ty::String)),
        ]);
        let expected = [
            quote!(200 => response.json(),),
            quote!(400..=499 => Err(response.api_error()),),
            quote!(_ => Err(response.api_error()),),
        ]
        .map(|t| t.to_string());
        assert_eq!(arms, expected);
        assert_eq!(results.success.to_string(), "String");
        assert_eq!(
            results.error.to_string(),
            quote!(serde_json::Value).to_string()
        );
    }

    #[test]
    fn without_responses_any_success_is_empty_and_the_rest_unexpected() {
        let (results, arms) = results_of(Vec::new());
        let expected = [
            quote!(200..=299 => response.empty(),),
            quote!(_ => Err(response.unexpected()),),
        ]
        .map(|t| t.to_string());
        assert_eq!(arms, expected);
        assert_eq!(results.success.to_string(), quote!(()).to_string());
        assert!(results.items.is_empty());
    }

    #[test]
    fn a_success_with_and_one_without_a_body_is_an_option() {
        let (results, arms) = results_of(vec![
            response(StatusMatch::Code(204), None),
            response(StatusMatch::Code(200), Some(Ty::String)),
        ]);
        assert_eq!(
            results.success.to_string(),
            quote!(Option<String>).to_string()
        );
        let expected = [
            quote!(200 => response.json().map(|r| r.map(Some)),),
            quote!(204 => response.empty().map(|r| r.map(|()| None)),),
            quote!(_ => Err(response.unexpected()),),
        ]
        .map(|t| t.to_string());
        assert_eq!(arms, expected);
    }

    #[test]
    fn several_types_in_one_half_make_an_enum_by_status() {
        let (results, arms) = results_of(vec![
            response(StatusMatch::Code(200), Some(Ty::String)),
            response(StatusMatch::Code(202), None),
            response(StatusMatch::Code(201), Some(Ty::I64)),
            response(StatusMatch::Code(404), Some(Ty::String)),
            response(StatusMatch::Range(5), Some(Ty::I64)),
            response(StatusMatch::Code(409), None),
        ]);
        assert_eq!(results.success.to_string(), "ListThingsResponse");
        assert_eq!(results.error.to_string(), "ListThingsError");
        let expected = [
            quote!(200 => response.json().map(|r| r.map(ListThingsResponse::Status200)),),
            quote!(201 => response.json().map(|r| r.map(ListThingsResponse::Status201)),),
            quote!(202 => response.empty().map(|r| r.map(|()| ListThingsResponse::Status202)),),
            quote!(404 => Err(response.api_error_with(ListThingsError::Status404)),),
            quote!(409 => Err(response.unexpected()),),
            quote!(500..=599 => Err(response.api_error_with(ListThingsError::Status5xx)),),
            quote!(_ => Err(response.unexpected()),),
        ]
        .map(|t| t.to_string());
        assert_eq!(arms, expected);
        let [success, error] = &results.items[..] else {
            panic!("two enums: {:?}", results.items)
        };
        let success_variants = quote!(
            pub enum ListThingsResponse {
                Status200(String),
                Status201(i64),
                Status202,
            }
        );
        assert!(holds(success, success_variants), "{success}");
        // An error without a JSON body is no variant: its text is kept by `unexpected`.
        let error_variants = quote!(
            pub enum ListThingsError {
                Status404(String),
                Status5xx(i64),
            }
        );
        assert!(holds(error, error_variants), "{error}");
    }

    #[test]
    fn undocumented_statuses_decode_as_the_common_error_body() {
        let mut api = api(Vec::new());
        api.common_error = Some(Ty::I64);
        let mut op = operation();
        op.responses = vec![
            response(StatusMatch::Code(200), Some(Ty::String)),
            response(StatusMatch::Code(401), Some(Ty::I64)),
        ];
        let results = operation_results(&api, &op, "Client::list_things", &mut Scope::new());
        assert_eq!(results.error.to_string(), "i64");
        let catch_all = quote!(_ => Err(response.api_error()),).to_string();
        assert_eq!(
            results.arms.last().map(ToString::to_string),
            Some(catch_all.clone())
        );
        // An operation documenting no error body takes the common one.
        op.responses.truncate(1);
        let results = operation_results(&api, &op, "Client::list_things", &mut Scope::new());
        assert_eq!(results.error.to_string(), "i64");
        assert_eq!(
            results.arms.last().map(ToString::to_string),
            Some(catch_all)
        );
        // One with an error body of its own keeps only the text of the others.
        op.responses
            .push(response(StatusMatch::Code(404), Some(Ty::String)));
        let results = operation_results(&api, &op, "Client::list_things", &mut Scope::new());
        let unexpected = quote!(_ => Err(response.unexpected()),).to_string();
        assert_eq!(
            results.arms.last().map(ToString::to_string),
            Some(unexpected)
        );
    }

    #[test]
    fn the_enum_names_are_claimed_in_the_scope_of_the_builders() {
        let mut op = operation();
        op.responses = vec![
            response(StatusMatch::Code(200), Some(Ty::String)),
            response(StatusMatch::Code(201), Some(Ty::I64)),
        ];
        let mut scope = Scope::with_taken(["ListThingsResponse"]);
        let results = operation_results(&api(Vec::new()), &op, "Client::list_things", &mut scope);
        assert_eq!(results.success.to_string(), "ListThingsResponse2");
    }
}
