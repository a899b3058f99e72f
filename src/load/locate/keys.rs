//! Every key of a text, found in one pass: what lets [`super::LineIndex`] answer "the first line
//! at or after `start` that starts with this key, within its parent's block" without scanning the
//! block line by line for each key asked for.

use super::{read_line, Lines};
use std::collections::HashMap;

/// The indentation of every line and the lines each key starts, for one text.
#[derive(Debug)]
pub(super) struct KeyIndex {
    /// Each line's indentation as the line search reads it (list markers count), or `None` for a
    /// blank or comment line, which never ends a block.
    indents: Vec<Option<u32>>,
    /// Each key a line starts with (`key:`, `"key":`, `"key" :` or `'key':`) → the lines that
    /// start with it, in order.
    lines_by_key: HashMap<String, Vec<u32>>,
}

impl KeyIndex {
    pub(super) fn new(lines: Lines<'_>) -> Self {
        let mut indents = Vec::with_capacity(lines.ranges.len());
        let mut lines_by_key: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, line) in lines.from(0) {
            let (indent, trimmed, blank_or_comment) = read_line(line);
            indents.push((!blank_or_comment).then_some(indent as u32));
            for key in keys_of(trimmed).into_iter().flatten() {
                // A key seen before (most are) costs no new string.
                match lines_by_key.get_mut(key) {
                    Some(lines) => lines.push(i as u32),
                    None => {
                        lines_by_key.insert(key.to_string(), vec![i as u32]);
                    }
                }
            }
        }
        KeyIndex {
            indents,
            lines_by_key,
        }
    }

    /// The line and indentation of `token` as a key at or after line `start`, before the block
    /// of the parent (indented `parent_indent`) ends; in JSON, blocks are not read. The answer of
    /// a scan from `start` that stops at the block's end; `None` (not known) for a token that a
    /// key's quotes or colon could blur (empty, or holding `:`, `"` or `'`), which the caller
    /// scans for.
    pub(super) fn find(
        &self,
        token: &str,
        start: usize,
        parent_indent: isize,
        json: bool,
    ) -> Option<Option<(usize, usize)>> {
        if token.is_empty() || token.contains([':', '"', '\'']) {
            return None;
        }
        let Some(lines) = self.lines_by_key.get(token) else {
            return Some(None);
        };
        let first = lines.partition_point(|&line| (line as usize) < start);
        let Some(&line) = lines.get(first) else {
            return Some(None);
        };
        let line = line as usize;
        let indent = |i: usize| self.indents[i].map_or(0, |n| n as usize);
        if json || line == start {
            return Some(Some((line, indent(line))));
        }
        // The block ends at the first line after `start` that is not blank or a comment and is
        // indented no deeper than the parent.
        let ended = self.indents[start + 1..=line]
            .iter()
            .any(|i| i.is_some_and(|n| n as isize <= parent_indent));
        Some((!ended).then(|| (line, indent(line))))
    }
}

/// The keys a line (trimmed, list markers removed) starts with, in the forms the line search
/// looks for: the text before its first `:`, and the text inside leading quotes that a `:` (or
/// ` :` after double quotes) follows.
fn keys_of(trimmed: &str) -> [Option<&str>; 2] {
    let plain = trimmed.find(':').map(|i| &trimmed[..i]);
    let quoted = ['"', '\''].into_iter().find_map(|quote| {
        let inside = trimmed.strip_prefix(quote)?;
        let end = inside.find(quote)?;
        let rest = &inside[end + 1..];
        let colon = rest.starts_with(':') || (quote == '"' && rest.starts_with(" :"));
        colon.then(|| &inside[..end])
    });
    [plain, quoted]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_in_each_form_the_search_knows() {
        assert_eq!(keys_of("name: x"), [Some("name"), None]);
        assert_eq!(keys_of("\"name\": 1"), [Some("\"name\""), Some("name")]);
        assert_eq!(keys_of("\"name\" : 1"), [Some("\"name\" "), Some("name")]);
        assert_eq!(keys_of("'200': {}"), [Some("'200'"), Some("200")]);
        assert_eq!(keys_of("plain text"), [None, None]);
    }
}
