//! Where descriptions come from: a file, or text held in memory under a name, and the files read
//! so far, each read and parsed once.

use super::locate::Locator;
use super::parse::parse_text;
use crate::error::Error;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A description to load: a file, or text already in memory.
///
/// In-memory text has a name, a path that need not exist: errors name it, and a relative external
/// `$ref` in the text is resolved against the name's folder (those referenced files are read from
/// disk, and are inputs like any other). The text itself is not an input: nothing on disk was read.
///
/// ```
/// let source = apigen::Source::Text {
///     name: "memory/openapi.yaml".into(),
///     text: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n".into(),
/// };
/// let loaded = apigen::load::load_source(&source, &[]).unwrap();
/// assert!(loaded.inputs.is_empty());
/// assert_eq!(source.name(), std::path::Path::new("memory/openapi.yaml"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file on disk, read by the loader.
    File(PathBuf),
    /// Text in memory.
    Text {
        /// The path errors name, and against whose folder relative references are resolved.
        name: PathBuf,
        /// The description, YAML or JSON.
        text: String,
    },
}

impl Source {
    /// The path that names the description: the file's, or the in-memory text's name.
    pub fn name(&self) -> &Path {
        match self {
            Source::File(path) => path,
            Source::Text { name, .. } => name,
        }
    }
}

/// The files read so far, each parsed once, and their texts for the [`Locator`].
pub struct Files {
    /// Every file read from disk, in the order first read.
    pub order: Vec<PathBuf>,
    /// Each file other than the root parsed so far, by path. The root's value is handed out once,
    /// to be bundled in place, and not kept: a description of 13 MB is some 200 MB as a value, and
    /// a copy of it would live as long as loading does. Should a `$ref` in another file reach the
    /// root by its path, the root's text is parsed again then (and kept from there on).
    parsed: BTreeMap<PathBuf, Value>,
    /// The text of everything read, in memory or from disk.
    pub locator: Locator,
}

impl Files {
    /// No file read yet, for a description whose root is `root`.
    pub fn new(root: &Path) -> Self {
        Files {
            order: Vec::new(),
            parsed: BTreeMap::new(),
            locator: Locator::new(root),
        }
    }

    /// Reads and parses the root description. In-memory text is recorded under its name, so that
    /// locations in it find their lines, but it is not listed as a file read.
    pub fn read_source(&mut self, source: &Source) -> Result<Value, Error> {
        match source {
            Source::File(path) => {
                let text = self.read_recorded(path)?;
                // Indexed for locating on another thread while this one parses.
                let index = super::locate::PendingIndex::start(&text);
                let value = parse_text(path, &text);
                self.locator.add_source(path, text);
                if let Some(index) = index {
                    self.locator.add_pending_index(path, index);
                }
                value
            }
            Source::Text { name, text } => {
                self.locator.add_source(name, text.clone());
                parse_text(name, text)
            }
        }
    }

    /// Reads the file at `path` as text, recording it as an input and for the [`Locator`], for a
    /// document that is parsed by rules of its own.
    pub fn read_text(&mut self, path: &Path) -> Result<String, Error> {
        let text = self.read_recorded(path)?;
        self.locator.add_source(path, text.clone());
        Ok(text)
    }

    /// Reads the file at `path` as text and records it as an input (once), before anything
    /// parses it: a file that does not parse is still an input to watch.
    fn read_recorded(&mut self, path: &Path) -> Result<String, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if self.locator.source(path).is_none() {
            self.order.push(path.to_path_buf());
        }
        Ok(text)
    }

    /// Reads and parses the file at `path`, or returns what it parsed into before. The root
    /// description, whose text [`Files::read_source`] kept, is parsed from that text.
    pub fn read(&mut self, path: &Path) -> Result<&Value, Error> {
        if !self.parsed.contains_key(path) {
            let value = match self.locator.source(path) {
                Some(text) => parse_text(path, text)?,
                None => {
                    let text = self.read_recorded(path)?;
                    let value = parse_text(path, &text);
                    self.locator.add_source(path, text);
                    value?
                }
            };
            self.parsed.insert(path.to_path_buf(), value);
        }
        Ok(&self.parsed[path])
    }
}
