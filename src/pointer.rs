//! JSON pointers (RFC 6901) in their URI-fragment form, `#/paths/~1contacts~1{id}/post`: the one
//! way every stage names a place in a description.
//!
//! A pointer is built token by token ([`Pointer::push`] escapes `~` and `/`), read token by token
//! ([`Pointer::tokens`] unescapes them), and printed as written. Nothing outside this module slices
//! pointer text by hand.

use std::fmt;

/// A JSON pointer into one document, always starting with `#` (the document itself is `#`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

/// One step down a JSON document: a key of an object (as written, not escaped), or an index into
/// an array.
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Pointer {
    /// The whole document: `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Reads a pointer written in fragment form (`#/a/b`, `#`, or `/a/b` without the `#`, as the
    /// fragment of a `$ref` may be). Anything else is not a pointer.
    ///
    /// ```
    /// use apigen::pointer::Pointer;
    /// assert_eq!(Pointer::parse("#/a~1b/c").unwrap().tokens().collect::<Vec<_>>(), ["a/b", "c"]);
    /// assert_eq!(Pointer::parse("/x").unwrap().as_str(), "#/x");
    /// assert!(Pointer::parse("components").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix('#').unwrap_or(text);
        (rest.is_empty() || rest.starts_with('/')).then(|| Pointer(format!("#{rest}")))
    }

    /// The pointer one level down, at `token` (a key or an index), escaped as RFC 6901 says.
    ///
    /// ```
    /// use apigen::pointer::Pointer;
    /// let at = Pointer::root().push("paths").push("/contacts/{id}").push("get");
    /// assert_eq!(at.to_string(), "#/paths/~1contacts~1{id}/get");
    /// assert_eq!(at.push(3).as_str(), "#/paths/~1contacts~1{id}/get/3");
    /// ```
    #[must_use]
    pub fn push(&self, token: impl fmt::Display) -> Self {
        let mut down = Pointer(String::with_capacity(self.0.len() + 16));
        down.0.push_str(&self.0);
        down.descend(token);
        down
    }

    /// [`Pointer::push`] in place: this pointer goes one level down, to `token`. For walks that
    /// visit every node of a large document, with [`Pointer::ascend`] on the way back, so that no
    /// node costs a new pointer.
    ///
    /// ```
    /// use apigen::pointer::Pointer;
    /// let mut at = Pointer::root().push("paths");
    /// at.descend("/a~b");
    /// assert_eq!(at.as_str(), "#/paths/~1a~0b");
    /// at.ascend();
    /// assert_eq!(at, Pointer::root().push("paths"));
    /// ```
    pub fn descend(&mut self, token: impl fmt::Display) {
        use fmt::Write as _;
        self.0.push('/');
        // Writing into a `String` cannot fail.
        let _ = write!(Escaping(&mut self.0), "{token}");
    }

    /// The pointer `steps` below this one: for walks that keep where they are as [`Step`]s and
    /// make a pointer only for what they report.
    pub(crate) fn below(&self, steps: &[Step<'_>]) -> Pointer {
        let mut at = self.clone();
        for step in steps {
            match step {
                Step::Key(key) => at.descend(key),
                Step::Index(i) => at.descend(i),
            }
        }
        at
    }

    /// This pointer goes one level up, in place (the whole document stays where it is).
    pub fn ascend(&mut self) {
        if let Some(end) = self.0.rfind('/') {
            self.0.truncate(end);
        }
    }

    /// The tokens from the last one up, as written (still escaped, `~0` and `~1`). Compared with a
    /// token that holds neither `~` nor `/` (a keyword such as `properties`), the answer is that
    /// of [`Pointer::last`] and [`Pointer::tokens`], without making a string.
    ///
    /// ```
    /// use apigen::pointer::Pointer;
    /// let at = Pointer::root().join(["components", "a/b", "properties"]);
    /// assert_eq!(at.escaped_tokens_rev().collect::<Vec<_>>(), ["properties", "a~1b", "components"]);
    /// assert_eq!(Pointer::root().escaped_tokens_rev().next(), None);
    /// ```
    pub fn escaped_tokens_rev(&self) -> impl Iterator<Item = &str> + '_ {
        // Every token follows a `/`; the text before the first one is empty and no token.
        self.json_pointer()
            .strip_prefix('/')
            .into_iter()
            .flat_map(|tokens| tokens.rsplit('/'))
    }

    /// The pointer several levels down, one token at a time.
    #[must_use]
    pub fn join<T: fmt::Display>(&self, tokens: impl IntoIterator<Item = T>) -> Self {
        tokens
            .into_iter()
            .fold(self.clone(), |at, token| at.push(token))
    }

    /// The tokens, unescaped, from the top of the document down.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
    }

    /// How many tokens deep the pointer is (`#` is 0).
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// The last token, unescaped; `None` for the whole document.
    pub fn last(&self) -> Option<String> {
        let start = self.0.rfind('/')? + 1;
        Some(self.0[start..].replace("~1", "/").replace("~0", "~"))
    }

    /// The pointer one level up; `None` for the whole document.
    pub fn parent(&self) -> Option<Self> {
        self.0
            .rfind('/')
            .map(|end| Pointer(self.0[..end].to_owned()))
    }

    /// Whether `self` is `ancestor` or lies below it, token by token (`#/a/bc` is not below `#/a/b`).
    pub fn starts_with(&self, ancestor: &Pointer) -> bool {
        self.0
            .strip_prefix(&ancestor.0)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// The pointer as written, `#` first.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The pointer without its `#`, as [`serde_json::Value::pointer`] takes it (`""` for the whole
    /// document).
    ///
    /// ```
    /// use apigen::pointer::Pointer;
    /// let doc = serde_json::json!({"a": {"b/c": 1}});
    /// assert_eq!(doc.pointer(Pointer::root().join(["a", "b/c"]).json_pointer()), Some(&1.into()));
    /// assert_eq!(Pointer::root().json_pointer(), "");
    /// ```
    pub fn json_pointer(&self) -> &str {
        &self.0[1..]
    }

    /// The pointer that `self` becomes when what lies at `from` is moved to `onto`: `None` when
    /// `self` is not at or below `from`.
    ///
    /// ```
    /// use apigen::pointer::Pointer;
    /// let at = Pointer::parse("#/components/schemas/Pet/properties/id").unwrap();
    /// let from = Pointer::parse("#/components/schemas/Pet").unwrap();
    /// assert_eq!(at.rebase(&from, &Pointer::root()).unwrap().as_str(), "#/properties/id");
    /// assert_eq!(from.rebase(&at, &Pointer::root()), None);
    /// ```
    pub fn rebase(&self, from: &Pointer, onto: &Pointer) -> Option<Pointer> {
        self.starts_with(from)
            .then(|| Pointer(format!("{}{}", onto.0, &self.0[from.0.len()..])))
    }
}

