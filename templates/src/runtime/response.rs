//! Responses: the raw response [`Client::execute`](super::Client::execute) returns, the typed
//! [`Response`] generated operations return, and the metadata both carry.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use super::download::Download;
use super::error::{ApiError, DecodeError, Error};
use super::time::Instant;

/// The headers tried, in order, by [`Response::request_id`] and [`ApiError::request_id`].
///
/// `X-Request-Id` is the common convention (Intercom, Heroku, many proxies); `Request-Id` is
/// Stripe's; the `X-Amzn-RequestId`/`X-Amz-Request-Id` pair is AWS's; `X-Correlation-Id` is
/// used by many gateways.
pub const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-correlation-id",
];

/// Header names whose values `Debug` output never shows, whatever their direction.
pub const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
];

/// The most characters of the body a [`DecodeError`] keeps.
pub const SNIPPET_CHARS: usize = 512;

/// The server's request id: the value of the first of [`REQUEST_ID_HEADERS`] present.
pub fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::trim)
}

/// True for header names that carry credentials (see [`SENSITIVE_HEADERS`]).
pub fn is_sensitive_header(name: &str) -> bool {
    SENSITIVE_HEADERS
        .iter()
        .any(|sensitive| sensitive.eq_ignore_ascii_case(name))
}

/// True for `application/json`, `text/json` and any `…+json` media type, parameters ignored.
pub fn is_json_content_type(content_type: &str) -> bool {
    let essence = media_essence(content_type);
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

/// A media type without its parameters, lowercased: `Text/Event-Stream; charset=utf-8` is
/// `text/event-stream`.
pub(super) fn media_essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Rate-limit information from the `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
/// `X-RateLimit-Reset` headers (or their unprefixed `RateLimit-*` forms).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// How many requests the window allows.
    pub limit: Option<u64>,
    /// How many requests are left in the window.
    pub remaining: Option<u64>,
    /// When the window resets, as the server sends it (usually Unix seconds).
    pub reset: Option<u64>,
}

impl RateLimit {
    /// Reads the rate-limit headers; `None` when none of them is present and numeric.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let read = |suffix: &str| {
            header_u64(headers, &format!("x-ratelimit-{suffix}"))
                .or_else(|| header_u64(headers, &format!("ratelimit-{suffix}")))
        };
        let rate_limit = RateLimit {
            limit: read("limit"),
            remaining: read("remaining"),
            reset: read("reset"),
        };
        (rate_limit != RateLimit::default()).then_some(rate_limit)
    }
}

/// Reads a header as an unsigned integer, if it is present and numeric.
pub fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Formats a [`HeaderMap`] for `Debug`, hiding the values of sensitive headers.
pub struct RedactedHeaders<'a>(pub &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_sensitive_header(name.as_str()) {
                map.entry(&name.as_str(), &"..redacted..");
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// A response as received: status, headers and the whole body, or, for a status the request
/// asked to stream ([`Request::stream_body_when`](super::Request::stream_body_when)), the body
/// still on the connection.
///
/// Generated operations turn it into a typed [`Response`] or an [`Error`].
pub struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    unread: Option<Download>,
}

impl RawResponse {
    /// Builds a raw response (useful in tests of code that consumes responses).
    pub fn new(status: u16, headers: HeaderMap, body: Vec<u8>) -> Self {
        Self {
            status,
            headers,
            body,
            unread: None,
        }
    }

    /// A response whose body is left on the connection, to be read through a [`Download`]
    /// until the call's `deadline`.
    pub(super) fn unread(
        response: reqwest::Response,
        limit: u64,
        timeout: Duration,
        deadline: Option<Instant>,
    ) -> Self {
        Self {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: Vec::new(),
            unread: Some(Download::streaming(response, limit, timeout, deadline)),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// True for a 2xx status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` header, if present and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes the body as JSON into `T`.
    ///
    /// The content type is not enforced (servers often mislabel JSON), but when the body does
    /// not decode the [`DecodeError`] names the content type, the JSON path of the failure, and
    /// a snippet of the body around it.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        match decode_json(&self.body) {
            Ok(body) => Ok(self.with_body(body)),
            Err((path, error)) => Err(Error::Decode(DecodeError {
                status: self.status,
                content_type: self.content_type().map(str::to_owned),
                path,
                message: error.to_string(),
                snippet: snippet(&self.body, error.line(), error.column()),
                source: Some(error),
                event: None,
            })),
        }
    }

    /// The body as text; invalid UTF-8 is replaced with U+FFFD, so this never fails.
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        let (status, headers, text) = self.into_text();
        Ok(Response {
            status,
            headers,
            body: text,
        })
    }

    /// The body as bytes; never fails.
    pub fn bytes<E>(mut self) -> Result<Response<Vec<u8>>, Error<E>> {
        let body = std::mem::take(&mut self.body);
        Ok(self.with_body(body))
    }

    /// The body as a [`Download`]: still on the connection when the request asked to stream
    /// it, else the bytes read; never fails.
    pub fn download<E>(mut self) -> Result<Response<Download>, Error<E>> {
        let body = match self.unread.take() {
            Some(download) => download,
            None => Download::read(
                std::mem::take(&mut self.body),
                self.status,
                self.headers.clone(),
            ),
        };
        Ok(self.with_body(body))
    }

    /// Ignores any body; never fails.
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(self.with_body(()))
    }

    /// A documented error status: decodes the body as `E` when it can (keeping `None` when it
    /// cannot, such as an HTML error page), and always keeps the text.
    pub fn api_error<E: DeserializeOwned>(self) -> Error<E> {
        let body = decode_json(&self.body).ok();
        let (status, headers, text) = self.into_text();
        Error::Api(ApiError {
            status,
            headers,
            body,
            text,
        })
    }

    /// A documented error status whose body has a type of its own among several: decodes it as
    /// `T` and wraps it into the operation's error type with `wrap`; otherwise like
    /// [`RawResponse::api_error`].
    pub fn api_error_with<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Error<E> {
        let body = decode_json::<T>(&self.body).ok().map(wrap);
        let (status, headers, text) = self.into_text();
        Error::Api(ApiError {
            status,
            headers,
            body,
            text,
        })
    }

    /// An undocumented status: no typed body, only the text.
    pub fn unexpected<E>(self) -> Error<E> {
        let (status, headers, text) = self.into_text();
        Error::Api(ApiError {
            status,
            headers,
            body: None,
            text,
        })
    }

    fn with_body<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
        }
    }

    fn into_text(self) -> (u16, HeaderMap, String) {
        let text = String::from_utf8(self.body)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
        (self.status, self.headers, text)
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .field("streaming", &self.unread.is_some())
            .finish()
    }
}

