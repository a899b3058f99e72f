//! `cargo xtask corpus [--only TEXT] [--clippy] [--test] [--doc] [--full]`: generates a client for every
//! published description under `../shared/specs/` (every Intercom version, every file in `public/`
//! and every description in `frontier/`), compiles them, and prints a Markdown table of the results
//! (also written to `target/corpus/report.md`).
//!
//! Each client is written into `target/corpus/<name>/`, and all of them are members of one Cargo
//! workspace, `target/corpus/Cargo.toml`, compiled by one `cargo check --workspace` into one target
//! folder: their dependencies compile once, and Cargo checks the crates side by side. A
//! description's defects are fixed the way the repository fixes its own: by an OpenAPI Overlay 1.0
//! document, `spec/corpus/<name>.overlay.yaml`, applied when present (see `spec/corpus/README.md`);
//! such a description is also generated from the upstream file alone, to show that it generates
//! without the fix too.
//!
//! GitHub's description gives a crate of some 620,000 lines, whose `cargo check` with every type
//! and `serialize` on takes minutes and some 10 GB: it is generated on every run, and compiled only with `--full` (see
//! [`COMPILED_WITH_FULL`]).
//!
//! A row passes when the client generates, compiles without a single warning and, with `--test`,
//! its `tests/examples.rs` passes. A description refused for its OpenAPI version (3.1, Swagger 2.0)
//! is reported as refused, with the reason, and does not fail the run. The command fails (exit 1)
//! when any other row does not pass; it skips, and succeeds, when `../shared/specs/` is absent.

use apigen::Config;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Where the published descriptions live, relative to the workspace root.
const SPECS: &str = "../shared/specs";
/// Where the overlays that fix their defects live, relative to the workspace root.
const OVERLAYS: &str = "spec/corpus";
/// Where each generated crate is written (`<name>/`), with the report.
const OUT: &str = "target/corpus";
/// The target folder of the corpus's workspace.
const TARGET: &str = "target/corpus-target";
/// Descriptions whose crates `cargo check` only with `--full`: GitHub's crate (620k lines) takes
/// minutes and about 10 GB to check with every feature the corpus turns on, more than CI's budget
/// allows on every run.
const COMPILED_WITH_FULL: &[&str] = &["github"];
/// Descriptions in `frontier/` spread over many files: the root file of each, inside its folder.
/// Every other folder of `frontier/` holds one description at its top level.
const FRONTIER_ROOTS: &[(&str, &str)] =
    &[("digitalocean", "specification/DigitalOcean-public.v2.yaml")];

/// The flags of `cargo xtask corpus`.
#[derive(clap::Args)]
pub struct CorpusArgs {
    /// Only the descriptions whose name or path contains this text.
    #[arg(long)]
    pub only: Option<String>,
    /// Lint each crate with `cargo clippy --lib --test examples -- -D warnings` instead of `cargo
    /// check --lib --test examples`.
    #[arg(long)]
    pub clippy: bool,
    /// Also run each crate's `tests/examples.rs` (`cargo test --test examples`).
    #[arg(long)]
    pub test: bool,
    /// Also compile the crates too big for every CI run (GitHub's: minutes and about 10 GB).
    #[arg(long)]
    pub full: bool,
    /// Also compile and run each compiled crate's doctests (`cargo test --doc`): every
    /// operation's example request, which is also what the conformance harness sends.
    #[arg(long)]
    pub doc: bool,
}

/// One published description.
struct Description {
    /// A short name: `intercom-2.13`, `petstore-expanded`. Names the output folder and the overlay.
    name: String,
    /// The description's path, relative to the workspace root.
    path: PathBuf,
    /// The generated crate's name.
    crate_name: String,
}

