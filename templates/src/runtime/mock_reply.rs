//! What the mock answers: a [`Reply`] (status, headers, body, delay), a body of server-sent
//! events ([`SseEvent`], framed as `text/event-stream`), and the pages of a list of items served
//! the way an operation's [`Pagination`] says.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::mock_operation::{PageNext, PageRequest, Pagination, Received};
use super::request::encode_query_component;

/// One response of the mock.
#[derive(Clone, Debug)]
pub struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) delay: Option<Duration>,
}

impl Reply {
    /// `status` with `body` as JSON.
    ///
    /// # Panics
    /// When `body` does not serialise to JSON (a map with non-string keys, a failing
    /// `Serialize` impl): the test's own data is wrong.
    pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> Self {
        let body = serde_json::to_vec(body)
            .unwrap_or_else(|error| panic!("the mock's reply body does not serialise: {error}"));
        Reply::raw(status, &[("content-type", "application/json")], body)
    }

    /// `status` with no body.
    pub fn empty(status: u16) -> Self {
        Reply::raw(status, &[], Vec::new())
    }

    /// `status` with these headers and bytes, exactly: the escape hatch for what the
    /// description does not say.
    pub fn raw(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
            delay: None,
        }
    }

    /// A 200 `text/event-stream` response carrying `events`.
    pub fn sse(events: &[SseEvent]) -> Self {
        Reply::raw(
            200,
            &[
                ("content-type", "text/event-stream"),
                ("cache-control", "no-cache"),
            ],
            sse_body(events),
        )
    }

    /// The same reply with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The same reply, sent after `delay` (for timeout tests).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    pub(crate) fn template(&self) -> wiremock::ResponseTemplate {
        let mut template = wiremock::ResponseTemplate::new(self.status);
        for (name, value) in &self.headers {
            template = template.append_header(name.as_str(), value.as_str());
        }
        // `set_body_raw` would replace the content type with its own argument.
        template = template.set_body_bytes(self.body.clone());
        match self.delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

/// One server-sent event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEvent {
    event: Option<String>,
    data: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    comment: Option<String>,
}

impl SseEvent {
    /// An event whose `data` is `text` (a text of several lines becomes several `data:` lines).
    pub fn data(text: impl Into<String>) -> Self {
        SseEvent {
            data: Some(text.into()),
            ..SseEvent::default()
        }
    }

    /// An event whose `data` is `value` as JSON.
    ///
    /// # Panics
    /// When `value` does not serialise to JSON: the test's own data is wrong.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Self {
        let text = serde_json::to_string(value)
            .unwrap_or_else(|error| panic!("the mock's event does not serialise: {error}"));
        SseEvent::data(text)
    }

    /// A comment line (`: text`), which a client ignores: a keep-alive.
    pub fn comment(text: impl Into<String>) -> Self {
        SseEvent {
            comment: Some(text.into()),
            ..SseEvent::default()
        }
    }

    /// The same event with an `event:` name (line breaks become spaces).
    pub fn event(mut self, name: &str) -> Self {
        self.event = Some(one_line(name));
        self
    }

    /// The same event with an `id:` (line breaks become spaces).
    pub fn id(mut self, id: &str) -> Self {
        self.id = Some(one_line(id));
        self
    }

    /// The same event with a `retry:` reconnection time in milliseconds.
    pub fn retry(mut self, milliseconds: u64) -> Self {
        self.retry = Some(milliseconds);
        self
    }

    /// The event framed as `text/event-stream`: its fields, one per line, then a blank line.
    pub fn frame(&self) -> String {
        let mut out = String::new();
        if let Some(comment) = &self.comment {
            for line in lines(comment) {
                out.push_str(&format!(": {line}\n"));
            }
        }
        if let Some(event) = &self.event {
            out.push_str(&format!("event: {event}\n"));
        }
        if let Some(id) = &self.id {
            out.push_str(&format!("id: {id}\n"));
        }
        if let Some(retry) = self.retry {
            out.push_str(&format!("retry: {retry}\n"));
        }
        if let Some(data) = &self.data {
            for line in lines(data) {
                out.push_str(&format!("data: {line}\n"));
            }
        }
        out.push('\n');
        out
    }
}

/// The `text/event-stream` body of `events`, in order.
pub fn sse_body(events: &[SseEvent]) -> String {
    events.iter().map(SseEvent::frame).collect()
}

