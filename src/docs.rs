//! Description text → rustdoc that can never run as Rust.
//!
//! A description is untrusted input, and rustdoc compiles and runs every Rust code block it finds in
//! a doc comment as a doctest: a fenced block with no info string (or `rust`, `no_run`, …) and every
//! indented code block. In build.rs mode the generated code lives in the user's own crate, so a code
//! block in a vendor's description would run on the user's machine during `cargo test`.
//!
//! Every piece of description text that becomes documentation goes through [`rustdoc_lines`], which
//! guarantees by construction, whatever the Markdown parser makes of the rest:
//!
//! - **Fenced code blocks** the description writes (```` ``` ````, `~~~`, with any info string, at
//!   any indentation or inside quotes and lists) are re-emitted as our own top-level ```` ```text ````
//!   blocks, whose fence is longer than any backtick run in their content, so that nothing inside can
//!   close them; an unclosed fence is closed at the end.
//! - **Everything else** is prose, in which no code block can start: every run of three or more
//!   backticks or tildes is backslash-escaped (so no line can open a fence), and in each line's
//!   prefix (its indentation, and the space after each quote, list, footnote or definition marker
//!   there) runs of spaces are cut to at most three, so no line is indented enough to be an
//!   indented code block at the top level or inside any container, whose content columns all start
//!   within three columns of their marker. Past the prefix, spaces cannot start a block.
//!
//! Only examples that the generator writes itself (not through this module) may be compiled. Each
//! line comes back with one leading space, as `///` comments are written, and is a string literal in
//! a `#[doc = …]` attribute, so no text can break out of the comment either.

pub mod markup;

/// The fence characters of Markdown code blocks.
const FENCE_CHARS: [char; 2] = ['`', '~'];

/// The documentation lines for `text`: fenced code turned into `text` blocks, everything else made
/// unable to start a code block, tabs as four spaces, line ends normalised and trailing blanks cut.
/// An empty or blank text gives no lines.
///
/// ```
/// let lines = apigen::docs::rustdoc_lines("Run:\n```\nstd::process::exit(1);\n```\n    indented();");
/// assert_eq!(lines, [" Run:", "", " ```text", " std::process::exit(1);", " ```", "", "    indented();"]);
/// ```
pub fn rustdoc_lines(text: &str) -> Vec<String> {
    let text = without_direction_controls(text)
        .replace("\r\n", "\n")
        .replace(['\r', '\u{0b}', '\u{0c}'], "\n")
        .replace('\t', "    ");
    let mut out = Vec::new();
    let mut prose: Vec<&str> = Vec::new();
    let mut lines = text.trim().lines().peekable();
    while let Some(line) = lines.next() {
        match fence_opening(line) {
            Some(fence) => {
                push_prose(&mut out, &prose);
                prose.clear();
                let mut content = Vec::new();
                for inner in lines.by_ref() {
                    if fence.is_closed_by(inner) {
                        break;
                    }
                    content.push(fence.strip_indent(inner));
                }
                push_text_block(&mut out, &content);
            }
            None => prose.push(line),
        }
    }
    push_prose(&mut out, &prose);
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// `text` on one line, for a heading or a label (a title, a version, a tag's or a server's name):
/// line breaks and runs of white space become one space, and fence runs are escaped.
///
/// ```
/// assert_eq!(apigen::docs::one_line("Evil ```rust\n  fn x() {}"), r"Evil \`\`\`rust fn x() {}");
/// ```
pub fn one_line(text: &str) -> String {
    let text = markup::to_markdown(text);
    let words: Vec<&str> = text.split_whitespace().collect();
    escape_fence_runs(&without_direction_controls(&words.join(" ")))
}

/// Documentation made of several parts (each from [`rustdoc_lines`], [`one_line`] or our own text),
/// one blank line between non-empty parts.
pub fn blocks<I: IntoIterator<Item = Vec<String>>>(parts: I) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() && out.last().is_some_and(|l| !l.is_empty()) {
            out.push(String::new());
        }
        out.extend(part);
    }
    out
}

