//! The stages of [`crate::generate`], one function each, each taking what the one before returns:
//!
//! ```text
//! load(config) ─▶ Loaded ─lower─▶ Lowered ─passes─▶ Lowered ─check_examples─▶ Checked ─emit_and_render(config)─▶ Output
//! ```
//!
//! [`run`] chains them and reports how long each took to a hook. [`crate::generate`] is [`run`]
//! with a hook that does nothing, and `cargo xtask bench` times the stages through
//! [`crate::generate_timed`], so that the bench measures exactly what users run.
//!
//! ```no_run
//! use apigen::pipeline;
//!
//! let config = apigen::Config::new("spec/intercom-seed/openapi.yaml");
//! let loaded = pipeline::load(&config)?;
//! let lowered = pipeline::passes(pipeline::lower(loaded)?);
//! let checked = pipeline::check_examples(lowered);
//! let output = pipeline::emit_and_render(&config, checked)?;
//! assert!(output.files.contains_key("src/types.rs"));
//! # Ok::<(), apigen::Error>(())
//! ```

use crate::config::{Config, Layout};
use crate::error::{Error, Warning, WarningKind};
use crate::ir::Api;
use crate::load::Loaded;
use crate::pointer::Pointer;
use crate::{emit, lower as lower_stage, passes as passes_stage, render, Output, Stats};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One stage of the pipeline, as [`run`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The first half of [`load`]: read the description and parse its YAML or JSON.
    Parse,
    /// The rest of [`load`]: bundle external `$ref`s, apply overlays and overrides, normalise to
    /// the 3.0 model, check `$ref`s, read the result as `openapiv3` objects.
    Load,
    /// [`lower`]: the document becomes the IR.
    Lower,
    /// [`passes`]: the IR's normalising passes.
    Passes,
    /// [`check_examples`]: every example is checked against its type, and each defect located.
    CheckExamples,
    /// [`emit_and_render`]: tokens for every file, formatted, and the IR dropped.
    EmitAndRender,
}

impl Stage {
    /// Every stage, in the order [`run`] runs them.
    pub const ALL: [Stage; 6] = [
        Stage::Parse,
        Stage::Load,
        Stage::Lower,
        Stage::Passes,
        Stage::CheckExamples,
        Stage::EmitAndRender,
    ];

    /// What the stage does, in a few words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Stage::Parse => "read + parse (YAML/JSON)",
            Stage::Load => "bundle, overlay, normalise, refs",
            Stage::Lower => "lower (to the IR)",
            Stage::Passes => "passes",
            Stage::CheckExamples => "check examples (and locate defects)",
            Stage::EmitAndRender => "emit + format (parallel)",
        }
    }
}

/// The IR, with the document it came from and the warnings so far: what [`lower`] returns and
/// [`passes`] refines.
#[derive(Debug)]
pub struct Lowered {
    loaded: Loaded,
    api: Api,
    warnings: Vec<Warning>,
}

impl Lowered {
    /// The IR: what the conformance harness is emitted from.
    pub fn api(&self) -> &Api {
        &self.api
    }
}

/// The conformance harness of the client `config` describes, from its IR after the passes (see
/// [`crate::generate_conformance_harness`]).
pub fn conformance_harness(config: &Config, lowered: Lowered) -> Result<String, Error> {
    let mut api = lowered.api;
    crate::passes::settle_placement(&mut api, config.grouping);
    let tokens = emit::emit_conformance_harness(&api, &config.lib_name());
    render::render_rust("conformance.rs", &render::header(config, "//"), tokens)
}

/// The IR after its passes, with the verdict on each example: what [`check_examples`] returns.
/// Of the loaded description, only the list of files read is kept: the document itself, as JSON
/// and as `openapiv3` objects (for GitHub's description, hundreds of MB together), is handed to a
/// thread that frees it while the examples are checked, and the texts that locate warnings are
/// dropped once every warning is located, before emission builds its own large structures.
#[derive(Debug)]
pub struct Checked {
    inputs: Vec<PathBuf>,
    api: Api,
    warnings: Vec<Warning>,
    /// For each example of `api.examples`: whether it decodes into its type.
    decodes: Vec<bool>,
    /// [`crate::measure::untyped_values`], counted while the document was still at hand.
    untyped_values: usize,
}

/// Loads the description `config` names, with its overlays and every file a `$ref` reaches.
pub fn load(config: &Config) -> Result<Loaded, Error> {
    crate::load::load_source_with_overrides(&config.source(), &config.overlays, &config.overrides).0
}

