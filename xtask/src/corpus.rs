//! `cargo xtask corpus [--only TEXT] [--clippy] [--test]`: generates a client for every published
//! description under `../shared/specs/` (every Intercom version, and every file in `public/`),
//! compiles each one, and prints a Markdown table of the results (also written to
//! `target/corpus/report.md`).
//!
//! Each client is written into `target/corpus/<name>/` as a crate of its own (its `Cargo.toml` gets
//! an empty `[workspace]` table, so that it stands alone), and all of them are compiled with one
//! shared target folder, `target/corpus-target`, so that their dependencies compile once. A
//! description's defects are fixed the way the repository fixes its own: by an OpenAPI Overlay 1.0
//! document, `spec/corpus/<name>.overlay.yaml`, applied when present (see `spec/corpus/README.md`).
//!
//! A row passes when the client generates, compiles without a single warning and, with `--test`,
//! its `tests/examples.rs` passes. The command fails (exit 1) when any row does not; it skips, and
//! succeeds, when `../shared/specs/` is absent.

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
/// The target folder all the generated crates share.
const TARGET: &str = "target/corpus-target";

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
    overlay: bool,
    stats: Option<apigen::Stats>,
    generate_ms: Option<f64>,
    /// Why generation failed.
    generate_error: Option<String>,
    /// `Some(Ok(seconds))` or `Some(Err(first error))` once compiled.
    compiled: Option<Result<f64, String>>,
    warnings: usize,
    /// `Some(Ok(seconds))` or `Some(Err(why))` when `--test` ran.
    tested: Option<Result<f64, String>>,
    /// The generated crate's integration tests (`tests/examples.rs` → `examples`); none when the
    /// description has no examples.
    test_targets: Vec<String>,
}

impl Row {
    fn passed(&self, test: bool) -> bool {
        self.generate_error.is_none()
            && matches!(self.compiled, Some(Ok(_)))
            && self.warnings == 0
            && (!test || self.test_targets.is_empty() || matches!(self.tested, Some(Ok(_))))
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
    let mut rows = Vec::new();
    // Generation (one core) runs ahead of compilation (mostly one core too: the big crates are
    // checked one at a time, and rustc's front end is single-threaded).
    let (sender, generated) = std::sync::mpsc::channel();
    let generator = std::thread::spawn(move || {
        for description in descriptions {
            let row = generate_one(&description);
            if sender.send((description, row)).is_err() {
                break;
            }
        }
    });
    for (description, mut row) in generated {
        compile_one(&description, &mut row, &args);
        let verdict = if row.passed(args.test) {
            "ok"
        } else {
            "FAILED"
        };
        eprintln!("corpus: {}: {verdict}", description.name);
        rows.push(row);
    }
    if generator.join().is_err() {
        eprintln!("error: generating a client panicked");
        return ExitCode::from(1);
    }
    let total = started.elapsed();

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
/// `0` last), then every file in `public/`, by name.
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
fn generate_one(description: &Description) -> Row {
    let shown = description
        .path
        .strip_prefix(SPECS)
        .unwrap_or(&description.path)
        .display()
        .to_string();
    let mut row = Row {
        description: shown,
        ..Row::default()
    };
    let overlay = Path::new(OVERLAYS).join(format!("{}.overlay.yaml", description.name));
    let mut config = Config::new(&description.path)
        .crate_name(&description.crate_name)
        .regenerate_command(format!("cargo xtask corpus --only {}", description.name));
    if overlay.is_file() {
        config = config.overlay(&overlay);
        row.overlay = true;
    }
    eprintln!("corpus: {}: generating", description.name);
    let started = Instant::now();
    let output = match apigen::generate(&config) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("error: {e}");
            row.generate_error = Some(e.to_string());
            return row;
        }
    };
    row.generate_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
    row.stats = Some(output.stats);

    let dir = Path::new(OUT).join(&description.name);
    let mut files = output.files;
    row.test_targets = files
        .keys()
        .filter_map(|path| path.strip_prefix("tests/")?.strip_suffix(".rs"))
        .filter(|stem| !stem.contains('/'))
        .map(str::to_string)
        .collect();
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        // Not a member of the repository's workspace: a workspace of its own.
        manifest.push_str("\n[workspace]\n");
    }
    if let Err(e) = apigen::write::write_files(&dir, &files, true) {
        row.compiled = Some(Err(format!("writing {}: {e}", dir.display())));
        return row;
    }
    // The repository's lock file pins the same dependency versions that generated/ is tested with,
    // and lets Cargo resolve without the network; Cargo drops what a crate does not use.
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy("Cargo.lock", &lock);
    }
    row
}

