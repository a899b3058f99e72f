//! The one configuration that every front end builds: the xtask's `generate` flags parse into it, a
//! build script constructs it directly, and [`Config::to_args`] turns it back into those flags, so the
//! two cannot drift.
//!
//! | builder method                   | `cargo xtask generate` flag     | default                          |
//! |----------------------------------|---------------------------------|----------------------------------|
//! | [`Config::new`]                  | `--spec FILE`                   | (required)                       |
//! | [`Config::overlay`]              | `--overlay FILE` (repeatable)   | none                             |
//! | [`Config::crate_name`]           | `--name NAME`                   | the description's file stem      |
//! | [`Config::crate_version`]        | `--crate-version VERSION`       | `0.1.0`                          |
//! | [`Config::layout`]               | `--layout crate\|single-file`   | `crate`                          |
//! | [`Config::example_tests`]        | `--no-example-tests`            | on                               |
//! | [`Config::regenerate_command`]   | `--regenerate-command COMMAND`  | see the method                   |
//!
//! The output folder (`--out`) is not part of the configuration: it belongs to the adapter that
//! writes (the xtask writes where it is told, a build script writes into `OUT_DIR`).

use std::path::{Path, PathBuf};

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
    /// The value of the xtask's `--layout` flag for this layout: `crate` or `single-file`.
    ///
    /// ```
    /// assert_eq!(apigen::Layout::SingleFile.as_flag(), "single-file");
    /// ```
    pub fn as_flag(self) -> &'static str {
        match self {
            Layout::Crate => "crate",
            Layout::SingleFile => "single-file",
        }
    }
}

/// What to generate, from which description.
///
/// Built with [`Config::new`] and the builder methods below, each of which consumes and returns the
/// configuration. A build script passes it to [`crate::build::build`]; the xtask parses its flags
/// into one; [`Config::to_args`] gives the flags back.
///
/// ```
/// use apigen::{Config, Layout};
///
/// let config = Config::new("spec/intercom-seed/openapi.yaml")
///     .overlay("spec/intercom-seed/overlay.yaml")
///     .crate_name("intercom-seed")
///     .crate_version("2.13.0")
///     .layout(Layout::Crate)
///     .example_tests(true)
///     .regenerate_command("cargo xtask codegen");
/// assert_eq!(config.crate_name_str(), "intercom-seed");
/// assert_eq!(config.lib_name(), "intercom_seed");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub(crate) spec: PathBuf,
    pub(crate) overlays: Vec<PathBuf>,
    pub(crate) crate_name: String,
    pub(crate) crate_version: String,
    pub(crate) layout: Layout,
    pub(crate) regenerate_command: String,
    pub(crate) example_tests: bool,
}

impl Config {
    /// The command named in `@generated` headers unless [`Config::regenerate_command`] says
    /// otherwise. [`crate::build::build`] replaces it with `cargo build`, and `cargo xtask generate`
    /// with its own command line.
    pub const DEFAULT_REGENERATE_COMMAND: &'static str = "cargo xtask codegen";

    /// The version written into the generated `Cargo.toml` unless [`Config::crate_version`] says
    /// otherwise.
    pub const DEFAULT_CRATE_VERSION: &'static str = "0.1.0";