/// `value` as an inline code span that shows it verbatim on one line: control characters escaped,
/// and delimited by a backtick run longer than any inside it.
///
/// ```
/// assert_eq!(apigen::docs::inline_code("a`b"), "`` a`b ``");
/// assert_eq!(apigen::docs::inline_code("x\ny"), "`x\\ny`");
/// ```
pub fn inline_code(value: &str) -> String {
    let shown: String = value
        .chars()
        .map(|c| {
            if c.is_control() || is_direction_control(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect();
    if shown.contains('`') {
        let ticks = "`".repeat(longest_run(&shown, '`') + 1);
        format!("{ticks} {shown} {ticks}")
    } else {
        format!("`{shown}`")
    }
}

/// A URL as an autolink (`<https://…>`) where it is a plain one, else as inline code.
///
/// ```
/// assert_eq!(apigen::docs::link_or_code("https://api.example.com"), "<https://api.example.com>");
/// assert_eq!(apigen::docs::link_or_code("https://x/{a b}"), "`https://x/{a b}`");
/// ```
pub fn link_or_code(url: &str) -> String {
    let plain = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.chars().any(|c| {
            c.is_whitespace() || c.is_control() || "<>`\\".contains(c) || is_direction_control(c)
        });
    if plain {
        format!("<{url}>")
    } else {
        inline_code(url)
    }
}

/// Appends a run of prose lines (the text between code blocks): its markup converted
/// ([`markup::to_markdown`]), then each line made unable to start a code block.
fn push_prose(out: &mut Vec<String>, lines: &[&str]) {
    if lines.is_empty() {
        return;
    }
    let markdown = markup::to_markdown(&lines.join("\n"));
    if out.last().is_some_and(|l| !l.is_empty()) && lines[0].trim().is_empty() {
        out.push(String::new());
    }
    out.extend(markdown.lines().map(prose_line));
}

/// A code fence the description opened: its character, its length and how far it is indented.
struct Fence {
    char: char,
    len: usize,
    indent: usize,
}

impl Fence {
    /// Whether `line` closes this fence: the same character, at least as many, nothing after.
    fn is_closed_by(&self, line: &str) -> bool {
        let rest = strip_containers(line);
        let run = rest.chars().take_while(|&c| c == self.char).count();
        run >= self.len && rest[run * self.char.len_utf8()..].trim().is_empty()
    }

    /// A content line without the indentation the opening fence had (as CommonMark strips it).
    fn strip_indent<'a>(&self, line: &'a str) -> &'a str {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        &line[spaces.min(self.indent)..]
    }
}

/// The fence `line` opens, if it opens one: after any quote and list markers and indentation, three
/// or more backticks (with no backtick in the info string after them) or three or more tildes.
fn fence_opening(line: &str) -> Option<Fence> {
    let rest = strip_containers(line);
    let char = rest.chars().next().filter(|c| FENCE_CHARS.contains(c))?;
    let len = rest.chars().take_while(|&c| c == char).count();
    let info = &rest[len..];
    (len >= 3 && !(char == '`' && info.contains('`'))).then(|| Fence {
        char,
        len,
        indent: line.len() - line.trim_start_matches(' ').len(),
    })
}

/// `line` without leading spaces, quote markers (`>`) and list markers (`-`, `+`, `*`, `1.`, `1)`).
fn strip_containers(line: &str) -> &str {
    let mut rest = line.trim_start_matches(' ');
    loop {
        let after = if let Some(after) = rest.strip_prefix('>') {
            after
        } else if let Some(after) = strip_list_marker(rest) {
            after
        } else {
            return rest;
        };
        rest = after.trim_start_matches(' ');
    }
}

/// `text` after a list marker and the space that must follow it, if it starts with one.
fn strip_list_marker(text: &str) -> Option<&str> {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let marker = match text.as_bytes().get(digits) {
        Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
        Some(b'-' | b'+' | b'*') if digits == 0 => 1,
        _ => return None,
    };
    let after = &text[marker..];
    (after.is_empty() || after.starts_with(' ')).then_some(after)
}

/// Appends `content` as a `text` code block of our own, set apart by blank lines, whose fence is
/// longer than any backtick run inside so that no content line can close it.
fn push_text_block(out: &mut Vec<String>, content: &[&str]) {
    let ticks = content
        .iter()
        .map(|l| longest_run(l, '`'))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(ticks.max(2) + 1);
    if out.last().is_some_and(|l| !l.is_empty()) {
        out.push(String::new());
    }
    out.push(format!(" {fence}text"));
    out.extend(content.iter().map(|l| doc_line(l.trim_end())));
    out.push(format!(" {fence}"));
    out.push(String::new());
}

/// A line of prose that cannot start a code block: fence runs escaped, and in the line's prefix
/// (its indentation, and the space after each quote, list or footnote marker there) no run of
/// spaces longer than three. Past the prefix, spaces cannot start a block and are kept (tables
/// keep their alignment).
fn prose_line(line: &str) -> String {
    let line = line.trim_end();
    let mut prefix = String::new();
    let mut rest = line;
    loop {
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        prefix.push_str(&" ".repeat(spaces.min(3)));
        rest = &rest[spaces..];
        match container_marker(rest) {
            Some(marker) => {
                prefix.push_str(&rest[..marker]);
                rest = &rest[marker..];
            }
            None => break,
        }
    }
    doc_line(&escape_fence_runs(&format!("{prefix}{rest}")))
}

/// The length of the container marker `text` starts with, if any: a quote (`>`), a list item
/// (`-`, `+`, `*`, `1.`, `1)`), a footnote definition (`[^label]:`) or a definition (`:`).
fn container_marker(text: &str) -> Option<usize> {
    if text.starts_with('>') {
        return Some(1);
    }
    if let Some(after) = strip_list_marker(text) {
        return Some(text.len() - after.len());
    }
    let footnote = text
        .strip_prefix("[^")
        .and_then(|label| label.find("]:"))
        .map(|end| end + 4);
    let definition = (text.starts_with(": ") || text == ":").then_some(1);
    footnote.or(definition)
}

/// A documentation line as `///` writes it: one space, then the text; a blank line stays empty.
fn doc_line(text: &str) -> String {
    if text.trim().is_empty() {
        String::new()
    } else {
        format!(" {text}")
    }
}

/// `text` with every run of three or more backticks or tildes backslash-escaped, character by
/// character, so that no fence can open on its line.
fn escape_fence_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !FENCE_CHARS.contains(&c) {
            out.push(c);
            continue;
        }
        let mut run = 1;
        while chars.next_if_eq(&c).is_some() {
            run += 1;
        }
        let escape = if run >= 3 { "\\" } else { "" };
        for _ in 0..run {
            out.push_str(escape);
            out.push(c);
        }
    }
    out
}

