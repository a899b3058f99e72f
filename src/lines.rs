//! Lines of text, as the locator and the renderer read them: each reads every line of GitHub's
//! description or client (hundreds of thousands), where decoding characters one by one shows.

/// How many bytes of whitespace `line` starts with: `line.len() - line.trim_start().len()`,
/// counted by byte where the line starts with spaces and then a character that is not whitespace,
/// as pretty-printed JSON and prettyplease's lines do, and decoded only otherwise.
pub(crate) fn indentation(line: &str) -> usize {
    let spaces = line.bytes().take_while(|&b| b == b' ').count();
    match line.as_bytes().get(spaces) {
        None => spaces,
        Some(&b) if b > b' ' && b.is_ascii() => spaces,
        Some(_) => line.len() - line.trim_start().len(),
    }
}

/// `line.trim_start()`, by [`indentation`].
pub(crate) fn trim_start(line: &str) -> &str {
    &line[indentation(line)..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_is_what_trim_start_takes_off() {
        let lines = [
            "",
            "   ",
            "x",
            "    x",
            "  \t x",
            " \u{a0}x",
            "\u{2003} x",
            "  \u{0b}x",
            "é",
            "  é",
            "\t",
            "  \u{7f}",
        ];
        for line in lines {
            assert_eq!(
                indentation(line),
                line.len() - line.trim_start().len(),
                "{line:?}"
            );
            assert_eq!(trim_start(line), line.trim_start(), "{line:?}");
        }
    }
}
