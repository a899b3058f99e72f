//! The error types of generated clients.
//!
//! None of them ever holds a credential: request URLs (which may carry a query-parameter secret)
//! are stripped from transport errors, and request headers are never kept.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

use super::auth::AuthError;
use super::response::{self, RateLimit};
use super::retry;
use super::time;

/// Everything that can go wrong with one API call; `E` is the operation's documented error body.
#[non_exhaustive]
#[derive(Debug)]
pub enum Error<E> {
    /// The request was refused before sending: a bad path parameter, header or body.
    InvalidRequest(String),
    /// The connection failed (refused, reset, DNS, TLS) or the body could not be read.
    Transport(TransportError),
    /// The connection or the whole request took longer than its timeout.
    Timeout(TimeoutError),
    /// The status was a success but the body did not decode into the expected type.
    Decode(DecodeError),
    /// The server answered with a non-success status.
    Api(ApiError<E>),
    /// The response body was larger than the maximum response size, so it was not read whole.
    TooLarge(TooLargeError),
    /// A pagination stream stopped because the server sent a cursor it had sent before.
    RepeatedCursor(RepeatedCursorError),
    /// An event stream carried an error event: the server reports a failure mid-stream.
    Event(EventError<E>),
    /// An event stream ended before its end, or refused an event larger than its limit.
    Stream(StreamError),
    /// The call was refused before sending because no credentials satisfy the operation's
    /// security, or a token provider could not give a token.
    Auth(AuthError),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::TooLarge(too_large) => Some(too_large.status),
            _ => None,
        }
    }

    /// The response headers, when the server answered with an error status or too large a body.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(api) => Some(&api.headers),
            Error::TooLarge(too_large) => Some(&too_large.headers),
            _ => None,
        }
    }

    /// True when the server answered 404 Not Found, whether or not the operation documents it.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when the server answered 429 Too Many Requests (still so after the retries the
    /// [`RetryPolicy`](super::RetryPolicy) allowed); see [`retry_after`](Self::retry_after).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// True when the connect or whole-request timeout expired ([`Error::Timeout`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// How long the server asks the caller to wait before trying again, counted from now: its
    /// `Retry-After` (seconds or an HTTP date), else, on a 429, its `X-RateLimit-Reset`.
    pub fn retry_after(&self) -> Option<Duration> {
        retry::server_delay(self.status()?, self.headers()?, time::system_now())
    }

    /// The server's request id, from the first of [`response::REQUEST_ID_HEADERS`] present;
    /// worth quoting to the API's support.
    pub fn request_id(&self) -> Option<&str> {
        response::request_id(self.headers()?)
    }

    /// The rate-limit headers of the response, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(self.headers()?)
    }

    /// The typed error body: of an error status that is documented and whose body decoded, or
    /// of an error event whose data decoded.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(api) => api.body.as_ref(),
            Error::Event(event) => event.body.as_ref(),
            _ => None,
        }
    }

    /// The [`ApiError`], when the server answered with a non-success status.
    pub fn as_api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Transport(error) => fmt::Display::fmt(error, f),
            Error::Timeout(error) => fmt::Display::fmt(error, f),
            Error::Decode(error) => fmt::Display::fmt(error, f),
            Error::Api(error) => fmt::Display::fmt(error, f),
            Error::TooLarge(error) => fmt::Display::fmt(error, f),
            Error::RepeatedCursor(error) => fmt::Display::fmt(error, f),
            Error::Event(error) => fmt::Display::fmt(error, f),
            Error::Stream(error) => fmt::Display::fmt(error, f),
            Error::Auth(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl<E: fmt::Debug> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::InvalidRequest(_)
            | Error::Api(_)
            | Error::TooLarge(_)
            | Error::RepeatedCursor(_)
            | Error::Event(_)
            | Error::Stream(_) => None,
            Error::Transport(error) => error.source(),
            Error::Timeout(error) => error.source(),
            Error::Decode(error) => error.source(),
            Error::Auth(error) => error.source(),
        }
    }
}

/// A connection or body-read failure.
///
/// It wraps the [`reqwest::Error`] with its URL removed, so that a secret in the query string
/// cannot leak through `Display` or `Debug`.
#[derive(Debug)]
pub struct TransportError {
    source: reqwest::Error,
}

