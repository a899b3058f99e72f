//! Streamed responses: server-sent events (`text/event-stream`) and JSON streams (JSON lines,
//! JSON text sequences), decoded event by event into the operation's types.
//!
//! A generated operation that documents a streamed response calls [`event_stream`] with the
//! request it built and a [`StreamSpec`]: the format it documents, the statuses whose body is
//! the stream, its function for every other status, and, where the API has them, the
//! terminator (`[DONE]`) and the name of its error event. It gets an [`EventStream`], a
//! `Stream<Item = Result<Event<T>, Error<E>>>`:
//!
//! - Before the first event the request goes through [`Client::execute`], with its retries on
//!   429 and 5xx (and `Retry-After`); a status the stream does not come with is the operation's
//!   typed error, as the first and only item. The call's timeout covers the wait for the response
//!   head; nothing is retried once the body has started (see [`RequestOptions::resume`] for the
//!   one exception, off by default).
//! - Each event's data is decoded as JSON into `T` ([`Event`] keeps its name, id and retry).
//!   Data equal to the terminator ends the stream cleanly. An event named as the error event,
//!   or whose data decodes as the error body `E` but not as `T`, is an [`Error::Event`] item.
//!   Data that decodes as neither is an [`Error::Decode`] item naming the event
//!   ([`DecodeError::event`]). After these three items the stream goes on with the next event:
//!   each event is decoded on its own, and the caller decides whether to stop.
//! - The stream ends with an error item, never silently, when the connection fails
//!   ([`Error::Transport`]), when nothing arrives within the idle timeout ([`Error::Timeout`]
//!   of kind [`Idle`](super::TimeoutKind::Idle)), when the body ends inside an event or before
//!   the terminator ([`Error::Stream`]), and when an event passes the maximum event size
//!   ([`StreamError::EventTooLarge`]). Nothing follows such an item.
//! - Memory stays flat: the stream holds one chunk, one partial line and one event at a time.
//!   Dropping the stream closes the connection. A `http.stream` tracing span (method, path
//!   template, events, reconnections, outcome) covers it, with each request's `http.request`
//!   span inside.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use serde::de::DeserializeOwned;
use tracing::field::Empty;
use tracing::Instrument;

use super::client::Client;
use super::download::Download;
use super::error::{
    DecodeError, Error, EventError, EventInfo, StreamError, TimeoutError, TimeoutKind,
};
use super::lines::{LinesDecoder, Separator};
use super::platform::{BoxStream, MaybeSend};
use super::request::{Request, RequestOptions};
use super::response::{snippet, RawResponse};
use super::sse::{Frame, Oversized, SseDecoder};

/// How long a resumed stream waits before reconnecting when the server set no `retry`: 3 s,
/// the time browsers wait.
pub const DEFAULT_RECONNECTION_TIME: Duration = Duration::from_secs(3);

/// The event name an unnamed event has.
const DEFAULT_EVENT_NAME: &str = "message";

/// The framing of a streamed body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamFormat {
    /// Server-sent events, `text/event-stream`.
    EventStream,
    /// One JSON text per line: `application/jsonl`, `application/x-ndjson` and their aliases.
    JsonLines,
    /// JSON text sequences, `application/json-seq` (RFC 7464).
    JsonSeq,
}

