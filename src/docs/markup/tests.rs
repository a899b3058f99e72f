//! The conversion rules of `markup`, one case at a time.

use super::to_markdown;

#[test]
fn admonitions_become_quotes_named_in_bold() {
    let text = "Intro.\n{% admonition type=\"warning\" name=\"Using `company_id`\" %}\n  Keep it.\nTwo.\n{% /admonition %}\nAfter.";
    assert_eq!(
        to_markdown(text),
        "Intro.\n\n> **Using `company_id`**\n>\n>   Keep it.\n> Two.\n\nAfter."
    );
    assert_eq!(
        to_markdown("{% admonition type=\"info\" %}Note this.{% /admonition %}"),
        "> **Info**\n>\n> Note this."
    );
    // Other Markdoc tags go; their text stays.
    assert_eq!(to_markdown("{% partial file=\"x\" %}a{% /partial %}"), "a");
}

#[test]
fn line_breaks_paragraphs_and_lists_become_markdown() {
    assert_eq!(
        to_markdown("Intercom API version.</br>By default, 2.13."),
        "Intercom API version.\\\nBy default, 2.13."
    );
    assert_eq!(to_markdown("a<br><br>b<br>"), "a\n\nb");
    assert_eq!(to_markdown("<p>One</p><p>Two</p>"), "One\n\nTwo");
    assert_eq!(
        to_markdown("Kinds:<ul><li>a</li><li><b>b</b></li></ul>Done"),
        "Kinds:\n\n- a\n- **b**\n\nDone"
    );
    assert_eq!(to_markdown("<ol><li>x</li></ol>"), "1. x");
    assert_eq!(to_markdown("<h2>Title</h2>Text"), "**Title**\n\nText");
}

#[test]
fn links_are_kept_as_markdown_links() {
    assert_eq!(
        to_markdown("See <a href=\"https://developers.intercom.com/x\">the docs</a>."),
        "See [the docs](https://developers.intercom.com/x)."
    );
    // A target that is not a plain web link keeps only the text.
    assert_eq!(
        to_markdown("<a href=\"javascript:alert(1)\">click</a>"),
        "click"
    );
    assert_eq!(
        to_markdown("[docs](https://x.io) and <https://y.io>"),
        "[docs](https://x.io) and <https://y.io>"
    );
    assert_eq!(
        to_markdown("Go to https://api.intercom.io/events, then (https://x.io)."),
        "Go to <https://api.intercom.io/events>, then (<https://x.io>)."
    );
    // DigitalOcean's descriptions: a link whose text runs onto the next line, and a URL in quotes.
    assert_eq!(
        to_markdown("See [Connect to a\nKubernetes Cluster](https://docs.x.io/connect/)."),
        "See [Connect to a\nKubernetes Cluster](https://docs.x.io/connect/)."
    );
    assert_eq!(
        to_markdown("Endpoint (e.g. \"https://db.x.io\")."),
        "Endpoint (e.g. \"<https://db.x.io>\")."
    );
    // A paragraph break ends a link's text: the bracket before it is prose.
    assert_eq!(to_markdown("[a\n\nb](c)"), "\\[a\n\nb](c)");
}

#[test]
fn code_is_kept_verbatim() {
    assert_eq!(to_markdown("<code>a &lt; b</code>"), "`a < b`");
    assert_eq!(
        to_markdown("to `https://api.intercom.io/articles/<id>`"),
        "to `https://api.intercom.io/articles/<id>`"
    );
    assert_eq!(to_markdown("``a`b`` <x>"), "``a`b`` &lt;x>");
    // Not a span that every reading keeps whole: converted as text.
    assert_eq!(to_markdown("`a\n<b>b`"), "\\`a\n**b\\`");
    assert_eq!(to_markdown("| `x|<p>` |"), "| \\`x|\n\n\\` |");
    assert_eq!(to_markdown("\\`<i>`"), "\\`*\\`");
    assert_eq!(to_markdown("<code>a``b<i></code>"), "a\\`\\`b&lt;i>");
    assert_eq!(to_markdown("<code>x</code>``y``"), "`x` ``y``");
}

#[test]
fn no_raw_html_is_left() {
    for (text, expected) in [
        ("a<script>alert(1)</script>b", "ab"),
        ("<img src=x onerror=alert(1)>pic", "pic"),
        ("<iframe src=\"https://evil\"></iframe>x", "x"),
        ("<SCRIPT>evil()</SCRIPT>ok", "ok"),
        ("<span class=\"x\">text</span><sup>2</sup>", "text2"),
        ("<unknown attr=1>text", "&lt;unknown attr=1>text"),
        ("<!-- hidden -->shown", "shown"),
        ("1 < 2 and Vec<String>", "1 &lt; 2 and Vec&lt;String>"),
        ("<script>never closed", ""),
        (
            "[not a link] and array[string]",
            "\\[not a link] and array\\[string]",
        ),
    ] {
        assert_eq!(to_markdown(text), expected, "{text:?}");
    }
}
