//! Rendering many files on several threads, a few items at a time.
//!
//! A [`RustFile`] is emitted in parts: each part is a closure that emits some of the file's items,
//! and any thread takes any part (token streams cannot cross threads, so a part's tokens stay on
//! the thread that emits them). That thread cuts the part's tokens at top-level item boundaries
//! into chunks of `CHUNK_ITEMS` items, and parses (with syn, straight from the tokens) and formats
//! (with prettyplease) one chunk at a time, with blank lines between its items. A file is its
//! chunks' texts in order, joined as [`super::separate_items`] would have joined them, so the
//! bytes are those of formatting the whole file at once, however the file is cut into parts and
//! whatever the number of threads: prettyplease ends every top-level item with a hard line break
//! and carries nothing from one item to the next, and the blank-line rule looks at two
//! neighbouring lines only. No whole-file syntax tree is ever built: for GitHub's description,
//! whose `types.rs` is 14 MB, that tree alone took hundreds of MB.

use super::{format_parsed, needs_blank_line};
use crate::error::Error;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::sync::Mutex;

/// How many top-level items a chunk holds, at most: its syntax tree stays small, and parsing it
/// costs little more than parsing its items one by one.
const CHUNK_ITEMS: usize = 32;

/// The emission of some of a Rust file's items, run on whichever thread takes it.
pub type Emit<'a> = Box<dyn FnOnce() -> TokenStream + Send + 'a>;

/// A Rust file to render: its path in the output, and how to emit its tokens, part by part.
pub struct RustFile<'a> {
    /// The file's path, relative to the output folder; errors name it.
    pub path: String,
    /// Each emits a sequence of items (the first part the inner attributes first); the file is
    /// their items in order.
    pub parts: Vec<Emit<'a>>,
}

impl<'a> RustFile<'a> {
    /// The file at `path` whose tokens `emit` makes, in one part.
    pub fn new(path: impl Into<String>, emit: impl FnOnce() -> TokenStream + Send + 'a) -> Self {
        RustFile {
            path: path.into(),
            parts: vec![Box::new(emit)],
        }
    }
}

/// One part of one file, and its place.
struct Part<'a> {
    file: usize,
    index: usize,
    emit: Emit<'a>,
}

/// Renders every file on up to `threads` threads (this one included), each under `header`, and
/// returns `(path, text)` in the order given. Parts are taken in the order given too: list the
/// largest first, so that the small ones fill in the end. The first part that fails to parse
/// fails it all.
pub fn render_files(
    files: Vec<RustFile<'_>>,
    header: &str,
    threads: usize,
) -> Result<Vec<(String, String)>, Error> {
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let mut parts: Vec<Part<'_>> = Vec::new();
    for (file, rust_file) in files.into_iter().enumerate() {
        for (index, emit) in rust_file.parts.into_iter().enumerate() {
            parts.push(Part { file, index, emit });
        }
    }
    let helpers = threads.max(1).min(parts.len().max(1)) - 1;
    let work = Work {
        parts: Mutex::new(parts.into_iter().rev().collect()),
        done: Mutex::new(Done::default()),
    };
    std::thread::scope(|scope| {
        for _ in 0..helpers {
            let spawned = std::thread::Builder::new()
                .name("apigen-render".into())
                .stack_size(crate::STACK_SIZE)
                .spawn_scoped(scope, || work.run(&paths));
            // Where no thread can be made, the ones there are (this one at least) do the work.
            if spawned.is_err() {
                break;
            }
        }
        work.run(&paths);
    });
    let Done {
        mut formatted,
        failed,
    } = work.done.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(error) = failed {
        return Err(error);
    }
    formatted.sort_by_key(|part| (part.file, part.index));
    // Each file's text is allocated once, at its size (a blank line at most between two parts):
    // grown part by part, GitHub's 14 MB `types.rs` held a copy and unused room besides.
    let mut sizes = vec![header.len(); paths.len()];
    for part in &formatted {
        sizes[part.file] += part.text.len() + 1;
    }
    let mut texts: Vec<String> = sizes
        .into_iter()
        .map(|size| {
            let mut text = String::with_capacity(size);
            text.push_str(header);
            text
        })
        .collect();
    let mut empty = vec![true; paths.len()];
    for part in formatted {
        let text = &mut texts[part.file];
        if part.text.is_empty() {
            continue;
        }
        if !std::mem::replace(&mut empty[part.file], false) {
            join_separated(text, &part.text);
        } else {
            text.push_str(&part.text);
        }
    }
    Ok(paths.into_iter().zip(texts).collect())
}

