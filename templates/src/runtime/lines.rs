//! The framing of JSON streams that are not event streams: JSON lines (`application/jsonl`,
//! `application/x-ndjson` and their aliases), one JSON text per line, and JSON text sequences
//! (`application/json-seq`, RFC 7464), each JSON text after an RS (U+001E) character.
//!
//! - JSON lines: a record ends at LF; a CR before it and blank lines are dropped.
//! - JSON text sequences: a record starts at RS and ends at the first LF outside a string where
//!   its brackets are balanced, so a pretty-printed text is one record and each record is handed
//!   out as soon as its line ends, not when the next RS arrives. Bytes before the first RS are
//!   dropped, as the RFC asks of a parser.
//!
//! At a clean end of the stream a last record without its line end is handed out as well
//! ([`LinesDecoder::close`]); whether it is whole is for the JSON decoder to say.

use bytes::Bytes;

use super::sse::Oversized;

/// The record separator of JSON text sequences.
const RS: u8 = 0x1E;

/// How records are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    /// One JSON text per line.
    Newline,
    /// RFC 7464: each JSON text after an RS.
    RecordSeparator,
}

/// Where a JSON text sequence's scanner stands in its record.
#[derive(Debug, Default)]
struct Scan {
    /// An RS has opened a record.
    open: bool,
    /// It holds more than whitespace.
    content: bool,
    depth: usize,
    in_string: bool,
    escaped: bool,
}

/// An incremental decoder of JSON lines or JSON text sequences: [`push`](Self::push) a chunk,
/// then call [`next_record`](Self::next_record) until it returns `None`.
#[derive(Debug)]
pub struct LinesDecoder {
    separator: Separator,
    chunk: Bytes,
    pos: usize,
    record: Vec<u8>,
    scan: Scan,
    limit: usize,
    failed: bool,
}

impl LinesDecoder {
    /// A decoder refusing any record longer than `limit` bytes.
    pub fn new(separator: Separator, limit: usize) -> Self {
        Self {
            separator,
            chunk: Bytes::new(),
            pos: 0,
            record: Vec::new(),
            scan: Scan::default(),
            limit,
            failed: false,
        }
    }

    /// Adds the next chunk; call it once [`next_record`](Self::next_record) gave `None`.
    pub fn push(&mut self, chunk: Bytes) {
        if self.pos < self.chunk.len() {
            let mut joined = self.chunk.slice(self.pos..).to_vec();
            joined.extend_from_slice(&chunk);
            self.chunk = Bytes::from(joined);
        } else {
            self.chunk = chunk;
        }
        self.pos = 0;
    }

    /// The next whole record (trimmed of whitespace), `None` when the pushed bytes complete no
    /// more, or the refusal of a record past the limit (after which nothing more is given).
    pub fn next_record(&mut self) -> Option<Result<String, Oversized>> {
        while !self.failed {
            let rest = self.chunk.get(self.pos..).unwrap_or_default();
            if rest.is_empty() {
                return None;
            }
            let (taken, step) = match self.separator {
                Separator::Newline => match rest.iter().position(|&b| b == b'\n') {
                    Some(end) => (end + 1, Step::End),
                    None => (rest.len(), Step::Partial),
                },
                Separator::RecordSeparator => Self::scan_sequence(&mut self.scan, rest),
            };
            let piece = rest.get(..taken).unwrap_or_default();
            self.pos += taken;
            if matches!(step, Step::Skip) {
                continue;
            }
            if self.record.len() + piece.len() > self.limit {
                self.failed = true;
                return Some(Err(Oversized { limit: self.limit }));
            }
            self.record.extend_from_slice(piece);
            if matches!(step, Step::End) {
                if let Some(record) = self.take_record() {
                    return Some(Ok(record));
                }
            }
        }
        None
    }

    /// At a clean end of the stream: ends a last record left without its line end, which
    /// [`next_record`](Self::next_record) then hands out.
    pub fn close(&mut self) {
        let end: &'static [u8] = match self.separator {
            Separator::Newline => b"\n",
            Separator::RecordSeparator => b"\x1e",
        };
        self.push(Bytes::from_static(end));
    }

    /// Scans a JSON text sequence: how many bytes of `rest` to take, and what they are.
    fn scan_sequence(scan: &mut Scan, rest: &[u8]) -> (usize, Step) {
        if !scan.open {
            // Outside a record everything up to the next RS is dropped, the RS too.
            return match rest.iter().position(|&b| b == RS) {
                Some(rs) => {
                    *scan = Scan {
                        open: true,
                        ..Scan::default()
                    };
                    (rs + 1, Step::Skip)
                }
                None => (rest.len(), Step::Skip),
            };
        }
        for (index, &byte) in rest.iter().enumerate() {
            if byte == RS {
                // A new record starts: the one before it ends here, whole or not.
                scan.open = false;
                return (index, Step::End);
            }
            if scan.in_string {
                match byte {
                    _ if scan.escaped => scan.escaped = false,
                    b'\\' => scan.escaped = true,
                    b'"' => scan.in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'\n' if scan.depth == 0 && scan.content => {
                    scan.open = false;
                    return (index + 1, Step::End);
                }
                b'"' => scan.in_string = true,
                b'{' | b'[' => scan.depth += 1,
                b'}' | b']' => scan.depth = scan.depth.saturating_sub(1),
                _ => {}
            }
            scan.content |= !byte.is_ascii_whitespace();
        }
        (rest.len(), Step::Partial)
    }

    /// The record read so far, trimmed, when it is not blank; the buffer is emptied.
    fn take_record(&mut self) -> Option<String> {
        let text = String::from_utf8_lossy(self.record.trim_ascii()).into_owned();
        self.record.clear();
        (!text.is_empty()).then_some(text)
    }
}

/// What the bytes a scan took are.
enum Step {
    /// Outside any record: dropped.
    Skip,
    /// Part of the record, which goes on.
    Partial,
    /// The end of the record.
    End,
}
