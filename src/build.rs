//! The build-script entry point: generate into `OUT_DIR`, tell Cargo which files to watch, and fail
//! the build with the same message the xtask prints.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     apigen::build::build_or_exit(apigen::Config::new("spec/openapi.yaml"));
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/client.rs"));
//! ```
//!
//! The crate that includes the client must have the runtime's dependencies: the `[dependencies]`
//! table of `templates/Cargo.toml` and its `[target.'cfg(…)'.dependencies]` tables (Tokio's timer
//! natively, the JavaScript timer and clocks on `wasm32`).
//!
//! What Cargo is told:
//! - `cargo:rerun-if-changed=PATH` for every file the loader read: the description, each overlay and
//!   each file an external `$ref` reached, as the paths were given (relative paths are relative to
//!   the package root, which is the build script's working directory). Never a directory, never a
//!   file that could not be read. When generation fails, the files read up to the failure are
//!   printed all the same (Cargo reruns a failed build script on the next build anyway).
//! - `cargo:warning=MESSAGE`, one line per kind of warning (Cargo shows every such line on each
//!   build that runs the script): the warning itself when it is the only one of its kind, else how
//!   many there are and where the first is. Every warning, one per line, is written to
//!   `OUT_DIR/apigen-warnings.txt` (empty when there are none), which the last line names.
//!
//! The output is written only if it changed, so a build that reruns the script on an unchanged
//! description leaves `OUT_DIR/client.rs` and its mtime alone.

// The example above is a whole build script, `fn main` included.
#![allow(clippy::needless_doctest_main)]