impl StreamFormat {
    /// The media type the request accepts for this format.
    pub fn media_type(self) -> &'static str {
        match self {
            StreamFormat::EventStream => "text/event-stream",
            StreamFormat::JsonLines => "application/jsonl",
            StreamFormat::JsonSeq => "application/json-seq",
        }
    }

    /// The format a `Content-Type` names, parameters ignored; `None` for any other type.
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        match super::response::media_essence(content_type).as_str() {
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

/// What a generated operation tells [`event_stream`] about its streamed response.
///
/// ```ignore
/// StreamSpec::new(StreamFormat::EventStream, |status| status == 200, Self::stream_error)
///     .terminator("[DONE]")
///     .error_event("error")
/// ```
pub struct StreamSpec<E> {
    format: StreamFormat,
    streams: fn(u16) -> bool,
    error: fn(RawResponse) -> Error<E>,
    terminator: Option<&'static str>,
    error_event: Option<&'static str>,
    error_data: bool,
}

impl<E> StreamSpec<E> {
    /// A stream in `format` (used when the response's `Content-Type` names none of the
    /// streaming types) for the statuses `streams` accepts; `error` turns a response of any
    /// other status into the operation's error, as its plain `decode` does.
    pub fn new(
        format: StreamFormat,
        streams: fn(u16) -> bool,
        error: fn(RawResponse) -> Error<E>,
    ) -> Self {
        Self {
            format,
            streams,
            error,
            terminator: None,
            error_event: None,
            error_data: true,
        }
    }

    /// The stream ends cleanly at an event whose data is exactly `data` (OpenAI's `[DONE]`);
    /// a body that ends without it is then cut ([`StreamError::EndedBeforeTerminator`]).
    #[must_use]
    pub fn terminator(mut self, data: &'static str) -> Self {
        self.terminator = Some(data);
        self
    }

    /// An event named `name` carries the operation's error body ([`Error::Event`]).
    #[must_use]
    pub fn error_event(mut self, name: &'static str) -> Self {
        self.error_event = Some(name);
        self
    }

    /// Whether an unnamed event whose data does not decode as the event type but does decode
    /// as the error body is an [`Error::Event`] (on by default: OpenAI sends its mid-stream
    /// errors as `data: {"error": …}`). Turn it off when the error body accepts any JSON (an
    /// untagged union with a catch-all variant), or every undecodable event would look like an
    /// error event rather than an [`Error::Decode`].
    #[must_use]
    pub fn error_data(mut self, on: bool) -> Self {
        self.error_data = on;
        self
    }
}

impl<E> fmt::Debug for StreamSpec<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSpec")
            .field("format", &self.format)
            .field("terminator", &self.terminator)
            .field("error_event", &self.error_event)
            .field("error_data", &self.error_data)
            .finish_non_exhaustive()
    }
}

/// One event of a stream: its data decoded, with its name, id and retry.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    name: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
    data: T,
}

impl<T> Event<T> {
    /// An event (useful in tests of code that consumes streams).
    pub fn new(name: Option<String>, id: Option<String>, retry: Option<Duration>, data: T) -> Self {
        Self {
            name,
            id,
            retry,
            data,
        }
    }

    /// The event's name (its `event` field), `message` when it had none (always for JSON
    /// lines).
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(DEFAULT_EVENT_NAME)
    }

    /// The last event id when the event arrived: set by an `id` field of this event or of an
    /// earlier one, as the standard has it; `None` when there is none.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The reconnection time a `retry` field of this event set, if any.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The decoded data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The decoded data, dropping name, id and retry.
    pub fn into_data(self) -> T {
        self.data
    }
}

/// The items of an [`EventStream`].
type Item<T, E> = Result<Event<T>, Error<E>>;

/// A streamed response: a [`Stream`] of events whose data is decoded into `T`, or errors whose
/// body is the operation's `E`. See the [module documentation](self) for what each item means
/// and when the stream ends.
///
/// It is `Unpin`, `Send` (on native targets) and `'static` (it holds a clone of the client), so it can be polled
/// with `futures_util::StreamExt::next` directly or moved into a task. Dropping it closes the
/// connection.
#[must_use = "a stream does nothing until it is polled"]
pub struct EventStream<T, E> {
    inner: BoxStream<'static, Item<T, E>>,
}

impl<T: MaybeSend + 'static, E: MaybeSend + 'static> EventStream<T, E> {
    /// The events' data alone, without their names, ids and retries.
    pub fn into_data(self) -> impl Stream<Item = Result<T, Error<E>>> + MaybeSend + Unpin {
        futures_util::StreamExt::map(self, |item| item.map(Event::into_data))
    }
}

