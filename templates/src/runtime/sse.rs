//! The `text/event-stream` parser, following the HTML standard's rules for interpreting an event
//! stream (§9.2.6 "Server-sent events").
//!
//! - The bytes are UTF-8, one leading byte order mark is skipped, and invalid sequences become
//!   U+FFFD.
//! - A line ends at CR LF, LF or CR. A blank line dispatches the event; a line starting with `:`
//!   is a comment (a keep-alive) and is skipped; otherwise the field name runs to the first `:`
//!   and the value follows it, less one leading space (a line without `:` is a field with an
//!   empty value).
//! - `data` appends its value and a line feed to the data buffer; `event` sets the event type;
//!   `id` sets the last event id, unless the value holds U+0000 NULL; `retry` sets the
//!   reconnection time when its value is ASCII digits only; other fields are ignored.
//! - Dispatching with an empty data buffer dispatches nothing; else the final line feed is
//!   removed, and the event carries the type (`message` when none was set) and the last event
//!   id, which persists from event to event until an `id` field changes it.
//! - Bytes after the last blank line (an event the stream ended inside) are never dispatched:
//!   [`SseDecoder::finish`] tells whether there were any.
//!
//! The decoder is pushed chunks as they arrive, in any sizes: it gives the same events however
//! the stream is cut, holds at most one partial line and one event's fields, and refuses an
//! event larger than its limit.

use bytes::Bytes;

/// The UTF-8 byte order mark, skipped once at the start of the stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One dispatched event, before its data is decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The event type, `None` when the event set none (the standard's `message`).
    pub name: Option<String>,
    /// The data lines joined with line feeds.
    pub data: String,
    /// The last event id at dispatch, `None` when it is empty.
    pub id: Option<String>,
    /// The reconnection time, in milliseconds, a `retry` field of this event's block set.
    pub retry: Option<u64>,
}

/// An event grew past the decoder's limit, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Oversized {
    /// The limit the event passed.
    pub limit: usize,
}

/// The state of the parsing rules: the buffers one event's lines fill.
#[derive(Debug, Default)]
struct Fields {
    data: String,
    name: String,
    last_id: String,
    retry: Option<u64>,
    reconnection: Option<u64>,
    /// True once a line other than a comment was seen since the last dispatch.
    in_event: bool,
}

/// An incremental `text/event-stream` parser: [`push`](Self::push) a chunk, then call
/// [`next_frame`](Self::next_frame) until it returns `None`, then push the next chunk.
#[derive(Debug)]
pub struct SseDecoder {
    chunk: Bytes,
    pos: usize,
    /// The start of a line that the last chunk ended inside.
    line: Vec<u8>,
    /// The bytes at the very start that may still be a byte order mark.
    bom_prefix: Vec<u8>,
    bom_done: bool,
    /// The last line ended with CR, so an LF starting the next chunk ends nothing.
    after_cr: bool,
    fields: Fields,
    limit: usize,
    failed: bool,
}

