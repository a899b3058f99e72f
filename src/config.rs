//! The one configuration that every front end builds: a build script constructs it directly, the
//! xtask's `generate` flags parse into it with [`Config::from_flags`], and [`Config::to_args`] turns
//! it back into those flags.
//!
//! Every option is declared once, as a row of the table at the bottom of this file (the
//! `config_options!` invocation): its field, type, default, flag, help, builder method and getter.
//! The macro makes from that one row the field of [`Config`], its builder method, its getter, its
//! part of [`Config::to_args`] and [`Config::from_flags`], and its entry in [`Config::FLAGS`], from
//! which the xtask builds its command line (and its `--help`). An option therefore cannot exist
//! without a flag, nor a flag without an option; the table of flags is in [`Config`]'s docs.
//!
//! The output folder (`--out`) is not part of the configuration: it belongs to the adapter that
//! writes (the xtask writes where it is told, a build script writes into `OUT_DIR`).

mod choices;
mod flags;
mod threads;

pub use choices::{Grouping, Layout};

use flags::{parse_flag, FlagValue, Given};
pub use flags::{Arity, Flag, FlagError};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What a warning does: reported while the output is still produced (the default), or turned into
/// an error ([`crate::Error::DeniedWarnings`]), for those who want CI to fail on any defect of a
/// description. `true` converts to [`WarningPolicy::Deny`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum WarningPolicy {
    /// Warnings are reported, and the client is generated all the same.
    #[default]
    Report,
    /// Any warning fails generation, and nothing is written.
    Deny,
}

impl From<bool> for WarningPolicy {
    /// `true` denies warnings, `false` reports them.
    fn from(deny: bool) -> Self {
        if deny {
            WarningPolicy::Deny
        } else {
            WarningPolicy::Report
        }
    }
}

/// Whether the generated crate may be published: not by default (its manifest says `publish =
/// false`, so that a crate generated to try the generator is not sent to crates.io by accident), or
/// when asked ([`Config::publish`]). `true` converts to [`Publish::Allowed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Publish {
    /// The manifest says `publish = false`.
    #[default]
    Never,
    /// The manifest leaves `publish` out, so `cargo publish` may send the crate to a registry.
    Allowed,
}

impl From<bool> for Publish {
    /// `true` allows publishing, `false` forbids it.
    fn from(allowed: bool) -> Self {
        if allowed {
            Publish::Allowed
        } else {
            Publish::Never
        }
    }
}

