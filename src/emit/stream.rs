//! The stream method of an operation that documents a streamed response ([`Streaming`]):
//! `stream()` on its request builder, which returns the runtime's typed `EventStream`, with the
//! `StreamSpec` and the function for the statuses it does not stream with.

use super::constructors::is_nullable_optional;
use super::results::{status_pattern, Results};
use super::{ident, ty_tokens, From};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The members of a streaming operation's builder: `stream`, `stream_spec` and `stream_error`
/// (nothing for an operation without a stream).
pub(super) fn emit_stream(api: &Api, op: &Operation, results: &Results) -> TokenStream {
    let Some(streaming) = &op.streaming else {
        return TokenStream::new();
    };
    let event = ty_tokens(api, &streaming.event, From::Outside);
    let error = &results.error;
    let error_arms = &results.error_arms;
    let format = match streaming.format {
        StreamFormat::EventStream => quote!(EventStream),
        StreamFormat::JsonLines => quote!(JsonLines),
        StreamFormat::JsonSeq => quote!(JsonSeq),
    };
    let statuses = status_pattern(&[streaming.status]);
    let terminator = streaming
        .terminator
        .as_deref()
        .map(|t| quote!(.terminator(#t)));
    let error_event = streaming
        .error_event
        .as_deref()
        .map(|e| quote!(.error_event(#e)));
    let flag = streaming
        .flag
        .as_deref()
        .and_then(|wire| set_flag(api, op, wire));
    let json_beside = op
        .responses
        .iter()
        .filter(|r| r.status == streaming.status)
        .any(|r| r.body.as_ref().is_some_and(|b| b.kind == MediaKind::Json));
    let doc = stream_doc(streaming, flag.is_some(), json_beside);
    let (receiver, set) = match flag {
        Some(set) => (quote!(mut self), Some(set)),
        None => (quote!(self), None),
    };
    quote! {
        #[doc = #doc]
        pub fn stream(#receiver) -> runtime::stream::EventStream<#event, #error> {
            #set
            let client = self.client;
            runtime::stream::event_stream(client, self.request(), Self::stream_spec())
        }

        /// How the stream is framed, which statuses carry it and how it ends.
        fn stream_spec() -> runtime::stream::StreamSpec<#error> {
            runtime::stream::StreamSpec::new(
                runtime::stream::StreamFormat::#format,
                |status| matches!(status, #statuses),
                Self::stream_error,
            )
            #terminator
            #error_event
        }

        /// The error a response of a status the stream does not come with is, as the plain
        /// call decodes it.
        #[allow(clippy::match_single_binding)]
        fn stream_error(response: runtime::RawResponse) -> Error<#error> {
            let result: Result<::std::convert::Infallible, Error<#error>> = match response.status() {
                #(#error_arms)*
            };
            match result {
                Ok(never) => match never {},
                Err(error) => error,
            }
        }
    }
}

/// The doc of `stream()`.
fn stream_doc(streaming: &Streaming, sets_flag: bool, json_beside: bool) -> String {
    let what = match streaming.format {
        StreamFormat::EventStream => "server-sent events",
        StreamFormat::JsonLines => "JSON lines",
        StreamFormat::JsonSeq => "JSON text sequences",
    };
    let mut doc =
        format!(" Streams the response as {what}, each event's data decoded as it arrives");
    if let (true, Some(flag)) = (sets_flag, &streaming.flag) {
        doc.push_str(&format!(
            ": sets `{flag}: true` in the body and asks for the stream"
        ));
    }
    doc.push('.');
    if json_beside {
        doc.push_str(" `.await` on the builder instead gets the whole response as JSON.");
    }
    if let Some(terminator) = &streaming.terminator {
        doc.push_str(&format!(
            "\n\n The stream ends at `{terminator}`; a body that ends without it is an error item."
        ));
    }
    doc
}

/// The statement that sets the body's streaming flag to `true`, through the bases the body
/// embeds; `None` when the body has no such boolean field (lowering checked it has).
fn set_flag(api: &Api, op: &Operation, wire: &str) -> Option<TokenStream> {
    let body = op.body.as_ref().filter(|b| b.required)?;
    let fields = struct_behind(api, &body.ty)?.wire_fields(api);
    let (path, field) = fields.iter().find(|(_, field)| field.wire == wire)?;
    let path = path.iter().map(|name| ident(name));
    let name = ident(&field.name);
    let value = match &field.ty {
        Ty::Option(_) if is_nullable_optional(field) => quote!(runtime::Nullable::Value(true)),
        Ty::Option(_) => quote!(Some(true)),
        _ => quote!(true),
    };
    Some(quote!(self.body #(.#path)* .#name = #value;))
}