/// The outcome for one description.
#[derive(Default)]
struct Row {
    description: String,
    /// The folder (and workspace member) its crate is written to, under `target/corpus/`.
    name: String,
    /// Its crate's package name (the name the `--features` of the check use).
    crate_name: String,
    overlay: bool,
    stats: Option<apigen::Stats>,
    generate_ms: Option<f64>,
    /// Why generation failed.
    generate_error: Option<String>,
    /// Generation was refused for the description's OpenAPI version, which is not read yet.
    refused: bool,
    /// For a description with an overlay, generated from the upstream file alone: `Ok(warnings)`
    /// or `Err(why not)`.
    without_overlay: Option<Result<usize, String>>,
    /// Generated, but not compiled: too big for a run without `--full`.
    not_compiled: bool,
    /// `Some(Ok(()))` or `Some(Err(first error))` once compiled.
    compiled: Option<Result<(), String>>,
    warnings: usize,
    /// `Some(Ok(seconds))` or `Some(Err(why))` when `--test` ran.
    tested: Option<Result<f64, String>>,
    /// `Some(Ok(seconds))` or `Some(Err(why))` when `--doc` ran.
    doctested: Option<Result<f64, String>>,
    /// The generated crate's integration tests (`tests/examples.rs` → `examples`); none when the
    /// description has no examples.
    test_targets: Vec<String>,
}

impl Row {
    /// Whether the row passes: a refused description and one compiled only with `--full` pass
    /// when they are what they say.
    fn passed(&self, test: bool) -> bool {
        if matches!(self.doctested, Some(Err(_))) {
            return false;
        }
        if self.refused {
            return true;
        }
        let compiled = self.not_compiled || matches!(self.compiled, Some(Ok(())));
        self.generate_error.is_none()
            && compiled
            && self.warnings == 0
            && (!test
                || self.not_compiled
                || self.test_targets.is_empty()
                || matches!(self.tested, Some(Ok(_))))
    }
}

/// Runs the corpus. The current directory is the workspace root.
pub fn corpus(args: CorpusArgs) -> ExitCode {
    let specs = Path::new(SPECS);
    if !specs.is_dir() {
        println!(
            "corpus: skipped: {} (the published descriptions) is not there",
            std::env::current_dir()
                .map(|d| d.join(SPECS).display().to_string())
                .unwrap_or_else(|_| SPECS.to_string())
        );
        return ExitCode::SUCCESS;
    }
    let descriptions = match find_descriptions(specs) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("error: reading {}: {e}", specs.display());
            return ExitCode::from(1);
        }
    };
    let descriptions: Vec<Description> = descriptions
        .into_iter()
        .filter(|d| match &args.only {
            Some(only) => {
                d.name.contains(only.as_str()) || d.path.to_string_lossy().contains(only.as_str())
            }
            None => true,
        })
        .collect();
    if descriptions.is_empty() {
        eprintln!(
            "error: no description matches --only {:?}",
            args.only.unwrap_or_default()
        );
        return ExitCode::from(2);
    }

    let started = Instant::now();
    // The crates to compile are generated first; while Cargo compiles them, the rest is generated
    // (GitHub's, without `--full`) and the descriptions with an overlay are generated from the
    // upstream file alone.
    let (first, later): (Vec<&Description>, Vec<&Description>) = descriptions
        .iter()
        .partition(|d| args.full || !COMPILED_WITH_FULL.contains(&d.name.as_str()));
    let mut rows: Vec<Row> = first.iter().map(|d| generate_one(d, args.full)).collect();
    let generated = started.elapsed();
    let compile_started = Instant::now();
    if let Err(e) = write_workspace(&rows) {
        eprintln!("error: writing the corpus workspace: {e}");
        return ExitCode::from(1);
    }
    let (later_rows, upstream) = std::thread::scope(|scope| {
        let compiling = scope.spawn(|| compile_all(&mut rows, &args));
        let later_rows: Vec<Row> = later.iter().map(|d| generate_one(d, args.full)).collect();
        let upstream: Vec<(String, Result<usize, String>)> = descriptions
            .iter()
            .filter_map(|d| Some((d.name.clone(), upstream_alone(d)?)))
            .collect();
        let joined = compiling.join();
        (joined.map(|()| later_rows), upstream)
    });
    let Ok(later_rows) = later_rows else {
        eprintln!("error: compiling the corpus panicked");
        return ExitCode::from(1);
    };
    rows.extend(later_rows);
    // Back in the order of the descriptions, each with its upstream-alone result.
    let order = |row: &Row| descriptions.iter().position(|d| d.name == row.name);
    rows.sort_by_key(order);
    for (name, result) in upstream {
        if let Some(row) = rows.iter_mut().find(|r| r.name == name) {
            row.without_overlay = Some(result);
        }
    }
    if args.test {
        for row in &mut rows {
            test_one(row);
        }
    }
    if args.doc {
        for row in &mut rows {
            doc_test_one(row);
        }
    }
    for row in &rows {
        let verdict = match (row.passed(args.test), row.refused) {
            (true, true) => "refused (not a failure)",
            (true, false) => "ok",
            (false, _) => "FAILED",
        };
        eprintln!("corpus: {}: {verdict}", row.name);
    }
    let total = started.elapsed();
    let compiled = compile_started.elapsed();
    eprintln!(
        "corpus: generating the crates to compile took {:.0} s, then compiling (and testing, and \
         generating the rest alongside) {:.0} s",
        generated.as_secs_f64(),
        compiled.as_secs_f64()
    );

    let report = table(&rows, &args, total);
    print!("{report}");
    let report_path = Path::new(OUT).join("report.md");
    if let Err(e) = apigen::write::ensure_file_contents(&report_path, &report) {
        eprintln!("error: writing {}: {e}", report_path.display());
        return ExitCode::from(1);
    }
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| !r.passed(args.test))
        .map(|r| r.description.as_str())
        .collect();
    if failed.is_empty() {
        eprintln!(
            "corpus: {} descriptions passed in {:.0} s",
            rows.len(),
            total.as_secs_f64()
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "corpus: {} of {} failed: {}",
            failed.len(),
            rows.len(),
            failed.join(", ")
        );
        ExitCode::from(1)
    }
}