/// Lowers the loaded document to the IR; the loader's warnings join the lowering's.
pub fn lower(loaded: Loaded) -> Result<Lowered, Error> {
    let (api, mut warnings) = lower_stage::lower(&loaded)?;
    warnings.extend(loaded.warnings.iter().cloned());
    Ok(Lowered {
        loaded,
        api,
        warnings,
    })
}

/// Runs the passes over the IR ([`crate::passes::run`]).
pub fn passes(lowered: Lowered) -> Lowered {
    let Lowered {
        loaded,
        mut api,
        mut warnings,
    } = lowered;
    passes_stage::run(&mut api, &mut warnings, &|pointer| loaded.locate(pointer));
    Lowered {
        loaded,
        api,
        warnings,
    }
}

/// Checks every example against its type; each one that contradicts it becomes a warning, located
/// in its file. The document is freed from here on (see [`Checked`]), after the one count that
/// reads it, and the texts that locate warnings once the last is located.
pub fn check_examples(lowered: Lowered) -> Checked {
    let Lowered {
        loaded,
        api,
        mut warnings,
    } = lowered;
    let untyped_values = crate::measure::untyped_values(&api, &loaded.doc);
    check_mock_samples(&api, &loaded, &mut warnings);
    let Loaded {
        locator,
        inputs,
        doc,
        openapi,
        ..
    } = loaded;
    drop_aside((doc, openapi));
    let mut decodes = Vec::with_capacity(api.examples.len());
    for example in &api.examples {
        let result = crate::analysis::check_value(&api, &example.ty, &example.value);
        if let Err(reason) = &result {
            warnings.push(Warning {
                location: locator.locate(&example.origin),
                message: format!("the example contradicts its schema: {reason}"),
                kind: WarningKind::ExampleContradictsSchema,
            });
        } else if let Err(reason) =
            crate::analysis::check_constraints(&api, &example.ty, &example.value)
        {
            // It decodes, so its test stays; the example requests do not send it.
            warnings.push(Warning {
                location: locator.locate(&example.origin),
                message: format!("the example breaks a constraint of its schema: {reason}"),
                kind: WarningKind::ExampleContradictsSchema,
            });
        }
        decodes.push(result.is_ok());
    }
    drop(locator);
    Checked {
        inputs,
        api,
        warnings,
        decodes,
        untyped_values,
    }
}

/// Decodes, for every JSON body the description gives no example of, the value a validating
/// mock builds from its schema (`lower::mock_value`: property examples, defaults, enums); one
/// that does not decode is a warning at the schema: a body the mock sends that the client cannot
/// read. Each value is made, checked and dropped in turn; one holding a property example that
/// does not decode is left to that example's own warning.
fn check_mock_samples(api: &Api, loaded: &Loaded, warnings: &mut Vec<Warning>) {
    if api.mock_samples.is_empty() {
        return;
    }
    // The property examples that do not decode, which are reported where they are, once.
    let contradicting: std::collections::BTreeSet<&Pointer> = api
        .examples
        .iter()
        .filter(|e| crate::analysis::check_value(api, &e.ty, &e.value).is_err())
        .map(|e| &e.origin)
        .collect();
    for (at, ty) in &api.mock_samples {
        let Some((value, examples)) = crate::lower::mock_value(&loaded.doc, at) else {
            continue;
        };
        if examples.iter().any(|e| contradicting.contains(e)) {
            continue;
        }
        if let Err(reason) = crate::analysis::check_value(api, ty, &value) {
            warnings.push(Warning {
                location: loaded.locate(at),
                message: format!(
                    "the value a mock server builds from this schema's examples and defaults does not decode: {reason}"
                ),
                kind: WarningKind::ExampleContradictsSchema,
            });
        }
    }
}

