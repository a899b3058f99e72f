//! The naming obstacle course: `tests/fixtures/naming.yaml` gathers every hard name (Rust keywords,
//! prelude names, leading digits, operator symbols, non-ASCII, names that collide after case
//! conversion, and names the generated code uses itself). Its generated types and operations are
//! pinned by snapshots, and the generated crate must compile without a single warning.

use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURE: &str = "tests/fixtures/naming.yaml";

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> apigen::Config {
    apigen::Config::new(FIXTURE).crate_name("naming-course")
}

fn generate() -> apigen::Output {
    std::env::set_current_dir(workspace_root()).expect("the workspace root exists");
    apigen::generate(&config()).unwrap_or_else(|e| panic!("the naming fixture generates: {e}"))
}

#[test]
fn names_are_pinned() {
    let output = generate();
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!("naming_warnings", warnings.join("\n"));
    insta::assert_snapshot!("naming_types", output.files["src/types.rs"]);
    insta::assert_snapshot!("naming_operations", output.files["src/operations.rs"]);
}

/// A folder in the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The generated crate compiles, lints and all, with warnings denied. It is checked in a target
/// folder of its own inside the workspace's, so that its dependencies are built once and reused.
#[test]
fn generated_crate_compiles_without_warnings() {
    let output = generate();
    let dir = TempDir(std::env::temp_dir().join(format!("apigen-naming-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&dir.0);
    apigen::write::write_files(&dir.0, &output.files, true).expect("the crate is written");
    // The crate sits outside any workspace: say so, or Cargo looks upwards for one.
    let manifest = dir.0.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("the manifest is readable");
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text).expect("the manifest is writable");
    // The workspace's lock file pins the same dependency versions that the workspace already built.
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        dir.0.join("Cargo.lock"),
    )
    .expect("Cargo.lock is copied");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let result = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--offline",
            "--all-targets",
            // Every type: the fixture's schemas that no operation uses are names to check too.
            "--features",
            "standalone_types,serialize",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&dir.0)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/naming-check"),
        )
        .env("RUSTFLAGS", "-Dwarnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .expect("cargo runs");
    assert!(
        result.status.success(),
        "the generated crate does not compile cleanly:\n{}\n{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}
