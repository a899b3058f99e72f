//! How a request builder puts its parameters and body on the wire: the path with each
//! parameter encoded in its style, query, header and cookie parameters, the body in its media
//! type, and the `Accept` header with the statuses whose bodies are streamed.

use super::ident;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The path, with each parameter percent-encoded: a scalar in the `simple` style as one segment
/// of its text, anything else laid out by the runtime in its style.
pub(super) fn path_expr(op: &Operation) -> TokenStream {
    let pieces: Vec<TokenStream> = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(#text),
            PathPart::Param(i) => path_piece(&op.params[*i]),
        })
        .collect();
    match &pieces[..] {
        [only]
            if op
                .path_parts
                .iter()
                .all(|p| matches!(p, PathPart::Literal(_))) =>
        {
            quote!(#only.to_string())
        }
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// One path parameter's encoded text, borrowed for the path's `concat`. A string, number or
/// boolean is one segment of its text in the `simple` style; any other value (an enum, a union,
/// a list, an object) or style goes through `runtime::path_param`, which serialises it.
fn path_piece(p: &Param) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire;
    let explode = p.explode;
    match p.style {
        ParamStyle::Simple | ParamStyle::Json if p.ty == Ty::String => {
            quote!(&runtime::path_segment(#wire, &self.#name)?)
        }
        ParamStyle::Json => quote!(&runtime::path_segment(
            #wire,
            &serde_json::to_string(&self.#name).unwrap_or_default()
        )?),
        ParamStyle::Simple if matches!(p.ty, Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool) => {
            quote!(&runtime::path_segment(#wire, &self.#name.to_string())?)
        }
        style => {
            let style = style_tokens(style);
            quote!(&runtime::path_param(#wire, &self.#name, #style, #explode)?)
        }
    }
}

/// The runtime's name of a style.
fn style_tokens(style: ParamStyle) -> TokenStream {
    let variant = ident(match style {
        ParamStyle::Form | ParamStyle::Json => "Form",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
        ParamStyle::Simple => "Simple",
        ParamStyle::Label => "Label",
        ParamStyle::Matrix => "Matrix",
    });
    quote!(runtime::params::Style::#variant)
}

/// Puts a query, header or cookie parameter on the request. A scalar goes as its text; a list,
/// an object or a union of them is laid out by the runtime in the parameter's style and explode
/// (`request.query_param`, `header_param`, `cookie_param`); a `content` parameter goes as JSON
/// text. A header with a default sends the default when the parameter is not set.
pub(super) fn send_param(api: &Api, p: &Param) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire;
    let explode = p.explode;
    let scalar = is_scalar(api, &p.ty);
    let send_one = match (p.location, p.style) {
        (ParamLocation::Path, _) => return TokenStream::new(),
        (ParamLocation::Query, ParamStyle::Json) => quote!(request.query_json(#wire, value);),
        (ParamLocation::Query, _) if scalar && !p.allow_reserved => {
            quote!(request.query(#wire, value.to_string());)
        }
        (ParamLocation::Query, style) => {
            let style = style_tokens(style);
            match p.allow_reserved {
                true => quote!(request.query_param_reserved(#wire, value, #style, #explode);),
                false => quote!(request.query_param(#wire, value, #style, #explode);),
            }
        }
        (ParamLocation::Header, ParamStyle::Json) => quote!(request.header(
            #wire,
            &serde_json::to_string(value).unwrap_or_default()
        );),
        (ParamLocation::Header, _) if scalar => quote!(request.header(#wire, &value.to_string());),
        (ParamLocation::Header, _) => quote!(request.header_param(#wire, value, #explode);),
        (ParamLocation::Cookie, _) => quote!(request.cookie_param(#wire, value, #explode);),
    };
    if p.required {
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
    }
}

/// Puts the body on the request, encoded as its media type says: a form by its properties'
/// `encoding` styles, a multipart body of a struct one part per property (files as file parts).
pub(super) fn send_body(api: &Api, body: &Body) -> TokenStream {
    let ct = &body.content_type;
    let put = match body.kind {
        MediaKind::Json => quote!(request.json_body(body);),
        MediaKind::Form => {
            let styled = body
                .encodings
                .iter()
                .filter(|e| (e.style, e.explode) != (ParamStyle::Form, true))
                .map(|e| {
                    let (property, style, explode) =
                        (&e.property, style_tokens(e.style), e.explode);
                    quote!((#property, #style, #explode))
                });
            quote!(request.form_fields(body, &[#(#styled),*]);)
        }
        MediaKind::Multipart => multipart_parts(api, body),
        MediaKind::Text => quote!(request.text_body(#ct, body.clone());),
        MediaKind::Bytes => quote!(request.bytes_body(#ct, body.clone());),
    };
    if body.required {
        quote!({ let body = &self.body; #put })
    } else {
        quote!(if let Some(body) = &self.body { #put })
    }
}

/// The parts of a multipart body: one per property of its struct, each file (a
/// `runtime::FilePart`) as a file part, every other value by `request.multipart_field`, with
/// the content type its `encoding` gives. A body that is no struct, or one that keeps
/// additional properties and has no file, is sent by serialising it
/// (`request.multipart_body`), one text part per property.
fn multipart_parts(api: &Api, body: &Body) -> TokenStream {
    let Some(s) = struct_behind(api, &body.ty) else {
        return quote!(request.multipart_body(body););
    };
    let fields = s.wire_fields(api);
    let has_file = fields.iter().any(|(_, f)| holds_file(&f.ty));
    if s.additional.is_some() && !has_file {
        return quote!(request.multipart_body(body););
    }
    let parts = fields.iter().map(|(path, field)| {
        let access: Vec<_> = path
            .iter()
            .copied()
            .chain([field.name.as_str()])
            .map(ident)
            .collect();
        let value = quote!(&body.#(#access).*);
        let wire = &field.wire;
        let encoding = body.encodings.iter().find(|e| e.property == field.wire);
        let content_type = encoding.and_then(|e| e.content_type.as_deref());
        if !holds_file(&field.ty) {
            let content_type = match content_type {
                Some(ct) => quote!(Some(#ct)),
                None => quote!(None),
            };
            return quote!(request.multipart_field(#wire, #value, #content_type););
        }
        let ct = content_type.unwrap_or("application/octet-stream");
        let one = quote!(request.multipart_file_part(#wire, file, #ct););
        match &field.ty {
            Ty::File => quote!({ let file = #value; #one }),
            Ty::Option(inner) if **inner == Ty::File => quote!(if let Some(file) = #value { #one }),
            Ty::Option(_) => quote!(if let Some(files) = #value { for file in files { #one } }),
            _ => quote!(for file in #value { #one }),
        }
    });
    quote!(#(#parts)*)
}

/// Whether a field's type is a file, a list of files, or either optional.
fn holds_file(ty: &Ty) -> bool {
    match ty {
        Ty::File => true,
        Ty::Option(inner) | Ty::Vec(inner) => holds_file(inner),
        _ => false,
    }
}

/// The `Accept` header: every media type the responses are documented in, the successes' first
/// (in status order, then document order), each once. When some successes have a binary body,
/// the request also asks that their bodies be left on the connection, for a `runtime::Download`.
pub(super) fn accept_call(op: &Operation) -> Option<TokenStream> {
    let mut responses: Vec<&Response> = op.responses.iter().collect();
    responses.sort_by_key(|r| (!r.status.is_success(), r.status));
    let mut accepts: Vec<&str> = Vec::new();
    for body in responses.iter().filter_map(|r| r.body.as_ref()) {
        for media in &body.offered {
            if !accepts.contains(&media.as_str()) {
                accepts.push(media);
            }
        }
    }
    let streamed: Vec<StatusMatch> = responses
        .iter()
        .filter(|r| r.status.is_success())
        .filter(|r| {
            r.body
                .as_ref()
                .is_some_and(|b| super::results::is_download(b.kind))
        })
        .map(|r| r.status)
        .collect();
    let stream = (!streamed.is_empty()).then(|| {
        let statuses = super::results::status_pattern(&streamed);
        quote!(request.stream_body_when(|status| matches!(status, #statuses));)
    });
    let accept = (!accepts.is_empty()).then(|| {
        let joined = accepts.join(", ");
        quote!(request.accept(#joined);)
    });
    (accept.is_some() || stream.is_some()).then(|| quote!(#accept #stream))
}

/// Whether values of a type can be written into a URL or header with `to_string()`.
pub(super) fn is_scalar(api: &Api, ty: &Ty) -> bool {
    match ty {
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::String => true,
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::StringEnum(_) => true,
            TypeKind::Alias(inner) => is_scalar(api, inner),
            TypeKind::Union(_) => super::unions::displays_as_text(api, ty, 0),
            _ => false,
        },
        Ty::Box(inner) => is_scalar(api, inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, holds, operation, query, response};

    #[test]
    fn scalars_go_as_text_and_lists_by_their_style() {
        let api = api(Vec::new());
        let limit = query("limit", Ty::I64, false);
        let text = quote!(request.query("limit", value.to_string()););
        assert!(holds(&send_param(&api, &limit), text));
        let mut tags = query("tags", Ty::Vec(Box::new(Ty::String)), false);
        let exploded =
            quote!(request.query_param("tags", value, runtime::params::Style::Form, true););
        assert!(holds(&send_param(&api, &tags), exploded));
        tags.explode = false;
        tags.style = ParamStyle::PipeDelimited;
        let piped = quote!(request.query_param(
            "tags",
            value,
            runtime::params::Style::PipeDelimited,
            false
        ););
        assert!(holds(&send_param(&api, &tags), piped));
        tags.allow_reserved = true;
        let reserved = quote!(request.query_param_reserved(
            "tags",
            value,
            runtime::params::Style::PipeDelimited,
            false
        ););
        assert!(holds(&send_param(&api, &tags), reserved));
        tags.style = ParamStyle::Json;
        let json = quote!(request.query_json("tags", value););
        assert!(holds(&send_param(&api, &tags), json));
    }

    #[test]
    fn headers_and_cookies_take_their_styles() {
        let api = api(Vec::new());
        let mut ids = query("X-Ids", Ty::Vec(Box::new(Ty::I64)), true);
        ids.name = "x_ids".into();
        ids.location = ParamLocation::Header;
        ids.style = ParamStyle::Simple;
        ids.explode = false;
        let header = quote!({
            let value = &self.x_ids;
            request.header_param("X-Ids", value, false);
        });
        assert!(holds(&send_param(&api, &ids), header));
        let mut session = query("session", Ty::String, true);
        session.location = ParamLocation::Cookie;
        let cookie = quote!(request.cookie_param("session", value, true););
        assert!(holds(&send_param(&api, &session), cookie));
    }

    #[test]
    fn a_header_with_a_default_sends_it_when_unset() {
        let mut version = query("Intercom-Version", Ty::String, false);
        version.location = ParamLocation::Header;
        version.name = "intercom_version".into();
        version.default = Some("2.13".into());
        let tokens = send_param(&api(Vec::new()), &version);
        let fallback = quote!(None => request.header_default("Intercom-Version", "2.13"),);
        assert!(holds(&tokens, fallback), "{tokens}");
    }

    #[test]
    fn path_parameters_are_encoded_in_their_style() {
        let mut op = operation();
        op.params = vec![
            query("id", Ty::I64, true),
            query("keys", Ty::Vec(Box::new(Ty::String)), true),
        ];
        for p in &mut op.params {
            p.location = ParamLocation::Path;
            p.style = ParamStyle::Simple;
            p.explode = false;
        }
        op.params[1].style = ParamStyle::Matrix;
        op.path_parts = vec![
            PathPart::Literal("/things/".into()),
            PathPart::Param(0),
            PathPart::Literal("/".into()),
            PathPart::Param(1),
        ];
        let expected = quote!([
            "/things/",
            &runtime::path_segment("id", &self.id.to_string())?,
            "/",
            &runtime::path_param("keys", &self.keys, runtime::params::Style::Matrix, false)?
        ]
        .concat());
        assert_eq!(path_expr(&op).to_string(), expected.to_string());
        assert_eq!(
            path_expr(&operation()).to_string(),
            quote!("/things".to_string()).to_string()
        );
    }

    #[test]
    fn accept_lists_every_documented_media_type_successes_first() {
        let mut op = operation();
        let mut error = response(StatusMatch::Code(404), Some(Ty::Json));
        error.body.as_mut().unwrap().offered = vec!["application/problem+json".into()];
        let mut ok = response(StatusMatch::Code(200), Some(Ty::Bytes));
        let body = ok.body.as_mut().unwrap();
        body.kind = MediaKind::Bytes;
        body.offered = vec!["application/pdf".into(), "application/json".into()];
        op.responses = vec![error, ok, response(StatusMatch::Code(201), Some(Ty::Json))];
        let expected = quote! {
            request.accept("application/pdf, application/json, application/problem+json");
            request.stream_body_when(|status| matches!(status, 200));
        };
        assert_eq!(
            accept_call(&op).map(|t| t.to_string()),
            Some(expected.to_string())
        );
        assert!(accept_call(&operation()).is_none());
    }
}