/// Emits and renders every file of the client, and gathers the output: files, inputs read,
/// warnings (sorted, each once) and counts. With [`crate::WarningPolicy::Deny`], any warning
/// fails it instead ([`Error::DeniedWarnings`]).
pub fn emit_and_render(config: &Config, checked: Checked) -> Result<Output, Error> {
    let Checked {
        inputs,
        mut api,
        mut warnings,
        decodes,
        untyped_values,
    } = checked;
    warnings.sort();
    warnings.dedup();
    if config.warnings == crate::WarningPolicy::Deny && !warnings.is_empty() {
        return Err(Error::DeniedWarnings(warnings));
    }
    let example_defects = decodes.iter().filter(|decodes| !**decodes).count();
    crate::passes::settle_placement(&mut api, config.grouping);
    let target = emit::Target::new(config);
    let analysis = crate::analysis::Analysis::of(&api);
    // A description without examples gets no example test: it would hold nothing but unused code.
    let lib = config.lib_name();
    let example_tests = (config.example_tests
        && config.layout == Layout::Crate
        && !api.examples.is_empty())
    .then(|| -> render::parallel::Emit<'_> {
        Box::new(|| emit::emit_example_tests(&api, &lib, &decodes, &analysis))
    });
    let files = render::files(
        config,
        &target,
        &api,
        &analysis,
        example_tests,
        config.thread_count(),
    )?;
    let stats = Stats {
        operations: api.operations.len(),
        types: api.types.len(),
        examples: api.examples.len(),
        example_defects,
        lines: files.values().map(|t| line_count(t)).sum(),
        untyped_values,
        numbered_names: crate::measure::numbered_names(&api),
    };
    drop_aside(api);
    Ok(Output {
        files,
        inputs,
        warnings,
        stats,
    })
}

/// Drops `value` on a thread of its own: freeing GitHub's description (its JSON and its `openapiv3`
/// objects, millions of allocations) or its IR takes tens of milliseconds that nothing after it
/// needs to wait for. Where no thread can be made, `value` is dropped here.
fn drop_aside<T: Send + 'static>(value: T) {
    // A failed spawn drops the closure, and `value` with it.
    let _ = std::thread::Builder::new()
        .name("apigen-free".into())
        .spawn(move || drop(value));
}

/// How many lines `text` has, as `str::lines` counts them, at the speed of a byte search (GitHub's
/// client is 25 MB of text).
fn line_count(text: &str) -> usize {
    let breaks = text.bytes().filter(|&b| b == b'\n').count();
    breaks + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Refuses a crate name Cargo or Rust would reject ([`crate::names::check_crate_name`]), before
/// anything is read.
pub fn check_crate_name(config: &Config) -> Result<(), Error> {
    crate::names::check_crate_name(&config.crate_name).map_err(|reason| Error::CrateName {
        name: config.crate_name.clone(),
        reason,
    })
}

/// Runs every stage in order on this thread, telling `on_stage` how long each one took (a stage
/// that fails is not reported). Every file read comes back with the result, also when a stage
/// failed, for a build script to watch.
pub fn run(
    config: &Config,
    on_stage: &mut dyn FnMut(Stage, Duration),
) -> (Result<Output, Error>, Vec<PathBuf>) {
    let mut clock = Instant::now();
    let mut lap = |stage: Stage| {
        let now = Instant::now();
        on_stage(stage, now - clock);
        clock = now;
    };
    if let Err(error) = check_crate_name(config) {
        return (Err(error), Vec::new());
    }
    let (loaded, inputs) = crate::load::load_source_timed(
        &config.source(),
        &config.overlays,
        &config.overrides,
        &mut || lap(Stage::Parse),
    );
    let output = loaded.and_then(|loaded| {
        lap(Stage::Load);
        let lowered = lower(loaded)?;
        lap(Stage::Lower);
        let lowered = passes(lowered);
        lap(Stage::Passes);
        let checked = check_examples(lowered);
        lap(Stage::CheckExamples);
        let output = emit_and_render(config, checked)?;
        lap(Stage::EmitAndRender);
        Ok(output)
    });
    (output, inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_reports_every_stage_once_in_order_and_generates_what_generate_does() {
        let config = Config::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/spec/intercom-seed/openapi.yaml"
        ))
        .overlay(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/spec/intercom-seed/overlay.yaml"
        ));
        let mut seen = Vec::new();
        let timed = crate::generate_timed(&config, &mut |stage, _| seen.push(stage)).unwrap();
        assert_eq!(seen, Stage::ALL);
        let plain = crate::generate(&config).unwrap();
        assert_eq!(timed.files, plain.files);
        assert_eq!(timed.warnings, plain.warnings);
        assert_eq!(timed.stats, plain.stats);
    }

    #[test]
    fn lines_are_counted_as_str_lines_counts_them() {
        for text in ["", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "é\nü"] {
            assert_eq!(line_count(text), text.lines().count(), "{text:?}");
        }
    }

    #[test]
    fn a_failing_stage_ends_the_run_unreported() {
        let mut seen = Vec::new();
        let (result, _) = run(&Config::new("/nonexistent/api.yaml"), &mut |stage, _| {
            seen.push(stage)
        });
        assert!(matches!(result, Err(Error::Read { .. })), "{result:?}");
        assert!(seen.is_empty(), "{seen:?}");
    }
}