impl SseDecoder {
    /// A decoder refusing any event whose fields (with the line being read) pass `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Self {
            chunk: Bytes::new(),
            pos: 0,
            line: Vec::new(),
            bom_prefix: Vec::new(),
            bom_done: false,
            after_cr: false,
            fields: Fields::default(),
            limit,
            failed: false,
        }
    }

    /// A decoder that continues a stream after a reconnection: it starts with the last event id
    /// and reconnection time the earlier connection left.
    pub fn resuming(limit: usize, last_id: String, reconnection: Option<u64>) -> Self {
        let mut decoder = Self::new(limit);
        decoder.fields.last_id = last_id;
        decoder.fields.reconnection = reconnection;
        decoder
    }

    /// The last event id (empty when none was set or an `id` field emptied it).
    pub fn last_event_id(&self) -> &str {
        &self.fields.last_id
    }

    /// The reconnection time, in milliseconds, the latest `retry` field set.
    pub fn reconnection_time(&self) -> Option<u64> {
        self.fields.reconnection
    }

    /// The bytes the decoder keeps reserved for the partial line and the event being read:
    /// bounded by the largest line and event seen, however long the stream.
    pub fn reserved(&self) -> usize {
        self.line.capacity()
            + self.bom_prefix.capacity()
            + self.fields.data.capacity()
            + self.fields.name.capacity()
            + self.fields.last_id.capacity()
    }

    /// Adds the next chunk of the stream. Call it when [`next_frame`](Self::next_frame) has returned `None`:
    /// bytes of the previous chunk not read yet are kept before it.
    pub fn push(&mut self, chunk: Bytes) {
        let mut chunk = if self.pos < self.chunk.len() {
            let mut joined = self.chunk.slice(self.pos..).to_vec();
            joined.extend_from_slice(&chunk);
            Bytes::from(joined)
        } else {
            chunk
        };
        if !self.bom_done {
            let mut head = std::mem::take(&mut self.bom_prefix);
            head.extend_from_slice(&chunk);
            if head.len() < BOM.len() && BOM.starts_with(&head) {
                self.bom_prefix = head;
                chunk = Bytes::new();
            } else {
                self.bom_done = true;
                let skip = if head.starts_with(BOM) { BOM.len() } else { 0 };
                chunk = Bytes::from(head).slice(skip..);
            }
        }
        self.chunk = chunk;
        self.pos = 0;
    }

    /// The next event the pushed bytes complete, `None` when they complete no more, or the
    /// refusal of an event past the limit (after which the decoder gives nothing more).
    pub fn next_frame(&mut self) -> Option<Result<Frame, Oversized>> {
        while !self.failed {
            let rest = self.chunk.get(self.pos..).unwrap_or_default();
            let first = *rest.first()?;
            if self.after_cr {
                self.after_cr = false;
                if first == b'\n' {
                    self.pos += 1;
                    continue;
                }
            }
            let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') else {
                if self.fields.size() + self.line.len() + rest.len() > self.limit {
                    return Some(Err(self.fail()));
                }
                self.line.extend_from_slice(rest);
                self.pos = self.chunk.len();
                return None;
            };
            self.after_cr = rest.get(end) == Some(&b'\r');
            let (start, line_end) = (self.pos, self.pos + end);
            self.pos = line_end + 1;
            let line = self.chunk.get(start..line_end).unwrap_or_default();
            let outcome = if self.line.is_empty() {
                self.fields.line(line, self.limit)
            } else {
                self.line.extend_from_slice(line);
                let whole = std::mem::take(&mut self.line);
                let outcome = self.fields.line(&whole, self.limit);
                // The buffer keeps its capacity for the next line cut between chunks.
                self.line = whole;
                self.line.clear();
                outcome
            };
            match outcome {
                Ok(Some(frame)) => return Some(Ok(frame)),
                Ok(None) => {}
                Err(oversized) => {
                    self.failed = true;
                    return Some(Err(oversized));
                }
            }
        }
        None
    }

    /// At the end of the stream: true when it ended inside an event (bytes after the last blank
    /// line other than comments), which the rules never dispatch.
    pub fn finish(&self) -> bool {
        !self.line.is_empty() || !self.bom_prefix.is_empty() || self.fields.in_event
    }

    fn fail(&mut self) -> Oversized {
        self.failed = true;
        Oversized { limit: self.limit }
    }
}

impl Fields {
    /// The bytes the event being read holds.
    fn size(&self) -> usize {
        self.data.len() + self.name.len()
    }

    /// Interprets one line (without its end).
    fn line(&mut self, line: &[u8], limit: usize) -> Result<Option<Frame>, Oversized> {
        let Some(&first) = line.first() else {
            return Ok(self.dispatch());
        };
        if first == b':' {
            return Ok(None);
        }
        self.in_event = true;
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = line.get(colon + 1..).unwrap_or_default();
                let field = line.get(..colon).unwrap_or_default();
                (field, value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        match field {
            b"data" => {
                if self.size() + value.len() + 1 > limit {
                    return Err(Oversized { limit });
                }
                push_utf8(&mut self.data, value);
                self.data.push('\n');
            }
            b"event" => {
                if self.data.len() + value.len() > limit {
                    return Err(Oversized { limit });
                }
                self.name.clear();
                push_utf8(&mut self.name, value);
            }
            b"id" if !value.contains(&0) => {
                self.last_id.clear();
                push_utf8(&mut self.last_id, value);
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                let millis = value.iter().fold(0u64, |millis, digit| {
                    millis
                        .saturating_mul(10)
                        .saturating_add(u64::from(digit - b'0'))
                });
                self.retry = Some(millis);
                self.reconnection = Some(millis);
            }
            _ => {}
        }
        Ok(None)
    }

    /// The blank line: the event the buffers hold, if its data is not empty.
    fn dispatch(&mut self) -> Option<Frame> {
        self.in_event = false;
        let retry = self.retry.take();
        if self.data.is_empty() {
            self.name.clear();
            return None;
        }
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        let name = (!self.name.is_empty()).then(|| std::mem::take(&mut self.name));
        Some(Frame {
            name,
            data: std::mem::take(&mut self.data),
            id: (!self.last_id.is_empty()).then(|| self.last_id.clone()),
            retry,
        })
    }
}

/// Appends bytes decoded as UTF-8, each invalid sequence replaced with U+FFFD.
fn push_utf8(out: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(text) => out.push_str(text),
        Err(_) => out.push_str(&String::from_utf8_lossy(bytes)),
    }
}