/// The builder method of one option: `replace` sets the value, `push` appends one, `constructor`
/// makes none (the value is given to [`Config::new`]).
macro_rules! option_setter {
    (constructor $setter:ident($arg:ty) $field:ident; $(#[$doc:meta])*) => {};
    (replace $setter:ident($arg:ty) $field:ident; $(#[$doc:meta])*) => {
        $(#[$doc])*
        pub fn $setter(mut self, value: impl Into<$arg>) -> Self {
            self.$field = value.into();
            self
        }
    };
    (push $setter:ident($arg:ty) $field:ident; $(#[$doc:meta])*) => {
        $(#[$doc])*
        pub fn $setter(mut self, value: impl Into<$arg>) -> Self {
            self.$field.push(value.into());
            self
        }
    };
}

/// Declares every option of [`Config`] from one row each; see the invocation below for the rows.
///
/// Each row gives the field and its type, the flag (name and value placeholder), the help line,
/// the default (a function of the description's path), when [`Config::to_args`] gives the flag, the
/// builder method (how it sets, its name, what it takes) with its docs, and the getter with its doc.
macro_rules! config_options {
    ($(
        $(#[$setter_doc:meta])*
        $field:ident: $ty:ty {
            flag: $long:literal $value_name:literal,
            help: $help:literal,
            default: $default:expr,
            given: $given:ident,
            set: $set:ident $setter:ident($arg:ty),
            get: $getter:ident -> $ret:ty, $getter_doc:literal,
        }
    )*) => {
        /// What to generate, from which description.
        ///
        /// Built with [`Config::new`] and the builder methods below, each of which consumes and
        /// returns the configuration. A build script passes it to [`crate::build::build`]; the xtask
        /// parses its flags into one with [`Config::from_flags`]; [`Config::to_args`] gives the flags
        /// back. The flags of `cargo xtask generate`, one per option:
        ///
        /// | flag | value | meaning |
        /// |------|-------|---------|
        $(#[doc = concat!("| `--", $long, "` | ", $value_name, " | ", $help, " |")])*
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
        ///     .regenerate_command("cargo xtask codegen")
        ///     .deny_warnings(false);
        /// assert_eq!(config.crate_name_str(), "intercom-seed");
        /// assert_eq!(config.lib_name(), "intercom_seed");
        /// ```
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Config {
            $(pub(crate) $field: $ty,)*
            /// The description's text when it is given in memory ([`Config::from_text`]); `spec`
            /// is then its name. The one field that is not an option of the command line, which
            /// reads descriptions from files.
            pub(crate) spec_text: Option<String>,
            /// Threads to render on ([`Config::threads`]); not an option of the command line's
            /// table either, since it does not change the output the header's command remakes.
            pub(crate) threads: usize,
        }

        impl Config {
            /// The flags of `cargo xtask generate` that make a configuration, one per option, in the
            /// order [`Config::to_args`] gives them. (`--out` is the xtask's own.)
            pub const FLAGS: &'static [Flag] = &[$(
                Flag {
                    long: $long,
                    value_name: $value_name,
                    help: $help,
                    arity: <$ty as FlagValue>::ARITY,
                    required: matches!(Given::$given, Given::Required),
                    possible_values: <$ty as FlagValue>::POSSIBLE_VALUES,
                },
            )*];

            /// Every option at its default for the description at `spec`.
            fn with_defaults(spec: &Path) -> Self {
                Config {
                    $($field: {
                        let default: fn(&Path) -> $ty = $default;
                        default(spec)
                    },)*
                    spec_text: None,
                    threads: 0,
                }
            }

            $(
                option_setter!($set $setter($arg) $field; $(#[$setter_doc])*);

                #[doc = $getter_doc]
                pub fn $getter(&self) -> $ret {
                    FlagValue::view(&self.$field)
                }
            )*

            /// The `cargo xtask generate` flags that reproduce this configuration exactly (the xtask
            /// adds `--out DIR`, which is not part of it), in the order of [`Config::FLAGS`].
            /// `--spec` and `--regenerate-command` are always given (the xtask derives a different
            /// header command when the flag is missing); every other flag only when its value is
            /// not the default. Paths that are not UTF-8 are converted lossily.
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
                let defaults = Self::with_defaults(&self.spec);
                let mut args = Vec::new();
                $(
                    let given = match Given::$given {
                        Given::Required | Given::Always => true,
                        Given::UnlessDefault => self.$field != defaults.$field,
                    };
                    if given {
                        let flag = concat!("--", $long);
                        match <$ty as FlagValue>::ARITY {
                            Arity::Switch => args.push(flag.to_string()),
                            Arity::Once | Arity::Repeated => {
                                for word in FlagValue::to_words(&self.$field) {
                                    args.push(flag.to_string());
                                    args.push(word);
                                }
                            }
                        }
                    }
                )*
                args
            }

            /// The configuration a command line gives, the inverse of [`Config::to_args`]:
            /// `values(flag)` returns the values given after each occurrence of `flag` (one of
            /// [`Config::FLAGS`]), in order, or for a switch one empty word per occurrence. An
            /// absent flag leaves its option at the default, which for the crate's name depends on
            /// `--spec`.
            ///
            /// ```
            /// use apigen::{Config, Layout};
            ///
            /// let config = Config::from_flags(|flag| match flag.long {
            ///     "spec" => vec!["pet_store.yaml".into()],
            ///     "layout" => vec!["single-file".into()],
            ///     _ => Vec::new(),
            /// })?;
            /// assert_eq!(config, Config::new("pet_store.yaml").layout(Layout::SingleFile));
            /// # Ok::<(), apigen::config::FlagError>(())
            /// ```
            pub fn from_flags(
                mut values: impl FnMut(&Flag) -> Vec<OsString>,
            ) -> Result<Self, FlagError> {
                /// What each flag gave, `None` where it was absent.
                struct Parsed {
                    $($field: Option<$ty>,)*
                }
                // Fields are initialised in the order written, which is the order of FLAGS.
                let mut flags = Self::FLAGS.iter();
                let given = Parsed {
                    $($field: parse_flag::<$ty>(
                        flags.next().expect("one flag per option"),
                        &mut values,
                    )?,)*
                };
                // A name given on the command line is checked where it enters (a default one, made
                // from the file name, is checked by `generate`).
                if let Some(name) = &given.crate_name {
                    crate::names::check_crate_name(name).map_err(|message| FlagError {
                        flag: "name",
                        message,
                    })?;
                }
                let spec = given.spec.clone().unwrap_or_default();
                let defaults = Self::with_defaults(&spec);
                Ok(Config {
                    $($field: given.$field.unwrap_or(defaults.$field),)*
                    spec_text: None,
                    threads: 0,
                })
            }
        }
    };
}

config_options! {
    spec: PathBuf {
        flag: "spec" "FILE",
        help: "The OpenAPI 3.0 description (YAML or JSON).",
        default: |spec| spec.to_path_buf(),
        given: Required,
        set: constructor new(PathBuf),
        get: spec -> &Path, "The description's path.",
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
    overlays: Vec<PathBuf> {
        flag: "overlay" "FILE",
        help: "An OpenAPI Overlay 1.0 document to apply first; repeatable.",
        default: |_| Vec::new(),
        given: UnlessDefault,
        set: push overlay(PathBuf),
        get: overlays -> &[PathBuf], "The overlays, in the order they are applied.",
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
    crate_name: String {
        flag: "name" "NAME",
        help: "The crate's name (default: the description's file name).",
        default: default_crate_name,
        given: UnlessDefault,
        set: replace crate_name(String),
        get: crate_name_str -> &str, "The crate's name.",
    }

    /// The version written into the generated `Cargo.toml` (default `0.1.0`). Only
    /// [`Layout::Crate`] writes a manifest. Flag: `--crate-version VERSION`.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").crate_version("2.13.0");
    /// assert_eq!(config.crate_version_str(), "2.13.0");
    /// ```
    crate_version: String {
        flag: "crate-version" "VERSION",
        help: "The version in the generated Cargo.toml (default: 0.1.0).",
        default: |_| Config::DEFAULT_CRATE_VERSION.to_string(),
        given: UnlessDefault,
        set: replace crate_version(String),
        get: crate_version_str -> &str, "The version written into the generated `Cargo.toml`.",
    }

    /// Whether the generated crate may be published (default: no, its manifest says `publish =
    /// false`). Only [`Layout::Crate`] writes a manifest. Flag: `--publish`.
    ///
    /// ```
    /// use apigen::{Config, Publish};
    ///
    /// assert_eq!(Config::new("api.yaml").publish_policy(), Publish::Never);
    /// assert_eq!(Config::new("api.yaml").publish(true).publish_policy(), Publish::Allowed);
    /// ```
    publish: Publish {
        flag: "publish" "",
        help: "Let the generated crate be published (default: publish = false in its Cargo.toml).",
        default: |_| Publish::default(),
        given: UnlessDefault,
        set: replace publish(Publish),
        get: publish_policy -> Publish, "Whether the generated crate may be published.",
    }

    /// The authors written into the generated `Cargo.toml` (`Name <email>`); repeat for several.
    /// Flag: `--author AUTHOR`, repeatable.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").author("Notes Team <notes@example.com>");
    /// assert_eq!(config.authors(), ["Notes Team <notes@example.com>"]);
    /// ```
    authors: Vec<String> {
        flag: "author" "AUTHOR",
        help: "An author in the generated Cargo.toml (`Name <email>`); repeatable.",
        default: |_| Vec::new(),
        given: UnlessDefault,
        set: push author(String),
        get: authors -> &[String], "The authors of the generated crate.",
    }

    /// The repository URL written into the generated `Cargo.toml` (default: none). Flag:
    /// `--repository URL`.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").repository("https://example.com/notes-client");
    /// assert_eq!(config.repository_url(), "https://example.com/notes-client");
    /// ```
    repository: String {
        flag: "repository" "URL",
        help: "The repository URL in the generated Cargo.toml (default: none).",
        default: |_| String::new(),
        given: UnlessDefault,
        set: replace repository(String),
        get: repository_url -> &str, "The generated crate's repository URL (empty for none).",
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
    layout: Layout {
        flag: "layout" "LAYOUT",
        help: "A crate, or one file to `include!` (default: crate).",
        default: |_| Layout::default(),
        given: UnlessDefault,
        set: replace layout(Layout),
        get: layout_kind -> Layout, "The layout.",
    }

    /// How operations are reached from the client: grouped as resources
    /// (`client.contacts().create(body)`, [`Grouping::Resources`], the default) or all on the
    /// client (`client.create_contact(body)`, [`Grouping::Flat`]). Flag: `--grouping
    /// resources|flat`.
    ///
    /// ```
    /// use apigen::{Config, Grouping};
    ///
    /// let config = Config::new("api.yaml").grouping(Grouping::Flat);
    /// assert_eq!(config.grouping_kind(), Grouping::Flat);
    /// ```
    grouping: Grouping {
        flag: "grouping" "GROUPING",
        help: "Operations grouped as resources, or all on the client (default: resources).",
        default: |_| Grouping::default(),
        given: UnlessDefault,
        set: replace grouping(Grouping),
        get: grouping_kind -> Grouping, "How operations are reached from the client.",
    }

    /// Reads group and method names from a [fern overrides
    /// document](https://buildwithfern.com/learn/api-definition/openapi/overrides): of each
    /// operation under its `paths`, only `x-fern-sdk-group-name` and `x-fern-sdk-method-name` are
    /// taken, and only for operations the description has (a path matches whatever its parameters
    /// are called); names for operations it lacks are warned about, located in the file, and every
    /// other key is ignored. Applied after the overlays; repeat for several, later files winning.
    /// Flag: `--overrides FILE`, repeatable.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").overrides("fern-openapi-overrides.yml");
    /// assert_eq!(config.overrides_files(), [std::path::PathBuf::from("fern-openapi-overrides.yml")]);
    /// ```
    overrides: Vec<PathBuf> {
        flag: "overrides" "FILE",
        help: "A fern overrides document whose SDK group and method names to take; repeatable.",
        default: |_| Vec::new(),
        given: UnlessDefault,
        set: push overrides(PathBuf),
        get: overrides_files -> &[PathBuf], "The overrides documents, in the order they are read.",
    }

    /// Whether the generated crate gets `tests/examples.rs`, decoding every example the
    /// description carries into its type (default: yes; only [`Layout::Crate`] has tests). Flag:
    /// `--no-example-tests` turns them off.
    ///
    /// ```
    /// let config = apigen::Config::new("api.yaml").example_tests(false);
    /// assert!(!config.has_example_tests());
    /// ```
    example_tests: bool {
        flag: "no-example-tests" "",
        help: "Do not generate tests/examples.rs.",
        default: |_| true,
        given: UnlessDefault,
        set: replace example_tests(bool),
        get: has_example_tests -> bool, "Whether example tests are generated (for [`Layout::Crate`]).",
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
    regenerate_command: String {
        flag: "regenerate-command" "COMMAND",
        help: "The command each file's @generated header names as the way to remake it (default: this command line).",
        default: |_| Config::DEFAULT_REGENERATE_COMMAND.to_string(),
        given: Always,
        set: replace regenerate_command(String),
        get: regenerate_command_str -> &str, "The command named in `@generated` headers.",
    }

    /// Whether a warning about the description fails generation ([`WarningPolicy::Deny`]) or is
    /// only reported (the default): with `deny_warnings(true)`, [`crate::generate`] returns
    /// [`crate::Error::DeniedWarnings`] listing every warning, and no front end writes anything.
    /// Flag: `--deny-warnings`.
    ///
    /// ```
    /// use apigen::{Config, WarningPolicy};
    ///
    /// let config = Config::new("api.yaml").deny_warnings(true);
    /// assert_eq!(config.warning_policy(), WarningPolicy::Deny);
    /// assert_eq!(Config::new("api.yaml").warning_policy(), WarningPolicy::Report);
    /// ```
    warnings: WarningPolicy {
        flag: "deny-warnings" "",
        help: "Fail, writing nothing, when the description gives any warning.",
        default: |_| WarningPolicy::default(),
        given: UnlessDefault,
        set: replace deny_warnings(WarningPolicy),
        get: warning_policy -> WarningPolicy, "Whether warnings fail generation.",
    }
}

impl Config {
    /// The command named in `@generated` headers unless [`Config::regenerate_command`] says
    /// otherwise. [`crate::build::build`] replaces it with `cargo build`, and `cargo xtask generate`
    /// with its own command line.
    pub const DEFAULT_REGENERATE_COMMAND: &'static str = "cargo xtask codegen";

    /// The version written into the generated `Cargo.toml` unless [`Config::crate_version`] says
    /// otherwise.
    pub const DEFAULT_CRATE_VERSION: &'static str = "0.1.0";

    /// A configuration for the description at `spec` (YAML or JSON, OpenAPI 3.0), every other
    /// option at its default. The crate is named after the file's stem, in kebab-case, until
    /// [`Config::crate_name`] says otherwise. Relative paths are relative to the current directory,
    /// which in a build script is the package's root. Flag: `--spec FILE`.
    ///
    /// ```
    /// let config = apigen::Config::new("specs/pet_store.yaml");
    /// assert_eq!(config.spec(), std::path::Path::new("specs/pet_store.yaml"));
    /// assert_eq!(config.crate_name_str(), "pet-store");
    /// assert_eq!(config.to_args()[..2], ["--spec", "specs/pet_store.yaml"]);
    /// ```
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Self::with_defaults(&spec.into())
    }

    /// A configuration for a description given as text in memory, under `name`: the name stands
    /// for the file in error messages and gives the crate its default name, and relative external
    /// `$ref`s in the text are resolved against its folder (the files they reach are read from
    /// disk). The text itself is not read from disk, so it is not among the inputs. There is no
    /// flag for text: [`Config::to_args`] gives `--spec NAME`.
    ///
    /// ```
    /// let config = apigen::Config::from_text("memory/pets.yaml", "openapi: 3.0.3\n");
    /// assert_eq!(config.spec(), std::path::Path::new("memory/pets.yaml"));
    /// assert_eq!(config.crate_name_str(), "pets");
    /// assert!(matches!(config.source(), apigen::Source::Text { .. }));
    /// ```
    pub fn from_text(name: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Config {
            spec_text: Some(text.into()),
            ..Config::new(name)
        }
    }

    /// Where the description comes from: its file, or the text given to [`Config::from_text`].
    pub fn source(&self) -> crate::Source {
        match &self.spec_text {
            Some(text) => crate::Source::Text {
                name: self.spec.clone(),
                text: text.clone(),
            },
            None => crate::Source::File(self.spec.clone()),
        }
    }

    /// The crate's library name: the crate name in snake_case.
    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A configuration with every option away from its default.
    fn every_option_changed() -> Config {
        Config::new("a dir/My API.json")
            .overlay("one.yaml")
            .overlay("two's.yaml")
            .crate_name("my_api")
            .crate_version("2.13.0-beta.1")
            .layout(Layout::SingleFile)
            .grouping(Grouping::Flat)
            .overrides("names.yml")
            .example_tests(false)
            .regenerate_command("cargo build --features 'x y'")
            .deny_warnings(true)
            .publish(true)
            .author("Notes Team <notes@example.com>")
            .author("B")
            .repository("https://example.com/notes")
    }

    /// The values `args` gives each flag, as a command-line parser would find them.
    fn values_in(args: &[String], flag: &Flag) -> Vec<OsString> {
        let name = format!("--{}", flag.long);
        let mut values = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            if *arg == name {
                values.push(match flag.arity {
                    Arity::Switch => OsString::new(),
                    Arity::Once | Arity::Repeated => args[i + 1].clone().into(),
                });
            }
        }
        values
    }

    #[test]
    fn every_option_survives_to_args_and_back() {
        let config = every_option_changed();
        let args = config.to_args();
        for flag in Config::FLAGS {
            assert!(
                args.contains(&format!("--{}", flag.long)),
                "--{} is not given by {args:?}: change its option in every_option_changed",
                flag.long
            );
        }
        let parsed = Config::from_flags(|flag| values_in(&args, flag)).expect("parses");
        assert_eq!(parsed, config);
    }

    #[test]
    fn absent_flags_keep_the_defaults_and_spec_is_required() {
        let parsed = Config::from_flags(|flag| match flag.long {
            "spec" => vec!["specs/pet_store.yaml".into()],
            _ => Vec::new(),
        });
        assert_eq!(parsed, Ok(Config::new("specs/pet_store.yaml")));
        let missing = Config::from_flags(|_| Vec::new()).unwrap_err();
        assert_eq!(missing.to_string(), "--spec: is required");
        let bad = Config::from_flags(|flag| match flag.long {
            "spec" => vec!["a.yaml".into()],
            "layout" => vec!["folder".into()],
            _ => Vec::new(),
        });
        assert_eq!(
            bad.unwrap_err().to_string(),
            "--layout: `folder` is not a layout; expected one of crate, single-file"
        );
    }

    /// Each field of `Config` is declared by a row of `config_options!`, which also makes its flag,
    /// its part of `to_args` and of `from_flags`: there is no other place to declare a field, so an
    /// option cannot be left out of the command line. This checks the one way around that, a field
    /// written into the macro's struct by hand: `derive(Debug)` lists every field there is. The one
    /// such fields, `spec_text` (a description given in memory) and `threads` (which does not change
    /// the output), are by design not flags.
    #[test]
    fn one_flag_per_field() {
        let debug = format!("{:#?}", Config::new("api.yaml"));
        let fields = debug
            .lines()
            .filter(|line| line.starts_with("    ") && !line.starts_with("     "))
            .filter(|line| {
                line.trim_start()
                    .starts_with(|c: char| c.is_ascii_lowercase())
                    && !line.trim_start().starts_with("spec_text:")
                    && !line.trim_start().starts_with("threads:")
            })
            .count();
        assert_eq!(fields, Config::FLAGS.len(), "{debug}");
        let mut longs: Vec<&str> = Config::FLAGS.iter().map(|flag| flag.long).collect();
        longs.sort();
        longs.dedup();
        assert_eq!(longs.len(), Config::FLAGS.len(), "two options share a flag");
    }
}
