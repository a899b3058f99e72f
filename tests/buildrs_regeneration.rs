//! Proof that a build script using `apigen::build` regenerates exactly when the description changes,
//! driving real Cargo on a copy of `examples/buildrs-seed`.
//!
//! The copy lives in a fresh temporary folder, depends on this checkout of apigen by absolute path
//! and is its own workspace. It builds into `target/buildrs-regeneration` (under this workspace's
//! target folder), so the dependencies compiled by the first run (reqwest, tokio, rustls, syn, ...;
//! a minute or two on two cores) are reused by later runs, which take seconds.
//!
//! Cargo names a package's artifacts after its name, version and path relative to its workspace
//! (`.` for every copy), so copies made by runs at the same time (several people running
//! `cargo test --workspace` in one checkout) would share, and overwrite, each other's build script
//! output and fingerprints. Each copy therefore gets a version of its own (`0.1.0-run.<pid>.<n>`),
//! and its artifacts are removed at the end, also when the test fails. Incremental compilation is
//! off for these builds: it would only leave more behind.
//!
//! Whether the build script ran is read from `cargo build -v`: Cargo prints
//! ``Running `…/build/buildrs-seed-<hash>/build-script-build` `` when it runs the script and
//! `Fresh buildrs-seed …` when it does not. That is Cargo's own account of its decision, which no
//! file-system timing can blur; the mtime of `OUT_DIR/client.rs` is checked too (write-if-changed
//! keeps it when nothing changed). `OUT_DIR` is read from the `build-script-executed` message of
//! `--message-format=json-render-diagnostics`, which Cargo emits whether the script ran or not.

use serde_json::Value;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

mod support;

const WORKSPACE: &str = env!("CARGO_MANIFEST_DIR");

/// One `cargo build` of the copy.
struct Build {
    success: bool,
    /// Cargo's messages and the build script's output (warnings, errors).
    stderr: String,
    /// `OUT_DIR` of the copy's build script, when Cargo reported it.
    out_dir: Option<PathBuf>,
    /// Every artifact Cargo reported for the copy (build script, library).
    artifacts: Vec<PathBuf>,
}

impl Build {
    /// Whether Cargo ran the copy's build script.
    fn ran_build_script(&self) -> bool {
        self.stderr.lines().any(|line| {
            let line = line.trim_start();
            line.starts_with("Running `")
                && line.contains("/build/buildrs-seed-")
                && line.trim_end().ends_with("/build-script-build`")
        })
    }

    fn client(&self) -> PathBuf {
        self.out_dir
            .as_ref()
            .expect("Cargo reports OUT_DIR")
            .join("client.rs")
    }
}

/// The copy of the example; dropping it (also when an assertion fails) removes it and its artifacts.
struct Copy {
    dir: PathBuf,
    target: PathBuf,
    /// What Cargo reported building for the copy, for [`Copy::drop`] to remove.
    built: RefCell<Vec<PathBuf>>,
}

