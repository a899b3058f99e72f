//! apigen: an OpenAPI 3.0 → Rust client generator.
//!
//! The pipeline is `load → lower → passes → emit → render`, its stages named in [`pipeline`];
//! [`generate`] runs it and returns the files, the inputs it read and the warnings, writing nothing. The adapters write: the
//! `cargo apigen` command (the `cargo-apigen` crate; this repository's xtask calls it), [`write::codegen`]
//! for a project's own xtask, and [`build`] for build scripts.
//!
//! ```no_run
//! let output = apigen::generate(&apigen::Config::new("spec/intercom-seed/openapi.yaml"))?;
//! for warning in &output.warnings {
//!     eprintln!("warning: {warning}");
//! }
//! apigen::write::write_files(std::path::Path::new("generated/intercom-seed"), &output.files, true)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod analysis;
pub mod build;
pub mod config;
pub mod docs;
pub mod emit;
pub mod error;
pub mod features;
pub mod ir;
mod limits;
mod lines;
pub mod load;
pub mod lower;
pub mod measure;
pub mod names;
pub mod passes;
pub mod pipeline;
pub mod pointer;
pub mod render;
pub mod write;

pub use config::{Config, Grouping, Layout, Publish, WarningPolicy};
pub use load::{overlay, Source};
pub use pipeline::Stage;

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The examples of `docs/calling.md`, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/calling.md")]
pub struct CallingDoctests;

/// The examples of `docs/your-api.md`, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/your-api.md")]
pub struct YourApiDoctests;
pub use error::{Error, Location, Warning, WarningKind};

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// What [`generate`] produces.
#[derive(Debug)]
pub struct Output {
    /// Every generated file: path relative to the output folder → text.
    pub files: BTreeMap<String, String>,
    /// Every file the loader read from disk: the description, overlays and every file a `$ref`
    /// reached. A description given as text ([`Config::from_text`]) is not listed, since no file
    /// was read for it; the files its `$ref`s reach are.
    pub inputs: Vec<PathBuf>,
    /// Problems in the description that the generator worked around.
    pub warnings: Vec<Warning>,
    /// Counts for reports.
    pub stats: Stats,
}

/// Counts describing one generation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Operations.
    pub operations: usize,
    /// Named types.
    pub types: usize,
    /// Examples found in the description.
    pub examples: usize,
    /// Examples that contradict their schema (each also a warning).
    pub example_defects: usize,
    /// Lines in all generated files.
    pub lines: usize,
    /// Values typed as a JSON value although their schema gave a type
    /// ([`measure::untyped_values`]).
    pub untyped_values: usize,
    /// Type and variant names numbered only to tell them apart ([`measure::numbered_names`]).
    pub numbered_names: usize,
}

/// The stack generation runs on. Parsing nested schemas recurses deeply (in a debug build, some
/// 35 KiB a level of schema): the deepest documents the parsers accept need more than the 2 MiB that
/// a spawned thread or a test gets, so generation runs on a thread of its own with room to spare.
const STACK_SIZE: usize = 64 << 20;

/// Generates a client from the description `config` names. Pure: reads the description (and what
/// it references), writes nothing. It runs the stages of [`pipeline`] in order.
pub fn generate(config: &Config) -> Result<Output, Error> {
    generate_timed(config, &mut |_, _| {})
}

/// [`generate`], and every file it read, whether it succeeded or not (on success, the same list as
/// [`Output::inputs`]): what the build-script entry point watches, so that a failed build reruns
/// when any of those files changes, without loading the description a second time.
pub fn generate_with_inputs(config: &Config) -> (Result<Output, Error>, Vec<PathBuf>) {
    run_on_a_large_stack(config, &mut |_, _| {})
}

/// [`generate`], telling `on_stage` how long each stage of the [`pipeline`] took: what `cargo
/// xtask bench` measures.
pub fn generate_timed(
    config: &Config,
    on_stage: &mut (dyn FnMut(Stage, Duration) + Send),
) -> Result<Output, Error> {
    run_on_a_large_stack(config, on_stage).0
}

/// The conformance harness of the client `config` describes: a Rust module whose
/// `run(&client)` sends every operation's example request (the one its doc example shows) and
/// says how each went, and whose `client(base_url)` builds a client with placeholder credentials.
/// `cargo xtask conformance` and `tests/conformance.rs` run it against a validating mock server.
pub fn generate_conformance_harness(config: &Config) -> Result<String, Error> {
    on_a_large_stack("apigen-conformance", &mut || {
        pipeline::check_crate_name(config)?;
        pipeline::conformance_harness(
            config,
            pipeline::passes(pipeline::lower(pipeline::load(config)?)?),
        )
    })
}

/// [`pipeline::run`] on a thread with a [`STACK_SIZE`] stack.
fn run_on_a_large_stack(
    config: &Config,
    on_stage: &mut (dyn FnMut(Stage, Duration) + Send),
) -> (Result<Output, Error>, Vec<PathBuf>) {
    on_a_large_stack("apigen", &mut || pipeline::run(config, on_stage))
}

/// `work` on a thread named `name` with a [`STACK_SIZE`] stack, or on this one where no thread
/// can be made. A panic on the thread goes on here.
fn on_a_large_stack<T: Send>(name: &str, work: &mut (dyn FnMut() -> T + Send)) -> T {
    let on_a_thread = std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name(name.into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, &mut *work);
        thread.ok().map(|thread| {
            thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    });
    on_a_thread.unwrap_or_else(work)
}
