//! The options that choose one of a closed set of values, and how each is spelled as a flag.

/// How the generated client is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Layout {
    /// A complete crate: `Cargo.toml`, `src/lib.rs`, `src/types.rs`, `src/operations.rs` and
    /// `src/runtime/`. This is what `cargo xtask generate` writes.
    #[default]
    Crate,
    /// One file, `client.rs`, holding every module inline, for a build script to `include!` from
    /// `OUT_DIR`. The including crate must depend on what the runtime needs (see `templates/Cargo.toml`).
    SingleFile,
}

impl Layout {
    /// Every layout, in the order `--layout` lists them.
    pub const ALL: [Layout; 2] = [Layout::Crate, Layout::SingleFile];

    /// The value of the xtask's `--layout` flag for this layout: `crate` or `single-file`.
    ///
    /// ```
    /// assert_eq!(apigen::Layout::SingleFile.as_flag(), "single-file");
    /// ```
    pub const fn as_flag(self) -> &'static str {
        match self {
            Layout::Crate => "crate",
            Layout::SingleFile => "single-file",
        }
    }

    /// The layout a `--layout` value names, if any.
    ///
    /// ```
    /// assert_eq!(apigen::Layout::from_flag("crate"), Some(apigen::Layout::Crate));
    /// assert_eq!(apigen::Layout::from_flag("one-file"), None);
    /// ```
    pub fn from_flag(value: &str) -> Option<Layout> {
        Layout::ALL
            .into_iter()
            .find(|layout| layout.as_flag() == value)
    }
}

/// How operations are reached from the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Grouping {
    /// Grouped, as resources: `client.contacts().create(body)`, each group a small type borrowing
    /// the client (see the `groups` pass for where groups and names come from). Operations with
    /// no group stay methods of the client.
    #[default]
    Resources,
    /// Every operation a method of the client, named after its `operationId`:
    /// `client.create_contact(body)`.
    Flat,
}

impl Grouping {
    /// Every grouping, in the order `--grouping` lists them.
    pub const ALL: [Grouping; 2] = [Grouping::Resources, Grouping::Flat];

    /// The value of the xtask's `--grouping` flag for this grouping: `resources` or `flat`.
    ///
    /// ```
    /// assert_eq!(apigen::Grouping::Flat.as_flag(), "flat");
    /// ```
    pub const fn as_flag(self) -> &'static str {
        match self {
            Grouping::Resources => "resources",
            Grouping::Flat => "flat",
        }
    }

    /// The grouping a `--grouping` value names, if any.
    ///
    /// ```
    /// assert_eq!(apigen::Grouping::from_flag("resources"), Some(apigen::Grouping::Resources));
    /// assert_eq!(apigen::Grouping::from_flag("tags"), None);
    /// ```
    pub fn from_flag(value: &str) -> Option<Grouping> {
        Grouping::ALL
            .into_iter()
            .find(|grouping| grouping.as_flag() == value)
    }
}