impl Copy {
    /// Copies examples/buildrs-seed into a fresh temporary folder and makes it a workspace of its
    /// own that depends on this checkout of apigen.
    fn new() -> Copy {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "apigen-buildrs-regeneration-{}-{nanos}",
            std::process::id()
        ));
        support::copy_dir(&Path::new(WORKSPACE).join("examples/buildrs-seed"), &dir);
        let manifest_path = dir.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path).expect("the example has a manifest");
        let local = r#"apigen = { path = "../.." }"#;
        assert_eq!(
            manifest.matches(local).count(),
            1,
            "the example depends on apigen as `{local}`"
        );
        let absolute = format!("apigen = {{ path = {} }}", support::toml_string(WORKSPACE));
        let version = "\nversion = \"0.1.0\"\n";
        assert_eq!(
            manifest.matches(version).count(),
            1,
            "the example's version is 0.1.0"
        );
        let own_version = format!(
            "\nversion = \"0.1.0-run.{}.{}\"\n",
            std::process::id(),
            nanos % 1_000_000_000
        );
        let manifest = manifest
            .replace(local, &absolute)
            .replace(version, &own_version);
        let manifest = format!("{manifest}\n[workspace]\n");
        std::fs::write(&manifest_path, manifest).expect("the manifest is writable");
        // The same versions as the workspace, and nothing to fetch.
        std::fs::copy(
            Path::new(WORKSPACE).join("Cargo.lock"),
            dir.join("Cargo.lock"),
        )
        .expect("Cargo.lock is copied");
        Copy {
            dir,
            target: Path::new(WORKSPACE).join("target/buildrs-regeneration"),
            built: RefCell::new(Vec::new()),
        }
    }

    fn build(&self) -> Build {
        let mut command = support::cargo(&self.dir, &self.target);
        command.args([
            "build",
            "--offline",
            "-v",
            "--message-format=json-render-diagnostics",
        ]);
        let started = Instant::now();
        let output = command.output().expect("cargo runs");
        eprintln!("cargo build: {:.1?}", started.elapsed());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut build = Build {
            success: output.status.success(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            out_dir: None,
            artifacts: Vec::new(),
        };
        for line in stdout.lines() {
            let Ok(message) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let ours = message["package_id"]
                .as_str()
                .is_some_and(|id| id.contains("buildrs-seed"));
            if !ours {
                continue;
            }
            match message["reason"].as_str() {
                Some("build-script-executed") => {
                    build.out_dir = message["out_dir"].as_str().map(PathBuf::from);
                }
                Some("compiler-artifact") => {
                    let files = message["filenames"].as_array().into_iter().flatten();
                    build
                        .artifacts
                        .extend(files.filter_map(Value::as_str).map(PathBuf::from));
                }
                _ => {}
            }
        }
        let mut built = self.built.borrow_mut();
        built.extend(build.artifacts.iter().cloned());
        built.extend(
            build
                .out_dir
                .iter()
                .filter_map(|d| d.parent().map(Path::to_path_buf)),
        );
        build
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.dir.join(file);
        let text = std::fs::read_to_string(&path).expect("the file exists");
        assert_eq!(
            text.matches(from).count(),
            1,
            "{file} has exactly one {from:?}"
        );
        std::fs::write(&path, text.replacen(from, to, 1)).expect("the file is writable");
    }
}

