//! `examples/own-xtask` is a user's workspace with its own `cargo xtask codegen`, built on
//! `apigen::write::codegen`. This runs that xtask with real Cargo, in a copy of the workspace: its
//! `--check` passes on the checked-in `generated/`, fails (exit 3, naming the file) once the
//! description changes, and passes again after `codegen` rewrites the client.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::SystemTime;

const WORKSPACE: &str = env!("CARGO_MANIFEST_DIR");

/// A copy of the example in a temporary folder, depending on this checkout of apigen; removed
/// when dropped.
struct Copy(PathBuf);

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Copy {
    fn new() -> Copy {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("apigen-own-xtask-{}-{nanos}", std::process::id()));
        support::copy_dir(&Path::new(WORKSPACE).join("examples/own-xtask"), &dir);
        let manifest_path = dir.join("xtask/Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path).expect("the xtask has a manifest");
        let local = r#"apigen = { path = "../../.." }"#;
        assert_eq!(
            manifest.matches(local).count(),
            1,
            "the xtask depends on apigen as `{local}`"
        );
        let absolute = format!("apigen = {{ path = {} }}", support::toml_string(WORKSPACE));
        std::fs::write(&manifest_path, manifest.replace(local, &absolute))
            .expect("the manifest is writable");
        // The same versions as this workspace, and nothing to fetch.
        std::fs::copy(
            Path::new(WORKSPACE).join("Cargo.lock"),
            dir.join("Cargo.lock"),
        )
        .expect("Cargo.lock is copied");
        Copy(dir)
    }

    /// `cargo xtask codegen` with `args`, in the copy.
    fn xtask(&self, args: &[&str]) -> Output {
        // The dependencies are those the build.rs regeneration test builds, so they are shared.
        let target = Path::new(WORKSPACE).join("target/buildrs-regeneration");
        let mut command = support::cargo(&self.0, &target);
        command
            .args(["xtask", "codegen"])
            .args(args)
            .env("CARGO_NET_OFFLINE", "true");
        command.output().expect("cargo runs")
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_examples_own_xtask_keeps_its_generated_client_fresh() {
    let copy = Copy::new();
    let fresh = copy.xtask(&["--check"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));

    let spec = copy.0.join("spec/openapi.yaml");
    let text = std::fs::read_to_string(&spec).expect("the description is readable");
    let changed = text.replace("summary: Show a note", "summary: Show one note");
    assert_ne!(
        changed, text,
        "the description has the summary this test changes"
    );
    std::fs::write(&spec, changed).expect("the description is writable");
    let stale = copy.xtask(&["--check"]);
    assert_eq!(stale.status.code(), Some(3), "{}", stderr(&stale));
    assert!(
        stderr(&stale).contains("stale: generated/notes/src/operations.rs"),
        "{}",
        stderr(&stale)
    );

    let written = copy.xtask(&[]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(
        stderr(&written).contains("notes: 4 operations"),
        "{}",
        stderr(&written)
    );
    let operations = std::fs::read_to_string(copy.0.join("generated/notes/src/operations.rs"))
        .expect("the client is written");
    assert!(operations.contains("Show one note"));
    let again = copy.xtask(&["--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
}