/// Writes text into a pointer's string, escaping `~` and `/` as RFC 6901 says.
struct Escaping<'a>(&'a mut String);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if !text.contains(['~', '/']) {
            self.0.push_str(text);
            return Ok(());
        }
        for c in text.chars() {
            match c {
                '~' => self.0.push_str("~0"),
                '/' => self.0.push_str("~1"),
                c => self.0.push(c),
            }
        }
        Ok(())
    }
}

/// Where content moved when a document was rewritten: pointers into the rewritten document mapped
/// back to the pointers into the document as written. A pointer with no entry of its own is mapped
/// through its nearest ancestor that has one, and a pointer below no entry did not move.
///
/// ```
/// use apigen::pointer::{Pointer, PointerMap};
/// let at = |text| Pointer::parse(text).unwrap();
/// let mut map = PointerMap::default();
/// map.record(at("#/components/schemas"), &at("#/definitions"));
/// // Recorded against the document as rewritten so far: the entries compose.
/// map.record(at("#/components/schemas/Pet/allOf/0"), &at("#/components/schemas/Pet"));
/// assert_eq!(map.original(&at("#/components/schemas/Pet/type")), "#/definitions/Pet/type");
/// assert_eq!(map.original(&at("#/components/schemas/Pet/allOf/0/$ref")), "#/definitions/Pet/$ref");
/// assert_eq!(map.original(&at("#/info/title")), "#/info/title");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PointerMap {
    /// Pointer in the rewritten document → pointer in the document as written.
    entries: std::collections::BTreeMap<Pointer, Pointer>,
}

impl PointerMap {
    /// Records that what is now at `now` was at `before`, where `before` is a pointer into the
    /// document as rewritten by the entries recorded so far (it is mapped through them).
    pub fn record(&mut self, now: Pointer, before: &Pointer) {
        let original = self.original(before);
        // An entry that changes nothing is not kept.
        if self.original(&now) != original {
            self.entries.insert(now, original);
        }
    }

