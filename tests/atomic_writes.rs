//! What "atomic" means here: a run that fails, whether generation fails or a write does, leaves
//! every byte of the previous output, and every mtime, as it was, and no temporary file behind; a
//! run that succeeds replaces each changed file whole; unchanged files keep their mtime.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A folder in the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("apigen-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the temporary folder can be made");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `dir`: path → (bytes, mtime).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("the folder is readable") {
            let path = entry.expect("the entry is readable").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("the file is readable");
                let mtime = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .expect("mtime");
                files.insert(path, (bytes, mtime));
            }
        }
    }
    files
}

/// Asserts that `dir` holds exactly `before`, byte for byte and mtime for mtime.
fn assert_unchanged(dir: &Path, before: &BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) {
    let after = snapshot(dir);
    let names =
        |m: &BTreeMap<PathBuf, (Vec<u8>, SystemTime)>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&after), names(before), "files were added or removed");
    for (path, (bytes, mtime)) in before {
        let (new_bytes, new_mtime) = &after[path];
        assert!(new_bytes == bytes, "{} changed", path.display());
        assert_eq!(new_mtime, mtime, "{} was rewritten", path.display());
    }
    let temporary: Vec<&PathBuf> = after
        .keys()
        .filter(|p| p.to_string_lossy().contains("apigen-tmp"))
        .collect();
    assert!(
        temporary.is_empty(),
        "temporary files remain: {temporary:?}"
    );
}

const GOOD: &str = "openapi: 3.0.3
info: {title: good, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
";

/// The same description, broken in two places: a dangling reference and a missing file.
const BAD: &str = "openapi: 3.0.3
info: {title: good, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Nothing'}
        '404':
          description: missing
          content:
            application/json:
              schema: {$ref: './nowhere.yaml'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
";

/// Writes a good client into `dir` with the library and returns what the folder then holds.
fn write_good_client(work: &Path, out: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let good = work.join("good.yaml");
    std::fs::write(&good, GOOD).expect("writes");
    let output =
        apigen::generate(&apigen::Config::new(&good)).expect("the good description generates");
    let report =
        apigen::write::write_files(out, &output.files, true).expect("the client is written");
    assert!(!report.written.is_empty());
    let before = snapshot(out);
    assert!(before.keys().any(|p| p.ends_with("src/types.rs")));
    // Let the clock move on, so that a rewrite would show in the mtimes.
    std::thread::sleep(Duration::from_millis(20));
    before
}

/// Through the library's build-script entry, the one library function that is given a folder and
/// generates into it: a broken description leaves the previous `client.rs` whole.
#[test]
fn failed_generation_through_build_into_writes_nothing() {
    let work = TempDir::new("build-into");
    let out = work.0.join("out");
    let good = work.0.join("good.yaml");
    std::fs::write(&good, GOOD).expect("writes");
    apigen::build::build_into(apigen::Config::new(&good), &out, &mut String::new())
        .expect("the good description builds");
    let before = snapshot(&out);
    assert!(before.keys().any(|p| p.ends_with("client.rs")));
    std::thread::sleep(Duration::from_millis(20));
    // The same file, broken: the path a build script names does not change.
    std::fs::write(&good, BAD).expect("writes");
    // Its dangling references are warnings, which `deny_warnings` makes a failure.
    let config = apigen::Config::new(&good).deny_warnings(true);
    let error = apigen::build::build_into(config, &out, &mut String::new())
        .expect_err("the broken description fails");
    assert!(
        error.to_string().contains("denied by --deny-warnings"),
        "{error}"
    );
    assert_unchanged(&out, &before);
}

/// A write that fails part of the way, here because a folder the new output needs cannot be made
/// (a file named `tests` stands where `tests/examples.rs` must go, the last file written), leaves
/// every previous file whole, with its mtime: no file of the new output replaces one of the old
/// until all of them are written.
#[test]
fn a_write_that_fails_part_of_the_way_changes_nothing() {
    let work = TempDir::new("write-fails");
    let out = work.0.join("client");
    write_good_client(&work.0, &out);
    std::fs::write(out.join("tests"), "not a folder\n").expect("writes");
    let before = snapshot(&out);
    std::thread::sleep(Duration::from_millis(20));
    // A new version of the description, with an example: every file changes, and the crate gains
    // tests/examples.rs.
    let changed = work.0.join("changed.yaml");
    std::fs::write(
        &changed,
        GOOD.replace("version: '1'", "version: '2'")
            .replace("name: {type: string}", "name: {type: string, example: n}"),
    )
    .expect("writes");
    let output = apigen::generate(&apigen::Config::new(&changed).crate_name("good"))
        .expect("the changed description generates");
    assert!(output.files.contains_key("tests/examples.rs"));
    let changed_files = output
        .files
        .iter()
        .filter(|(path, text)| {
            std::fs::read(out.join(path)).is_ok_and(|old| old != text.as_bytes())
        })
        .count();
    assert!(changed_files >= 2, "only {changed_files} files change");
    apigen::write::write_files(&out, &output.files, true).expect_err("tests/ cannot be made");
    assert_unchanged(&out, &before);
}

/// Through the xtask binary: `cargo xtask generate` against a broken description exits with 1,
/// says why, and leaves the previous output whole. It is built in a target folder of its own, since
/// the one running this test is locked by Cargo.
#[test]
fn failed_generation_through_the_xtask_writes_nothing() {
    let work = TempDir::new("xtask");
    let out = work.0.join("client");
    let before = write_good_client(&work.0, &out);
    let bad = work.0.join("bad.yaml");
    std::fs::write(&bad, BAD).expect("writes");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let result = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--offline",
            "-p",
            "xtask",
            "--",
            "generate",
            "--spec",
        ])
        .arg(&bad)
        // Its dangling references are warnings, which `--deny-warnings` makes a failure.
        .arg("--deny-warnings")
        .arg("--out")
        .arg(&out)
        .current_dir(workspace_root())
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/atomic-writes"),
        )
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(
        result.status.code(),
        Some(1),
        "exit status of a broken description; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("error:") && stderr.contains("#/components/schemas/Nothing"),
        "{stderr}"
    );
    assert_unchanged(&out, &before);
}

#[test]
fn equal_content_keeps_the_mtime() {
    let work = TempDir::new("mtime");
    let path = work.0.join("nested/file.rs");
    assert!(apigen::write::ensure_file_contents(&path, "fn a() {}\n").expect("writes"));
    let mtime = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::thread::sleep(Duration::from_millis(20));
    assert!(!apigen::write::ensure_file_contents(&path, "fn a() {}\n").expect("compares"));
    let unchanged = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(unchanged, mtime, "an equal file was rewritten");
    assert!(apigen::write::ensure_file_contents(&path, "fn b() {}\n").expect("writes"));
    assert_eq!(
        std::fs::read_to_string(&path).expect("reads"),
        "fn b() {}\n"
    );
    let names: Vec<String> = std::fs::read_dir(path.parent().expect("a parent"))
        .expect("lists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["file.rs"], "no temporary file remains");
}
