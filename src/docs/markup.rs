//! Description markup → Markdown that rustdoc renders well, and with no raw HTML left in it.
//!
//! Descriptions mix Markdown with HTML (`<p>`, `<br>`, `<a href>`, `<ul><li>`, `<code>`) and with
//! Markdoc tags (`{% admonition type="info" name="…" %} … {% /admonition %}`), which rustdoc would
//! show verbatim or, for HTML, pass into the page. [`to_markdown`] converts what has a Markdown
//! equivalent, drops the other tags with their text kept, and escapes every `<` that is left, so
//! no tag from a description (`<script>`, `<img onerror>`, `<iframe>`) reaches the rendered page.
//! It also keeps rustdoc's lints quiet: bare URLs become autolinks, and brackets that are not a
//! Markdown link are escaped so that rustdoc does not take them for intra-doc links.
//!
//! Inline code spans are copied verbatim: their text renders literally. The result is still
//! prose for [`super::rustdoc_lines`], which makes it unable to start a code block afterwards.

mod html;
#[cfg(test)]
mod tests;

use html::{attribute, find_ci, parse_tag, Tag};

/// `text` (prose, outside any fenced code block) with its Markdoc tags and HTML converted.
///
/// ```
/// let md = apigen::docs::markup::to_markdown("A.</br>B <a href=\"https://x.io\">link</a><script>x()</script>");
/// assert_eq!(md, "A.\\\nB [link](https://x.io)");
/// ```
pub fn to_markdown(text: &str) -> String {
    let mut converter = Converter::default();
    converter.run(text);
    finish(&converter.out)
}

/// The state of one conversion.
#[derive(Default)]
struct Converter {
    /// The Markdown written so far.
    out: String,
    /// How many admonitions are open: each line inside one is a quote.
    quote: usize,
    /// The open lists, innermost last: whether each is ordered.
    lists: Vec<bool>,
    /// The target of the link being written, once an `<a href>` with a plain target opened it.
    link: Option<String>,
}

