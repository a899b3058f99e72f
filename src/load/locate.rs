//! Pointer → line and column: the one way the loader finds where something is written.
//!
//! A [`Locator`] holds the text of every file read, each indexed once, and the table of where
//! bundled content came from ([`Origin`]). Asked for a pointer into the bundled document, it answers
//! with the file the content was written in, the pointer in that file, and the line and column
//! there. Lines are found by reading the YAML block structure or JSON text, best effort: each token
//! is looked for as a key (or list item) below the line of its parent.

mod keys;

use crate::error::Location;
use crate::pointer::{Pointer, PointerMap};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where one piece of bundled content came from: an externally referenced schema moved under
/// `#/components/schemas`, or an object inlined where a `$ref` to another file stood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Where the content is in the bundled document.
    pub at: Pointer,
    /// The file it was read from.
    pub file: PathBuf,
    /// Where it is in that file.
    pub pointer: Pointer,
}

/// The text of every file read, each indexed once, and where bundled content came from.
#[derive(Debug)]
pub struct Locator {
    /// The root description: a pointer outside every bundled origin is in it.
    root: PathBuf,
    /// The text of each file read, by the path it was read as.
    sources: BTreeMap<PathBuf, String>,
    /// Where bundled content came from, in the order it was bundled.
    origins: Vec<Origin>,
    /// Where normalisation (OpenAPI 3.1 or Swagger 2.0 to 3.0) moved content: pointers into the
    /// normalised document back to pointers into the bundled one.
    moves: PointerMap,
    /// Each source split into lines once, with the lines found so far.
    indexes: Mutex<BTreeMap<PathBuf, LineIndex>>,
    /// The index of the last source added, being made on another thread ([`PendingIndex`]).
    pending: Mutex<Option<(PathBuf, PendingIndex)>>,
}

/// How long a text must be for its index to be made on another thread while it is parsed: a
/// shorter one is indexed when first asked, in less time than a thread takes to start.
const BACKGROUND_INDEX_BYTES: usize = 256 * 1024;

/// The index of a text, made on another thread while this one parses the text and goes on with
/// the load: for GitHub's description, a tenth of a second that the first warning no longer
/// waits for. Handed to [`Locator::add_pending_index`] with the text it was made from.
#[derive(Debug)]
pub struct PendingIndex(std::thread::JoinHandle<LineIndex>);

impl PendingIndex {
    /// Starts indexing `text` on another thread when it is long enough to pay for one (and a
    /// thread can be made).
    pub fn start(text: &str) -> Option<Self> {
        if text.len() < BACKGROUND_INDEX_BYTES {
            return None;
        }
        Self::spawn(text.to_string())
    }

    fn spawn(text: String) -> Option<Self> {
        let index = move || {
            let mut index = LineIndex::new(&text);
            let lines = Lines {
                text: &text,
                ranges: &index.lines,
            };
            index.keys = Some(keys::KeyIndex::new(lines));
            index
        };
        let thread = std::thread::Builder::new().name("apigen-index".into());
        thread.spawn(index).ok().map(PendingIndex)
    }
}

impl Locator {
    /// A locator for a description whose root is `root`, with no file read yet.
    pub fn new(root: &Path) -> Self {
        Locator {
            root: root.to_path_buf(),
            sources: BTreeMap::new(),
            origins: Vec::new(),
            moves: PointerMap::default(),
            indexes: Mutex::default(),
            pending: Mutex::default(),
        }
    }

    /// Records the text of `file` (a file read again replaces its text, and its index).
    pub fn add_source(&mut self, file: &Path, text: String) {
        self.indexes
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .remove(file);
        let pending = self.pending.get_mut().unwrap_or_else(|e| e.into_inner());
        if pending.as_ref().is_some_and(|(of, _)| of == file) {
            // Made from the text this one replaces: the thread finishes alone, unheard.
            *pending = None;
        }
        self.sources.insert(file.to_path_buf(), text);
    }

    /// Records that `index`, started from the text just added for `file`, is that text's index.
    pub fn add_pending_index(&mut self, file: &Path, index: PendingIndex) {
        *self.pending.get_mut().unwrap_or_else(|e| e.into_inner()) =
            Some((file.to_path_buf(), index));
    }

    /// Records that the content at `origin.at` in the bundled document came from `origin.file`.
    pub fn add_origin(&mut self, origin: Origin) {
        self.origins.push(origin);
    }