use crate::{generate_with_inputs, Config, Layout};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Why [`build`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The description has a problem: the same error, with the same message, that `cargo xtask
    /// generate` prints (file, line where known, JSON pointer).
    #[error(transparent)]
    Description(#[from] crate::Error),
    /// `OUT_DIR` is not set: [`build`] runs inside a build script, where Cargo sets it.
    #[error("OUT_DIR is not set: apigen::build::build must run inside a build script (build.rs)")]
    NoOutDir,
    /// The generated file could not be written.
    #[error("{}: cannot write the generated client: {source}", path.display())]
    Write {
        /// The folder written into.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// Generates `client.rs` into `OUT_DIR` from `config` (always [`Layout::SingleFile`]), prints
/// `cargo:rerun-if-changed=` for exactly the files the loader read and `cargo:warning=` for each
/// warning, and returns the path written. Include it with
/// `include!(concat!(env!("OUT_DIR"), "/client.rs"));` at the crate root.
///
/// The `@generated` header names `cargo build` as the way to remake the file, unless
/// [`Config::regenerate_command`] set another command.
///
/// On error, nothing is written (the previous `client.rs`, if any, stays whole) and the error is
/// returned for the build script to report; [`build_or_exit`] does that.
pub fn build(config: Config) -> Result<PathBuf, BuildError> {
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .ok_or(BuildError::NoOutDir)?;
    let mut stdout = String::new();
    let result = build_into(config, &out_dir, &mut stdout);
    print!("{stdout}");
    result
}

/// [`build`], and on error prints `error: {message}` to standard error and exits with status 1, so
/// that Cargo fails the build showing the message under `--- stderr`. (A panic would show the same
/// message, but wrapped in "thread 'main' panicked at …" and a backtrace hint.)
pub fn build_or_exit(config: Config) -> PathBuf {
    match build(config) {
        Ok(path) => path,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

/// [`build`] with the output folder given and Cargo's instructions appended to `stdout` instead of
/// printed: for tests, and for a build script that generates several clients, each into a folder of
/// its own under `OUT_DIR` (it prints `stdout` itself, whether or not the call succeeded).
pub fn build_into(
    config: Config,
    out_dir: &Path,
    stdout: &mut String,
) -> Result<PathBuf, BuildError> {
    let config = config.layout(Layout::SingleFile);
    let config = if config.regenerate_command_str() == Config::DEFAULT_REGENERATE_COMMAND {
        config.regenerate_command("cargo build")
    } else {
        config
    };
    let (output, read) = generate_with_inputs(&config);
    // Watch what was read, up to the failure if generation failed, so that fixing any of those
    // files reruns the script.
    rerun_if_changed(stdout, &read);
    let output = output?;
    let write_error = |source| BuildError::Write {
        path: out_dir.to_path_buf(),
        source,
    };
    crate::write::write_files(out_dir, &output.files, false).map_err(write_error)?;
    let all = out_dir.join(WARNINGS_FILE);
    let listed: String = output.warnings.iter().map(|w| format!("{w}\n")).collect();
    crate::write::ensure_file_contents(&all, &listed).map_err(write_error)?;
    print_warnings(stdout, &output.warnings, &all);
    Ok(out_dir.join("client.rs"))
}

/// The file in `OUT_DIR` that lists every warning, one per line.
pub const WARNINGS_FILE: &str = "apigen-warnings.txt";

/// One `cargo:warning=` per kind of warning, and where the full list is when a line stands for
/// several.
fn print_warnings(stdout: &mut String, warnings: &[crate::Warning], all: &Path) {
    let summaries = crate::error::summarize(warnings);
    for summary in &summaries {
        // One instruction per line: a message spanning lines would be cut at the first.
        let line = summary.to_string().replace(['\r', '\n'], " ");
        let _ = writeln!(stdout, "cargo:warning={line}");
    }
    if summaries.iter().any(|s| s.count > 1) {
        let _ = writeln!(
            stdout,
            "cargo:warning={} warnings in all, one per line in {}",
            warnings.len(),
            all.display()
        );
    }
}

/// One `cargo:rerun-if-changed=` per file, each once, in the order read. Only files the loader read
/// are listed, so none is a directory or missing.
fn rerun_if_changed(stdout: &mut String, files: &[PathBuf]) {
    let mut seen = Vec::new();
    for file in files {
        if !seen.contains(&file) {
            seen.push(file);
            let _ = writeln!(stdout, "cargo:rerun-if-changed={}", file.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("apigen-build-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const ROOT: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things/{id}:\n    get:\n      operationId: getThing\n      parameters:\n      - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: './schemas/thing.yaml'}\n";
    const THING: &str = "type: object\nproperties:\n  name: {type: string}\n  owner: {$ref: 'common.yaml#/components/schemas/Owner'}\n";
    const COMMON: &str =
        "components:\n  schemas:\n    Owner:\n      type: object\n      properties:\n        id:\n          type: integer\n";

    fn write_description(dir: &Path) {
        std::fs::create_dir_all(dir.join("schemas")).unwrap();
        std::fs::write(dir.join("openapi.yaml"), ROOT).unwrap();
        std::fs::write(dir.join("schemas/thing.yaml"), THING).unwrap();
        std::fs::write(dir.join("schemas/common.yaml"), COMMON).unwrap();
    }

    fn lines(stdout: &str, prefix: &str) -> Vec<String> {
        stdout
            .lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn watches_exactly_the_files_read_and_writes_if_changed() {
        let dir = temp_dir("ok");
        write_description(&dir);
        let out = dir.join("out");
        let config = Config::new(dir.join("openapi.yaml"));
        let mut stdout = String::new();
        let written = build_into(config.clone(), &out, &mut stdout).expect("builds");
        assert_eq!(written, out.join("client.rs"));
        let watched = lines(&stdout, "cargo:rerun-if-changed=");
        let expected: Vec<String> = ["openapi.yaml", "schemas/thing.yaml", "schemas/common.yaml"]
            .iter()
            .map(|f| dir.join(f).display().to_string())
            .collect();
        assert_eq!(watched, expected);
        assert!(lines(&stdout, "cargo:warning=").is_empty(), "{stdout}");
        let text = std::fs::read_to_string(&written).unwrap();
        assert!(
            text.lines()
                .next()
                .unwrap()
                .contains("run `cargo build` to remake it"),
            "{text}"
        );
        assert!(
            text.contains("pub struct Thing") && text.contains("pub struct Owner"),
            "{text}"
        );

        // Unchanged: not rewritten.
        let before = std::fs::metadata(&written).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        build_into(config, &out, &mut String::new()).expect("builds again");
        assert_eq!(
            std::fs::metadata(&written).unwrap().modified().unwrap(),
            before
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn on_failure_watches_what_exists_and_reports_file_and_pointer() {
        let dir = temp_dir("fail");
        write_description(&dir);
        std::fs::write(
            dir.join("schemas/thing.yaml"),
            THING.replace("Owner'", "Nobody'"),
        )
        .unwrap();
        let out = dir.join("out");
        let mut stdout = String::new();
        // A reference that reaches nothing is a warning, which `deny_warnings` makes an error.
        let config = Config::new(dir.join("openapi.yaml")).deny_warnings(true);
        let error = build_into(config, &out, &mut stdout).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("1 warnings, denied by --deny-warnings:\n  - "),
            "{message}"
        );
        assert!(
            message.contains(&format!("{}:4:", dir.join("schemas/thing.yaml").display())),
            "{message}"
        );
        assert!(message.contains(" at #/properties/owner: cannot resolve `$ref: common.yaml#/components/schemas/Nobody`"), "{message}");
        let watched = lines(&stdout, "cargo:rerun-if-changed=");
        let expected: Vec<String> = ["openapi.yaml", "schemas/thing.yaml", "schemas/common.yaml"]
            .iter()
            .map(|f| dir.join(f).display().to_string())
            .collect();
        assert_eq!(watched, expected);
        assert!(!out.exists(), "nothing is written on failure");

        // A missing root: nothing to watch, and the error names the file.
        let mut stdout = String::new();
        let error =
            build_into(Config::new(dir.join("missing.yaml")), &out, &mut stdout).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("missing.yaml: cannot read the file"),
            "{error}"
        );
        assert_eq!(stdout, "");

        // A missing overlay: the files read before it (overlays apply after bundling) are
        // watched, the missing overlay is not.
        let mut stdout = String::new();
        let config =
            Config::new(dir.join("openapi.yaml")).overlay(dir.join("missing-overlay.yaml"));
        build_into(config, &out, &mut stdout).unwrap_err();
        assert_eq!(lines(&stdout, "cargo:rerun-if-changed="), expected);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn warnings_become_one_line_cargo_warnings() {
        let dir = temp_dir("warn");
        write_description(&dir);
        std::fs::write(
            dir.join("schemas/common.yaml"),
            COMMON.replace("type: integer\n", "type: integer\n          example: 'x'\n"),
        )
        .unwrap();
        let mut stdout = String::new();
        build_into(
            Config::new(dir.join("openapi.yaml")),
            &dir.join("out"),
            &mut stdout,
        )
        .expect("builds");
        let warnings = lines(&stdout, "cargo:warning=");
        assert_eq!(warnings.len(), 1, "{stdout}");
        assert!(
            warnings[0].contains("the example contradicts its schema"),
            "{stdout}"
        );
        // Located in the file the schema is in, at its own pointer there.
        let common = dir.join("schemas/common.yaml").display().to_string();
        assert!(
            warnings[0].starts_with(&format!("{common}:8:11 at ")),
            "{stdout}"
        );
        assert!(
            warnings[0].contains(" at #/components/schemas/Owner/properties/id/example: "),
            "{stdout}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn warnings_of_one_kind_are_one_line_and_all_are_in_a_file() {
        let dir = temp_dir("summary");
        write_description(&dir);
        let examples = "type: integer\n          example: 'x'\n        other:\n          type: integer\n          example: 'y'\n";
        std::fs::write(
            dir.join("schemas/common.yaml"),
            COMMON.replace("type: integer\n", examples),
        )
        .unwrap();
        let nobody = "  nobody: {$ref: 'common.yaml#/components/schemas/Nobody'}\n";
        std::fs::write(dir.join("schemas/thing.yaml"), format!("{THING}{nobody}")).unwrap();
        let out = dir.join("out");
        let mut stdout = String::new();
        build_into(Config::new(dir.join("openapi.yaml")), &out, &mut stdout).expect("builds");
        let warnings = lines(&stdout, "cargo:warning=");
        let all = out.join(WARNINGS_FILE);
        assert_eq!(warnings.len(), 3, "{stdout}");
        assert!(
            warnings[0].starts_with("2 × example contradicts its schema, the first at "),
            "{stdout}"
        );
        assert!(warnings[0].ends_with("/properties/id/example"), "{stdout}");
        assert!(
            warnings[1].contains("cannot resolve `$ref: common.yaml#/components/schemas/Nobody`"),
            "{stdout}"
        );
        assert_eq!(
            warnings[2],
            format!("3 warnings in all, one per line in {}", all.display())
        );
        let listed = std::fs::read_to_string(&all).unwrap();
        assert_eq!(listed.lines().count(), 3, "{listed}");
        assert!(
            listed.contains("/properties/other/example: the example contradicts"),
            "{listed}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
