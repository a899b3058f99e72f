//! apigen: an OpenAPI 3.0 → Rust client generator.
//!
//! The pipeline is `load → lower → passes → emit → render`; [`generate`] runs it and returns the
//! files, the inputs it read and the warnings, writing nothing. The adapters write: the xtask
//! (`cargo xtask codegen`, `cargo xtask generate`) and [`build`] for build scripts.
//!
//! ```no_run
//! let output = apigen::generate(&apigen::Config::new("spec/intercom-seed/openapi.yaml"))?;
//! for warning in &output.warnings {
//!     eprintln!("warning: {warning}");
//! }
//! apigen::write::write_files(std::path::Path::new("generated/intercom-seed"), &output.files, true)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod build;
pub mod config;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;
pub mod overlay;
pub mod passes;
pub mod pointer;
pub mod render;
pub mod write;

pub use config::{Config, Layout};

/// The README's examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
pub use error::{Error, Location, Warning};

use std::collections::BTreeMap;
use std::path::PathBuf;

/// What [`generate`] produces.
#[derive(Debug)]
pub struct Output {
    /// Every generated file: path relative to the output folder → text.
    pub files: BTreeMap<String, String>,
    /// Every file the loader read: the description, overlays and every file a `$ref` reached.
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
}

/// The stack generation runs on. Parsing nested schemas recurses deeply (in a debug build, some
/// 35 KiB a level of schema): the deepest documents the parsers accept need more than the 2 MiB that
/// a spawned thread or a test gets, so generation runs on a thread of its own with room to spare.
const STACK_SIZE: usize = 64 << 20;

/// Generates a client from the description `config` names. Pure: reads the description (and what
/// it references), writes nothing.
pub fn generate(config: &Config) -> Result<Output, Error> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name("apigen".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || generate_on_this_thread(config));
        match thread {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // Where no thread can be made, generate on this one.
            Err(_) => generate_on_this_thread(config),
        }
    })
}

fn generate_on_this_thread(config: &Config) -> Result<Output, Error> {
    names::check_crate_name(&config.crate_name).map_err(|reason| Error::CrateName {
        name: config.crate_name.clone(),
        reason,
    })?;
    let loaded = load::load(&config.spec, &config.overlays)?;
    let (mut api, mut warnings) = lower::lower(&loaded)?;
    warnings.extend(loaded.warnings.iter().cloned());
    passes::run(&mut api, &mut warnings, &|pointer| loaded.locate(pointer));

    let mut checked = Vec::with_capacity(api.examples.len());
    for (i, example) in api.examples.iter().enumerate() {
        let result = passes::check_value(&api, &example.ty, &example.value);
        if let Err(reason) = &result {
            warnings.push(Warning {
                location: loaded.locate(&example.origin),
                message: format!("the example contradicts its schema: {reason}"),
            });
        }
        checked.push((i, result));
    }
    let example_defects = checked.iter().filter(|(_, r)| r.is_err()).count();
    // A description without examples gets no example test: it would hold nothing but unused code.
    let example_tests =
        (config.example_tests && config.layout == Layout::Crate && !api.examples.is_empty())
            .then(|| emit::emit_example_tests(&api, &config.lib_name(), &checked));
    let files = render::files(config, &api, example_tests)?;
    warnings.sort();
    warnings.dedup();
    let stats = Stats {
        operations: api.operations.len(),
        types: api.types.len(),
        examples: api.examples.len(),
        example_defects,
        lines: files.values().map(|t| t.lines().count()).sum(),
    };
    Ok(Output {
        files,
        inputs: loaded.inputs,
        warnings,
        stats,
    })
}