    /// Records where normalisation moved content: from now on, [`Locator::locate`] takes pointers
    /// into the normalised document.
    pub fn set_moves(&mut self, moves: PointerMap) {
        self.moves = moves;
    }

    /// The pointer into the bundled document (as written, before normalisation) for `pointer`, a
    /// pointer into the normalised document.
    pub fn unnormalised(&self, pointer: &Pointer) -> Pointer {
        self.moves.original(pointer)
    }

    /// The text of `file`, if it was read.
    pub fn source(&self, file: &Path) -> Option<&str> {
        self.sources.get(file).map(String::as_str)
    }

    /// Where bundled content came from, in the order it was bundled.
    pub fn origins(&self) -> &[Origin] {
        &self.origins
    }

    /// The location of `pointer`, a pointer into the bundled (and normalised) document: where
    /// normalisation moved content, the pointer is first taken back to where it was written; then
    /// the innermost bundled content it falls in maps it to its own file and pointer; anything else
    /// is in the root. The line is found where the file's text allows.
    pub fn locate(&self, pointer: &Pointer) -> Location {
        let pointer = &self.moves.original(pointer);
        let innermost = self
            .origins
            .iter()
            .filter(|origin| pointer.starts_with(&origin.at))
            .max_by_key(|origin| origin.at.as_str().len());
        match innermost {
            Some(origin) => {
                let inside = pointer.rebase(&origin.at, &origin.pointer);
                self.locate_in(
                    &origin.file,
                    &inside.unwrap_or_else(|| origin.pointer.clone()),
                )
            }
            None => self.locate_in(&self.root, pointer),
        }
    }

    /// The location of `pointer`, a pointer into `file` itself (not into the bundled document).
    pub fn locate_in(&self, file: &Path, pointer: &Pointer) -> Location {
        let mut location = Location::new(file, pointer.clone());
        location.line = self.line(file, pointer);
        location
    }

    /// The 1-based line and column of `pointer` in `file`, where the text allows.
    fn line(&self, file: &Path, pointer: &Pointer) -> Option<(usize, usize)> {
        let text = self.sources.get(file)?;
        let mut indexes = self.indexes.lock().unwrap_or_else(|e| e.into_inner());
        if !indexes.contains_key(file) {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            if pending.as_ref().is_some_and(|(of, _)| of == file) {
                // Where the thread failed, the index is made here, as without one.
                if let Some((_, PendingIndex(thread))) = pending.take() {
                    if let Ok(index) = thread.join() {
                        indexes.insert(file.to_path_buf(), index);
                    }
                }
            }
        }
        indexes
            .entry(file.to_path_buf())
            .or_insert_with(|| LineIndex::new(text))
            .find(text, pointer)
    }
}

/// One text split into lines once, and the line (0-based) and indentation of every pointer prefix
/// found in it so far. Locating many pointers in one long description (every warning, every
/// example that contradicts its schema) then splits the file once, and scans each block once for
/// its keys, instead of doing both over the whole file for every pointer.
#[derive(Debug)]
struct LineIndex {
    /// The byte range of each line of the text.
    lines: Vec<(usize, usize)>,
    json: bool,
    /// Pointer prefix (`/components/schemas`) → where it was found, or `None`.
    found: HashMap<String, Option<(usize, usize)>>,
    /// Every key of the text, indexed when the first pointer needs a key not found before.
    keys: Option<keys::KeyIndex>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let lines = text
            .lines()
            .map(|line| {
                let start = line.as_ptr() as usize - text.as_ptr() as usize;
                (start, start + line.len())
            })
            .collect();
        LineIndex {
            lines,
            json: text.trim_start().starts_with('{'),
            found: HashMap::new(),
            keys: None,
        }
    }

    /// The 1-based line and column of `pointer` in `text`, the text this index was made from.
    fn find(&mut self, text: &str, pointer: &Pointer) -> Option<(usize, usize)> {
        let fragment = pointer.json_pointer();
        if fragment.is_empty() {
            return Some((1, 1));
        }
        let lines = Lines {
            text,
            ranges: &self.lines,
        };
        let mut prefix = String::with_capacity(fragment.len());
        let mut start = 0usize;
        let mut parent_indent: isize = -1;
        let mut found = None;
        for token in fragment.split('/').skip(1) {
            prefix.push('/');
            prefix.push_str(token);
            let hit = match self.found.get(&prefix) {
                Some(hit) => *hit,
                None => {
                    let token = token.replace("~1", "/").replace("~0", "~");
                    let keys = self.keys.get_or_insert_with(|| keys::KeyIndex::new(lines));
                    let hit = keys
                        .find(&token, start, parent_indent, self.json)
                        .unwrap_or_else(|| {
                            find_key(lines, &token, start, parent_indent, self.json)
                        });
                    let hit =
                        hit.or_else(|| find_item(lines, &token, start, parent_indent, self.json));
                    self.found.insert(prefix.clone(), hit);
                    hit
                }
            };
            let (line, indent) = hit?;
            start = line;
            parent_indent = indent as isize;
            found = Some((line + 1, indent + 1));
        }
        found
    }
}

