//! Reading HTML tags: what `markup` needs to know of one (its name, whether it closes, a link's
//! target, how much text it takes), and the attribute values of HTML and Markdoc tags alike.

/// Elements whose content is not text for a reader (scripts, styles, embedded documents): dropped
/// with their content.
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math",
    "textarea", "title", "head",
];

/// The names of HTML elements: a tag with one of these names is markup (converted, or dropped
/// with its text kept); anything else in angle brackets (`<id>`, `Vec<String>`) is text, escaped.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "math",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// An HTML tag as far as the converter needs it.
pub(super) struct Tag {
    /// The element's name, lower case.
    pub name: String,
    /// Whether it is a closing tag (`</p>`).
    pub closing: bool,
    /// The `href` attribute, where it is a plain http(s) or mailto URL that a Markdown link can hold.
    pub href: Option<String>,
    /// How many bytes the tag takes, up to its `>`.
    pub len: usize,
}

/// The tag `rest` starts with: `<`, an optional `/`, a name of ASCII letters and digits that starts
/// with a letter, then attributes up to the first `>`. A dropped element (`<script>`) takes its
/// content and closing tag with it.
pub(super) fn parse_tag(rest: &str) -> Option<Tag> {
    let after = rest[1..].strip_prefix('/');
    let closing = after.is_some();
    let body = after.unwrap_or(&rest[1..]);
    let name_len = body
        .char_indices()
        .take_while(|&(i, c)| c.is_ascii_alphanumeric() && (i > 0 || c.is_ascii_alphabetic()))
        .count();
    if name_len == 0 {
        return None;
    }
    let next = body[name_len..].chars().next()?;
    if !(next == '>' || next == '/' || next.is_whitespace()) {
        return None;
    }
    let name = body[..name_len].to_ascii_lowercase();
    if !HTML_ELEMENTS.contains(&name.as_str()) {
        return None;
    }
    let end = rest.find('>')?;
    let attributes = &rest[1 + usize::from(closing) + name_len..end];
    let mut len = end + 1;
    if !closing && DROPPED_WITH_CONTENT.contains(&name.as_str()) {
        let close = format!("</{name}");
        len = match find_ci(&rest[len..], &close) {
            Some(at) => {
                let from = len + at;
                rest[from..]
                    .find('>')
                    .map_or(rest.len(), |gt| from + gt + 1)
            }
            None => rest.len(),
        };
    }
    Some(Tag {
        href: attribute(attributes, "href").filter(|url| plain_link_target(url)),
        name,
        closing,
        len,
    })
}

/// Whether `url` can be a Markdown link's target as it is.
fn plain_link_target(url: &str) -> bool {
    ["https://", "http://", "mailto:"]
        .into_iter()
        .any(|s| url.starts_with(s))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()`\"'\\[]".contains(c))
}

/// The value of the attribute `name="…"` (or `'…'`) in a tag's or a Markdoc tag's text.
pub(super) fn attribute(text: &str, name: &str) -> Option<String> {
    let mut search = 0;
    while let Some(found) = find_ci(&text[search..], name) {
        let at = search + found;
        search = at + name.len();
        let before_ok = text[..at].chars().last().is_none_or(|c| c.is_whitespace());
        let rest = text[search..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
        if !before_ok {
            continue;
        }
        return Some(match quote {
            Some(q) => rest[1..].split(q).next().unwrap_or("").to_string(),
            None => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

/// Where `needle` (ASCII) first occurs in `haystack`, ignoring ASCII case.
pub(super) fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}