/// Every Intercom version (`intercom/<version>/api.intercom.io.yaml`, oldest first, the unstable
/// `0` last), then every file in `public/`, by name, then every description in `frontier/`, by
/// folder.
fn find_descriptions(specs: &Path) -> std::io::Result<Vec<Description>> {
    let mut intercom = Vec::new();
    let folder = specs.join("intercom");
    if folder.is_dir() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let path = entry.path().join("api.intercom.io.yaml");
            let version = entry.file_name().to_string_lossy().into_owned();
            if path.is_file() {
                intercom.push((version_key(&version), version, path));
            }
        }
    }
    intercom.sort();
    let mut found: Vec<Description> = intercom
        .into_iter()
        .map(|(_, version, path)| Description {
            name: format!("intercom-{version}"),
            crate_name: format!("intercom-{}", version.replace('.', "-")),
            path,
        })
        .collect();
    let mut public = Vec::new();
    let folder = specs.join("public");
    if folder.is_dir() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_file() {
                public.push(path);
            }
        }
    }
    public.sort();
    for path in public {
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        found.push(Description {
            crate_name: Config::new(&path).crate_name_str().to_string(),
            name: stem,
            path,
        });
    }
    found.extend(frontier_descriptions(&specs.join("frontier"))?);
    Ok(found)
}

/// The description in each folder of `frontier/`: the root named in [`FRONTIER_ROOTS`], or the one
/// YAML or JSON file at the folder's top level. A folder with neither is left out, with a note.
fn frontier_descriptions(folder: &Path) -> std::io::Result<Vec<Description>> {
    let mut found = Vec::new();
    if !folder.is_dir() {
        return Ok(found);
    }
    let mut names: Vec<String> = std::fs::read_dir(folder)?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let dir = folder.join(&name);
        let root = FRONTIER_ROOTS.iter().find(|(n, _)| *n == name);
        let path = match root {
            Some((_, root)) => Some(dir.join(root)),
            None => {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
                    .filter_map(|entry| Some(entry.ok()?.path()))
                    .filter(|path| {
                        let extension = path.extension().and_then(|e| e.to_str());
                        path.is_file() && matches!(extension, Some("yaml" | "yml" | "json"))
                    })
                    .collect();
                files.sort();
                (files.len() == 1).then(|| files.remove(0))
            }
        };
        match path {
            Some(path) if path.is_file() => found.push(Description {
                crate_name: name.clone(),
                name,
                path,
            }),
            _ => eprintln!(
                "corpus: {}: no single description found; skipped",
                dir.display()
            ),
        }
    }
    Ok(found)
}