/// The lines of a text, by the byte ranges a [`LineIndex`] holds: read in place, never collected.
#[derive(Clone, Copy)]
struct Lines<'a> {
    text: &'a str,
    ranges: &'a [(usize, usize)],
}

impl<'a> Lines<'a> {
    /// The lines from the `start`th (0-based) on, each with its index.
    fn from(self, start: usize) -> impl Iterator<Item = (usize, &'a str)> {
        let text = self.text;
        self.ranges
            .iter()
            .enumerate()
            .skip(start)
            .map(move |(i, &(a, b))| (i, &text[a..b]))
    }
}

/// The line and indentation of a pointer token that is not a key below line `start`: a list
/// item, the index-th "- " at the first indentation deeper than the parent's (in JSON, a list
/// written on one line is found at its own line).
fn find_item(
    lines: Lines<'_>,
    token: &str,
    start: usize,
    parent_indent: isize,
    json: bool,
) -> Option<(usize, usize)> {
    let index = token.parse::<usize>().ok()?;
    let mut count = 0usize;
    let mut item_indent: Option<usize> = None;
    for (i, line) in lines.from(start) {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if i > start && (indent as isize) <= parent_indent && !trimmed.starts_with('-') {
            break;
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            if item_indent.is_none() {
                item_indent = Some(indent);
            }
            if Some(indent) == item_indent {
                if count == index {
                    return Some((i, indent));
                }
                count += 1;
            }
        }
    }
    json.then_some((start, 0))
}

/// The line and indentation of `token` as a key below line `start`, within its parent's block,
/// found by reading the lines: for the tokens [`keys::KeyIndex`] does not answer.
fn find_key(
    lines: Lines<'_>,
    token: &str,
    start: usize,
    parent_indent: isize,
    json: bool,
) -> Option<(usize, usize)> {
    let candidates = [
        format!("{token}:"),
        format!("\"{token}\":"),
        format!("'{token}':"),
        format!("\"{token}\" :"),
    ];
    for (i, line) in lines.from(start) {
        let (indent, trimmed, blank_or_comment) = read_line(line);
        if i > start && !json && !blank_or_comment && (indent as isize) <= parent_indent {
            return None;
        }
        if candidates.iter().any(|c| trimmed.starts_with(c.as_str())) {
            return Some((i, indent));
        }
    }
    None
}

/// A line as the line search reads it: its indentation (list markers count), the text after it,
/// and whether the line is blank or a comment, which never ends a block. The one reading of a line
/// that [`find_key`] and [`keys::KeyIndex`] share.
fn read_line(line: &str) -> (usize, &str, bool) {
    let unindented = crate::lines::trim_start(line);
    let trimmed = strip_list_markers(unindented);
    let blank_or_comment = trimmed.is_empty() || unindented.starts_with('#');
    (line.len() - trimmed.len(), trimmed, blank_or_comment)
}

