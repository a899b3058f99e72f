//! Text from a description never runs as code.
//!
//! rustdoc compiles and runs the Rust code blocks of doc comments as doctests, and a build.rs client
//! lives in the user's own crate, where doctests are on. `tests/catalogue/doc-injection.yaml` puts
//! code fences, indented code, doc-comment and attribute breakers and Rust-looking payloads in
//! every string position a description has; each payload would fail to compile, and write a file,
//! if it ever became a doctest. Three layers of proof:
//!
//! - the sanitiser itself, on a few thousand random texts built from the pieces of Markdown that
//!   make code blocks, checked with pulldown-cmark (the parser rustdoc uses);
//! - every doc comment of the generated code, in both layouts, checked the same way;
//! - real Cargo: the description generated in build.rs mode into a crate with doctests on, and as a
//!   checked-in crate, each run with `cargo test --doc`, which must pass, run no doctest the
//!   generator did not write, build with no warning and leave no file behind.

mod support;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const WORKSPACE: &str = env!("CARGO_MANIFEST_DIR");
const EVIL: &str = "tests/catalogue/doc-injection.yaml";

/// The Markdown extensions rustdoc turns on.
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The code blocks rustdoc would take for Rust in one item's documentation: every indented block,
/// and every fenced block whose info string is not exactly `text`. (rustdoc treats more info strings
/// as "not Rust"; the generator only ever writes `text`, so anything else is a finding.)
fn code_blocks_not_text(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, rustdoc_options())
        .filter_map(|event| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some("indented".to_string()),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info != "text" => {
                Some(format!("fenced {:?}", &*info))
            }
            _ => None,
        })
        .collect()
}

/// One item's documentation as rustdoc sees it: the lines joined, the common indentation removed.
fn unindent(lines: &[String]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every documentation block of a rendered Rust file: runs of `///` lines, and of `//!` lines.
fn doc_blocks(rust: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut kind = "";
    for line in rust.lines().map(str::trim_start) {
        let this = ["///", "//!"].into_iter().find(|k| line.starts_with(k));
        if this != Some(kind) && !current.is_empty() {
            blocks.push(unindent(&current));
            current.clear();
        }
        match this {
            Some(k) => {
                kind = k;
                current.push(line[3..].to_string());
            }
            None => kind = "",
        }
    }
    if !current.is_empty() {
        blocks.push(unindent(&current));
    }
    blocks
}

/// A small xorshift generator: the same texts on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, pieces: &[&'a str]) -> &'a str {
        pieces[(self.next() % pieces.len() as u64) as usize]
    }
}

#[test]
fn no_random_text_becomes_a_code_block() {
    // The pieces Markdown builds code blocks and containers from, and some text to put in them.
    let pieces = [
        "```",
        "````",
        "~~~",
        "```rust",
        "``",
        "`",
        "~",
        " ",
        "    ",
        "\t",
        "\n",
        "\n\n",
        "\r",
        ">",
        "> ",
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "[^n]: ",
        ": ",
        "[^",
        "]:",
        "\\",
        "fn evil() {}",
        "x",
        "<pre>",
        "#",
        "\u{a0}",
        "\u{202e}",
    ];
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    for case in 0..4000 {
        let length = 1 + rng.next() % 40;
        let text: String = (0..length).map(|_| rng.pick(&pieces)).collect();
        let lines = apigen::docs::rustdoc_lines(&text);
        let markdown = unindent(&lines);
        let found = code_blocks_not_text(&markdown);
        assert!(
            found.is_empty(),
            "case {case}: {text:?} gave {found:?} in\n{markdown}"
        );
        for line in &lines {
            assert!(
                !line.contains(['\n', '\r']),
                "case {case}: a line break inside {line:?}"
            );
        }
    }
}