/// Orders versions numerically (`2.7` before `2.10`); `0`, Intercom's unstable version, sorts last.
fn version_key(version: &str) -> (bool, Vec<u64>, String) {
    let numbers: Vec<u64> = version.split('.').map_while(|p| p.parse().ok()).collect();
    (
        version == "0" || numbers.is_empty(),
        numbers,
        version.to_string(),
    )
}

/// Generates and writes one description's client.
fn generate_one(description: &Description, full: bool) -> Row {
    let shown = description
        .path
        .strip_prefix(SPECS)
        .unwrap_or(&description.path)
        .display()
        .to_string();
    let mut row = Row {
        description: shown,
        name: description.name.clone(),
        crate_name: description.crate_name.clone(),
        not_compiled: !full && COMPILED_WITH_FULL.contains(&description.name.as_str()),
        ..Row::default()
    };
    let overlay = Path::new(OVERLAYS).join(format!("{}.overlay.yaml", description.name));
    let mut config = upstream_config(description);
    if overlay.is_file() {
        config = config.overlay(&overlay);
        row.overlay = true;
    }
    eprintln!("corpus: {}: generating", description.name);
    let started = Instant::now();
    let output = match apigen::generate(&config) {
        Ok(output) => output,
        Err(e) => {
            row.refused = matches!(e, apigen::Error::UnsupportedVersion { .. });
            eprintln!("error: {e}");
            row.generate_error = Some(e.to_string());
            return row;
        }
    };
    row.generate_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
    row.stats = Some(output.stats);

    let dir = Path::new(OUT).join(&description.name);
    row.test_targets = output
        .files
        .keys()
        .filter_map(|path| path.strip_prefix("tests/")?.strip_suffix(".rs"))
        .filter(|stem| !stem.contains('/'))
        .map(str::to_string)
        .collect();
    if let Err(e) = apigen::write::write_files(&dir, &output.files, true) {
        row.compiled = Some(Err(format!("writing {}: {e}", dir.display())));
    }
    row
}

/// The configuration of a description's client, without its overlay.
fn upstream_config(description: &Description) -> Config {
    Config::new(&description.path)
        .crate_name(&description.crate_name)
        .regenerate_command(format!("cargo xtask corpus --only {}", description.name))
}

/// For a description that has an overlay, whether it generates from the upstream file alone:
/// `Ok(warnings)` or `Err(why not)`. Nothing is written.
fn upstream_alone(description: &Description) -> Option<Result<usize, String>> {
    let overlay = Path::new(OVERLAYS).join(format!("{}.overlay.yaml", description.name));
    if !overlay.is_file() {
        return None;
    }
    Some(match apigen::generate(&upstream_config(description)) {
        Ok(output) => Ok(output.warnings.len()),
        Err(e) => Err(e.to_string()),
    })
}