/// `line` without the list markers (`- `, any number of them) it starts with: what
/// `trim_start_matches("- ")` gives, without setting up a substring search for every line.
fn strip_list_markers(mut line: &str) -> &str {
    while let Some(rest) = line.strip_prefix("- ") {
        line = rest;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Pointer {
        Pointer::parse(text).unwrap()
    }

    fn line_in(text: &str, pointer: &str) -> Option<(usize, usize)> {
        let mut locator = Locator::new(Path::new("x.yaml"));
        locator.add_source(Path::new("x.yaml"), text.to_string());
        locator.locate(&at(pointer)).line
    }

    #[test]
    fn an_index_made_on_another_thread_finds_what_one_made_here_finds() {
        let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters:\n      - name: x\n      - name: y\n        in: query\n";
        let file = Path::new("x.yaml");
        let pointers = [
            "#/paths/~1a/get",
            "#/paths/~1a/get/parameters/1/in",
            "#/nothing",
        ];
        let mut locator = Locator::new(file);
        locator.add_source(file, text.to_string());
        let index = PendingIndex::spawn(text.to_string()).expect("a thread starts");
        locator.add_pending_index(file, index);
        for pointer in pointers {
            assert_eq!(locator.locate(&at(pointer)).line, line_in(text, pointer));
        }
        assert!(
            locator.pending.lock().unwrap().is_none(),
            "the index was taken"
        );
        // A text read again replaces the index made from the one before.
        let index = PendingIndex::spawn(text.to_string()).expect("a thread starts");
        locator.add_pending_index(file, index);
        locator.add_source(file, format!("x: 1\n{text}"));
        assert_eq!(locator.locate(&at(pointers[0])).line, Some((5, 5)));
    }

    #[test]
    fn finds_lines_in_yaml() {
        let text = "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters:\n      - name: x\n      - name: y\n        in: query\n";
        assert_eq!(line_in(text, "#/paths/~1a/get"), Some((4, 5)));
        assert_eq!(
            line_in(text, "#/paths/~1a/get/parameters/1/in"),
            Some((8, 9))
        );
        assert_eq!(line_in(text, "#/nothing"), None);
        assert_eq!(line_in(text, "#"), Some((1, 1)));
        let numbered = "paths:\n  /a:\n    get:\n      responses:\n        \"200\":\n          description: ok\n";
        assert_eq!(
            line_in(numbered, "#/paths/~1a/get/responses/200/description"),
            Some((6, 11))
        );
    }

    #[test]
    fn finds_lines_in_json() {
        let text = "{\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\n        \"tags\": [\"x\", \"y\"]\n      }\n    }\n  }\n}\n";
        assert_eq!(line_in(text, "#/paths/~1a/get"), Some((4, 7)));
        // An item of a list written on one line is found at its list's line.
        assert_eq!(line_in(text, "#/paths/~1a/get/tags/1"), Some((5, 1)));
        assert_eq!(line_in(text, "#/paths/~1b"), None);
    }

    #[test]
    fn bundled_content_is_found_in_its_own_file() {
        let mut locator = Locator::new(Path::new("root.yaml"));
        locator.add_source(
            Path::new("root.yaml"),
            "components:\n  schemas: {}\n".into(),
        );
        locator.add_source(
            Path::new("pet.yaml"),
            "Pet:\n  type: object\n  properties:\n    id: {type: integer}\n".into(),
        );
        locator.add_origin(Origin {
            at: at("#/components/schemas/Pet"),
            file: PathBuf::from("pet.yaml"),
            pointer: at("#/Pet"),
        });
        let location = locator.locate(&at("#/components/schemas/Pet/properties/id"));
        assert_eq!(location.to_string(), "pet.yaml:4:5 at #/Pet/properties/id");
        // A name that only begins like the bundled one is in the root.
        let location = locator.locate(&at("#/components/schemas/Pets"));
        assert_eq!(location.file, Path::new("root.yaml"));
        assert_eq!(location.pointer, Some(at("#/components/schemas/Pets")));
        assert_eq!(location.line, None);
        // In a file's own terms, a pointer is not mapped.
        let location = locator.locate_in(Path::new("pet.yaml"), &at("#/Pet/type"));
        assert_eq!(location.to_string(), "pet.yaml:2:3 at #/Pet/type");
    }

    #[test]
    fn the_innermost_origin_wins() {
        let mut locator = Locator::new(Path::new("root.yaml"));
        locator.add_source(Path::new("b.yaml"), "B:\n  inner:\n    x: 1\n".into());
        locator.add_origin(Origin {
            at: at("#/components/schemas/A"),
            file: PathBuf::from("a.yaml"),
            pointer: at("#"),
        });
        locator.add_origin(Origin {
            at: at("#/components/schemas/A/properties/b"),
            file: PathBuf::from("b.yaml"),
            pointer: at("#/B"),
        });
        let location = locator.locate(&at("#/components/schemas/A/properties/b/inner/x"));
        assert_eq!(location.to_string(), "b.yaml:3:5 at #/B/inner/x");
        let location = locator.locate(&at("#/components/schemas/A/type"));
        assert_eq!(location.to_string(), "a.yaml at #/type");
    }
}