impl TransportError {
    /// Wraps a reqwest error, removing its URL.
    pub fn new(source: reqwest::Error) -> Self {
        Self {
            source: source.without_url(),
        }
    }

    /// True when the connection could not be established, so the request was never sent.
    ///
    /// Always false on `wasm32`: the browser's `fetch` does not tell a connection that failed
    /// from one lost later.
    pub fn is_connect(&self) -> bool {
        is_connect(&self.source)
    }

    /// The underlying reqwest error (without its URL).
    pub fn reqwest_error(&self) -> &reqwest::Error {
        &self.source
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error: {}", self.source)?;
        // Reqwest's own message ("error sending request") is vague, so the innermost cause
        // ("Connection refused (os error 111)") is added; none of them contains the URL.
        if let Some(root) = root_cause(&self.source) {
            write!(f, " ({root})")?;
        }
        Ok(())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// Whether reqwest failed to connect, so that the request was never sent (false on `wasm32`,
/// where reqwest cannot tell).
pub(super) fn is_connect(error: &reqwest::Error) -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        error.is_connect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = error;
        false
    }
}

/// Which timeout expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutKind {
    /// Establishing the connection took too long (never on `wasm32`, where the browser connects
    /// and `fetch` has no connect timeout).
    Connect,
    /// The whole request (sending, waiting and reading the body) took too long; for an event
    /// stream, waiting for the response's status and headers took too long.
    Request,
    /// An event stream received nothing for longer than its idle timeout.
    Idle,
}

/// A connect, whole-request or idle timeout.
#[derive(Debug)]
pub struct TimeoutError {
    kind: TimeoutKind,
    after: Option<Duration>,
    source: Option<reqwest::Error>,
}

impl TimeoutError {
    /// Wraps a reqwest timeout error, removing its URL; `after` is the timeout that expired, when known.
    pub fn new(kind: TimeoutKind, after: Option<Duration>, source: reqwest::Error) -> Self {
        Self {
            kind,
            after,
            source: Some(source.without_url()),
        }
    }

    /// A timeout the runtime's own timer measured (so there is no reqwest error), after `after`.
    pub fn elapsed(kind: TimeoutKind, after: Duration) -> Self {
        Self {
            kind,
            after: Some(after),
            source: None,
        }
    }

    /// Which timeout expired.
    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    /// The configured timeout that expired, when known.
    pub fn after(&self) -> Option<Duration> {
        self.after
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connecting to the server timed out",
            TimeoutKind::Request => "the request timed out",
            TimeoutKind::Idle => "the event stream received nothing and timed out",
        };
        match self.after {
            Some(after) => write!(f, "{what} after {} ms", after.as_millis()),
            None => f.write_str(what),
        }
    }
}

impl StdError for TimeoutError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|error| error as &(dyn StdError + 'static))
    }
}