/// Appends `next` (formatted items) to `text` (formatted items before them), with the blank line
/// between the two that [`super::separate_items`] would put there.
fn join_separated(text: &mut String, next: &str) {
    let last = text.lines().next_back();
    let first = next.lines().next();
    if let (Some(last), Some(first)) = (last, first) {
        if needs_blank_line(last, first) {
            text.push('\n');
        }
    }
    text.push_str(next);
}

/// A part of one file, formatted.
struct Formatted {
    file: usize,
    index: usize,
    text: String,
}

/// What the threads have done: every part formatted, or the first error.
#[derive(Default)]
struct Done {
    formatted: Vec<Formatted>,
    /// The first error: once set, the threads stop taking work.
    failed: Option<Error>,
}

/// The parts left to render (the next one last), and what is done.
struct Work<'a> {
    parts: Mutex<Vec<Part<'a>>>,
    done: Mutex<Done>,
}

impl Work<'_> {
    /// Takes parts until there is none left, or one failed.
    fn run(&self, paths: &[String]) {
        while let Some(part) = self.next_part() {
            let result = render_part(&paths[part.file], (part.emit)());
            let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
            match result {
                Ok(text) => done.formatted.push(Formatted {
                    file: part.file,
                    index: part.index,
                    text,
                }),
                Err(error) => {
                    done.failed.get_or_insert(error);
                }
            }
        }
    }

    fn next_part(&self) -> Option<Part<'_>> {
        if self
            .done
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .failed
            .is_some()
        {
            return None;
        }
        self.parts.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }
}

/// One part's items, formatted a chunk at a time and joined.
fn render_part(file: &str, tokens: TokenStream) -> Result<String, Error> {
    let mut text = String::new();
    for chunk in split_items(tokens) {
        let formatted = format_items(file, chunk)?;
        match text.is_empty() {
            true => text = formatted,
            false => join_separated(&mut text, &formatted),
        }
    }
    Ok(text)
}

/// `tokens`, a sequence of items, in chunks of `CHUNK_ITEMS` whole items. A top-level item ends
/// with a `;` or with a braced block that no `;` follows (`use a::{b, c};` and
/// `const X: T = T {…};` go on to their `;`). Anything after the last item stays in the last
/// chunk, where the parser reports it.
pub fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    let mut chunks = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut items = 0;
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let ends_item = match &tree {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => false,
        };
        current.push(tree);
        if ends_item {
            items += 1;
            if items == CHUNK_ITEMS {
                chunks.push(current.drain(..).collect());
                items = 0;
            }
        }
    }
    if !current.is_empty() || chunks.is_empty() {
        chunks.push(current.into_iter().collect());
    }
    chunks
}

