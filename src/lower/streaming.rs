//! Streamed responses: an operation whose response documents a `text/event-stream`, JSON lines
//! (`application/jsonl`, `application/x-ndjson`) or JSON text sequence (`application/json-seq`)
//! body, or that carries Fern's `x-fern-streaming`, gets a [`Streaming`]: the framing, the
//! event type, the body flag that asks for the stream, and the data that ends it. The rules are
//! those of `docs/streaming.md`, "How the generator finds a stream".

use super::view::sref;
use super::Lowerer;
use crate::ir::*;
use crate::pointer::Pointer;
use openapiv3::ReferenceOr;
use serde_json::Value;

/// Fern's extension for streamed operations.
const FERN_STREAMING: &str = "x-fern-streaming";

/// The property that selects streaming in a request body when no extension names one (OpenAI's).
const DEFAULT_FLAG: &str = "stream";

/// The terminator OpenAI sends, taken when the description documents it (`data: [DONE]`).
const DONE: &str = "[DONE]";

/// The event name that carries the error body in a server-sent event stream.
const ERROR_EVENT: &str = "error";

/// What `x-fern-streaming` says, each part optional.
#[derive(Default)]
struct FernStreaming {
    format: Option<StreamFormat>,
    condition: Option<String>,
    event: Option<ReferenceOr<openapiv3::Schema>>,
    terminator: Option<String>,
}

impl Lowerer<'_> {
    /// Reads the operation's streamed response, once its body and responses are lowered. The
    /// media types of the stream are then dropped from the response's `offered` list when it
    /// offers another one, so that the plain call asks for that one only.
    pub(super) fn lower_streaming(
        &mut self,
        op: &mut Operation,
        operation: &openapiv3::Operation,
        at: &Pointer,
    ) {
        let fern = match operation.extensions.get(FERN_STREAMING) {
            Some(value) => match read_fern_streaming(value) {
                Ok(fern) => Some(fern),
                Err(reason) => {
                    let origin = at.push(FERN_STREAMING);
                    self.warn(&origin, format!("`{FERN_STREAMING}` is ignored: {reason}"));
                    None
                }
            },
            None => None,
        };
        let documented = self.documented_stream(operation, at);
        let (status, format, schema, schema_at, beside_json) = match (documented, &fern) {
            (Some(found), _) => found,
            // Fern's extension on an operation whose success response is plain JSON: the events
            // are that schema (or `response-stream`), in the extension's format.
            (None, Some(fern)) => {
                let Some(status) = op
                    .responses
                    .iter()
                    .map(|r| r.status)
                    .find(|s| s.is_success())
                else {
                    return;
                };
                let schema = self.success_json_schema(operation, status);
                let format = fern.format.unwrap_or(StreamFormat::JsonLines);
                (status, format, schema, at.push(FERN_STREAMING), true)
            }
            (None, None) => return,
        };
        if distinct_error_bodies(op) > 1 {
            self.warn(
                at,
                "the operation's error bodies differ by status, so a mid-stream error event \
                 cannot be decoded into one of them; no stream method is generated",
            );
            return;
        }
        let format = fern.as_ref().and_then(|f| f.format).unwrap_or(format);
        let hint = format!("{} event", op.fn_name);
        let event = match fern
            .as_ref()
            .and_then(|f| f.event.as_ref())
            .or(schema.as_ref())
        {
            Some(schema) => self.lower_ty(sref(schema), &schema_at, &hint, 0),
            None => Ty::Json,
        };
        let flag = match fern.as_ref().and_then(|f| f.condition.as_deref()) {
            Some(condition) => {
                let flag = self.body_flag(op, condition);
                if flag.is_none() {
                    let origin = at.push(FERN_STREAMING);
                    self.warn(
                        &origin,
                        format!(
                            "`stream-condition` names `{condition}`, which is no boolean \
                             property of a required JSON request body; the stream method \
                             does not set it"
                        ),
                    );
                }
                flag
            }
            None if beside_json => self.body_flag(op, DEFAULT_FLAG),
            None => None,
        };
        let terminator = match fern.as_ref().and_then(|f| f.terminator.clone()) {
            Some(terminator) => Some(terminator),
            None if format == StreamFormat::EventStream && documents_done(&self.loaded.doc) => {
                Some(DONE.to_string())
            }
            None => None,
        };
        let error_event = (format == StreamFormat::EventStream).then(|| ERROR_EVENT.to_string());
        for response in op.responses.iter_mut().filter(|r| r.status == status) {
            if let Some(body) = &mut response.body {
                let plain: Vec<String> = body
                    .offered
                    .iter()
                    .filter(|m| StreamFormat::from_media_type(m).is_none())
                    .cloned()
                    .collect();
                if !plain.is_empty() {
                    body.offered = plain;
                }
            }
        }
        op.streaming = Some(Streaming {
            status,
            format,
            event,
            flag,
            terminator,
            error_event,
        });
    }

    /// The first success response that documents a streamed media type: its status, format,
    /// the media type's schema and its pointer, and whether the response documents another
    /// media type beside it.
    #[allow(clippy::type_complexity)]
    fn documented_stream(
        &self,
        operation: &openapiv3::Operation,
        at: &Pointer,
    ) -> Option<(
        StatusMatch,
        StreamFormat,
        Option<ReferenceOr<openapiv3::Schema>>,
        Pointer,
        bool,
    )> {
        for (code, response) in &operation.responses.responses {
            let (status, key) = match code {
                openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                openapiv3::StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            if !status.is_success() {
                continue;
            }
            let Some(response) = self.resolve_item(response) else {
                continue;
            };
            let found = response.content.iter().find_map(|(media_type, media)| {
                StreamFormat::from_media_type(media_type).map(|format| (media_type, media, format))
            });
            if let Some((media_type, media, format)) = found {
                let schema_at = at.join(["responses", &key, "content", media_type, "schema"]);
                let beside = response.content.len() > 1;
                return Some((status, format, media.schema.clone(), schema_at, beside));
            }
        }
        None
    }

    /// The JSON schema of the success response of `status`, for Fern's extension on a plain
    /// JSON operation.
    fn success_json_schema(
        &self,
        operation: &openapiv3::Operation,
        status: StatusMatch,
    ) -> Option<ReferenceOr<openapiv3::Schema>> {
        let StatusMatch::Code(code) = status else {
            return None;
        };
        let response = operation
            .responses
            .responses
            .get(&openapiv3::StatusCode::Code(code))?;
        let response = self.resolve_item(response)?;
        let media = response.content.get("application/json")?;
        media.schema.clone()
    }

    /// The wire name `name` when it is a boolean property of the operation's required request
    /// body (a struct, or a base it embeds).
    fn body_flag(&self, op: &Operation, name: &str) -> Option<String> {
        let name = name.strip_prefix("$request.").unwrap_or(name);
        let body = op.body.as_ref().filter(|b| b.required)?;
        if body.kind != MediaKind::Json {
            return None;
        }
        let fields = struct_behind(&self.api, &body.ty)?.wire_fields(&self.api);
        let (_, field) = fields.iter().find(|(_, field)| field.wire == name)?;
        let is_bool = match &field.ty {
            Ty::Bool => true,
            Ty::Option(inner) => **inner == Ty::Bool,
            _ => false,
        };
        is_bool.then(|| name.to_string())
    }
}