impl<T, E> Stream for EventStream<T, E> {
    type Item = Item<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().inner.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

/// Streams the response to the request an operation built (or the error building it met), as
/// `spec` describes it; nothing is sent until the stream is first polled.
///
/// The request's `Accept` becomes the format's media type (so the operation's plain `request`
/// serves both its call and its stream); a header in the call's [`RequestOptions`] still
/// overrides it.
pub fn event_stream<T, E>(
    client: &Client,
    request: Result<Request, Error<E>>,
    spec: StreamSpec<E>,
) -> EventStream<T, E>
where
    T: DeserializeOwned + MaybeSend + 'static,
    E: DeserializeOwned + MaybeSend + 'static,
{
    let (method, path) = match &request {
        Ok(request) => (
            request.method().as_str().to_owned(),
            request.path_template(),
        ),
        Err(_) => (String::new(), ""),
    };
    let span = tracing::info_span!(
        "http.stream",
        method = %method,
        path,
        events = Empty,
        reconnections = Empty,
        outcome = Empty,
    );
    let request = request.map(|mut request| {
        request.stream_body_when(spec.streams);
        request.event_stream = true;
        request.accept(spec.format.media_type());
        request
    });
    let (idle, limit, resume) = match &request {
        Ok(request) => {
            let (idle, limit) = client.stream_limits(&request.options);
            (idle, limit, request.options.resume)
        }
        Err(_) => {
            let (idle, limit) = client.stream_limits(&RequestOptions::default());
            (idle, limit, 0)
        }
    };
    let reader = Reader {
        client: client.clone(),
        first: Some(request),
        template: None,
        spec,
        idle,
        limit,
        resume,
        reconnections_left: resume,
        reconnections: 0,
        connection: None,
        events: 0,
        last_id: String::new(),
        reconnection: None,
        outcome: None,
        span,
        data: PhantomData,
    };
    let inner = futures_util::stream::unfold(reader, |mut reader| async move {
        let span = reader.span.clone();
        let item = reader.next().instrument(span).await?;
        Some((item, reader))
    });
    EventStream {
        inner: Box::pin(inner),
    }
}

/// The state of one stream, over its reconnections.
struct Reader<T, E> {
    client: Client,
    /// The request to send first, until it is sent.
    first: Option<Result<Request, Error<E>>>,
    /// The request again, to reconnect with (only kept when the call may resume).
    template: Option<Request>,
    spec: StreamSpec<E>,
    idle: Duration,
    limit: u64,
    resume: u32,
    reconnections_left: u32,
    reconnections: u32,
    connection: Option<Connection>,
    events: u64,
    /// The last event id and reconnection time, kept across reconnections.
    last_id: String,
    reconnection: Option<u64>,
    /// Why the stream ended, once it has.
    outcome: Option<&'static str>,
    span: tracing::Span,
    data: PhantomData<fn() -> T>,
}

/// One response being read.
struct Connection {
    body: Download,
    decoder: Decoder,
    status: u16,
    content_type: Option<String>,
    /// The body has ended; what the decoder still holds is being drained.
    ended: bool,
}

enum Decoder {
    Sse(SseDecoder),
    Lines(LinesDecoder),
}

impl Decoder {
    fn new(format: StreamFormat, limit: usize, last_id: &str, reconnection: Option<u64>) -> Self {
        match format {
            StreamFormat::EventStream => Decoder::Sse(SseDecoder::resuming(
                limit,
                last_id.to_owned(),
                reconnection,
            )),
            StreamFormat::JsonLines => Decoder::Lines(LinesDecoder::new(Separator::Newline, limit)),
            StreamFormat::JsonSeq => {
                Decoder::Lines(LinesDecoder::new(Separator::RecordSeparator, limit))
            }
        }
    }

    fn push(&mut self, chunk: Bytes) {
        match self {
            Decoder::Sse(decoder) => decoder.push(chunk),
            Decoder::Lines(decoder) => decoder.push(chunk),
        }
    }

    fn next_frame(&mut self) -> Option<Result<Frame, Oversized>> {
        match self {
            Decoder::Sse(decoder) => decoder.next_frame(),
            Decoder::Lines(decoder) => decoder.next_record().map(|record| {
                record.map(|data| Frame {
                    name: None,
                    data,
                    id: None,
                    retry: None,
                })
            }),
        }
    }

