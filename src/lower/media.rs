//! Bodies: the request body and each response's, the media type the client prefers among those
//! offered, how each is encoded, and the examples they carry.

use super::view::{sref, view, Format, SchemaRef, SchemaType, View};
use super::Lowerer;
use crate::ir::*;
use crate::pointer::Pointer;
use indexmap::IndexMap;
use openapiv3::ReferenceOr;
use serde_json::Value;
use std::borrow::Cow;

impl Lowerer<'_> {
    pub(super) fn lower_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        at: &Pointer,
        fn_name: &str,
    ) -> Option<Body> {
        let body = self.resolve_or_warn(body, at, "a request body", "no body is sent")?;
        let (content_type, media) = preferred_media(&body.content)?;
        let kind = media_kind(content_type);
        let media_at = at.join(["content", content_type]);
        let ty = match &media.schema {
            Some(schema) => self.lower_ty(
                sref(schema),
                &media_at.push("schema"),
                &format!("{fn_name} request"),
                0,
            ),
            None => default_media_ty(kind),
        };
        let ty = match (kind, ty) {
            (MediaKind::Text, _) => Ty::String,
            (MediaKind::Bytes, _) => Ty::Bytes,
            (_, Ty::Option(inner)) => *inner,
            (_, ty) => ty,
        };
        // A request body the description does not require may be left out: an example without a
        // value shows just that, and is no defect.
        self.media_examples(media, &media_at, kind, &ty, !body.required);
        // Many descriptions (Intercom's among them) never mark bodies `required`, though no request
        // can do without one whose schema requires properties: such a body is taken as required.
        let required = body.required || self.requires_properties(&ty);
        if kind == MediaKind::Multipart {
            if let Some(schema) = &media.schema {
                self.mark_file_fields(sref(schema), &ty);
            }
        }
        let encodings = match kind {
            MediaKind::Form | MediaKind::Multipart => self.part_encodings(media, &media_at),
            _ => Vec::new(),
        };
        Some(Body {
            content_type: content_type.to_string(),
            kind,
            ty,
            required,
            doc: body.description.clone(),
            encodings,
        })
    }

    /// The `encoding` entries of a form or multipart body. `explode` takes OpenAPI's default for
    /// the style (true for `form`) unless the description writes it, which is read from the
    /// document itself: the parsed model cannot tell a written `false` from none.
    fn part_encodings(
        &self,
        media: &openapiv3::MediaType,
        media_at: &Pointer,
    ) -> Vec<PartEncoding> {
        media
            .encoding
            .iter()
            .map(|(property, encoding)| {
                let style = match encoding.style {
                    None | Some(openapiv3::QueryStyle::Form) => ParamStyle::Form,
                    Some(openapiv3::QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
                    Some(openapiv3::QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
                    Some(openapiv3::QueryStyle::DeepObject) => ParamStyle::DeepObject,
                };
                let written = media_at.join(["encoding", property.as_str(), "explode"]);
                let explode = match self.loaded.doc.pointer(written.json_pointer()) {
                    Some(Value::Bool(explode)) => *explode,
                    _ => style == ParamStyle::Form,
                };
                let content_type = encoding.content_type.as_deref().and_then(|types| {
                    let first = types.split(',').next()?.trim();
                    (!first.is_empty()).then(|| first.to_string())
                });
                PartEncoding {
                    property: property.clone(),
                    content_type,
                    style,
                    explode,
                }
            })
            .collect()
    }

    /// In a multipart body, a property of `type: string, format: binary` (or a list of them) is a
    /// file: its field in the body's struct becomes a `runtime::FilePart` (or a list of them).
    fn mark_file_fields(&mut self, schema: SchemaRef<'_>, ty: &Ty) {
        let Some(id) = struct_id(&self.api, ty) else {
            return;
        };
        let Some(schema) = self.schema_of(schema) else {
            return;
        };
        let mut files: Vec<(String, bool)> = Vec::new();
        for (name, property) in view(&schema).properties {
            let Some(property) = self.schema_of(property) else {
                continue;
            };
            let property = view(&property);
            if is_binary(&property) {
                files.push((name.to_string(), false));
            } else if let Some(items) = property.items.and_then(|items| self.schema_of(items)) {
                if is_binary(&view(&items)) {
                    files.push((name.to_string(), true));
                }
            }
        }
        if let TypeKind::Struct(s) = &mut self.api.types[id.0].kind {
            for field in &mut s.fields {
                if let Some((_, list)) = files.iter().find(|(wire, _)| *wire == field.wire) {
                    let file = match list {
                        true => Ty::Vec(Box::new(Ty::File)),
                        false => Ty::File,
                    };
                    field.ty = match field.ty.is_option() {
                        true => file.optional(),
                        false => file,
                    };
                }
            }
        }
    }

    /// A schema, its `$ref` followed.
    fn schema_of(&self, schema: SchemaRef<'_>) -> Option<openapiv3::Schema> {
        match schema {
            SchemaRef::Item(schema) => Some(schema.clone()),
            SchemaRef::Ref(reference) => self.resolve(reference),
        }
    }

    /// Records the examples of a JSON body; `may_be_absent` says whether an example without a
    /// value (no body at all) is allowed.
    fn media_examples(
        &mut self,
        media: &openapiv3::MediaType,
        at: &Pointer,
        kind: MediaKind,
        ty: &Ty,
        may_be_absent: bool,
    ) {
        if kind != MediaKind::Json {
            return;
        }
        if let Some(example) = &media.example {
            self.example(at, "example", example, ty.clone());
        }
        for (name, example) in &media.examples {
            let Some(example) = self.resolve_item(example) else {
                continue;
            };
            // One copy of the value: the example's own, or the one read from its reference.
            let (value, external) = match example {
                Cow::Borrowed(e) => (e.value.clone(), e.external_value.is_some()),
                Cow::Owned(e) => (e.value, e.external_value.is_some()),
            };
            let value = match (value, external) {
                (Some(value), _) => value,
                // `value:` left empty reads as null: an example of no body at all, where the
                // description requires one.
                (None, false) if !may_be_absent => Value::Null,
                _ => continue,
            };
            self.api.examples.push(Example {
                origin: at.join(["examples", name, "value"]),
                value,
                ty: ty.clone(),
            });
        }
    }

    /// Whether a value of `ty` must have properties (a struct with a required field, or a union).
    fn requires_properties(&self, ty: &Ty) -> bool {
        let mut ty = ty;
        for _ in 0..crate::load::MAX_REF_DEPTH {
            match ty {
                Ty::Named(id) => match &self.api.types[id.0].kind {
                    TypeKind::Struct(s) => {
                        return s.wire_fields(&self.api).iter().any(|(_, f)| f.required)
                    }
                    TypeKind::Alias(inner) => ty = inner,
                    TypeKind::Union(_) => return true,
                    TypeKind::StringEnum(_) => return false,
                },
                _ => return false,
            }
        }
        false
    }

    pub(super) fn lower_responses(
        &mut self,
        op: &mut Operation,
        responses: &openapiv3::Responses,
        at: &Pointer,
        fn_name: &str,
    ) {
        let mut entries: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = Vec::new();
        for (code, response) in &responses.responses {
            let (status, key) = match code {
                openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                openapiv3::StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            entries.push((status, key, response));
        }
        if let Some(default) = &responses.default {
            entries.push((StatusMatch::Default, "default".to_string(), default));
        }
        for (status, key, response) in entries {
            let response_at = at.push(&key);
            let Some(response) =
                self.resolve_or_warn(response, &response_at, "a response", "ignored")
            else {
                continue;
            };
            let hint = if status.is_success() {
                format!("{fn_name} response")
            } else {
                format!("{fn_name} error")
            };
            let body = preferred_media(&response.content).map(|(content_type, media)| {
                let mut body = self.lower_response_body(content_type, media, &response_at, &hint);
                body.offered = response.content.keys().cloned().collect();
                body
            });
            let doc = Some(response.description.clone()).filter(|d| !d.trim().is_empty());
            op.responses.push(Response { status, body, doc });
        }
    }

    /// A response's body in the media type chosen; only JSON bodies are decoded into a schema's type.
    fn lower_response_body(
        &mut self,
        content_type: &str,
        media: &openapiv3::MediaType,
        response_at: &Pointer,
        hint: &str,
    ) -> ResponseBody {
        let kind = media_kind(content_type);
        let media_at = response_at.join(["content", content_type]);
        let ty = match &media.schema {
            Some(schema) if kind == MediaKind::Json => {
                self.lower_ty(sref(schema), &media_at.push("schema"), hint, 0)
            }
            _ => default_media_ty(kind),
        };
        let ty = match (kind, ty) {
            (MediaKind::Text, _) => Ty::String,
            (MediaKind::Bytes | MediaKind::Multipart | MediaKind::Form, _) => Ty::Bytes,
            (_, ty) => ty,
        };
        self.media_examples(media, &media_at, kind, &ty, false);
        self.mock_sample(media, &media_at, kind, &ty);
        ResponseBody {
            content_type: content_type.to_string(),
            kind,
            ty,
            offered: vec![content_type.to_string()],
        }
    }
}

impl Lowerer<'_> {
    /// Records a JSON response body the description gives no example of, for the check of
    /// examples to decode what a validating mock sends for it (`mock_value`). A request body is
    /// not recorded: the mock builds no value for it, and the example requests are made from
    /// the types.
    fn mock_sample(
        &mut self,
        media: &openapiv3::MediaType,
        media_at: &Pointer,
        kind: MediaKind,
        ty: &Ty,
    ) {
        if kind == MediaKind::Json
            && media.schema.is_some()
            && media.example.is_none()
            && media.examples.is_empty()
        {
            self.api
                .mock_samples
                .push((media_at.push("schema"), ty.clone()));
        }
    }
}

/// Whether a schema is a string of `format: binary`: a file, in a multipart body.
fn is_binary(v: &View<'_>) -> bool {
    v.ty == Some(SchemaType::String) && v.format == Some(Format::Binary)
}

/// The named struct a type is, through aliases (not through `Option`: a body is never one).
fn struct_id(api: &Api, ty: &Ty) -> Option<TypeId> {
    let mut ty = ty;
    for _ in 0..crate::load::MAX_REF_DEPTH {
        match ty {
            Ty::Named(id) => match &api.types.get(id.0)?.kind {
                TypeKind::Struct(_) => return Some(*id),
                TypeKind::Alias(inner) => ty = inner,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// The type of a body whose media type gives no schema.
fn default_media_ty(kind: MediaKind) -> Ty {
    match kind {
        MediaKind::Json | MediaKind::Form | MediaKind::Multipart => Ty::Json,
        MediaKind::Text => Ty::String,
        MediaKind::Bytes => Ty::Bytes,
    }
}

/// How a media type is encoded.
pub(super) fn media_kind(content_type: &str) -> MediaKind {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "application/*"
    {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence.starts_with("multipart/") {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Bytes
    }
}

/// How much the client prefers a kind of body when a request or response offers several media
/// types; the lowest rank wins:
/// 1. JSON, the one kind decoded into (and encoded from) the schema's own type;
/// 2. a URL-encoded form, which still carries the schema's fields as text;
/// 3. a multipart form, which carries them as parts;
/// 4. text, kept as a `String`;
/// 5. anything else, kept as bytes.
pub(super) fn media_preference(kind: MediaKind) -> u8 {
    match kind {
        MediaKind::Json => 0,
        MediaKind::Form => 1,
        MediaKind::Multipart => 2,
        MediaKind::Text => 3,
        MediaKind::Bytes => 4,
    }
}

/// The media type the client uses when several are offered: the most preferred kind (see
/// [`media_preference`]), and between media types of one kind, the first in document order.
pub(super) fn preferred_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    content
        .iter()
        .min_by_key(|(content_type, _)| media_preference(media_kind(content_type)))
        .map(|(content_type, media)| (content_type.as_str(), media))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lower_yaml;
    use super::*;

    #[test]
    fn media_kinds_are_read_from_the_essence() {
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(media_kind("application/vnd.api+json"), MediaKind::Json);
        assert_eq!(media_kind("*/*"), MediaKind::Json);
        assert_eq!(
            media_kind("Application/X-WWW-Form-Urlencoded"),
            MediaKind::Form
        );
        assert_eq!(media_kind("multipart/form-data"), MediaKind::Multipart);
        assert_eq!(media_kind("text/csv"), MediaKind::Text);
        assert_eq!(media_kind("application/pdf"), MediaKind::Bytes);
    }

    #[test]
    fn json_is_preferred_then_forms_then_text_then_bytes() {
        let ranked = [
            MediaKind::Json,
            MediaKind::Form,
            MediaKind::Multipart,
            MediaKind::Text,
            MediaKind::Bytes,
        ];
        for pair in ranked.windows(2) {
            assert!(
                media_preference(pair[0]) < media_preference(pair[1]),
                "{pair:?}"
            );
        }
        let offered = |types: &[&str]| -> IndexMap<String, openapiv3::MediaType> {
            types
                .iter()
                .map(|t| (t.to_string(), openapiv3::MediaType::default()))
                .collect()
        };
        let content = offered(&["application/octet-stream", "text/plain", "application/json"]);
        assert_eq!(preferred_media(&content).unwrap().0, "application/json");
        let content = offered(&["text/plain", "multipart/form-data"]);
        assert_eq!(preferred_media(&content).unwrap().0, "multipart/form-data");
        // Between media types of one kind, the first written wins.
        let content = offered(&["application/problem+json", "application/json"]);
        assert_eq!(
            preferred_media(&content).unwrap().0,
            "application/problem+json"
        );
        assert!(preferred_media(&offered(&[])).is_none());
    }

    #[test]
    fn bodies_take_the_preferred_media_type() {
        let (api, _) = lower_yaml(
            r#"
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          text/plain: { schema: { type: string } }
          application/x-www-form-urlencoded:
            schema: { type: object, properties: { name: { type: string } } }
      responses:
        '200':
          description: ok
          content:
            text/csv: { schema: { type: string } }
            application/json: { schema: { type: array, items: { type: string } } }
        '400':
          description: bad
          content:
            text/plain: { schema: { type: string } }
"#,
        );
        let op = &api.operations[0];
        let body = op.body.as_ref().unwrap();
        assert_eq!(body.content_type, "application/x-www-form-urlencoded");
        assert_eq!(body.kind, MediaKind::Form);
        assert!(!body.required, "no property is required");
        let ok = op.responses[0].body.as_ref().unwrap();
        assert_eq!(ok.content_type, "application/json");
        assert_eq!(ok.json_ty(), Some(&Ty::Vec(Box::new(Ty::String))));
        let bad = op.responses[1].body.as_ref().unwrap();
        assert_eq!(
            (bad.kind, &bad.ty, bad.json_ty()),
            (MediaKind::Text, &Ty::String, None)
        );
    }

    #[test]
    fn multipart_binary_properties_are_files_and_encodings_are_kept() {
        let (api, _) = lower_yaml(
            r#"
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                pages: {type: array, items: {type: string, format: binary}}
                note: {type: string}
            encoding:
              file: {contentType: "image/png, image/jpeg"}
      responses:
        '200':
          description: ok
          content:
            application/pdf: {schema: {type: string, format: binary}}
            application/json: {schema: {type: object}}
  /form:
    post:
      operationId: form
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                ids: {type: array, items: {type: integer}}
                filter: {type: object}
                tags: {type: array, items: {type: string}}
            encoding:
              ids: {style: form, explode: false}
              filter: {style: deepObject}
              tags: {style: pipeDelimited}
      responses:
        '204': {description: ok}
"#,
        );
        let upload = &api.operations[0];
        let body = upload.body.as_ref().unwrap();
        let fields: Vec<(&str, &Ty)> = crate::ir::struct_behind(&api, &body.ty)
            .unwrap()
            .fields
            .iter()
            .map(|f| (f.wire.as_str(), &f.ty))
            .collect();
        assert_eq!(
            fields,
            [
                ("file", &Ty::File),
                ("pages", &Ty::Vec(Box::new(Ty::File)).optional()),
                ("note", &Ty::String.optional()),
            ]
        );
        assert_eq!(body.encodings[0].content_type.as_deref(), Some("image/png"));
        let ok = upload.responses[0].body.as_ref().unwrap();
        assert_eq!(ok.offered, ["application/pdf", "application/json"]);
        let form = api.operations[1].body.as_ref().unwrap();
        let styles: Vec<(&str, ParamStyle, bool)> = form
            .encodings
            .iter()
            .map(|e| (e.property.as_str(), e.style, e.explode))
            .collect();
        assert_eq!(
            styles,
            [
                ("ids", ParamStyle::Form, false),
                ("filter", ParamStyle::DeepObject, false),
                ("tags", ParamStyle::PipeDelimited, false),
            ]
        );
    }
}