impl Drop for Copy {
    /// Removes the copy and, from the shared target folder, the artifacts named after it (the
    /// hashes in their names depend on the copy's own version, so no other run uses them).
    fn drop(&mut self) {
        let mut hashes: Vec<String> = Vec::new();
        for path in self.built.borrow().iter() {
            for component in path.components() {
                let name = component.as_os_str().to_string_lossy();
                let name = name.split('.').next().unwrap_or_default();
                let hash = name
                    .strip_prefix("buildrs-seed-")
                    .or_else(|| name.strip_prefix("libbuildrs_seed-"));
                if let Some(hash) = hash.filter(|h| h.len() >= 16) {
                    if !hashes.iter().any(|h| h == hash) {
                        hashes.push(hash.to_string());
                    }
                }
            }
        }
        for folder in ["build", "deps", ".fingerprint"] {
            let Ok(entries) = std::fs::read_dir(self.target.join("debug").join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.contains("buildrs") && hashes.iter().any(|h| name.contains(h.as_str())) {
                    let path = entry.path();
                    let _ = if path.is_dir() {
                        std::fs::remove_dir_all(&path)
                    } else {
                        std::fs::remove_file(&path)
                    };
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("the file exists")
}

#[test]
fn the_build_script_reruns_exactly_when_the_description_changes() {
    let started = Instant::now();
    let copy = Copy::new();

    // 1. The first build generates the client (the overlay has fixed the description's defects).
    let first = copy.build();
    assert!(first.success, "the first build succeeds:\n{}", first.stderr);
    assert!(
        first.ran_build_script(),
        "the first build runs the build script:\n{}",
        first.stderr
    );
    let client = first.client();
    let text = std::fs::read_to_string(&client).expect("OUT_DIR/client.rs exists");
    assert!(
        text.starts_with("// @generated by apigen from spec/openapi.yaml."),
        "{text}"
    );
    assert!(text.contains("pub struct Company {") && text.contains("pub struct TagBasic {"));
    assert!(
        !first
            .stderr
            .lines()
            .any(|l| l.starts_with("warning: buildrs-seed@")),
        "the description, with its overlay, has no defects left:\n{}",
        first.stderr
    );
    let generated_at = mtime(&client);

    // 2. Nothing changed: the script does not run, and the client is untouched.
    let second = copy.build();
    assert!(second.success, "{}", second.stderr);
    assert!(
        !second.ran_build_script(),
        "nothing changed, yet the build script ran:\n{}",
        second.stderr
    );
    assert!(
        second.stderr.contains("Fresh buildrs-seed"),
        "{}",
        second.stderr
    );
    assert_eq!(mtime(&client), generated_at);

    // 3. A change to a file the description does not include: the crate recompiles, the script
    //    does not run (without rerun-if-changed, Cargo would rerun it on any change in the package).
    copy.edit(
        "src/lib.rs",
        "#![forbid(unsafe_code)]",
        "#![forbid(unsafe_code)]\n// An edit.",
    );
    let third = copy.build();
    assert!(third.success, "{}", third.stderr);
    assert!(
        !third.ran_build_script(),
        "an edit to src/lib.rs reran the build script:\n{}",
        third.stderr
    );
    assert!(
        third.stderr.contains("Compiling buildrs-seed"),
        "{}",
        third.stderr
    );
    assert_eq!(mtime(&client), generated_at);

    // 4. A new field in the `$ref`'d schema file: the script runs, and the field is generated.
    copy.edit(
        "spec/schemas.yaml",
        "        industry:\n",
        "        headquarters:\n          type: string\n          description: Where the company is based.\n          example: 42\n        industry:\n",
    );
    let fourth = copy.build();
    assert!(fourth.success, "{}", fourth.stderr);
    assert!(
        fourth.ran_build_script(),
        "editing spec/schemas.yaml did not rerun the script:\n{}",
        fourth.stderr
    );
    assert_eq!(fourth.client(), client);
    let text = std::fs::read_to_string(&client).expect("client.rs exists");
    assert!(
        text.contains("pub headquarters: Option<String>,"),
        "the new field is generated:\n{text}"
    );
    // Its example contradicts its type: a cargo warning naming the file, line and pointer.
    let defect =
        "spec/schemas.yaml:84:11 at #/components/schemas/company/properties/headquarters/example: \
         the example contradicts its schema: $: expected a string, found 42";
    assert!(
        fourth
            .stderr
            .lines()
            .any(|l| l.starts_with("warning: buildrs-seed@") && l.contains(defect)),
        "the description's defect is a cargo warning:\n{}",
        fourth.stderr
    );

    // 5. A dangling `$ref`: a cargo warning naming the file, line and JSON pointer, and the
    //    items are any JSON value.
    copy.edit(
        "spec/schemas.yaml",
        "$ref: '#/components/schemas/segment'",
        "$ref: '#/components/schemas/segmnt'",
    );
    let dangling = copy.build();
    assert!(
        dangling.success,
        "a dangling $ref degrades:\n{}",
        dangling.stderr
    );
    let schemas = std::fs::read_to_string(copy.dir.join("spec/schemas.yaml")).expect("readable");
    let line = 1 + schemas
        .lines()
        .position(|l| l.contains("segmnt"))
        .expect("the edit is there")
        - 1;
    let expected = format!(
        "spec/schemas.yaml:{line}:15 at #/components/schemas/company/properties/segments/properties/segments/items: \
         cannot resolve `$ref: #/components/schemas/segmnt`: spec/schemas.yaml has nothing at #/components/schemas/segmnt; \
         using a JSON value"
    );
    assert!(
        dangling
            .stderr
            .lines()
            .any(|l| l.starts_with("warning: buildrs-seed@") && l.contains(&expected)),
        "expected {expected:?} in:\n{}",
        dangling.stderr
    );

    //    A file that is not YAML: the build fails, naming the file, and the previous client
    //    stays whole.
    copy.edit(
        "spec/schemas.yaml",
        "$ref: '#/components/schemas/segmnt'",
        "$ref: [unclosed",
    );
    let fifth = copy.build();
    assert!(!fifth.success, "a file that is not YAML fails the build");
    assert!(
        fifth.stderr.contains("error: spec/schemas.yaml:")
            && fifth.stderr.contains("not valid YAML"),
        "{}",
        fifth.stderr
    );
    assert!(
        fifth
            .stderr
            .contains("failed to run custom build command for `buildrs-seed"),
        "{}",
        fifth.stderr
    );
    assert!(std::fs::read_to_string(&client)
        .expect("client.rs exists")
        .contains("pub headquarters"));

    // 6. Fixing it reruns the script and the build succeeds again.
    copy.edit(
        "spec/schemas.yaml",
        "$ref: [unclosed",
        "$ref: '#/components/schemas/segment'",
    );
    let sixth = copy.build();
    assert!(sixth.success, "{}", sixth.stderr);
    assert!(sixth.ran_build_script(), "{}", sixth.stderr);

    drop(copy);
    eprintln!("the whole test: {:.1?}", started.elapsed());
}