    /// The body ended: a JSON record left without its line end is complete now. True when the
    /// body ended inside an event.
    fn end(&mut self) -> bool {
        match self {
            Decoder::Sse(decoder) => decoder.finish(),
            Decoder::Lines(decoder) => {
                decoder.close();
                false
            }
        }
    }
}

impl<T: DeserializeOwned, E: DeserializeOwned> Reader<T, E> {
    /// The next item, or `None` once the stream has ended.
    async fn next(&mut self) -> Option<Item<T, E>> {
        loop {
            if self.outcome.is_some() {
                return None;
            }
            let Some(connection) = self.connection.as_mut() else {
                if let Err(error) = self.connect().await {
                    return Some(Err(self.fail(error)));
                }
                continue;
            };
            match connection.decoder.next_frame() {
                Some(Ok(frame)) => match self.handle(frame) {
                    Some(item) => return Some(item),
                    None => continue,
                },
                Some(Err(Oversized { limit })) => {
                    let error = Error::Stream(StreamError::EventTooLarge {
                        limit: u64::try_from(limit).unwrap_or(u64::MAX),
                        events: self.events,
                    });
                    return Some(Err(self.fail(error)));
                }
                None => {}
            }
            let failure = if connection.ended {
                match self.end_of_body() {
                    Some(failure) => failure,
                    None => {
                        self.finish("end");
                        return None;
                    }
                }
            } else {
                match within(self.idle, connection.body.chunk()).await {
                    Some(Ok(Some(chunk))) => {
                        connection.decoder.push(chunk);
                        continue;
                    }
                    Some(Ok(None)) => {
                        connection.ended = true;
                        // A JSON record ended by the end of the body is drained first.
                        if !connection.decoder.end() {
                            continue;
                        }
                        Error::Stream(StreamError::EndedInsideEvent {
                            events: self.events,
                        })
                    }
                    Some(Err(error)) => Error::from(error),
                    None => Error::Timeout(TimeoutError::elapsed(TimeoutKind::Idle, self.idle)),
                }
            };
            if !self.reconnect().await {
                return Some(Err(self.fail(failure)));
            }
        }
    }

    /// Sends the first request, or the request again to resume, and starts reading its body.
    async fn connect(&mut self) -> Result<(), Error<E>> {
        let request = match self.first.take() {
            Some(request) => {
                let request = request?;
                if self.resume > 0 {
                    self.template = Some(request.clone());
                }
                request
            }
            None => {
                let mut request = self
                    .template
                    .clone()
                    .ok_or_else(|| Error::InvalidRequest("the stream cannot resume".to_owned()))?;
                request.header("last-event-id", &self.last_id);
                request
            }
        };
        let raw = self.client.execute::<E>(request).await?;
        if !(self.spec.streams)(raw.status()) {
            return Err((self.spec.error)(raw));
        }
        let status = raw.status();
        let content_type = raw.content_type().map(str::to_owned);
        let format = content_type
            .as_deref()
            .and_then(StreamFormat::from_content_type)
            .unwrap_or(self.spec.format);
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let body = raw.download::<E>()?.into_body();
        self.connection = Some(Connection {
            body,
            decoder: Decoder::new(format, limit, &self.last_id, self.reconnection),
            status,
            content_type,
            ended: false,
        });
        Ok(())
    }

    /// The body has ended and its last frames are drained: `None` for a clean end, else the
    /// error it is.
    fn end_of_body(&self) -> Option<Error<E>> {
        let terminator = self.spec.terminator?;
        Some(Error::Stream(StreamError::EndedBeforeTerminator {
            terminator,
            events: self.events,
        }))
    }

