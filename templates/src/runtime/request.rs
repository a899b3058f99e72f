//! What one operation sends: [`Request`], the per-call [`RequestOptions`], and encoders for
//! path segments, query strings, form and multipart bodies.
//!
//! The setters on [`Request`] never fail: a bad header or a body that does not serialise is
//! remembered, and [`Client::execute`](super::Client::execute) returns it as
//! [`Error::InvalidRequest`] without sending anything.

use std::fmt;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::error::Error;
use super::params::{self, Style};
use super::parts::FilePart;
use super::pipeline::RequestExtras;
use super::response::is_sensitive_header;
use super::retry::RetryPolicy;

/// Every byte except the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded.
pub const COMPONENT_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The `application/x-www-form-urlencoded` set: everything but `A-Z a-z 0-9 * - . _` is encoded
/// (and the space, encoded here as `%20`, becomes `+`).
pub const FORM_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// Percent-encodes one path parameter value as a single path segment.
///
/// Everything except the RFC 3986 unreserved characters is encoded, so `/`, `?`, `#`, `%` and
/// spaces stay inside the segment. The values `""`, `"."` and `".."` are refused with
/// [`Error::InvalidRequest`] naming the parameter, because URL normalisation would change the
/// path they are put in.
pub fn path_segment<E>(name: &str, value: &str) -> Result<String, Error<E>> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::InvalidRequest(format!(
            "path parameter `{name}` must not be empty, \".\" or \"..\""
        )));
    }
    Ok(utf8_percent_encode(value, COMPONENT_ENCODE_SET).to_string())
}

/// Serialises one path parameter in its style (see [`params`]), percent-encoded.
///
/// Like [`path_segment`], it refuses a text that is empty, `"."` or `".."`, and a value that does
/// not serialise, with [`Error::InvalidRequest`] naming the parameter.
pub fn path_param<E, T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, Error<E>> {
    let value = params::to_json(name, value).map_err(Error::InvalidRequest)?;
    let text = params::path_text(name, &value, style, explode);
    if text.is_empty() || text == "." || text == ".." {
        return Err(Error::InvalidRequest(format!(
            "path parameter `{name}` must not be empty, \".\" or \"..\""
        )));
    }
    Ok(text)
}

/// Percent-encodes a query parameter name or value (unreserved characters kept, space as `%20`).
pub fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT_ENCODE_SET).to_string()
}

/// Encodes name/value pairs as `application/x-www-form-urlencoded`.
pub fn encode_form(pairs: &[(String, String)]) -> String {
    let encode = |s: &str| {
        utf8_percent_encode(s, FORM_ENCODE_SET)
            .to_string()
            .replace("%20", "+")
    };
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Flattens a JSON value into form pairs: arrays repeat the key, nested objects become
/// `key[sub]`, and nulls are skipped.
pub fn form_pairs(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((key.to_owned(), b.to_string())),
        Value::Number(n) => out.push((key.to_owned(), n.to_string())),
        Value::String(s) => out.push((key.to_owned(), s.clone())),
        Value::Array(items) => {
            for item in items {
                form_pairs(key, item, out);
            }
        }
        Value::Object(fields) => {
            for (name, field) in fields {
                form_pairs(&format!("{key}[{name}]"), field, out);
            }
        }
    }
}

/// Parses a header, marking credential-carrying headers as sensitive; the error names the
/// header but never shows the value.
pub fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("invalid header name `{name}`"))?;
    let mut header_value =
        HeaderValue::from_str(value).map_err(|_| format!("invalid value for header `{name}`"))?;
    if is_sensitive_header(name) {
        header_value.set_sensitive(true);
    }
    Ok((header_name, header_value))
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
pub enum MultipartPart {
    /// A text field.
    Text {
        /// The field name.
        name: String,
        /// The field value.
        value: String,
        /// The part's `Content-Type`, when it has one (JSON text, or an `encoding`'s).
        content_type: Option<String>,
    },
    /// A file field.
    File {
        /// The field name.
        name: String,
        /// The file name sent in `Content-Disposition`.
        file_name: String,
        /// The part's `Content-Type`.
        content_type: String,
        /// The file contents.
        data: Vec<u8>,
    },
}