/// A success response whose body did not decode into the expected type.
#[derive(Debug)]
pub struct DecodeError {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` of the response, if any.
    pub content_type: Option<String>,
    /// Where in the JSON document decoding failed, such as `data[3].id` (`.` for the root).
    pub path: String,
    /// What went wrong, such as `invalid type: string "x", expected u64 at line 1 column 9`.
    pub message: String,
    /// At most 512 characters of the body, around the failure when the body is longer.
    pub snippet: String,
    /// The JSON error, when there is one.
    pub source: Option<serde_json::Error>,
    /// The event whose data did not decode, when the body is an event stream (boxed to keep
    /// `Error` small).
    pub event: Option<Box<EventInfo>>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.event {
            Some(event) => write!(
                f,
                "could not decode {event} of the {} response",
                self.status
            )?,
            None => write!(f, "could not decode the {} response body", self.status)?,
        }
        match &self.content_type {
            Some(content_type) if !response::is_json_content_type(content_type) => {
                write!(f, " (content type `{content_type}`, expected JSON)")?;
            }
            Some(content_type) => write!(f, " (content type `{content_type}`)")?,
            None => {}
        }
        write!(f, " at `{}`: {}", self.path, self.message)
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_ref()
            .map(|error| error as &(dyn StdError + 'static))
    }
}

/// A non-success response: status, headers, the typed body when it decoded, and the raw text.
pub struct ApiError<E> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The documented error body, when the status is documented and the body decoded.
    pub body: Option<E>,
    /// The body as text (invalid UTF-8 replaced), whether or not it decoded.
    pub text: String,
}

impl<E> ApiError<E> {
    /// The server's request id, from the first of [`response::REQUEST_ID_HEADERS`] present.
    pub fn request_id(&self) -> Option<&str> {
        response::request_id(&self.headers)
    }

    /// The rate-limit headers of the response, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &response::RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .field("text", &self.text)
            .finish()
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.status)?;
        if let Some(reason) = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|status| status.canonical_reason())
        {
            write!(f, " {reason}")?;
        }
        let summary = summarize(&self.text, 200);
        if !summary.is_empty() {
            write!(f, ": {summary}")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> StdError for ApiError<E> {}

/// A response body larger than the maximum response size.
///
/// The runtime refuses it before reading when its `Content-Length` is above the limit, and
/// otherwise stops reading (and closes the connection) as soon as the bytes received pass the
/// limit, so memory stays bounded whatever the server sends. The limit is
/// [`ClientBuilder::max_response_size`](super::ClientBuilder::max_response_size) (default
/// [`DEFAULT_MAX_RESPONSE_SIZE`](super::client::DEFAULT_MAX_RESPONSE_SIZE)), or
/// [`RequestOptions::max_response_size`](super::RequestOptions::max_response_size) for one call.
pub struct TooLargeError {
    limit: u64,
    status: u16,
    // Boxed to keep `Error` small: it travels in every `Result` of the client.
    headers: Box<HeaderMap>,
    content_length: Option<u64>,
    received: u64,
}

impl TooLargeError {
    /// A body refused under `limit`: `received` bytes were read before stopping (0 when the
    /// `Content-Length` alone refused it).
    pub fn new(
        limit: u64,
        status: u16,
        headers: HeaderMap,
        content_length: Option<u64>,
        received: u64,
    ) -> Self {
        Self {
            limit,
            status,
            headers: Box::new(headers),
            content_length,
            received,
        }
    }

    /// The limit, in bytes, that the body passed.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Length` the server announced, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// How many bytes of the body were read before the runtime stopped (at most one chunk more
    /// than the limit; 0 when the `Content-Length` alone refused it).
    pub fn received(&self) -> u64 {
        self.received
    }
}

impl fmt::Debug for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TooLargeError")
            .field("limit", &self.limit)
            .field("status", &self.status)
            .field("headers", &response::RedactedHeaders(&self.headers))
            .field("content_length", &self.content_length)
            .field("received", &self.received)
            .finish()
    }
}

impl fmt::Display for TooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} response body ", self.status)?;
        match self.content_length {
            Some(length) if length > self.limit => {
                write!(f, "announces {length} bytes (Content-Length), more than")?;
            }
            _ => write!(f, "passed {} bytes, more than", self.received)?,
        }
        write!(
            f,
            " the maximum response size of {} bytes; raise it with \
             `ClientBuilder::max_response_size` or, for one call, \
             `RequestOptions::max_response_size`",
            self.limit
        )
    }
}

impl StdError for TooLargeError {}

/// A pagination stream met a cursor it had already followed, and following it brought the same
/// results again, so following on would loop forever.
///
/// The stream yields every page it received (but not the repeated one), this error after them,
/// and then ends. See [`pagination`](super::pagination) for the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatedCursorError {
    page: u64,
    first_page: u64,
}

impl RepeatedCursorError {
    /// The response to page number `page` (1 for the first) gave the cursor that had fetched
    /// `first_page`, and fetching it again brought the same results.
    pub fn new(page: u64, first_page: u64) -> Self {
        Self { page, first_page }
    }

    /// The number of the page (1 for the first) whose response carried the repeated cursor.
    pub fn page(&self) -> u64 {
        self.page
    }

    /// The number of the first page that the same cursor fetched.
    pub fn first_page(&self) -> u64 {
        self.first_page
    }
}

impl fmt::Display for RepeatedCursorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pagination stopped: the server's response to page {} points back to page {} \
             (a repeated cursor, which brought the same results again), so following it would \
             loop forever",
            self.page, self.first_page
        )
    }
}

impl StdError for RepeatedCursorError {}

/// Which event of a stream an error is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventInfo {
    /// Its position in the stream: 1 for the first event received (over every reconnection).
    pub index: u64,
    /// Its name (`event` field), `message` when it had none.
    pub name: String,
    /// The last event id when it arrived, if any.
    pub id: Option<String>,
}