/// The raw HTML rustdoc would put into the page from one item's documentation.
fn raw_html(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, rustdoc_options())
        .filter_map(|event| match event {
            Event::Html(html) | Event::InlineHtml(html) => Some(html.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn no_random_markup_reaches_the_page_as_html() {
    // HTML and Markdoc as descriptions write them, hostile tags, and the pieces around them.
    let pieces = [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "<iframe src=\"https://evil.example\">",
        "<a href=\"https://x.io\">",
        "<a href=\"javascript:alert(1)\">",
        "</a>",
        "<br>",
        "</br>",
        "<p>",
        "</p>",
        "<ul>",
        "<li>",
        "</ul>",
        "<code>",
        "</code>",
        "<b>",
        "<span",
        "<!--",
        "-->",
        "<id>",
        "<",
        ">",
        "/",
        "\"",
        "=",
        "{% admonition type=\"info\" name=\"N\" %}",
        "{% /admonition %}",
        "{%",
        "%}",
        "https://a.io/x",
        "[",
        "]",
        "(",
        ")",
        "`",
        "```",
        "\n",
        "\n\n",
        " ",
        "x",
        "&lt;",
    ];
    let mut rng = Rng(0xfeed_beef_0ddc_0de5);
    for case in 0..4000 {
        let length = 1 + rng.next() % 30;
        let text: String = (0..length).map(|_| rng.pick(&pieces)).collect();
        for lines in [
            apigen::docs::rustdoc_lines(&text),
            vec![apigen::docs::one_line(&text)],
        ] {
            let markdown = unindent(&lines);
            let html = raw_html(&markdown);
            assert!(
                html.is_empty(),
                "case {case}: {text:?} gave {html:?} in\n{markdown}"
            );
            let code = code_blocks_not_text(&markdown);
            assert!(
                code.is_empty(),
                "case {case}: {text:?} gave {code:?} in\n{markdown}"
            );
        }
    }
}

/// The hostile description, generated in one layout.
fn generate(layout: apigen::Layout) -> apigen::Output {
    let config = apigen::Config::new(Path::new(WORKSPACE).join(EVIL))
        .crate_name("doc-injection")
        .layout(layout);
    let output = apigen::generate(&config).expect("the hostile description generates");
    assert!(output.warnings.is_empty(), "{:#?}", output.warnings);
    output
}

#[test]
fn no_doc_comment_of_the_generated_code_holds_rust() {
    for layout in [apigen::Layout::Crate, apigen::Layout::SingleFile] {
        let output = generate(layout);
        let mut checked = 0;
        for (path, text) in output.files.iter().filter(|(p, _)| p.ends_with(".rs")) {
            for block in doc_blocks(text) {
                // The runtime's own documentation (ours, not the description's) has an `ignore`
                // example: rustdoc lists it but never compiles it.
                // The generator's own `no_run` examples (crate layout only) hold the description's
                // values as string literals: `nothing_from_the_description_compiles_or_runs_in_
                // either_layout` compiles each of them with real Cargo, where a payload that
                // became code would fail to compile.
                let mut found = code_blocks_not_text(&block);
                found.retain(|kind| {
                    kind != "fenced \"ignore\""
                        && !(layout == apigen::Layout::Crate && kind == "fenced \"no_run\"")
                });
                assert!(found.is_empty(), "{layout:?} {path}: {found:?} in\n{block}");
                checked += 1;
            }
            // The payloads reach the documentation, as inert text.
            if path == "src/types.rs" || path == "client.rs" {
                assert!(text.contains("compile_error!(\"a description ran as a doctest\");"));
            }
        }
        assert!(checked > 50, "{layout:?}: only {checked} doc blocks");
    }
}

/// A crate of its own in a fresh temporary folder, built into the target folder that
/// `tests/buildrs_regeneration.rs` uses (its dependencies are compiled once for both), and removed
/// with its artifacts when dropped.
struct Scratch {
    dir: PathBuf,
    target: PathBuf,
    package: String,
}

impl Scratch {
    fn new(kind: &str) -> Scratch {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let id = format!("{}-{}", std::process::id(), nanos % 1_000_000_000);
        let dir = std::env::temp_dir().join(format!("apigen-doc-injection-{kind}-{id}"));
        std::fs::create_dir_all(dir.join("src")).expect("the crate's folder is created");
        // The same versions as the workspace, and nothing to fetch.
        std::fs::copy(
            Path::new(WORKSPACE).join("Cargo.lock"),
            dir.join("Cargo.lock"),
        )
        .expect("Cargo.lock is copied");
        Scratch {
            dir,
            target: Path::new(WORKSPACE).join("target/buildrs-regeneration"),
            package: format!("doc-injection-{kind}-{}", id.replace('-', "")),
        }
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("mkdir");
        std::fs::write(path, text).expect("the file is written");
    }

    /// Runs `cargo test --doc`, asserts that it passed without warnings and without leaving the
    /// payloads' file, and returns how many doctests ran.
    fn doctests(&self) -> usize {
        let output = support::cargo(&self.dir, &self.target)
            .args(["test", "--doc", "--offline"])
            .output()
            .expect("cargo runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "cargo test --doc failed:\n{stderr}\n{stdout}"
        );
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("warning"))
            .collect();
        assert!(warnings.is_empty(), "warnings:\n{stderr}");
        assert!(!self.dir.join("owned-by-doctest").exists(), "a payload ran");
        let ran = stdout
            .lines()
            .find_map(|l| l.strip_prefix("running ")?.strip_suffix(" tests"))
            .or_else(|| {
                stdout
                    .lines()
                    .find_map(|l| l.strip_prefix("running ")?.strip_suffix(" test"))
            })
            .unwrap_or_else(|| panic!("no doctest summary in:\n{stdout}"));
        ran.parse().expect("a count")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = support::cargo(&self.dir, &self.target)
            .args(["clean", "--offline", "-p", &self.package])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The number of doctests the generator wrote itself into `files`: fenced Rust blocks in docs.
fn generated_doctests(files: &std::collections::BTreeMap<String, String>) -> usize {
    files
        .values()
        .flat_map(|text| doc_blocks(text))
        .map(|block| code_blocks_not_text(&block).len())
        .sum()
}

/// The `[dependencies]` tables of a generated manifest (what the runtime needs), to the end.
fn dependency_tables(manifest: &str) -> &str {
    let start = manifest
        .find("[dependencies]")
        .expect("the manifest lists dependencies");
    &manifest[start..]
}

#[test]
fn nothing_from_the_description_compiles_or_runs_in_either_layout() {
    let crate_output = generate(apigen::Layout::Crate);
    let manifest = &crate_output.files["Cargo.toml"];
    assert!(
        !manifest.contains("doctest"),
        "doctests stay on:\n{manifest}"
    );

    // build.rs mode: the client is `include!`d into a crate of the user's, doctests on by default.
    let buildrs = Scratch::new("buildrs");
    buildrs.write(
        "Cargo.toml",
        &format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [build-dependencies]\napigen = {{ path = {} }}\n\n{}\n[workspace]\n",
            buildrs.package,
            support::toml_string(WORKSPACE),
            dependency_tables(manifest)
        ),
    );
    buildrs.write(
        "build.rs",
        &format!(
            "fn main() {{\n    apigen::build::build_or_exit(apigen::Config::new({}).crate_name(\"doc-injection\"));\n}}\n",
            support::toml_string(&Path::new(WORKSPACE).join(EVIL).to_string_lossy())
        ),
    );
    buildrs.write(
        "src/lib.rs",
        "include!(concat!(env!(\"OUT_DIR\"), \"/client.rs\"));\n",
    );
    let single = generate(apigen::Layout::SingleFile);
    assert_eq!(buildrs.doctests(), generated_doctests(&single.files));

    // The checked-in layout: the generated crate as it is written, doctests on.
    let checked_in = Scratch::new("crate");
    for (path, text) in &crate_output.files {
        let text = if path == "Cargo.toml" {
            let renamed = text.replacen(
                "name = \"doc-injection\"",
                &format!("name = \"{}\"", checked_in.package),
                1,
            );
            // The library keeps its name: the generator's own examples name it.
            format!("{renamed}\n[lib]\nname = \"doc_injection\"\n\n[workspace]\n")
        } else {
            text.clone()
        };
        checked_in.write(path, &text);
    }
    // The example test is not a doctest; `cargo test --doc` skips it.
    assert_eq!(
        checked_in.doctests(),
        generated_doctests(&crate_output.files)
    );
}
