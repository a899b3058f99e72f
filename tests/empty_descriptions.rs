//! A description with no schemas, or with no operations, gives a crate that builds with no
//! warning: real Cargo checks each generated crate (lib and tests), and any `warning` line in its
//! output fails the test, as `-D warnings` would.

// Only `cargo` of the shared helpers is used here.
#[allow(dead_code)]
mod support;

use std::path::{Path, PathBuf};

const WORKSPACE: &str = env!("CARGO_MANIFEST_DIR");

/// Generates the fixture as a crate in a folder of its own, with the workspace's lock file, so
/// that nothing is fetched.
fn write_crate(fixture: &str, name: &str) -> PathBuf {
    let spec = Path::new(WORKSPACE)
        .join("tests/construct-fixtures/fixtures")
        .join(fixture);
    let output = apigen::generate(&apigen::Config::new(&spec).crate_name(name))
        .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    assert!(output.warnings.is_empty(), "{:#?}", output.warnings);
    let dir = std::env::temp_dir().join(format!("apigen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in &output.files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("mkdir");
        std::fs::write(path, text).expect("the file is written");
    }
    std::fs::copy(
        Path::new(WORKSPACE).join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .expect("Cargo.lock is copied");
    dir
}

#[test]
fn crates_without_schemas_or_operations_build_without_warnings() {
    // The target folder tests/buildrs_regeneration.rs uses: its dependencies are compiled once.
    let target = Path::new(WORKSPACE).join("target/buildrs-regeneration");
    for (fixture, name) in [
        ("no-schemas.yaml", "empty-no-schemas"),
        ("no-operations.yaml", "empty-no-operations"),
    ] {
        let dir = write_crate(fixture, name);
        let output = support::cargo(&dir, &target)
            .args(["check", "--all-targets", "--offline"])
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{fixture}: cargo check failed:\n{stderr}"
        );
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("warning"))
            .collect();
        assert!(warnings.is_empty(), "{fixture}: warnings:\n{stderr}");
        let _ = support::cargo(&dir, &target)
            .args(["clean", "--offline", "-p", name])
            .output();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