/// The number of distinct JSON error body types the operation documents.
fn distinct_error_bodies(op: &Operation) -> usize {
    let mut seen: Vec<&Ty> = Vec::new();
    for ty in op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .filter_map(|r| r.body.as_ref().and_then(ResponseBody::json_ty))
    {
        if !seen.contains(&ty) {
            seen.push(ty);
        }
    }
    seen.len()
}

/// Reads `x-fern-streaming`: `true`, or an object with `format` (`sse` or `json`),
/// `stream-condition` (`$request.<property>`), `response-stream` (the event schema) and
/// `terminator`. `false` is no stream; `response` (the plain call's schema) is the documented
/// response's already.
fn read_fern_streaming(value: &Value) -> Result<FernStreaming, String> {
    let object = match value {
        Value::Bool(true) => {
            return Ok(FernStreaming {
                format: Some(StreamFormat::JsonLines),
                ..FernStreaming::default()
            })
        }
        Value::Object(object) => object,
        _ => return Err("it must be `true` or an object".to_string()),
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match object.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let format = match text("format")?.as_deref() {
        None | Some("json") => Some(StreamFormat::JsonLines),
        Some("sse") => Some(StreamFormat::EventStream),
        Some(other) => return Err(format!("`format: {other}` is neither `sse` nor `json`")),
    };
    let condition = match text("stream-condition")? {
        Some(c) => Some(
            c.strip_prefix("$request.")
                .ok_or("`stream-condition` must be `$request.<property>`")?
                .to_string(),
        ),
        None => None,
    };
    let event = match object.get("response-stream") {
        Some(schema) => Some(
            serde_json::from_value(schema.clone())
                .map_err(|e| format!("`response-stream` is no schema: {e}"))?,
        ),
        None => None,
    };
    Ok(FernStreaming {
        format,
        condition,
        event,
        terminator: text("terminator")?,
    })
}

/// Whether any text of the description documents OpenAI's terminator, `data: [DONE]`.
fn documents_done(doc: &Value) -> bool {
    let mut pending = vec![doc];
    while let Some(value) = pending.pop() {
        match value {
            Value::String(s) if s.contains("data: [DONE]") => return true,
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.values()),
            _ => {}
        }
    }
    false
}