/// The body of a request, kept so that it can be sent again on a retry.
#[derive(Clone, Debug, Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Bytes sent as they are; the content type is among the request headers.
    Bytes(Vec<u8>),
    /// A `multipart/form-data` body; reqwest sets the content type with its boundary.
    Multipart(Vec<MultipartPart>),
}

impl Body {
    /// A short name for the kind of body, for `Debug` output.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Empty => "empty",
            Body::Bytes(_) => "bytes",
            Body::Multipart(_) => "multipart",
        }
    }

    /// Builds the reqwest multipart form of a multipart body (for each attempt, as reqwest's form
    /// cannot be cloned).
    pub fn multipart_form(parts: &[MultipartPart]) -> Result<reqwest::multipart::Form, String> {
        use reqwest::multipart::{Form, Part};
        let mut form = Form::new();
        for part in parts {
            form = match part {
                MultipartPart::Text {
                    name,
                    value,
                    content_type: None,
                } => form.text(name.clone(), value.clone()),
                MultipartPart::Text {
                    name,
                    value,
                    content_type: Some(content_type),
                } => {
                    let text = Part::text(value.clone())
                        .mime_str(content_type)
                        .map_err(|_| {
                            format!("invalid content type for multipart field `{name}`")
                        })?;
                    form.part(name.clone(), text)
                }
                MultipartPart::File {
                    name,
                    file_name,
                    content_type,
                    data,
                } => {
                    let file = Part::bytes(data.clone())
                        .file_name(file_name.clone())
                        .mime_str(content_type)
                        .map_err(|_| {
                            format!("invalid content type for multipart file field `{name}`")
                        })?;
                    form.part(name.clone(), file)
                }
            };
        }
        Ok(form)
    }
}

/// One HTTP request as an operation describes it, before the client adds base URL,
/// authentication, default headers and user agent.
#[derive(Clone)]
pub struct Request {
    pub(super) method: Method,
    pub(super) path_template: &'static str,
    pub(super) path: String,
    /// The query pairs, each name and value already percent-encoded.
    pub(super) query: Vec<(String, String)>,
    /// The `name=value` pairs of the `Cookie` header, already encoded.
    pub(super) cookies: Vec<String>,
    pub(super) headers: HeaderMap,
    pub(super) header_defaults: HeaderMap,
    pub(super) body: Body,
    pub(super) options: RequestOptions,
    pub(super) error: Option<String>,
    /// The statuses whose body is left on the connection for a [`Download`](super::Download).
    pub(super) stream_body: Option<fn(u16) -> bool>,
    /// The body is an event stream: the timeout covers the wait for the response head only.
    pub(super) event_stream: bool,
    /// Operation id, security and idempotency header ([`super::pipeline`]).
    pub(super) extras: RequestExtras,
}

impl Request {
    /// A request for `path` (already encoded, see [`path_segment`]), which the base URL is
    /// prefixed to; `path_template` such as `/contacts/{id}/companies` names it in traces.
    pub fn new(method: Method, path_template: &'static str, path: String) -> Self {
        Self {
            method,
            path_template,
            path,
            query: Vec::new(),
            cookies: Vec::new(),
            headers: HeaderMap::new(),
            header_defaults: HeaderMap::new(),
            body: Body::Empty,
            options: RequestOptions::default(),
            error: None,
            stream_body: None,
            event_stream: false,
            extras: RequestExtras::default(),
        }
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template, such as `/contacts/{id}/companies`.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// Appends a query parameter, percent-encoding its name and value; a name may repeat
    /// (`tag=a&tag=b`).
    pub fn query(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        self.query
            .push((encode_query_component(name), encode_query_component(&value)));
    }

    /// Appends a query parameter serialised in its style (see [`params`]); a
    /// value that does not serialise is remembered as the request's error.
    pub fn query_param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        self.styled_query(name, value, style, explode, false);
    }