    /// A configuration for the description at `spec` (YAML or JSON, OpenAPI 3.0). The crate is
    /// named after the file's stem, in kebab-case, until [`Config::crate_name`] says otherwise.
    /// Relative paths are relative to the current directory, which in a build script is the
    /// package's root. Flag: `--spec FILE`.
    ///
    /// ```
    /// let config = apigen::Config::new("specs/pet_store.yaml");
    /// assert_eq!(config.spec(), std::path::Path::new("specs/pet_store.yaml"));
    /// assert_eq!(config.crate_name_str(), "pet-store");
    /// assert_eq!(config.to_args()[..2], ["--spec", "specs/pet_store.yaml"]);
    /// ```
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        let spec = spec.into();
        Config {
            crate_name: default_crate_name(&spec),
            spec,
            overlays: Vec::new(),
            crate_version: Self::DEFAULT_CRATE_VERSION.to_string(),
            layout: Layout::Crate,
            regenerate_command: Self::DEFAULT_REGENERATE_COMMAND.to_string(),
            example_tests: true,
        }
    }

    /// Applies an [OpenAPI Overlay 1.0](https://spec.openapis.org/overlay/v1.0.0.html) document to
    /// the description after loading it; repeat for several, applied in order. Overlays fix a
    /// description's defects without editing the upstream copy. They apply to the root document,
    /// before external `$ref`s are resolved. Flag: `--overlay FILE`, repeatable.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").overlay("fixes.yaml").overlay("names.yaml");
    /// assert_eq!(config.overlays(), ["fixes.yaml", "names.yaml"].map(std::path::PathBuf::from));
    /// ```
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// The name of the generated crate, in its `Cargo.toml`; the library is its snake_case form.
    /// A name Cargo or Rust would reject makes [`crate::generate`] fail with
    /// [`crate::Error::CrateName`] (see [`crate::names::check_crate_name`]). Flag: `--name NAME`.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").crate_name("intercom-client");
    /// assert_eq!(config.crate_name_str(), "intercom-client");
    /// assert_eq!(config.lib_name(), "intercom_client");
    /// ```
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = name.into();
        self
    }

    /// The version written into the generated `Cargo.toml` (default `0.1.0`). Only
    /// [`Layout::Crate`] writes a manifest. Flag: `--crate-version VERSION`.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").crate_version("2.13.0");
    /// assert_eq!(config.crate_version_str(), "2.13.0");
    /// ```
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = version.into();
        self
    }

    /// A complete crate ([`Layout::Crate`], the default) or a single `client.rs` for `include!`
    /// ([`Layout::SingleFile`], what [`crate::build::build`] always uses). Flag:
    /// `--layout crate|single-file`.
    ///
    /// ```
    /// use apigen::{Config, Layout};
    ///
    /// let config = Config::new("api.yaml").layout(Layout::SingleFile);
    /// assert_eq!(config.layout_kind(), Layout::SingleFile);
    /// ```
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Whether the generated crate gets `tests/examples.rs`, decoding every example the
    /// description carries into its type (default: yes; only [`Layout::Crate`] has tests). Flag:
    /// `--no-example-tests` turns them off.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").example_tests(false);
    /// assert!(!config.has_example_tests());
    /// ```
    pub fn example_tests(mut self, on: bool) -> Self {
        self.example_tests = on;
        self
    }

    /// The command named in each file's `@generated` header as the way to remake it. The default,
    /// [`Config::DEFAULT_REGENERATE_COMMAND`], is replaced by `cargo build` in
    /// [`crate::build::build`] and by its own command line in `cargo xtask generate`; a value set here
    /// is kept by both. Flag: `--regenerate-command COMMAND`.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").regenerate_command("make client");
    /// assert_eq!(config.regenerate_command_str(), "make client");
    /// ```
    pub fn regenerate_command(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = command.into();
        self
    }

    /// The description's path.
    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// The overlays, in the order they are applied.
    pub fn overlays(&self) -> &[PathBuf] {
        &self.overlays
    }

    /// The crate's name.
    pub fn crate_name_str(&self) -> &str {
        &self.crate_name
    }

    /// The crate's library name: the crate name in snake_case.
    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }

    /// The version written into the generated `Cargo.toml`.
    pub fn crate_version_str(&self) -> &str {
        &self.crate_version
    }

    /// The layout.
    pub fn layout_kind(&self) -> Layout {
        self.layout
    }

    /// Whether example tests are generated (for [`Layout::Crate`]).
    pub fn has_example_tests(&self) -> bool {
        self.example_tests
    }

    /// The command named in `@generated` headers.
    pub fn regenerate_command_str(&self) -> &str {
        &self.regenerate_command
    }

    /// The `cargo xtask generate` flags that reproduce this configuration exactly (the xtask adds
    /// `--out DIR`, which is not part of it). `--spec` and `--regenerate-command` are always given
    /// (the xtask derives a different header command when the flag is missing); every other flag
    /// only when its value is not the default. Paths that are not UTF-8 are converted lossily.
    ///
    /// ```
    /// use apigen::{Config, Layout};
    ///
    /// let config = Config::new("api.yaml").overlay("fix.yaml").layout(Layout::SingleFile);
    /// assert_eq!(
    ///     config.to_args(),
    ///     [
    ///         "--spec", "api.yaml",
    ///         "--overlay", "fix.yaml",
    ///         "--layout", "single-file",
    ///         "--regenerate-command", "cargo xtask codegen",
    ///     ]
    /// );
    /// ```
    pub fn to_args(&self) -> Vec<String> {
        let mut args = vec![
            "--spec".to_string(),
            self.spec.to_string_lossy().into_owned(),
        ];
        for overlay in &self.overlays {
            args.push("--overlay".to_string());
            args.push(overlay.to_string_lossy().into_owned());
        }
        if self.crate_name != default_crate_name(&self.spec) {
            args.push("--name".to_string());
            args.push(self.crate_name.clone());
        }
        if self.crate_version != Self::DEFAULT_CRATE_VERSION {
            args.push("--crate-version".to_string());
            args.push(self.crate_version.clone());
        }
        if self.layout != Layout::default() {
            args.push("--layout".to_string());
            args.push(self.layout.as_flag().to_string());
        }
        if !self.example_tests {
            args.push("--no-example-tests".to_string());
        }
        args.push("--regenerate-command".to_string());
        args.push(self.regenerate_command.clone());
        args
    }
}

/// The crate name [`Config::new`] gives: the description's file stem in kebab-case.
fn default_crate_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("client");
    heck::ToKebabCase::to_kebab_case(stem)
}