/// Writes `target/corpus/Cargo.toml`, a workspace whose members are the crates to compile, and
/// its lock file: the repository's, which pins the same dependency versions that generated/ is
/// tested with and lets Cargo resolve without the network (Cargo drops what no member uses).
fn write_workspace(rows: &[Row]) -> std::io::Result<()> {
    let members: Vec<String> = rows
        .iter()
        .filter(|row| to_compile(row))
        .map(|row| format!("    {:?},", row.name))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`: every generated client it compiles, in one workspace.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    let root = Path::new(OUT);
    std::fs::create_dir_all(root)?;
    apigen::write::ensure_file_contents(&root.join("Cargo.toml"), &manifest)?;
    let lock = root.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy("Cargo.lock", &lock)?;
    }
    Ok(())
}

/// Whether a row's crate is compiled in this run.
fn to_compile(row: &Row) -> bool {
    row.generate_error.is_none() && row.compiled.is_none() && !row.not_compiled
}

/// Checks (or lints) every generated client at once, libraries and test targets, and gives each
/// row its warnings and first error.
fn compile_all(rows: &mut [Row], args: &CorpusArgs) {
    if !rows.iter().any(to_compile) {
        return;
    }
    let mut check = cargo();
    check.arg(if args.clippy { "clippy" } else { "check" });
    // The libraries and their test targets (`tests/examples.rs`). Not `--all-targets`, which also
    // checks each library a second time as its own unit-test harness (`cfg(test)`): that doubles
    // the time and finds nothing, as the generated libraries have no unit tests.
    check.args(["--workspace", "--lib", "--keep-going"]);
    // A pattern that matches no target at all is an error.
    if rows
        .iter()
        .any(|r| to_compile(r) && !r.test_targets.is_empty())
    {
        check.args(["--test", "*"]);
    }
    // Every type of each crate: the ones no operation uses (off by default) and `Serialize` on
    // those only received (off by default) too. The Intercom client in `generated/` is compiled
    // without `serialize` by `cargo test --workspace`, which keeps the default honest.
    let features: Vec<String> = rows
        .iter()
        .filter(|r| to_compile(r))
        .flat_map(|r| {
            [
                apigen::features::STANDALONE_TYPES,
                apigen::features::SERIALIZE,
            ]
            .map(|feature| format!("{}/{feature}", r.crate_name))
        })
        .collect();
    check.arg("--features").arg(features.join(","));
    check.args(["--message-format=json", "--manifest-path"]);
    check.arg(Path::new(OUT).join("Cargo.toml"));
    if args.clippy {
        check.args(["--", "-D", "warnings"]);
    }
    let tool = if args.clippy {
        "cargo clippy"
    } else {
        "cargo check"
    };
    let members = rows.iter().filter(|r| to_compile(r)).count();
    eprintln!("corpus: {tool} of {members} crates in one workspace");
    let (result, log) = run_logged(check, &Path::new(OUT).join("check.log"));
    let diagnostics = diagnostics_by_crate(&log);
    for row in rows.iter_mut().filter(|r| to_compile(r)) {
        let found = diagnostics.get(&row.name);
        row.warnings = found.map_or(0, |d| d.warnings);
        row.compiled = Some(match found.and_then(|d| d.first_error.clone()) {
            Some(error) => Err(error),
            None if result.is_err() && found.is_none() => Err(first_error(&log)),
            None => Ok(()),
        });
    }
}

/// With `--test`: runs one compiled client's example test.
fn test_one(row: &mut Row) {
    if row.test_targets.is_empty() || !matches!(row.compiled, Some(Ok(()))) {
        return;
    }
    let manifest = Path::new(OUT).join(&row.name).join("Cargo.toml");
    let mut test = cargo();
    test.arg("test");
    for target in &row.test_targets {
        test.args(["--test", target]);
    }
    // The examples of the types no operation uses are compiled with the feature that compiles them.
    test.args(["--features", apigen::features::STANDALONE_TYPES]);
    test.arg("--manifest-path").arg(&manifest);
    eprintln!("corpus: {}: cargo test --test examples", row.name);
    let log = Path::new(OUT).join(&row.name).join("test.log");
    let (result, log) = run_logged(test, &log);
    row.tested = Some(result.map_err(|()| first_error(&log)));
}

/// With `--doc`: compiles and runs one compiled client's doctests (each operation's example
/// request is a `no_run` doctest, so this compiles them all).
fn doc_test_one(row: &mut Row) {
    if !matches!(row.compiled, Some(Ok(()))) {
        return;
    }
    let manifest = Path::new(OUT).join(&row.name).join("Cargo.toml");
    let mut test = cargo();
    test.args(["test", "--doc"]);
    test.args(["--features", apigen::features::STANDALONE_TYPES]);
    test.arg("--manifest-path").arg(&manifest);
    eprintln!("corpus: {}: cargo test --doc", row.name);
    let log = Path::new(OUT).join(&row.name).join("doc.log");
    let (result, log) = run_logged(test, &log);
    row.doctested = Some(result.map_err(|()| first_error(&log)));
}

/// What the compiler said about one crate.
#[derive(Default)]
struct Diagnostics {
    warnings: usize,
    first_error: Option<String>,
}

/// The compiler's warnings and first error for each crate, by its folder under `target/corpus/`,
/// from Cargo's `--message-format=json` output; rustc's own tallies ("2 warnings emitted",
/// "aborting due to …") are not counted.
fn diagnostics_by_crate(log: &str) -> std::collections::BTreeMap<String, Diagnostics> {
    let mut found: std::collections::BTreeMap<String, Diagnostics> = Default::default();
    for line in log.lines().filter(|l| l.starts_with('{')) {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let Some(folder) = message["manifest_path"]
            .as_str()
            .and_then(|m| Path::new(m).parent()?.file_name()?.to_str())
        else {
            continue;
        };
        let text = message["message"]["message"].as_str().unwrap_or_default();
        let tally = text.ends_with("emitted") || text.starts_with("aborting due to");
        let entry = found.entry(folder.to_string()).or_default();
        match message["message"]["level"].as_str() {
            Some("warning") if !tally => entry.warnings += 1,
            Some("error") if !tally && entry.first_error.is_none() => {
                let rendered = message["message"]["rendered"].as_str().unwrap_or(text);
                entry.first_error = Some(first_error(rendered));
            }
            _ => {}
        }
    }
    found
}

/// A `cargo` command compiling into the shared target folder.
fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // Incremental compilation saves nothing when a crate is regenerated wholesale (an unchanged
    // one is not recompiled at all), and costs a quarter more time and disk on the first build.
    command
        .env("CARGO_TARGET_DIR", TARGET)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TERM_COLOR", "never");
    command
}

/// Runs `command`, keeping its output in `log`; the time it took, or `Err` when it failed. A
/// failure's output is printed, unless it is Cargo's JSON (the rows give its errors).
fn run_logged(mut command: Command, log: &Path) -> (Result<f64, ()>, String) {
    let started = Instant::now();
    let output = match command.output() {
        Ok(output) => output,
        Err(e) => return (Err(()), format!("error: cannot run cargo: {e}\n")),
    };
    let seconds = started.elapsed().as_secs_f64();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    let _ = std::fs::write(log, &text);
    if output.status.success() {
        (Ok(seconds), text)
    } else {
        let human: Vec<&str> = text.lines().filter(|l| !l.starts_with('{')).collect();
        eprintln!("{}", human.join("\n"));
        eprintln!("(kept in {})", log.display());
        (Err(()), text)
    }
}

/// The first error line of a failed command, for the table.
fn first_error(log: &str) -> String {
    log.lines()
        .filter(|line| !line.starts_with('{'))
        .find(|line| line.contains("error:") || line.contains("error["))
        .or_else(|| log.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("failed")
        .trim()
        .to_string()
}

/// The columns of the report.
const COLUMNS: [&str; 12] = [
    "description",
    "operations",
    "types",
    "lines",
    "untyped values",
    "numbered names",
    "generate (ms)",
    "compile",
    "warnings",
    "examples found / decoded / defects",
    "examples test",
    "upstream file alone",
];

/// The report, as Markdown.
fn table(rows: &[Row], args: &CorpusArgs, total: Duration) -> String {
    let mut out = String::new();
    let tool = if args.clippy {
        "cargo clippy --workspace --lib --test '*' -- -D warnings"
    } else {
        "cargo check --workspace --lib --test '*'"
    };
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let _ = writeln!(out, "| {} |", COLUMNS.join(" | "));
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|---|--:|---|---|---|");
    for row in rows {
        let _ = writeln!(out, "| {} |", row_cells(row, args).join(" | "));
    }
    let passed = rows.iter().filter(|r| r.passed(args.test)).count();
    let refused = rows.iter().filter(|r| r.refused).count();
    let _ = writeln!(
        out,
        "\n{passed} of {} passed ({refused} of them refused for their OpenAPI version) in {:.0} s. \
         Compiled with `{tool}` and each crate's features `standalone_types` and `serialize` \
         (every type, and `Serialize` on each){}; generation timed in a {profile} build of the xtask. Untyped \
         values: fields, aliases, union alternatives and bodies typed `serde_json::Value` although \
         their schema gave a type (`apigen::measure`).",
        rows.len(),
        total.as_secs_f64(),
        match (args.test, args.doc) {
            (true, true) => ", then `cargo test --test examples` and `cargo test --doc`",
            (true, false) => ", then `cargo test --test examples`",
            (false, true) => ", then `cargo test --doc`",
            (false, false) => "",
        },
    );
    out
}

/// The cells of one row of the report, in the order of [`COLUMNS`].
fn row_cells(row: &Row, args: &CorpusArgs) -> [String; 12] {
    let description = if row.overlay {
        format!("{} (+ overlay)", row.description)
    } else {
        row.description.clone()
    };
    let counts = row.stats.map(|s| {
        [
            s.operations,
            s.types,
            s.lines,
            s.untyped_values,
            s.numbered_names,
        ]
        .map(|n| n.to_string())
    });
    let [operations, types, lines, untyped, numbered] = counts.unwrap_or_default();
    let examples = row.stats.map_or(String::new(), |s| {
        let decoded = s.examples - s.example_defects;
        format!("{} / {decoded} / {}", s.examples, s.example_defects)
    });
    let generate = row
        .generate_ms
        .map(|ms| format!("{ms:.0}"))
        .unwrap_or_default();
    let compile = match (&row.generate_error, &row.compiled) {
        (Some(e), _) if row.refused => format!("refused: {}", cell(e)),
        (Some(e), _) => format!("FAILED to generate: {}", cell(e)),
        (None, _) if row.not_compiled => "not compiled (`--full` compiles it)".to_string(),
        (None, Some(Ok(()))) => "ok".to_string(),
        (None, Some(Err(e))) => format!("FAILED: {}", cell(e)),
        (None, None) => String::new(),
    };
    let warnings = match row.compiled {
        Some(_) => row.warnings.to_string(),
        None => String::new(),
    };
    let tested = match &row.tested {
        Some(Ok(s)) => format!("ok ({s:.1} s)"),
        Some(Err(e)) => format!("FAILED: {}", cell(e)),
        None if args.test && row.test_targets.is_empty() && row.compiled.is_some() => {
            "no examples".to_string()
        }
        None if args.test => String::new(),
        None => "not run".to_string(),
    };
    let tested = match &row.doctested {
        Some(Ok(s)) => format!("{tested}; doctests ok ({s:.1} s)"),
        Some(Err(e)) => format!("{tested}; doctests FAILED: {}", cell(e)),
        None => tested,
    };
    let upstream = match &row.without_overlay {
        Some(Ok(warnings)) => format!("generates ({warnings} warnings)"),
        Some(Err(e)) => format!("refused: {}", cell(e)),
        None => String::new(),
    };
    [
        description,
        operations,
        types,
        lines,
        untyped,
        numbered,
        generate,
        compile,
        warnings,
        examples,
        tested,
        upstream,
    ]
}

/// Text fit for one Markdown table cell: one line, no pipes, not too long.
fn cell(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().replace('|', "\\|");
    if line.chars().count() > 160 {
        format!("{}…", line.chars().take(160).collect::<String>())
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_numerically_with_the_unstable_one_last() {
        let mut versions = vec!["2.10", "0", "2.7", "2.16", "2.9"];
        versions.sort_by_key(|v| version_key(v));
        assert_eq!(versions, ["2.7", "2.9", "2.10", "2.16", "0"]);
    }

    #[test]
    fn diagnostics_are_counted_per_crate_without_tallies() {
        let message = |folder: &str, level: &str, text: &str| {
            serde_json::json!({"reason": "compiler-message",
                "manifest_path": format!("/w/target/corpus/{folder}/Cargo.toml"),
                "message": {"level": level, "message": text, "rendered": format!("{level}: {text}\n --> src/lib.rs:1:1")}})
            .to_string()
        };
        let log = [
            message("a", "warning", "unused import: `x`"),
            message("a", "warning", "1 warning emitted"),
            message("b", "error", "mismatched types"),
            message("b", "error", "aborting due to 1 previous error"),
            message("b", "error", "cannot find type"),
            r#"{"reason":"build-finished","success":false}"#.to_string(),
            "error: could not compile `b` (lib)".to_string(),
        ]
        .join("\n");
        let found = diagnostics_by_crate(&log);
        assert_eq!(
            (found["a"].warnings, found["a"].first_error.as_deref()),
            (1, None)
        );
        assert_eq!(
            (found["b"].warnings, found["b"].first_error.as_deref()),
            (0, Some("error: mismatched types"))
        );
    }

    #[test]
    fn cells_are_one_line_without_pipes() {
        assert_eq!(cell("a | b\nmore"), "a \\| b");
    }
}
