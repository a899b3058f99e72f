//! The `text/event-stream` parser against the HTML standard's rules, with every stream cut at
//! every byte boundary.

use apigen_runtime::runtime::sse::{Frame, Oversized, SseDecoder};
use bytes::Bytes;

/// Decodes `stream` pushed in the given pieces; returns the events and whether it ended
/// inside one.
fn decode_pieces(pieces: &[&[u8]]) -> (Vec<Frame>, bool) {
    let mut decoder = SseDecoder::new(usize::MAX);
    let mut frames = Vec::new();
    for piece in pieces {
        decoder.push(Bytes::copy_from_slice(piece));
        while let Some(frame) = decoder.next_frame() {
            frames.push(frame.expect("no limit"));
        }
    }
    (frames, decoder.finish())
}

fn decode(stream: &[u8]) -> Vec<Frame> {
    decode_pieces(&[stream]).0
}

fn frame(name: Option<&str>, data: &str, id: Option<&str>) -> Frame {
    Frame {
        name: name.map(str::to_owned),
        data: data.to_owned(),
        id: id.map(str::to_owned),
        retry: None,
    }
}

/// Every way of cutting `stream` in two and in three gives the events of the whole.
fn assert_same_when_cut(stream: &[u8]) {
    let whole = decode_pieces(&[stream]);
    for i in 0..=stream.len() {
        let (a, b) = stream.split_at(i);
        assert_eq!(decode_pieces(&[a, b]), whole, "cut at {i}");
        for j in i..=stream.len() {
            let (b, c) = stream[i..].split_at(j - i);
            assert_eq!(decode_pieces(&[a, b, c]), whole, "cut at {i} and {j}");
        }
    }
    let bytes: Vec<&[u8]> = stream.chunks(1).collect();
    assert_eq!(decode_pieces(&bytes), whole, "byte by byte");
}

#[test]
fn data_lines_are_joined_with_line_feeds() {
    assert_eq!(
        decode(b"data: first\ndata: second\ndata\ndata:\n\n"),
        vec![frame(None, "first\nsecond\n\n", None)]
    );
}

#[test]
fn one_leading_space_is_removed_from_values() {
    assert_eq!(
        decode(b"data:no space\n\ndata:  two spaces\n\n"),
        vec![
            frame(None, "no space", None),
            frame(None, " two spaces", None)
        ]
    );
}

#[test]
fn an_event_without_data_is_not_dispatched_and_its_type_is_reset() {
    assert_eq!(
        decode(b"event: lonely\n\ndata: x\n\n"),
        vec![frame(None, "x", None)]
    );
}

#[test]
fn event_names_and_ids_are_kept_and_the_id_persists() {
    assert_eq!(
        decode(b"event: delta\nid: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"),
        vec![
            frame(Some("delta"), "a", Some("7")),
            frame(None, "b", Some("7")),
            frame(None, "c", None),
        ]
    );
}

#[test]
fn an_id_holding_nul_is_ignored() {
    assert_eq!(
        decode(b"id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"),
        vec![frame(None, "a", Some("1")), frame(None, "b", Some("1"))]
    );
}

#[test]
fn an_id_only_block_changes_the_id_for_the_next_event() {
    assert_eq!(
        decode(b"id: 5\n\ndata: a\n\n"),
        vec![frame(None, "a", Some("5"))]
    );
}

#[test]
fn retry_takes_digits_only() {
    let mut decoder = SseDecoder::new(usize::MAX);
    decoder.push(Bytes::from_static(
        b"retry: 1500\ndata: a\n\nretry: 2s\ndata: b\n\n",
    ));
    let first = decoder.next_frame().unwrap().unwrap();
    assert_eq!(first.retry, Some(1500));
    let second = decoder.next_frame().unwrap().unwrap();
    assert_eq!(second.retry, None);
    assert_eq!(decoder.reconnection_time(), Some(1500));
    decoder.push(Bytes::from_static(
        b"retry: \nretry:99999999999999999999999\n\n",
    ));
    assert!(decoder.next_frame().is_none());
    assert_eq!(decoder.reconnection_time(), Some(u64::MAX));
}

#[test]
fn comments_and_unknown_fields_are_skipped() {
    assert_eq!(
        decode(b": keep-alive\n:\nfoo: bar\nDATA: no\ndata: yes\n: inside\n\n"),
        vec![frame(None, "yes", None)]
    );
    let (frames, unfinished) = decode_pieces(&[b": only a comment\n"]);
    assert!(frames.is_empty());
    assert!(!unfinished, "a comment is no event");
}

