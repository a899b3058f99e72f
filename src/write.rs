//! Writing generated files: write-if-changed and atomic, for the adapters (the xtask and build
//! scripts). `generate` itself writes nothing.
//!
//! [`codegen`] is what `cargo xtask codegen [--check]` does, for any workspace's own xtask: generate
//! every client first, then write them all (or, checking, compare them all), with an exit code.
//!
//! ```no_run
//! // xtask/src/main.rs of a workspace that keeps its client in generated/my-api:
//! let options = apigen::write::CodegenOptions {
//!     check: std::env::args().any(|arg| arg == "--check"),
//!     verbose: std::env::args().any(|arg| arg == "--verbose"),
//! };
//! let clients = [(
//!     apigen::Config::new("spec/openapi.yaml").crate_name("my-api"),
//!     std::path::PathBuf::from("generated/my-api"),
//! )];
//! let outcome = apigen::write::codegen(&clients, options, &mut |line| eprintln!("{line}"));
//! std::process::exit(outcome.exit_code());
//! ```

use crate::{Config, Output, Stats};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// What a write changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written because they were new or different.
    pub written: Vec<PathBuf>,
    /// Files left alone because they already held the right text.
    pub unchanged: Vec<PathBuf>,
    /// Files removed because the generator no longer makes them.
    pub removed: Vec<PathBuf>,
}

/// Writes `text` to `path` unless it already holds exactly that, through a temporary file renamed
/// into place, so that readers never see half a file and an unchanged file keeps its mtime.
/// Returns whether it wrote.
pub fn ensure_file_contents(path: &Path, text: &str) -> io::Result<bool> {
    if holds(path, text) {
        return Ok(false);
    }
    let temp = stage(path, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })?;
    Ok(true)
}

/// Whether `path` already holds exactly `text`.
fn holds(path: &Path, text: &str) -> bool {
    std::fs::read(path).is_ok_and(|existing| existing == text.as_bytes())
}

/// Writes `text` into a temporary file beside `path` (making the folder if need be) and returns
/// the temporary file's path; on error, no temporary file remains.
fn stage(path: &Path, text: &str) -> io::Result<PathBuf> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{file_name}.apigen-tmp"));
    std::fs::write(&temp, text).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })?;
    Ok(temp)
}

/// Writes every file under `dir`, and, when `prune` is set, removes files under the generated
/// folders (`src/`, `tests/`) that the generator no longer makes.
///
/// Every changed file is first written in full beside its target, and only when all of them are
/// written are they renamed into place: a write that fails (a full disk, a folder that cannot be
/// made) leaves every previous file as it was, and no temporary file behind. (A rename can still
/// fail half-way, but renames within a folder hardly ever do.) Unchanged files are not touched.
pub fn write_files(
    dir: &Path,
    files: &BTreeMap<String, String>,
    prune: bool,
) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let discard = |staged: &[(PathBuf, PathBuf)]| {
        for (temp, _) in staged {
            let _ = std::fs::remove_file(temp);
        }
    };
    for (relative, text) in files {
        let path = dir.join(relative);
        if holds(&path, text) {
            report.unchanged.push(path);
            continue;
        }
        match stage(&path, text) {
            Ok(temp) => staged.push((temp, path)),
            Err(e) => {
                discard(&staged);
                return Err(e);
            }
        }
    }
    for (i, (temp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(temp, path) {
            discard(&staged[i..]);
            return Err(e);
        }
    }
    report.written = staged.into_iter().map(|(_, path)| path).collect();
    if prune {
        for extra in extra_files(dir, files)? {
            std::fs::remove_file(&extra)?;
            report.removed.push(extra);
        }
    }
    Ok(report)
}

/// How a folder differs from what the generator makes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Staleness {
    /// Files whose text differs.
    pub stale: Vec<PathBuf>,
    /// Files the generator makes that are missing.
    pub missing: Vec<PathBuf>,
    /// Files in generated folders that the generator does not make.
    pub extra: Vec<PathBuf>,
}