    /// Records that what is now at `now` was written at `original`, a pointer into the document as
    /// written (not mapped through the entries recorded so far): for a rewrite that builds a new
    /// document from the old one, where every source pointer is an original one.
    pub fn record_original(&mut self, now: Pointer, original: Pointer) {
        if self.original(&now) != original {
            self.entries.insert(now, original);
        }
    }

    /// The pointer into the document as written for `pointer`, a pointer into the rewritten one.
    pub fn original(&self, pointer: &Pointer) -> Pointer {
        if self.entries.is_empty() {
            return pointer.clone();
        }
        let mut ancestor = Some(pointer.clone());
        while let Some(at) = ancestor {
            if let Some(before) = self.entries.get(&at) {
                return pointer
                    .rebase(&at, before)
                    .unwrap_or_else(|| before.clone());
            }
            ancestor = at.parent();
        }
        pointer.clone()
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl PartialEq<str> for Pointer {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Pointer {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Default for Pointer {
    fn default() -> Self {
        Pointer::root()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn tokens_round_trip_through_escaping() {
        for token in ["plain", "a/b", "~", "~1", "/~0/", "", "{id}", "ü 5"] {
            let at = Pointer::root().push("x").push(token);
            assert_eq!(at.tokens().collect::<Vec<_>>(), ["x", token], "{at}");
            assert_eq!(at.last().as_deref(), Some(token));
            assert_eq!(at.parent(), Some(Pointer::root().push("x")));
            assert_eq!(Pointer::parse(at.as_str()), Some(at.clone()));
        }
    }

    #[test]
    fn ancestry_is_by_whole_tokens() {
        let b = Pointer::parse("#/a/b").unwrap();
        assert!(Pointer::parse("#/a/b/c").unwrap().starts_with(&b));
        assert!(b.starts_with(&b));
        assert!(b.starts_with(&Pointer::root()));
        assert!(!Pointer::parse("#/a/bc").unwrap().starts_with(&b));
        assert_eq!(Pointer::root().parent(), None);
        assert_eq!(Pointer::root().depth(), 0);
        assert_eq!(b.depth(), 2);
        assert_eq!(b.join(["c", "d/e"]).as_str(), "#/a/b/c/d~1e");
    }

    #[test]
    fn rebasing_moves_whole_tokens_only() {
        let from = Pointer::parse("#/components/schemas/a").unwrap();
        let onto = Pointer::parse("#/definitions").unwrap();
        let inside = from.push("items");
        assert_eq!(inside.rebase(&from, &onto).unwrap(), "#/definitions/items");
        assert_eq!(from.rebase(&from, &onto).unwrap(), "#/definitions");
        let sibling = Pointer::parse("#/components/schemas/ab").unwrap();
        assert_eq!(sibling.rebase(&from, &onto), None);
        assert_eq!(from.json_pointer(), "/components/schemas/a");
        assert!(from == "#/components/schemas/a");
    }

    #[test]
    fn a_map_takes_the_nearest_entry_and_composes() {
        let at = |text| Pointer::parse(text).unwrap();
        let mut map = super::PointerMap::default();
        assert!(map.is_empty());
        map.record(at("#/components/schemas"), &at("#/definitions"));
        map.record(
            at("#/components/schemas/A/nullable"),
            &at("#/components/schemas/A/x-nullable"),
        );
        map.record(
            at("#/components/schemas/B"),
            &at("#/components/schemas/A/$defs/B"),
        );
        assert_eq!(
            map.original(&at("#/components/schemas/A/nullable")),
            "#/definitions/A/x-nullable"
        );
        assert_eq!(
            map.original(&at("#/components/schemas/A/nullable/x")),
            "#/definitions/A/x-nullable/x"
        );
        assert_eq!(
            map.original(&at("#/components/schemas/B/type")),
            "#/definitions/A/$defs/B/type"
        );
        assert_eq!(
            map.original(&at("#/components/schemasX")),
            "#/components/schemasX"
        );
        assert_eq!(map.original(&at("#")), "#");
        // An entry that changes nothing is not kept.
        map.record(at("#/paths"), &at("#/paths"));
        assert_eq!(map.original(&at("#/paths/~1a")), "#/paths/~1a");
    }
}