#[test]
fn cr_lf_and_crlf_all_end_lines() {
    let expected = vec![frame(Some("e"), "a\nb", None), frame(None, "c", None)];
    assert_eq!(
        decode(b"event: e\rdata: a\rdata: b\r\rdata: c\r\r"),
        expected
    );
    assert_eq!(
        decode(b"event: e\ndata: a\ndata: b\n\ndata: c\n\n"),
        expected
    );
    assert_eq!(
        decode(b"event: e\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"),
        expected
    );
    assert_eq!(
        decode(b"event: e\r\ndata: a\rdata: b\n\r\ndata: c\n\r"),
        expected
    );
}

#[test]
fn a_leading_bom_is_skipped_once() {
    assert_eq!(
        decode(b"\xEF\xBB\xBFdata: a\n\n"),
        vec![frame(None, "a", None)]
    );
    // A second one is part of the first field name, which is then unknown.
    assert_eq!(
        decode(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\ndata: b\n\n"),
        vec![frame(None, "b", None)]
    );
    assert_eq!(
        decode_pieces(&[b"\xEF", b"\xBB", b"\xBF", b"data: a\n\n"]).0,
        vec![frame(None, "a", None)]
    );
    // Bytes that only start like one are kept.
    assert_eq!(decode(b"\xEFdata: a\n\n"), Vec::<Frame>::new());
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    assert_eq!(
        decode(b"data: a\xFFb\xE2\x82\n\n"),
        vec![frame(None, "a\u{FFFD}b\u{FFFD}", None)]
    );
}

#[test]
fn the_last_event_without_its_blank_line_is_not_dispatched() {
    let (frames, unfinished) = decode_pieces(&[b"data: a\n\ndata: b\n"]);
    assert_eq!(frames, vec![frame(None, "a", None)]);
    assert!(unfinished);
    let (frames, unfinished) = decode_pieces(&[b"data: a\n\ndata: b"]);
    assert_eq!(frames, vec![frame(None, "a", None)]);
    assert!(unfinished);
    let (_, unfinished) = decode_pieces(&[b"data: a\n\n"]);
    assert!(!unfinished);
}

#[test]
fn the_same_events_whatever_the_cuts() {
    // Field names, CRLF pairs, a multi-byte character (é, €, 😀), a BOM, a comment, an id
    // and a retry, all cut everywhere.
    assert_same_when_cut(
        "\u{FEFF}: hi\r\nevent: d\u{e9}lta\r\nid: 4\u{20ac}\r\ndata: {\"x\": \"\u{1F600}\"}\r\ndata\r\n\r\nretry: 10\rdata: two\r\rdata: three\n\ndata: unfinished"
            .as_bytes(),
    );
    assert_same_when_cut(b"data:a\r\r\n\ndata:b\n\r\n\r\r\n");
}

#[test]
fn an_event_past_the_limit_is_refused() {
    let mut decoder = SseDecoder::new(16);
    decoder.push(Bytes::from_static(
        b"data: 0123456789\n\ndata: 0123456789\n",
    ));
    assert_eq!(decoder.next_frame().unwrap().unwrap().data, "0123456789");
    decoder.push(Bytes::from_static(b"data: 0123456789\n\n"));
    assert_eq!(decoder.next_frame(), Some(Err(Oversized { limit: 16 })));
    assert_eq!(decoder.next_frame(), None, "nothing after the refusal");
    // A line that never ends is refused as it grows, however it is cut.
    let mut decoder = SseDecoder::new(16);
    decoder.push(Bytes::from_static(b"data: 01234567"));
    assert_eq!(decoder.next_frame(), None);
    decoder.push(Bytes::from_static(b"89abcdef"));
    assert_eq!(decoder.next_frame(), Some(Err(Oversized { limit: 16 })));
}

#[test]
fn memory_stays_bounded_by_the_largest_event() {
    let mut decoder = SseDecoder::new(usize::MAX);
    let event = b"data: {\"choices\":[{\"delta\":{\"content\":\"hello\"}}]}\n\n";
    let mut chunk = Vec::new();
    for _ in 0..1000 {
        chunk.extend_from_slice(event);
    }
    let chunk = Bytes::from(chunk);
    for _ in 0..100 {
        // Cut off mid-event, so that a partial line is carried each time.
        decoder.push(chunk.slice(..chunk.len() - 7));
        while let Some(frame) = decoder.next_frame() {
            frame.unwrap();
        }
        decoder.push(chunk.slice(chunk.len() - 7..));
        while let Some(frame) = decoder.next_frame() {
            frame.unwrap();
        }
    }
    assert!(
        decoder.reserved() < 4 * event.len(),
        "{}",
        decoder.reserved()
    );
}
