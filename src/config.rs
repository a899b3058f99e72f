//! The one configuration that every front end builds: the xtask's flags parse into it and a build
//! script constructs it directly, so the two cannot drift.

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

/// What to generate, from which description.
///
/// ```
/// use apigen::{Config, Layout};
///
/// let config = Config::new("spec/intercom-seed/openapi.yaml")
///     .crate_name("intercom-seed")
///     .layout(Layout::Crate)
///     .regenerate_command("cargo xtask codegen");
/// assert_eq!(config.crate_name_str(), "intercom-seed");
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
    /// A configuration for the description at `spec` (YAML or JSON, OpenAPI 3.0). The crate is
    /// named after the file's stem until [`Config::crate_name`] says otherwise.
    ///
    /// ```
    /// let config = apigen::Config::new("petstore.yaml");
    /// assert_eq!(config.crate_name_str(), "petstore");
    /// ```
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        let spec = spec.into();
        let stem = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("client");
        Config {
            crate_name: heck::ToKebabCase::to_kebab_case(stem),
            spec,
            overlays: Vec::new(),
            crate_version: "0.1.0".to_string(),
            layout: Layout::Crate,
            regenerate_command: "cargo xtask codegen".to_string(),
            example_tests: true,
        }
    }

    /// Applies an [OpenAPI Overlay 1.0](https://spec.openapis.org/overlay/v1.0.0.html) document to
    /// the description after loading it; repeat for several, applied in order. Overlays fix a
    /// description's defects without editing the upstream copy.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").overlay("api.overlay.yaml");
    /// assert_eq!(config.overlays().len(), 1);
    /// ```
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// The name of the generated crate (in `Cargo.toml`; the library is its snake_case form).
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").crate_name("intercom");
    /// assert_eq!(config.crate_name_str(), "intercom");
    /// ```
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = name.into();
        self
    }

    /// The version written into the generated `Cargo.toml` (default `0.1.0`).
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").crate_version("2.13.0");
    /// ```
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = version.into();
        self
    }

    /// A crate or a single file for `include!`.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").layout(apigen::Layout::SingleFile);
    /// ```
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// The command named in each file's `@generated` header as the way to remake it.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").regenerate_command("cargo build");
    /// ```
    pub fn regenerate_command(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = command.into();
        self
    }

    /// Whether the generated crate gets `tests/examples.rs`, decoding every example the
    /// description carries into its type (default: yes; only for [`Layout::Crate`]).
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").example_tests(false);
    /// ```
    pub fn example_tests(mut self, on: bool) -> Self {
        self.example_tests = on;
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
}
