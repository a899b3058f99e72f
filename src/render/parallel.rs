//! Rendering many files on several threads, a few items at a time.
//!
//! Each [`RustFile`] is emitted on one thread (token streams cannot cross threads), and its tokens
//! are cut at top-level item boundaries into chunks of about [`CHUNK_BYTES`] of text. The chunks
//! cross threads as text: any thread parses one with syn, formats it with prettyplease and puts
//! blank lines between its items. A file is its chunks' texts in order, joined as
//! [`super::separate_items`] would have joined them, so the bytes are those of formatting the whole
//! file at once, whatever the number of threads: prettyplease ends every top-level item with a hard
//! line break and carries nothing from one item to the next, and the blank-line rule looks at two
//! neighbouring lines only. No whole-file syntax tree is ever built: for GitHub's description, whose
//! `types.rs` is 15 MB, that tree alone took hundreds of MB.

use super::{format_parsed, needs_blank_line};
use crate::error::Error;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

/// How much token text a chunk holds, at least (bar the last of a file): enough that a chunk is
/// worth sending to another thread, small enough that its syntax tree stays small and a big file
/// spreads over every thread.
const CHUNK_BYTES: usize = 48 * 1024;

/// The emission of one Rust file's tokens, run on whichever thread takes the file.
pub type Emit<'a> = Box<dyn FnOnce() -> TokenStream + Send + 'a>;

/// A Rust file to render: its path in the output, and how to emit its tokens.
pub struct RustFile<'a> {
    /// The file's path, relative to the output folder; errors name it.
    pub path: String,
    /// Emits the file's tokens: a sequence of items, inner attributes first.
    pub emit: Emit<'a>,
}

impl<'a> RustFile<'a> {
    /// The file at `path` whose tokens `emit` makes.
    pub fn new(path: impl Into<String>, emit: impl FnOnce() -> TokenStream + Send + 'a) -> Self {
        RustFile {
            path: path.into(),
            emit: Box::new(emit),
        }
    }
}

/// Renders every file on up to `threads` threads (this one included), each under `header`, and
/// returns `(path, text)` in the order given. The first file that fails to parse fails it all.
pub fn render_files(
    files: Vec<RustFile<'_>>,
    header: &str,
    threads: usize,
) -> Result<Vec<(String, String)>, Error> {
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let work = Work::new(files);
    // Not bounded by the number of files: a big file's chunks keep every thread busy.
    let helpers = threads.max(1) - 1;
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
    let State {
        mut formatted,
        failed,
        ..
    } = work.state.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(error) = failed {
        return Err(error);
    }
    formatted.sort_by_key(|chunk| (chunk.file, chunk.index));
    let mut texts: Vec<String> = paths.iter().map(|_| header.to_string()).collect();
    let mut first = vec![true; paths.len()];
    for chunk in formatted {
        let text = &mut texts[chunk.file];
        if !std::mem::replace(&mut first[chunk.file], false) {
            join_separated(text, &chunk.text);
        } else {
            text.push_str(&chunk.text);
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

/// A chunk of one file: its items as token text before formatting, as formatted text after.
struct Chunk {
    file: usize,
    index: usize,
    text: String,
}

/// What the threads share: the files left to emit, the chunks left to format, and what is done.
struct State<'a> {
    emits: VecDeque<(usize, Emit<'a>)>,
    chunks: VecDeque<Chunk>,
    /// Threads emitting a file now, whose chunks are still to come.
    emitting: usize,
    formatted: Vec<Chunk>,
    /// The first error: once set, the threads stop taking work.
    failed: Option<Error>,
}

/// The queue of work, and the condition a thread waits on while others emit.
struct Work<'a> {
    state: Mutex<State<'a>>,
    changed: Condvar,
}

/// One piece of work.
enum Job<'a> {
    Emit(usize, Emit<'a>),
    Format(Chunk),
}

impl<'a> Work<'a> {
    fn new(files: Vec<RustFile<'a>>) -> Self {
        let emits = files
            .into_iter()
            .enumerate()
            .map(|(i, file)| (i, file.emit))
            .collect();
        Work {
            state: Mutex::new(State {
                emits,
                chunks: VecDeque::new(),
                emitting: 0,
                formatted: Vec::new(),
                failed: None,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<'a>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes work until there is none left: chunks first (they hold text waiting to shrink into
    /// its final form), then files to emit; while other threads emit, waits for their chunks.
    fn run(&self, paths: &[String]) {
        while let Some(job) = self.next_job() {
            match job {
                Job::Emit(file, emit) => {
                    let done = EmitDone(self);
                    let chunks = split_items(emit());
                    let mut state = self.lock();
                    state.chunks.extend(
                        chunks.into_iter().enumerate().map(|(index, text)| Chunk {
                            file,
                            index,
                            text,
                        }),
                    );
                    drop(state);
                    drop(done);
                }
                Job::Format(chunk) => {
                    let result = format_items(&paths[chunk.file], &chunk.text);
                    let mut state = self.lock();
                    match result {
                        Ok(text) => state.formatted.push(Chunk { text, ..chunk }),
                        Err(error) => {
                            state.failed.get_or_insert(error);
                            self.changed.notify_all();
                        }
                    }
                }
            }
        }
    }

    /// The next piece of work, or `None` when every file is emitted and every chunk formatted (or
    /// something failed).
    fn next_job(&self) -> Option<Job<'a>> {
        let mut state = self.lock();
        loop {
            if state.failed.is_some() {
                return None;
            }
            if let Some(chunk) = state.chunks.pop_front() {
                return Some(Job::Format(chunk));
            }
            if let Some((file, emit)) = state.emits.pop_front() {
                state.emitting += 1;
                return Some(Job::Emit(file, emit));
            }
            if state.emitting == 0 {
                return None;
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Marks the end of one thread's emission, also when emission panics, so that no thread waits for
/// chunks that will never come (the panic then ends the scope, which passes it on).
struct EmitDone<'w, 'a>(&'w Work<'a>);

impl Drop for EmitDone<'_, '_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.emitting -= 1;
        if std::thread::panicking() && state.failed.is_none() {
            state.failed = Some(Error::Internal {
                file: String::new(),
                message: "emission panicked".into(),
            });
        }
        self.0.changed.notify_all();
    }
}

/// `tokens`, a sequence of items, as the text of chunks of whole items. A top-level item ends with
/// a `;` or with a braced block that no `;` follows (`use a::{b, c};` and `const X: T = T {…};` go
/// on to their `;`). Anything after the last item stays in the last chunk, where the parser
/// reports it.
pub fn split_items(tokens: TokenStream) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut item: Vec<TokenTree> = Vec::new();
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
        item.push(tree);
        if ends_item {
            current.push_str(&TokenStream::from_iter(item.drain(..)).to_string());
            current.push('\n');
            if current.len() >= CHUNK_BYTES {
                chunks.push(std::mem::take(&mut current));
            }
        }
    }
    if !item.is_empty() {
        current.push_str(&TokenStream::from_iter(item).to_string());
    }
    if !current.is_empty() || chunks.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// Formats items given as token text with prettyplease, with a blank line between them. Text that
/// does not parse is our bug (`file` names where it was going).
fn format_items(file: &str, text: &str) -> Result<String, Error> {
    let parsed: syn::File = syn::parse_file(text).map_err(|e| Error::Internal {
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