/// The lines of `text`, split at `\r\n`, `\r` or `\n` as the event-stream format does.
fn lines(text: &str) -> Vec<&str> {
    text.split("\r\n")
        .flat_map(|part| part.split(['\r', '\n']))
        .collect()
}

fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// The prefix of the cursors the mock makes up; what follows is the offset of the next page.
const CURSOR_PREFIX: &str = "mock-cursor-";

/// The page of `items` that `request` asks for, with the way to the next one, or why the
/// request cannot be served.
pub(crate) fn page_reply(
    pagination: &Pagination,
    items: &[Value],
    page_size: usize,
    request: &Received<'_>,
    base_url: &str,
) -> Result<Reply, String> {
    let number = |name: &str| -> Result<Option<usize>, String> {
        match request.query.iter().find(|(n, _)| n == name) {
            None => Ok(None),
            Some((_, v)) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("the page parameter `{name}` is {v:?}, not a count")),
        }
    };
    let (offset, size, next_value, next_param) = match pagination.request {
        PageRequest::Offset { offset, limit } => {
            let size = number(limit)?.unwrap_or(page_size);
            let start = number(offset)?.unwrap_or(0);
            (start, size, start.saturating_add(size).to_string(), offset)
        }
        PageRequest::Page {
            page,
            per_page,
            first,
        } => {
            let size = number(per_page)?.unwrap_or(page_size);
            let first = usize::try_from(first).unwrap_or(usize::MAX);
            let number = number(page)?.unwrap_or(first);
            let Some(index) = number.checked_sub(first) else {
                return Err(format!("page {number} is before the first page, {first}"));
            };
            (
                index.saturating_mul(size),
                size,
                number.saturating_add(1).to_string(),
                page,
            )
        }
        PageRequest::Cursor { cursor, limit } => {
            let size = match limit {
                Some(limit) => number(limit)?.unwrap_or(page_size),
                None => page_size,
            };
            let start: usize = match request.query.iter().find(|(n, _)| n == cursor) {
                None => 0,
                Some((_, v)) => v
                    .strip_prefix(CURSOR_PREFIX)
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| format!("the cursor {v:?} is not one the mock gave"))?,
            };
            let next = format!("{CURSOR_PREFIX}{}", start.saturating_add(size));
            (start, size, next, cursor)
        }
    };
    if size == 0 {
        return Err("the page size is 0".to_string());
    }
    let end = offset.saturating_add(size).min(items.len());
    let page: Vec<Value> = items.get(offset..end).unwrap_or_default().to_vec();
    let more = end < items.len();
    let mut body = Value::Null;
    set_pointer(&mut body, pagination.items, Value::Array(page));
    let next_url = || {
        let mut query: Vec<(String, String)> = request
            .query
            .iter()
            .filter(|(n, _)| n != next_param)
            .cloned()
            .collect();
        query.push((next_param.to_string(), next_value.clone()));
        let query: Vec<String> = query
            .iter()
            .map(|(n, v)| {
                format!(
                    "{}={}",
                    encode_query_component(n),
                    encode_query_component(v)
                )
            })
            .collect();
        format!("{base_url}{}?{}", request.path, query.join("&"))
    };
    let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
    match pagination.next {
        PageNext::Stop => {}
        PageNext::Cursor(pointer) if more => {
            set_pointer(&mut body, pointer, Value::String(next_value.clone()))
        }
        PageNext::Url(pointer) if more => {
            set_pointer(&mut body, pointer, Value::String(next_url()))
        }
        PageNext::LinkHeader if more => headers.push((
            "link".to_string(),
            format!("<{}>; rel=\"next\"", next_url()),
        )),
        PageNext::Cursor(_) | PageNext::Url(_) | PageNext::LinkHeader => {}
    }
    let body = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
    Ok(Reply {
        status: 200,
        headers,
        body,
        delay: None,
    })
}

/// Sets the value at a JSON pointer, making the objects on the way (`""` is the root).
pub(crate) fn set_pointer(root: &mut Value, pointer: &str, value: Value) {
    let mut at = root;
    for token in pointer.split('/').skip(1) {
        let key = token.replace("~1", "/").replace("~0", "~");
        if !at.is_object() {
            *at = Value::Object(serde_json::Map::new());
        }
        let Value::Object(map) = at else { return };
        at = map.entry(key).or_insert(Value::Null);
    }
    *at = value;
}
