//! A streamed response in the IR: how an operation's events are framed, their type, the body
//! flag that asks for them and the data that ends them. `lower::streaming` reads it from the
//! description (see `docs/streaming.md`, "How the generator finds a stream").

use super::{StatusMatch, Ty};

/// How a streamed body is framed; the runtime's `StreamFormat` of the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFormat {
    /// Server-sent events, `text/event-stream`.
    EventStream,
    /// One JSON text per line: `application/jsonl`, `application/x-ndjson` and their aliases.
    JsonLines,
    /// JSON text sequences, `application/json-seq`.
    JsonSeq,
}

impl StreamFormat {
    /// The format a media type names, parameters ignored; `None` for any other type.
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(StreamFormat::EventStream),
            "application/jsonl"
            | "application/x-jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/ndjson"
            | "application/x-ndjson" => Some(StreamFormat::JsonLines),
            "application/json-seq" => Some(StreamFormat::JsonSeq),
            _ => None,
        }
    }
}

/// An operation's streamed response.
#[derive(Clone, Debug, PartialEq)]
pub struct Streaming {
    /// The statuses whose body is the stream (the response that documents it).
    pub status: StatusMatch,
    /// The framing.
    pub format: StreamFormat,
    /// The type each event's data decodes into.
    pub event: Ty,
    /// The wire name of the request body's boolean property that selects streaming
    /// (OpenAI's `stream`), which the stream method sets to `true`; `None` when the request
    /// body has none (the server streams whenever it is asked by `Accept`).
    pub flag: Option<String>,
    /// The event data that ends the stream cleanly (OpenAI's `[DONE]`).
    pub terminator: Option<String>,
    /// The name of the event that carries the operation's error body: `error` for server-sent
    /// events (OpenAI's and Anthropic's), none for JSON lines, whose records have no name.
    pub error_event: Option<String>,
}
