//! The framing of JSON lines and JSON text sequences, with every stream cut everywhere.

use apigen_runtime::runtime::lines::{LinesDecoder, Separator};
use apigen_runtime::runtime::sse::Oversized;
use bytes::Bytes;

fn decode_pieces(separator: Separator, pieces: &[&[u8]]) -> Vec<String> {
    let mut decoder = LinesDecoder::new(separator, usize::MAX);
    let mut records = Vec::new();
    for piece in pieces {
        decoder.push(Bytes::copy_from_slice(piece));
        while let Some(record) = decoder.next_record() {
            records.push(record.expect("no limit"));
        }
    }
    decoder.close();
    while let Some(record) = decoder.next_record() {
        records.push(record.expect("no limit"));
    }
    records
}

fn assert_same_when_cut(separator: Separator, stream: &[u8], expected: &[&str]) {
    assert_eq!(decode_pieces(separator, &[stream]), expected);
    for i in 0..=stream.len() {
        for j in i..=stream.len() {
            let pieces = [&stream[..i], &stream[i..j], &stream[j..]];
            assert_eq!(
                decode_pieces(separator, &pieces),
                expected,
                "cut at {i} and {j}"
            );
        }
    }
}

#[test]
fn json_lines_split_at_line_feeds_whatever_the_cuts() {
    assert_same_when_cut(
        Separator::Newline,
        "{\"a\":1}\r\n\n  \n{\"b\":\"\u{e9}\u{1F600}\"}\n[3]".as_bytes(),
        &["{\"a\":1}", "{\"b\":\"\u{e9}\u{1F600}\"}", "[3]"],
    );
}

#[test]
fn json_sequences_split_at_record_separators_whatever_the_cuts() {
    assert_same_when_cut(
        Separator::RecordSeparator,
        b"junk\x1e{\"a\":\n  [1, \"]\\\"\n\"]}\n\x1e2\n\x1e\x1e{\"c\":3}",
        &["{\"a\":\n  [1, \"]\\\"\n\"]}", "2", "{\"c\":3}"],
    );
}

#[test]
fn a_sequence_record_is_handed_out_at_its_line_end() {
    let mut decoder = LinesDecoder::new(Separator::RecordSeparator, usize::MAX);
    decoder.push(Bytes::from_static(b"\x1e{\"a\":1}\n"));
    assert_eq!(decoder.next_record(), Some(Ok("{\"a\":1}".to_owned())));
    assert_eq!(decoder.next_record(), None);
}

#[test]
fn a_record_past_the_limit_is_refused() {
    let mut decoder = LinesDecoder::new(Separator::Newline, 8);
    decoder.push(Bytes::from_static(b"[1,2,3]\n[1,2,3"));
    assert_eq!(decoder.next_record(), Some(Ok("[1,2,3]".to_owned())));
    assert_eq!(decoder.next_record(), None);
    decoder.push(Bytes::from_static(b",4,5]\n"));
    assert_eq!(decoder.next_record(), Some(Err(Oversized { limit: 8 })));
    assert_eq!(decoder.next_record(), None);
    decoder.close();
    assert_eq!(decoder.next_record(), None);
}