impl Staleness {
    /// Whether the folder is exactly what the generator makes.
    pub fn is_fresh(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Compares `dir` with `files` without writing anything.
pub fn check_files(dir: &Path, files: &BTreeMap<String, String>) -> io::Result<Staleness> {
    let mut staleness = Staleness::default();
    for (relative, text) in files {
        let path = dir.join(relative);
        match std::fs::read(&path) {
            Ok(existing) if existing == text.as_bytes() => {}
            Ok(_) => staleness.stale.push(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => staleness.missing.push(path),
            Err(e) => return Err(e),
        }
    }
    staleness.extra = extra_files(dir, files)?;
    Ok(staleness)
}

/// Files under `dir/src` and `dir/tests` (and `dir/Cargo.toml`) that are not in `files`.
fn extra_files(dir: &Path, files: &BTreeMap<String, String>) -> io::Result<Vec<PathBuf>> {
    let mut extra = Vec::new();
    for sub in ["src", "tests"] {
        let root = dir.join(sub);
        if !root.is_dir() {
            continue;
        }
        let mut stack = vec![root];
        while let Some(folder) = stack.pop() {
            for entry in std::fs::read_dir(&folder)? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let relative = path
                    .strip_prefix(dir)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                if !files.contains_key(&relative) {
                    extra.push(path);
                }
            }
        }
    }
    extra.sort();
    Ok(extra)
}

/// How [`codegen`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codegen {
    /// Every client was generated and written (files that did not change were left alone).
    Written,
    /// Checking: every folder holds exactly what the generator makes.
    Fresh,
    /// Checking: some file is stale, missing or extra; nothing was written.
    Stale,
    /// A description has a problem, or a folder could not be read or written.
    Failed,
}

impl Codegen {
    /// The exit code `cargo xtask codegen` gives: 0 written or fresh, 1 failed, 3 stale.
    pub fn exit_code(self) -> i32 {
        match self {
            Codegen::Written | Codegen::Fresh => 0,
            Codegen::Failed => 1,
            Codegen::Stale => 3,
        }
    }
}

/// What [`codegen`] does: write (the default) or only compare, and how it reports warnings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CodegenOptions {
    /// Compare the folders with what would be written, and write nothing (`--check`).
    pub check: bool,
    /// Report every warning, rather than one line per kind of warning (`--verbose`).
    pub verbose: bool,
}

/// Generates each client (a configuration and the folder it lives in), then writes each with
/// [`write_files`] (pruning files it no longer makes) or, with `options.check`, compares each with
/// [`check_files`] and writes nothing. Every client is generated before anything is written, so a
/// description with a problem leaves every folder as it was. `log` receives each line to show:
/// warnings (as [`crate::error::warning_lines`] gives them), errors, stale files, and one summary
/// line per client written.
pub fn codegen(
    clients: &[(Config, PathBuf)],
    options: CodegenOptions,
    log: &mut dyn FnMut(&str),
) -> Codegen {
    let CodegenOptions { check, verbose } = options;
    let mut outputs: Vec<(&Config, &Path, Output)> = Vec::new();
    for (config, dir) in clients {
        match crate::generate(config) {
            Ok(output) => outputs.push((config, dir, output)),
            Err(e) => {
                log(&format!("error: {e}"));
                return Codegen::Failed;
            }
        }
    }
    let mut outcome = if check {
        Codegen::Fresh
    } else {
        Codegen::Written
    };
    // The command that regenerates the first stale client, as its headers name it.
    let mut regenerate = None;
    for (config, dir, output) in outputs {
        for line in crate::error::warning_lines(&output.warnings, verbose) {
            log(&line);
        }
        if check {
            match check_files(dir, &output.files) {
                Ok(staleness) if staleness.is_fresh() => {}
                Ok(staleness) => {
                    outcome = Codegen::Stale;
                    regenerate.get_or_insert_with(|| config.regenerate_command_str().to_string());
                    let kinds = [
                        ("stale", &staleness.stale),
                        ("missing", &staleness.missing),
                        ("extra", &staleness.extra),
                    ];
                    for (kind, paths) in kinds {
                        for path in paths {
                            log(&format!("{kind}: {}", path.display()));
                        }
                    }
                }
                Err(e) => {
                    log(&format!("error: reading {}: {e}", dir.display()));
                    return Codegen::Failed;
                }
            }
            continue;
        }
        match write_files(dir, &output.files, true) {
            Ok(report) => log(&summary(config.crate_name_str(), &output.stats, &report)),
            Err(e) => {
                log(&format!("error: writing {}: {e}", dir.display()));
                return Codegen::Failed;
            }
        }
    }
    if let Some(command) = regenerate {
        log(&format!(
            "the generated code is out of date: run `{command}`"
        ));
    }
    outcome
}

/// The line that tells what writing one client did: its counts, and the files written, unchanged
/// and removed.
pub fn summary(crate_name: &str, stats: &Stats, report: &WriteReport) -> String {
    format!(
        "{crate_name}: {} operations, {} types, {} lines, {} examples ({} contradict their schemas); \
         {} files written, {} unchanged, {} removed",
        stats.operations,
        stats.types,
        stats.lines,
        stats.examples,
        stats.example_defects,
        report.written.len(),
        report.unchanged.len(),
        report.removed.len()
    )
}