impl Converter {
    fn run(&mut self, text: &str) {
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let taken = match c {
                '`' => self.code_span(rest),
                '\\' => self.escape(rest),
                '{' if rest.starts_with("{%") => self.markdoc(rest),
                '<' => self.angle(rest),
                '[' => self.bracket(rest),
                'h' if starts_bare_url(&self.out, rest) => self.bare_url(rest),
                '\n' => {
                    self.newline();
                    1
                }
                _ => {
                    self.out.push(c);
                    c.len_utf8()
                }
            };
            rest = &rest[taken..];
        }
    }

    /// A line break, continuing the quote of an open admonition.
    fn newline(&mut self) {
        self.out.push('\n');
        if self.quote > 0 {
            self.out.push_str(&"> ".repeat(self.quote));
        }
    }

    /// A paragraph break: a blank line (a blank quote line inside an admonition), with any lines
    /// left blank before it taken back first. Nothing at the start of the text.
    fn paragraph(&mut self) {
        loop {
            let start = self.out.rfind('\n').map_or(0, |i| i + 1);
            if !self.out[start..].trim_matches([' ', '>']).is_empty() {
                break;
            }
            if start == 0 {
                self.out.clear();
                return;
            }
            self.out.truncate(start - 1);
        }
        self.newline();
        self.newline();
    }

    /// Whether the line being written holds nothing yet but quote markers.
    fn at_line_start(&self) -> bool {
        self.out
            .rsplit('\n')
            .next()
            .is_none_or(|line| line.trim_matches([' ', '>']).is_empty())
    }

    /// A backtick run: an inline code span copied verbatim where it is one that no reading can
    /// take apart (one or two backticks, closed on the same line, with no run of three backticks
    /// before the close and no `|` that a table row would split it at); else the run is text,
    /// escaped, and what follows it is converted as usual.
    fn code_span(&mut self, rest: &str) -> usize {
        let run = rest.chars().take_while(|&c| c == '`').count();
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let mut search = run;
        while let Some(found) = line[search..].find('`').filter(|_| run <= 2) {
            let start = search + found;
            let len = line[start..].chars().take_while(|&c| c == '`').count();
            // Prose may hold no run of three (they are escaped later, inside the span too).
            if len >= 3 {
                break;
            }
            if len == run {
                if line[..start].contains('|') {
                    break;
                }
                self.apart_from_backticks();
                self.out.push_str(&line[..start + run]);
                return start + run;
            }
            search = start + len;
        }
        // Escaped, a backtick left as text cannot pair with one written later.
        self.out.push_str(&"\\`".repeat(run));
        run
    }

    /// A space before a code span that would otherwise touch a backtick already written: the two
    /// would make one longer run, which closes nothing (or, three long, is escaped as a fence).
    fn apart_from_backticks(&mut self) {
        if self.out.ends_with('`') {
            self.out.push(' ');
        }
    }

    /// A backslash: with the punctuation it escapes, copied as it is (an escaped backtick or
    /// bracket starts nothing); alone otherwise.
    fn escape(&mut self, rest: &str) -> usize {
        match rest[1..].chars().next() {
            Some(c) if c.is_ascii_punctuation() => {
                self.out.push('\\');
                self.out.push(c);
                2
            }
            _ => {
                self.out.push('\\');
                1
            }
        }
    }

    /// A Markdoc tag (`{% name … %}` or `{% /name %}`): an admonition becomes a quote that starts
    /// with its name in bold; any other tag is dropped.
    fn markdoc(&mut self, rest: &str) -> usize {
        let Some(end) = rest.find("%}") else {
            self.out.push('{');
            return 1;
        };
        let inside = rest[2..end].trim();
        let closing = inside.starts_with('/');
        let name = inside.trim_start_matches('/').split_whitespace().next();
        if name == Some("admonition") {
            if closing {
                if self.quote > 0 {
                    self.quote -= 1;
                }
                self.paragraph();
            } else {
                self.paragraph();
                self.quote += 1;
                let title = attribute(inside, "name")
                    .or_else(|| attribute(inside, "type").map(capitalised))
                    .unwrap_or_else(|| "Note".to_string());
                self.out.push_str(&format!("> **{}**", title.trim()));
                self.newline();
                self.newline();
            }
        }
        end + 2
    }

    /// Text that starts with `<`: an autolink, an HTML comment or tag (converted or dropped), or a
    /// plain `<`, escaped.
    fn angle(&mut self, rest: &str) -> usize {
        if let Some(len) = autolink(rest) {
            self.out.push_str(&rest[..len]);
            return len;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            return after.find("-->").map_or(rest.len(), |end| 4 + end + 3);
        }
        match parse_tag(rest) {
            Some(tag) => self.tag(&tag, rest),
            None => {
                self.out.push_str("&lt;");
                1
            }
        }
    }

    /// One HTML tag, converted to its Markdown equivalent or dropped; returns how much of `rest`
    /// it took (a `<code>` element takes its content and closing tag too).
    fn tag(&mut self, tag: &Tag, rest: &str) -> usize {
        match (tag.name.as_str(), tag.closing) {
            ("br", _) => self.line_break(&rest[tag.len..]),
            ("p" | "div" | "pre" | "table" | "tr" | "blockquote" | "hr", _) => self.paragraph(),
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.paragraph();
                self.out.push_str("**");
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                self.out.push_str("**");
                self.paragraph();
            }
            ("ul" | "ol", false) => {
                self.paragraph();
                self.lists.push(tag.name == "ol");
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.paragraph();
            }
            ("li", false) => {
                let ordered = self.lists.last().copied().unwrap_or(false);
                let indent = "   ".repeat(self.lists.len().saturating_sub(1));
                if !self.at_line_start() {
                    self.newline();
                }
                self.out
                    .push_str(&format!("{indent}{}", if ordered { "1. " } else { "- " }));
            }
            ("b" | "strong", _) => self.out.push_str("**"),
            ("i" | "em", _) => self.out.push('*'),
            ("code" | "tt" | "kbd", false) => {
                return tag.len + self.code_element(tag, &rest[tag.len..])
            }
            ("a", false) => {
                if tag.href.is_some() {
                    self.out.push('[');
                }
                self.link = tag.href.clone();
            }
            ("a", true) => {
                if let Some(href) = self.link.take() {
                    self.out.push_str(&format!("]({href})"));
                }
            }
            _ => {}
        }
        tag.len
    }

    /// A `<br>`: a hard line break (a backslash at the end of the line) where text follows on the
    /// same line, a paragraph break where another `<br>` follows, and nothing where the line ends
    /// anyway or has not started.
    fn line_break(&mut self, after: &str) {
        let after = after.trim_start_matches([' ', '\t']);
        let line_start = self.at_line_start();
        if find_ci(after, "<br").is_some_and(|at| at == 0) {
            self.paragraph();
        } else if !(after.is_empty() || after.starts_with('\n') || line_start) {
            self.out.push('\\');
            self.newline();
        }
    }

    /// The content of a `<code>` element (after its opening tag) as one inline code span, its
    /// entities decoded and its line breaks made spaces; returns how much it took, closing tag too.
    fn code_element(&mut self, tag: &Tag, content: &str) -> usize {
        let close = format!("</{}", tag.name);
        let (inner, taken) = match find_ci(content, &close) {
            Some(at) => (
                &content[..at],
                content[at..]
                    .find('>')
                    .map_or(content.len(), |gt| at + gt + 1),
            ),
            None => (content, content.len()),
        };
        let text = inner
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        if text.contains('`') || text.contains('|') {
            // A span would need a fence of three backticks, which prose may not hold, or a table
            // row could split it: the text, escaped, instead.
            for c in text.chars() {
                match c {
                    '<' => self.out.push_str("&lt;"),
                    '`' | '\\' | '[' | ']' | '|' | '*' | '_' => {
                        self.out.push('\\');
                        self.out.push(c);
                    }
                    c => self.out.push(c),
                }
            }
        } else if !text.is_empty() {
            self.apart_from_backticks();
            self.out.push_str(&super::inline_code(&text));
        }
        taken
    }

    /// A `[`: kept where it opens a Markdown link (`[text](url)`, `[text][ref]`, `[ref]: url`,
    /// whose text may run onto the next lines of its paragraph), escaped elsewhere so that rustdoc
    /// does not read it as an intra-doc link.
    fn bracket(&mut self, rest: &str) -> usize {
        let link = rest[1..]
            .find([']', '['])
            .filter(|&end| rest[1 + end..].starts_with(']'))
            .filter(|&end| !rest[1..1 + end].contains("\n\n"))
            .map(|end| &rest[2 + end..])
            .is_some_and(|after| after.starts_with(['(', '[', ':']));
        self.out.push_str(if link { "[" } else { "\\[" });
        1
    }

    /// A URL written as plain text, made an autolink; punctuation that ends a sentence stays out.
    fn bare_url(&mut self, rest: &str) -> usize {
        let end = rest
            .find(|c: char| c.is_whitespace() || "<>`\"'[]{}|\\^".contains(c))
            .unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '*', '_']);
        self.out.push_str(&format!("<{url}>"));
        url.len()
    }
}

