//! `bench --compile`: `cargo check` of a generated crate with its dependencies built, timed, with
//! the peak memory of the cargo process tree (rustc's, see [`super::child`]).
//!
//! Each crate is checked in a target folder of the bench's own (`target/bench/check-target`,
//! shared by every crate, so that a dependency is built once per feature set) without incremental
//! compilation, as after a regeneration that changes the crate: a first `cargo check` builds the
//! dependencies and the crate, then the crate's `src/lib.rs` is touched and the second check, of
//! the crate alone, is what is reported.

use super::child::{self, Run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The target folder every checked crate shares, relative to the workspace root.
const TARGET: &str = "target/bench/check-target";

/// What one crate's checks measured.
#[derive(Debug)]
pub struct Checked {
    /// Every resource feature on (the crate's default features where it has none).
    pub all: Run,
    /// One resource feature alone (`--no-default-features --features NAME`), where the crate has
    /// resource features.
    pub one: Option<(String, Run)>,
    /// What features were checked, in words, for the report.
    pub note: String,
}

/// Checks the crate at `crate_dir` with all of its resource features and, where it has them, with
/// only `resource` (or the first). Resource features are the manifest's `[features]` other than
/// `default` and the ones `runtime_features` names (the runtime's own, `full`, and the opt-in ones);
/// with `runtime_features` `None` (a crate
/// of another generator, whose features are not resources), the default features alone.
pub fn check(
    crate_dir: &Path,
    runtime_features: Option<&[String]>,
    resource: Option<&str>,
) -> Result<Checked, String> {
    let manifest = crate_dir.join("Cargo.toml");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    // The crate sits under this workspace's folder: a `[workspace]` of its own keeps Cargo from
    // taking it for a member of ours.
    if !text.lines().any(|line| line.trim() == "[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n"))
            .map_err(|e| format!("{}: {e}", manifest.display()))?;
    }
    let resources: Vec<String> = match runtime_features {
        Some(runtime) => features(&text)
            .into_iter()
            .filter(|f| f != "default" && !runtime.contains(f))
            .collect(),
        None => Vec::new(),
    };
    let logs = crate_dir.with_extension("check-logs");
    if resources.is_empty() {
        let all = check_twice(&manifest, &[], &logs.join("default"))?;
        let note = match runtime_features {
            Some(_) => "no resource features in its Cargo.toml: default features",
            None => "default features",
        }
        .to_string();
        return Ok(Checked {
            all,
            one: None,
            note,
        });
    }
    let all_args = vec!["--features".to_string(), resources.join(",")];
    let all = check_twice(&manifest, &all_args, &logs.join("all"))?;
    let chosen = match resource {
        Some(name) if resources.iter().any(|r| r == name) => name.to_string(),
        Some(name) => {
            return Err(format!(
                "no resource feature `{name}`; it has {resources:?}"
            ))
        }
        None => resources[0].clone(),
    };
    let one_args = [
        "--no-default-features".to_string(),
        "--features".to_string(),
        chosen.clone(),
    ];
    let one = check_twice(&manifest, &one_args, &logs.join("one"))?;
    let note = format!("{} resource features", resources.len());
    Ok(Checked {
        all,
        one: Some((chosen, one)),
        note,
    })
}

/// `cargo check` with `args` once to build the dependencies, then again after touching
/// `src/lib.rs`; the second run. A crate that does not compile is measured all the same (its
/// errors are in the logs, and said on standard error).
fn check_twice(manifest: &Path, args: &[String], logs: &Path) -> Result<Run, String> {
    let command = || {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .args(["check", "--message-format", "short", "--manifest-path"])
            .arg(manifest)
            .args(args)
            .env("CARGO_TARGET_DIR", TARGET)
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never");
        command
    };
    let _ = child::run_to_the_end(command(), &logs.join("dependencies.log"))?;
    let lib: PathBuf = manifest.with_file_name("src").join("lib.rs");
    std::fs::File::options()
        .append(true)
        .open(&lib)
        .and_then(|file| file.set_modified(std::time::SystemTime::now()))
        .map_err(|e| format!("touching {}: {e}", lib.display()))?;
    let (run, failure) = child::run_to_the_end(command(), &logs.join("crate.log"))?;
    if let Some(failure) = failure {
        eprintln!(
            "note: the crate does not compile; its check is measured all the same: {failure}"
        );
    }
    Ok(run)
}

/// The names in a manifest's `[features]` table, in order.
pub fn features(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') && !line.starts_with("[\"") {
            inside = line == "[features]";
            continue;
        }
        if !inside {
            continue;
        }
        if let Some((name, _)) = line.split_once('=') {
            let name = name.trim().trim_matches('"');
            let plain = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_/".contains(c));
            if plain {
                names.push(name.to_string());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::features;

    #[test]
    fn features_are_read_from_the_features_table_only() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\n# Comment.\ndefault = [\"contacts\", \"tags\"]\ncontacts = []\n\"tags\" = [\n  \"x\",\n]\nnative-tls = [\"reqwest/native-tls\"]\n\n[dependencies]\nserde = \"1\"\n";
        assert_eq!(
            features(manifest),
            ["default", "contacts", "tags", "native-tls"]
        );
        assert!(features("[package]\nname = \"x\"\n").is_empty());
    }
}