/// A successful response: status, headers and the decoded body.
#[derive(Clone)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// Builds a response (useful in tests of code that consumes responses).
    pub fn new(status: u16, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request id, from the first of [`REQUEST_ID_HEADERS`] present.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The rate-limit headers of the response, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (u16, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

/// Decodes a whole JSON document, returning the path of the failure with the error.
pub(crate) fn decode_json<T: DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, (String, serde_json::Error)> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| (error.path().to_string(), error.into_inner()))?;
    // Trailing characters after the document are an error, as in `serde_json::from_slice`.
    deserializer
        .end()
        .map_err(|error| (".".to_owned(), error))?;
    Ok(value)
}

/// At most [`SNIPPET_CHARS`] characters of the body: all of it when it is short enough, else a
/// window around the (1-based) line and column where decoding failed.
pub fn snippet(body: &[u8], line: usize, column: usize) -> String {
    let text = String::from_utf8_lossy(body);
    if text.chars().nth(SNIPPET_CHARS).is_none() {
        return text.into_owned();
    }
    let offset = byte_offset(body, line, column);
    // A character is at most four bytes, so these byte windows hold enough characters.
    let window = SNIPPET_CHARS * 4 + 4;
    let before = body
        .get(offset.saturating_sub(window)..offset)
        .unwrap_or_default();
    let after = body
        .get(offset..offset.saturating_add(window).min(body.len()))
        .unwrap_or_default();
    let before: Vec<char> = String::from_utf8_lossy(before)
        .chars()
        .rev()
        .take(SNIPPET_CHARS / 2)
        .collect();
    let after_chars = SNIPPET_CHARS - before.len();
    before
        .into_iter()
        .rev()
        .chain(String::from_utf8_lossy(after).chars().take(after_chars))
        .collect()
}

/// The byte offset of a 1-based line and byte column in `body`, clamped to its length.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut line_start = 0;
    for _ in 1..line {
        match body
            .get(line_start..)
            .and_then(|rest| rest.iter().position(|&byte| byte == b'\n'))
        {
            Some(newline) => line_start += newline + 1,
            None => break,
        }
    }
    line_start
        .saturating_add(column.saturating_sub(1))
        .min(body.len())
}