/// Formats items with prettyplease, with a blank line between them. Tokens that do not parse are
/// our bug (`file` names where they were going).
fn format_items(file: &str, tokens: TokenStream) -> Result<String, Error> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| Error::Internal {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    Ok(format_parsed(&parsed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// Many items of every kind the splitter must not cut inside, with inner attributes first.
    fn items(n: usize) -> TokenStream {
        let mut tokens = quote! {
            //! The module.
            #![allow(dead_code)]
            use std::collections::{BTreeMap, BTreeSet};
        };
        for i in 0..n {
            let name = quote::format_ident!("Item{i}");
            let constant = quote::format_ident!("ITEM_{i}");
            tokens.extend(quote! {
                /// A struct.
                #[derive(Debug, Default)]
                pub struct #name {
                    pub map: BTreeMap<String, BTreeSet<u8>>,
                }
                impl #name {
                    /// A method.
                    pub fn get(&self) -> Option<&BTreeSet<u8>> {
                        self.map.get("x")
                    }
                }
                pub const #constant: #name = #name { map: BTreeMap::new() };
                pub type Alias = #name;
            });
        }
        tokens
    }

    fn whole(tokens: TokenStream) -> String {
        let formatted = prettyplease::unparse(&syn::parse2(tokens).unwrap());
        crate::render::separate_items(&formatted)
    }

    #[test]
    fn chunks_join_into_the_whole_files_formatting_on_any_number_of_threads() {
        let expected = whole(items(400));
        let chunks = split_items(items(400));
        assert!(chunks.len() > 2, "{} chunks", chunks.len());
        for threads in [1, 2, 4] {
            let files = vec![
                RustFile::new("a.rs", || items(400)),
                RustFile::new("b.rs", || items(3)),
            ];
            let rendered = render_files(files, "// header\n", threads).unwrap();
            assert_eq!(rendered[0].0, "a.rs");
            assert_eq!(rendered[0].1, format!("// header\n{expected}"), "{threads}");
            assert_eq!(rendered[1].1, format!("// header\n{}", whole(items(3))));
        }
    }

    #[test]
    fn parts_join_into_the_whole_files_formatting_on_any_number_of_threads() {
        let expected = whole(items(100));
        // Parts of whole items, about `n` token trees each (token streams cannot cross threads:
        // each part emits the items again and keeps its own).
        let split = |n: usize| -> Vec<Emit<'static>> {
            let trees: Vec<TokenTree> = items(100).into_iter().collect();
            let mut parts = Vec::new();
            let mut start = 0;
            while start < trees.len() {
                let mut end = (start + n).min(trees.len());
                while end < trees.len() && !ends_an_item(&trees[..end], trees.get(end)) {
                    end += 1;
                }
                parts.push(Box::new(move || {
                    items(100)
                        .into_iter()
                        .skip(start)
                        .take(end - start)
                        .collect()
                }) as Emit<'static>);
                start = end;
            }
            parts
        };
        for (n, threads) in [(7, 1), (50, 2), (1, 3), (300, 4)] {
            let parts = split(n);
            assert!(parts.len() > 1, "{n}");
            let files = vec![RustFile {
                path: "a.rs".into(),
                parts,
            }];
            let rendered = render_files(files, "// h\n", threads).unwrap();
            assert_eq!(rendered[0].1, format!("// h\n{expected}"), "{n} {threads}");
        }
    }

    /// Whether `trees` end an item, `next` following them.
    fn ends_an_item(trees: &[TokenTree], next: Option<&TokenTree>) -> bool {
        match trees.last() {
            Some(TokenTree::Punct(p)) => p.as_char() == ';',
            Some(TokenTree::Group(g)) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        }
    }

    #[test]
    fn tokens_that_do_not_parse_fail_naming_the_file() {
        let files = vec![
            RustFile::new("good.rs", || items(2)),
            RustFile::new("bad.rs", || quote!(pub struct;)),
        ];
        let error = render_files(files, "", 2).unwrap_err();
        assert!(
            matches!(&error, Error::Internal { file, .. } if file == "bad.rs"),
            "{error:?}"
        );
    }

    #[test]
    fn an_empty_file_is_its_header() {
        let files = vec![RustFile::new("empty.rs", TokenStream::new)];
        let rendered = render_files(files, "// h\n", 3).unwrap();
        assert_eq!(rendered, [("empty.rs".to_string(), "// h\n".to_string())]);
    }
}