/// Whether `rest` starts a bare URL: `http://` or `https://` with a host, not already inside a
/// link's target, an autolink, an attribute (`href=`) or a word. (A URL in quotes is prose here:
/// HTML tags, quoted attributes and all, were taken apart before.)
fn starts_bare_url(before: &str, rest: &str) -> bool {
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| rest.starts_with(s));
    let Some(scheme) = scheme else {
        return false;
    };
    let has_host = rest[scheme.len()..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric());
    let after_word_or_link = before.ends_with("](")
        || before
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || "<[=/".contains(c));
    has_host && !after_word_or_link
}

/// The length of the autolink (`<https://…>`, `<mailto:…>`) `rest` starts with, if it starts with one.
fn autolink(rest: &str) -> Option<usize> {
    let end = rest.find('>')?;
    let inner = &rest[1..end];
    let scheme = ["https://", "http://", "mailto:"]
        .into_iter()
        .any(|s| inner.starts_with(s));
    let plain = !inner
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>`\"'\\".contains(c));
    (scheme && plain && inner.len() > 8).then_some(end + 1)
}

/// `word` with its first letter upper case (`warning` → `Warning`).
fn capitalised(word: String) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The converted text, tidied: trailing spaces cut, runs of blank lines (or of empty quote lines)
/// made one, and none at the start or the end.
fn finish(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let blank = line.trim_matches([' ', '>']).is_empty();
        if blank
            && out
                .last()
                .is_none_or(|l| l.trim_matches([' ', '>']).is_empty())
        {
            continue;
        }
        out.push(line.trim_end().to_string());
    }
    while out
        .last()
        .is_some_and(|l| l.trim_matches([' ', '>']).is_empty())
    {
        out.pop();
    }
    out.join("\n")
}