    /// Like [`query_param`](Self::query_param), for a parameter with `allowReserved: true`: the
    /// reserved characters of its values are sent as they are (but `#` and `&`).
    pub fn query_param_reserved<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) {
        self.styled_query(name, value, style, explode, true);
    }

    fn styled_query<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
        allow_reserved: bool,
    ) {
        match params::to_json(name, value) {
            Ok(value) => self.query.extend(params::query_pairs(
                name,
                &value,
                style,
                explode,
                allow_reserved,
            )),
            Err(message) => self.remember(message),
        }
    }

    /// Appends a query parameter whose value is sent as JSON text (a parameter described with
    /// `content: application/json`).
    pub fn query_json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.query(name, text),
            Err(error) => self.remember(format!(
                "could not serialise the parameter `{name}`: {error}"
            )),
        }
    }

    /// Sets a header parameter serialised in the `simple` style; null sends no header.
    pub fn header_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, explode: bool) {
        match params::to_json(name, value) {
            Ok(value) => {
                if let Some(text) = params::header_text(&value, explode) {
                    self.header(name, &text);
                }
            }
            Err(message) => self.remember(message),
        }
    }

    /// Adds a cookie parameter serialised in the `form` style to the `Cookie` header, which
    /// holds every cookie parameter of the request, joined by `; `.
    pub fn cookie_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, explode: bool) {
        match params::to_json(name, value) {
            Ok(value) => {
                self.cookies
                    .extend(params::cookie_pairs(name, &value, explode));
                if !self.cookies.is_empty() {
                    let joined = self.cookies.join("; ");
                    self.header(reqwest::header::COOKIE.as_str(), &joined);
                }
            }
            Err(message) => self.remember(message),
        }
    }

    /// Sets a header, replacing any earlier value of the same name on this request.
    ///
    /// An invalid name or value is remembered, and [`Client::execute`](super::Client::execute)
    /// returns it as [`Error::InvalidRequest`].
    pub fn header(&mut self, name: &str, value: &str) {
        match parse_header(name, value) {
            Ok((name, value)) => {
                self.headers.insert(name, value);
            }
            Err(message) => self.remember(message),
        }
    }

    /// Sets `name: value` only if neither this request's headers, its options nor the client's
    /// default headers set it.
    pub fn header_default(&mut self, name: &str, value: &str) {
        match parse_header(name, value) {
            Ok((name, value)) => {
                self.header_defaults.insert(name, value);
            }
            Err(message) => self.remember(message),
        }
    }

    /// Sets the `Accept` header.
    pub fn accept(&mut self, media: &str) {
        self.header(ACCEPT.as_str(), media);
    }

    /// Leaves the body of a response whose status `statuses` accepts on the connection, to be
    /// read through a [`Download`](super::Download) (see
    /// [`RawResponse::download`](super::RawResponse::download)); other bodies are read whole.
    pub fn stream_body_when(&mut self, statuses: fn(u16) -> bool) {
        self.stream_body = Some(statuses);
    }

    /// Sends `body` as JSON with `Content-Type: application/json`.
    pub fn json_body<T: Serialize>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body("application/json", Body::Bytes(bytes)),
            Err(error) => self.remember(format!("could not serialise the JSON body: {error}")),
        }
    }

    /// Sends `body` as `application/x-www-form-urlencoded`.
    ///
    /// `body` must serialise to an object; arrays repeat the key, nested objects become
    /// `key[sub]=value`, and null or absent fields are skipped.
    pub fn form_body<T: Serialize>(&mut self, body: &T) {
        match top_level_fields(body, "form") {
            Ok(fields) => {
                let mut pairs = Vec::new();
                for (name, value) in &fields {
                    form_pairs(name, value, &mut pairs);
                }
                let encoded = encode_form(&pairs).into_bytes();
                self.set_body("application/x-www-form-urlencoded", Body::Bytes(encoded));
            }
            Err(message) => self.remember(message),
        }
    }

    /// Sends `body` as `multipart/form-data`.
    ///
    /// `body` must serialise to an object; each field becomes one text part (strings as they
    /// are, other values as JSON), arrays repeat the field, and null or absent fields are skipped.
    pub fn multipart_body<T: Serialize>(&mut self, body: &T) {
        let fields = match top_level_fields(body, "multipart") {
            Ok(fields) => fields,
            Err(message) => return self.remember(message),
        };
        let mut parts = Vec::new();
        for (name, value) in fields {
            let values = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for value in values {
                let value = match value {
                    Value::Null => continue,
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                parts.push(MultipartPart::Text {
                    name: name.clone(),
                    value,
                    content_type: None,
                });
            }
        }
        self.extend_multipart(parts);
    }

    /// Sends `body` as `application/x-www-form-urlencoded` by OpenAPI's rules: each property
    /// as a query parameter of the style and explode its `encoding` gives in `encodings`
    /// (`form`, exploded, for any other), so a list repeats its name and an object's fields
    /// become pairs of their own (`city=…`), or `address[city]=…` with `deepObject`. Null and
    /// absent properties are left out.
    pub fn form_fields<T: Serialize>(&mut self, body: &T, encodings: &[(&str, Style, bool)]) {
        let fields = match top_level_fields(body, "form") {
            Ok(fields) => fields,
            Err(message) => return self.remember(message),
        };
        let mut pairs = Vec::new();
        for (name, value) in &fields {
            let (style, explode) = encodings
                .iter()
                .find(|(property, _, _)| property == name)
                .map_or((Style::Form, true), |&(_, style, explode)| (style, explode));
            pairs.extend(params::query_pairs(name, value, style, explode, false));
        }
        // The pairs are percent-encoded already; a form writes the space as `+`.
        let encoded = pairs
            .iter()
            .map(|(name, value)| format!("{name}={value}").replace("%20", "+"))
            .collect::<Vec<_>>()
            .join("&");
        self.set_body(
            "application/x-www-form-urlencoded",
            Body::Bytes(encoded.into_bytes()),
        );
    }

    /// Adds one property of a multipart body: a string as a text part, a number or boolean as
    /// its text, a list as one part per item, an object as JSON text (`application/json`); with
    /// an `encoding` content type that is JSON, the whole value as JSON text of that type. Null
    /// adds nothing.
    pub fn multipart_field<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) {
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(error) => {
                return self.remember(format!(
                    "could not serialise the multipart field `{name}`: {error}"
                ))
            }
        };
        let json_type = content_type.filter(|t| super::response::is_json_content_type(t));
        let values = match value {
            _ if json_type.is_some() => vec![value],
            Value::Array(items) => items,
            other => vec![other],
        };
        let mut parts = Vec::new();
        for value in values {
            let (value, content_type) = match (value, json_type) {
                (Value::Null, _) => continue,
                (value, Some(json)) => (value.to_string(), Some(json.to_owned())),
                (Value::String(s), _) => (s, content_type.map(str::to_owned)),
                (value @ (Value::Object(_) | Value::Array(_)), _) => {
                    (value.to_string(), Some("application/json".to_owned()))
                }
                (value, _) => (value.to_string(), content_type.map(str::to_owned)),
            };
            parts.push(MultipartPart::Text {
                name: name.to_owned(),
                value,
                content_type,
            });
        }
        self.extend_multipart(parts);
    }

    /// Adds a file to the multipart body: its file name (else `name`) and content type (else
    /// `default_content_type`).
    pub fn multipart_file_part(&mut self, name: &str, file: &FilePart, default_content_type: &str) {
        self.multipart_file(
            name,
            file.name().unwrap_or(name),
            file.media_type().unwrap_or(default_content_type),
            file.data().to_vec(),
        );
    }

    /// Adds a file part to the multipart body (making the body multipart if it was not).
    pub fn multipart_file(
        &mut self,
        name: &str,
        file_name: &str,
        content_type: &str,
        data: Vec<u8>,
    ) {
        if reqwest::multipart::Part::text("")
            .mime_str(content_type)
            .is_err()
        {
            return self.remember(format!(
                "invalid content type for multipart file field `{name}`"
            ));
        }
        self.extend_multipart(vec![MultipartPart::File {
            name: name.to_owned(),
            file_name: file_name.to_owned(),
            content_type: content_type.to_owned(),
            data,
        }]);
    }

    /// Sends `body` as text with the given content type.
    pub fn text_body(&mut self, content_type: &str, body: String) {
        self.set_body(content_type, Body::Bytes(body.into_bytes()));
    }

    /// Sends `body` as bytes with the given content type.
    pub fn bytes_body(&mut self, content_type: &str, body: Vec<u8>) {
        self.set_body(content_type, Body::Bytes(body));
    }

    /// Sets the per-call options, replacing any set before.
    pub fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    fn set_body(&mut self, content_type: &str, body: Body) {
        self.header(CONTENT_TYPE.as_str(), content_type);
        self.body = body;
    }

    fn extend_multipart(&mut self, parts: Vec<MultipartPart>) {
        // Reqwest sets the multipart content type itself, with the boundary.
        self.headers.remove(CONTENT_TYPE);
        match &mut self.body {
            Body::Multipart(existing) => existing.extend(parts),
            body => *body = Body::Multipart(parts),
        }
    }

    /// Keeps the first problem found; later ones are usually consequences of it.
    fn remember(&mut self, message: String) {
        self.error.get_or_insert(message);
    }
}