/// Whether `c` changes the direction of the text around it (U+202A–U+202E, U+2066–U+2069): rustc
/// refuses these in comments (the deny-by-default `text_direction_codepoint_in_comment` lint), since
/// they can make code read differently from how it compiles.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every direction control written as its escape (`\u{202e}`), visible and inert.
fn without_direction_controls(text: &str) -> String {
    if !text.chars().any(is_direction_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if is_direction_control(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_of_every_kind_become_text_blocks() {
        for (open, close) in [
            ("```", "```"),
            ("```rust", "```"),
            ("~~~", "~~~"),
            ("````no_run", "````"),
            ("> ```", "> ```"),
            ("1. ```", "   ```"),
            ("   ```", "   ```"),
        ] {
            let text = format!(
                "Intro\n{open}\nstd::fs::write(\"/tmp/x\", \"1\").unwrap();\n{close}\nAfter"
            );
            let lines = rustdoc_lines(&text);
            assert_eq!(
                lines,
                [
                    " Intro",
                    "",
                    " ```text",
                    " std::fs::write(\"/tmp/x\", \"1\").unwrap();",
                    " ```",
                    "",
                    " After"
                ],
                "{open:?}"
            );
        }
    }

    #[test]
    fn content_cannot_close_our_fence_and_unclosed_fences_close() {
        let lines = rustdoc_lines("```\na\n````\nb");
        // `````` closes a three-backtick fence in the description; ours is longer than its content.
        assert_eq!(lines, [" ```text", " a", " ```", "", " b"]);
        let lines = rustdoc_lines("~~~\nx\n```\n````\nfn main() {}");
        assert_eq!(
            lines,
            [
                " `````text",
                " x",
                " ```",
                " ````",
                " fn main() {}",
                " `````"
            ]
        );
    }

    #[test]
    fn prose_cannot_open_a_fence_or_indent_code() {
        assert_eq!(
            rustdoc_lines("a ``` b ~~~~ c `` d"),
            [r" a \`\`\` b \~\~\~\~ c \`\` d"]
        );
        assert_eq!(
            rustdoc_lines("x\n\n        fn evil() {}"),
            [" x", "", "    fn evil() {}"]
        );
        assert_eq!(
            rustdoc_lines("-      evil();\n>     evil();"),
            [" -   evil();", " >   evil();"]
        );
        // A backtick info string is not a fence (CommonMark): the line stays prose.
        assert_eq!(rustdoc_lines("``` a ` b"), [r" \`\`\` a \` b"]);
    }

    #[test]
    fn line_ends_tabs_and_blanks_are_normalised() {
        assert_eq!(
            rustdoc_lines("  a\r\nb\rc\td  \n\n\n"),
            [" a", " b", " c    d"]
        );
        assert!(rustdoc_lines(" \n\t\n").is_empty());
    }

    #[test]
    fn direction_controls_are_written_as_escapes() {
        assert_eq!(rustdoc_lines("a\u{202e}b"), [r" a\u{202e}b"]);
        assert_eq!(one_line("x\u{2066}"), r"x\u{2066}");
        assert_eq!(inline_code("\u{2069}"), r"`\u{2069}`");
    }

    #[test]
    fn blocks_are_set_apart_by_one_blank_line() {
        let parts = [rustdoc_lines("```\nx"), vec![], rustdoc_lines("b")];
        assert_eq!(blocks(parts), [" ```text", " x", " ```", "", " b"]);
    }

    #[test]
    fn inline_code_is_one_safe_span() {
        assert_eq!(inline_code("plain"), "`plain`");
        assert_eq!(inline_code("```"), "```` ``` ````");
        assert_eq!(inline_code("a\tb\r"), "`a\\tb\\r`");
    }
}