impl fmt::Display for EventInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event {} (`{}`", self.index, self.name)?;
        if let Some(id) = &self.id {
            write!(f, ", id `{id}`")?;
        }
        f.write_str(")")
    }
}

/// An error event of a stream: an event named as the operation's error event (such as `error`),
/// or one whose data decodes as the operation's error body but not as its event type.
///
/// The stream goes on after it, yielding whatever the server sends next (most servers end the
/// stream after an error event).
pub struct EventError<E> {
    /// Which event it was.
    pub event: EventInfo,
    /// The data decoded as the operation's error body, when it decodes.
    pub body: Option<E>,
    /// The event's data as it came.
    pub text: String,
}

impl<E: fmt::Debug> fmt::Debug for EventError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventError")
            .field("event", &self.event)
            .field("body", &self.body)
            .field("text", &self.text)
            .finish()
    }
}

impl<E> fmt::Display for EventError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server sent an error as {}", self.event)?;
        let summary = summarize(&self.text, 200);
        if !summary.is_empty() {
            write!(f, ": {summary}")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> StdError for EventError<E> {}

/// An event stream that ended before its end, or an event refused for its size.
///
/// Each one ends the stream: no item follows it (unless the call asked to resume, see
/// [`RequestOptions::resume`](super::RequestOptions::resume), and the stream could).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamError {
    /// The body ended inside an event, which is therefore not dispatched.
    EndedInsideEvent {
        /// How many events had been received.
        events: u64,
    },
    /// The body ended at an event boundary, but the operation's stream ends with a terminator
    /// (such as `[DONE]`) that never came.
    EndedBeforeTerminator {
        /// The terminator expected.
        terminator: &'static str,
        /// How many events had been received.
        events: u64,
    },
    /// One event grew past the maximum event size.
    EventTooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// How many events had been received before it.
        events: u64,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::EndedInsideEvent { events } => write!(
                f,
                "the event stream was cut inside an event, after {events} events"
            ),
            StreamError::EndedBeforeTerminator { terminator, events } => write!(
                f,
                "the event stream was cut after {events} events, before its terminator \
                 `{terminator}`"
            ),
            StreamError::EventTooLarge { limit, events } => write!(
                f,
                "event {} of the stream passed the maximum event size of {limit} bytes; raise \
                 it with `ClientBuilder::max_event_size` or, for one call, \
                 `RequestOptions::max_event_size`",
                events.saturating_add(1)
            ),
        }
    }
}

impl StdError for StreamError {}

/// Why [`ClientBuilder::build`](super::ClientBuilder::build) failed; never shows a secret.
#[non_exhaustive]
#[derive(Debug)]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL without query or fragment.
    InvalidBaseUrl {
        /// The base URL, cut before any `?` or `#`.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The user agent contains characters not allowed in a header.
    InvalidUserAgent,
    /// A default header has an invalid name or value.
    InvalidHeader {
        /// The header name as given.
        name: String,
        /// Why it was refused.
        reason: String,
    },
    /// The authentication cannot be turned into a header (the message names no secret).
    InvalidAuth(String),
    /// The underlying HTTP client could not be built (for example, the TLS backend failed).
    HttpClient(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL `{url}`: {reason}")
            }
            BuildError::InvalidUserAgent => {
                f.write_str("invalid user agent: it contains characters not allowed in a header")
            }
            BuildError::InvalidHeader { name, reason } => {
                write!(f, "invalid default header `{name}`: {reason}")
            }
            BuildError::InvalidAuth(message) => write!(f, "invalid authentication: {message}"),
            BuildError::HttpClient(error) => write!(f, "could not build the HTTP client: {error}"),
        }
    }
}

impl StdError for BuildError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            BuildError::HttpClient(error) => Some(error),
            _ => None,
        }
    }
}

/// The innermost cause of an error, if it has any cause at all.
fn root_cause<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    let mut cause = error.source()?;
    while let Some(next) = cause.source() {
        cause = next;
    }
    Some(cause)
}

/// Collapses runs of whitespace into one space and keeps at most `max` characters, adding `…`
/// when the text was cut.
pub fn summarize(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        for c in (!out.is_empty())
            .then_some(' ')
            .into_iter()
            .chain(word.chars())
        {
            if count == max {
                out.push('…');
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}