/// Checks (or lints) one generated client, and with `--test` runs its examples test.
fn compile_one(description: &Description, row: &mut Row, args: &CorpusArgs) {
    if row.generate_error.is_some() || row.compiled.is_some() {
        return;
    }
    let dir = Path::new(OUT).join(&description.name);
    let manifest = dir.join("Cargo.toml");
    let mut check = cargo();
    check.arg(if args.clippy { "clippy" } else { "check" });
    // The library and its test targets (`tests/examples.rs`). Not `--all-targets`, which also
    // checks the library a second time as its own unit-test harness (`cfg(test)`): that doubles
    // the time and finds nothing, as the generated library has no unit tests.
    check.arg("--lib");
    for target in &row.test_targets {
        check.args(["--test", target]);
    }
    check.args(["--message-format=short", "--manifest-path"]);
    check.arg(&manifest);
    if args.clippy {
        check.args(["--", "-D", "warnings"]);
    }
    eprintln!(
        "corpus: {}: {}",
        description.name,
        if args.clippy {
            "cargo clippy"
        } else {
            "cargo check"
        }
    );
    let (result, log) = run_logged(check, &dir.join("check.log"));
    row.warnings = count_warnings(&log);
    row.compiled = Some(result.map_err(|()| first_error(&log)));
    if args.test && !row.test_targets.is_empty() && matches!(row.compiled, Some(Ok(_))) {
        let mut test = cargo();
        test.arg("test");
        for target in &row.test_targets {
            test.args(["--test", target]);
        }
        test.arg("--manifest-path").arg(&manifest);
        eprintln!("corpus: {}: cargo test --test examples", description.name);
        let (result, log) = run_logged(test, &dir.join("test.log"));
        row.tested = Some(result.map_err(|()| first_error(&log)));
    }
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

/// Runs `command`, keeping its output in `log`; the time it took, or `Err` when it failed.
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
        eprintln!("{text}");
        eprintln!("(kept in {})", log.display());
        (Err(()), text)
    }
}

/// The compiler's warnings in `--message-format=short` output (`file:line:col: warning: ...`), and
/// Cargo's own, but not Cargo's summary line (`warning: `x` (lib) generated 3 warnings`).
fn count_warnings(log: &str) -> usize {
    log.lines()
        .filter(|line| line.contains("warning:"))
        .filter(|line| !(line.starts_with("warning: `") && line.contains(" generated ")))
        .count()
}

/// The first error line of a failed command, for the table.
fn first_error(log: &str) -> String {
    log.lines()
        .find(|line| line.contains("error:") || line.contains("error["))
        .or_else(|| log.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("failed")
        .trim()
        .to_string()
}

/// The report, as Markdown.
fn table(rows: &[Row], args: &CorpusArgs, total: Duration) -> String {
    let mut out = String::new();
    let tool = if args.clippy {
        "cargo clippy --lib --test examples -- -D warnings"
    } else {
        "cargo check --lib --test examples"
    };
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let _ = writeln!(out, "| description | operations | types | generate (ms) | lines | compile | warnings | examples found / decoded / defects | examples test |");
    let _ = writeln!(out, "|---|--:|--:|--:|--:|---|--:|---|---|");
    for row in rows {
        let description = if row.overlay {
            format!("{} (+ overlay)", row.description)
        } else {
            row.description.clone()
        };
        let (operations, types, lines, examples) = match row.stats {
            Some(s) => (
                s.operations.to_string(),
                s.types.to_string(),
                s.lines.to_string(),
                format!(
                    "{} / {} / {}",
                    s.examples,
                    s.examples - s.example_defects,
                    s.example_defects
                ),
            ),
            None => Default::default(),
        };
        let generate = row
            .generate_ms
            .map(|ms| format!("{ms:.0}"))
            .unwrap_or_default();
        let compile = match (&row.generate_error, &row.compiled) {
            (Some(e), _) => format!("FAILED to generate: {}", cell(e)),
            (None, Some(Ok(s))) => format!("ok ({s:.1} s)"),
            (None, Some(Err(e))) => format!("FAILED: {}", cell(e)),
            (None, None) => String::new(),
        };
        let warnings = if row.compiled.is_some() {
            row.warnings.to_string()
        } else {
            String::new()
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
        let _ = writeln!(
            out,
            "| {description} | {operations} | {types} | {generate} | {lines} | {compile} | {warnings} | {examples} | {tested} |"
        );
    }
    let passed = rows.iter().filter(|r| r.passed(args.test)).count();
    let _ = writeln!(
        out,
        "\n{passed} of {} passed in {:.0} s. Compiled with `{tool}`{}; generation timed in a {profile} build of the xtask.",
        rows.len(),
        total.as_secs_f64(),
        if args.test { ", then `cargo test --test examples`" } else { "" },
    );
    out
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
    fn warnings_are_counted_without_the_summary() {
        let log = "\
src/types.rs:3:5: warning: unused import: `x`
src/lib.rs:1:1: warning: missing docs
warning: `intercom-2-7` (lib) generated 2 warnings
    Finished `dev` profile [unoptimized + debuginfo] target(s) in 1.00s
";
        assert_eq!(count_warnings(log), 2);
        assert_eq!(count_warnings("    Finished `dev` profile\n"), 0);
    }

    #[test]
    fn cells_are_one_line_without_pipes() {
        assert_eq!(cell("a | b\nmore"), "a \\| b");
    }
}