impl fmt::Debug for Request {
    /// Shows the shape of the request but no values: headers and query parameters may hold
    /// secrets passed as operation parameters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(name, _)| name.as_str()).collect();
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path_template", &self.path_template)
            .field("query", &query)
            .field("headers", &headers)
            .field("body", &self.body.kind())
            .field("options", &self.options)
            .field("error", &self.error)
            .finish()
    }
}

/// Serialises a body to a JSON object and returns its fields, for form and multipart bodies.
fn top_level_fields<T: Serialize>(
    body: &T,
    kind: &str,
) -> Result<serde_json::Map<String, Value>, String> {
    match serde_json::to_value(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(format!("a {kind} body must serialise to an object")),
        Err(error) => Err(format!("could not serialise the {kind} body: {error}")),
    }
}

/// Per-call options, which override the client's settings for one request.
///
/// ```ignore
/// let options = RequestOptions::new()
///     .header("Intercom-Version", "2.11")
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::none())
///     .max_response_size(512 * 1024 * 1024);
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(super) headers: HeaderMap,
    pub(super) timeout: Option<Duration>,
    pub(super) retry_policy: Option<RetryPolicy>,
    pub(super) max_response_size: Option<u64>,
    pub(super) idle_timeout: Option<Duration>,
    pub(super) max_event_size: Option<u64>,
    pub(super) resume: u32,
    pub(super) error: Option<String>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a header, overriding the client's default headers and the operation's own.
    ///
    /// An invalid name or value makes the call fail with [`Error::InvalidRequest`].
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match parse_header(name, value) {
            Ok((name, value)) => {
                self.headers.insert(name, value);
            }
            Err(message) => {
                self.error.get_or_insert(message);
            }
        }
        self
    }

    /// Sets the whole-request timeout of this call.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy of this call.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Sets how long an event stream may receive nothing before it ends with an idle
    /// [`Error::Timeout`] (see [`ClientBuilder::stream_idle_timeout`](super::ClientBuilder::stream_idle_timeout)).
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// Sets the largest event, in bytes, an event stream of this call accepts (see
    /// [`ClientBuilder::max_event_size`](super::ClientBuilder::max_event_size)).
    #[must_use]
    pub fn max_event_size(mut self, bytes: u64) -> Self {
        self.max_event_size = Some(bytes);
        self
    }

    /// Lets an event stream (`text/event-stream`) that is cut, or goes idle, reconnect up to
    /// `reconnections` times in a row, sending the last event id it received as
    /// `Last-Event-ID` so that the server resumes after it (off, 0, by default).
    ///
    /// A stream reconnects only once it has received an event id: without one the server could
    /// only start again from the beginning. It waits the reconnection time the server set with
    /// `retry` (else [`DEFAULT_RECONNECTION_TIME`](super::stream::DEFAULT_RECONNECTION_TIME)),
    /// and the count starts again with each event received. Use it only where the API documents
    /// `Last-Event-ID`: another server would send the whole stream again.
    #[must_use]
    pub fn resume(mut self, reconnections: u32) -> Self {
        self.resume = reconnections;
        self
    }

    /// Sets the largest response body, in bytes, this call accepts (for an export or a download
    /// bigger than the client's limit); a larger one ends the call with [`Error::TooLarge`].
    /// See [`ClientBuilder::max_response_size`](super::ClientBuilder::max_response_size).
    #[must_use]
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }
}

impl fmt::Debug for RequestOptions {
    /// Shows header names but not their values, which may be credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("RequestOptions")
            .field("headers", &headers)
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.retry_policy)
            .field("max_response_size", &self.max_response_size)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_event_size", &self.max_event_size)
            .field("resume", &self.resume)
            .field("error", &self.error)
            .finish()
    }
}