    /// Turns one frame into the stream's next item; `None` for the terminator, which ends it.
    fn handle(&mut self, frame: Frame) -> Option<Item<T, E>> {
        if self.spec.terminator == Some(frame.data.as_str()) {
            self.finish("terminator");
            return None;
        }
        self.events += 1;
        self.reconnections_left = self.resume;
        let is_error_event = frame.name.is_some() && frame.name.as_deref() == self.spec.error_event;
        let failure = if is_error_event {
            None
        } else {
            match serde_json::from_str::<T>(&frame.data) {
                Ok(data) => {
                    return Some(Ok(Event {
                        name: frame.name,
                        id: frame.id,
                        retry: frame.retry.map(Duration::from_millis),
                        data,
                    }))
                }
                Err(error) => Some(error),
            }
        };
        let info = EventInfo {
            index: self.events,
            name: frame
                .name
                .as_deref()
                .unwrap_or(DEFAULT_EVENT_NAME)
                .to_owned(),
            id: frame.id,
        };
        let body = if is_error_event || self.spec.error_data {
            serde_json::from_str::<E>(&frame.data).ok()
        } else {
            None
        };
        match failure {
            Some(error) if body.is_none() => Some(Err(Error::Decode(self.decode_error(
                &frame.data,
                error,
                info,
            )))),
            _ => Some(Err(Error::Event(EventError {
                event: info,
                body,
                text: frame.data,
            }))),
        }
    }

    /// Why `data` does not decode as `T` (`error`), with the JSON path of the failure, found by
    /// decoding again: only a failure pays for the path.
    fn decode_error(&self, data: &str, error: serde_json::Error, event: EventInfo) -> DecodeError {
        let mut deserializer = serde_json::Deserializer::from_str(data);
        let path = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(error) => error.path().to_string(),
            Ok(_) => ".".to_owned(),
        };
        let connection = self.connection.as_ref();
        DecodeError {
            status: connection.map_or(0, |connection| connection.status),
            content_type: connection.and_then(|connection| connection.content_type.clone()),
            path,
            message: error.to_string(),
            snippet: snippet(data.as_bytes(), error.line(), error.column()),
            source: Some(error),
            event: Some(Box::new(event)),
        }
    }

    /// After a cut or a stall: reconnects when the call asked to resume and the stream can (an
    /// event stream with an event id), and returns whether it will.
    async fn reconnect(&mut self) -> bool {
        let Some(connection) = self.connection.take() else {
            return false;
        };
        if let Decoder::Sse(decoder) = &connection.decoder {
            decoder.last_event_id().clone_into(&mut self.last_id);
            self.reconnection = decoder.reconnection_time();
        }
        let resumable = matches!(connection.decoder, Decoder::Sse(_)) && !self.last_id.is_empty();
        // The old connection is closed before waiting.
        drop(connection);
        if !resumable || self.reconnections_left == 0 || self.template.is_none() {
            return false;
        }
        self.reconnections_left -= 1;
        self.reconnections += 1;
        let wait = self
            .reconnection
            .map_or(DEFAULT_RECONNECTION_TIME, Duration::from_millis);
        tracing::debug!(
            events = self.events,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "resuming the event stream with Last-Event-ID"
        );
        pause(wait).await;
        true
    }

    /// Ends the stream with `error`, its last item.
    fn fail(&mut self, error: Error<E>) -> Error<E> {
        self.connection = None;
        self.finish("error");
        error
    }
}

impl<T, E> Reader<T, E> {
    /// Ends the stream and records how in its span.
    fn finish(&mut self, outcome: &'static str) {
        self.connection = None;
        self.outcome = Some(outcome);
        self.span.record("events", self.events);
        self.span.record("reconnections", self.reconnections);
        self.span.record("outcome", outcome);
    }
}

impl<T, E> Drop for Reader<T, E> {
    fn drop(&mut self) {
        if self.outcome.is_none() {
            self.finish("dropped");
        }
    }
}

/// Waits for `future` at most `limit`; `None` when the time ran out.
///
/// The stream's only timers are here and in [`pause`], both [`super::time`]'s, which works on
/// native targets and on `wasm32`.
pub(super) async fn within<F: Future>(limit: Duration, future: F) -> Option<F::Output> {
    super::time::timeout(limit, future).await.ok()
}

/// Waits for `duration`.
async fn pause(duration: Duration) {
    super::time::sleep(duration).await;
}
