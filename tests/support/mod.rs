//! What the tests that drive real Cargo share.

use std::path::Path;
use std::process::Command;

/// A `cargo` command for a crate of its own in `dir`, building into `target`, offline, without
/// colour or incremental artifacts, and without the variables Cargo set for this test process
/// (they describe the apigen package, not the crate the command builds).
pub fn cargo(dir: &Path, target: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .env("CARGO_INCREMENTAL", "0");
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_CRATE_")
            || name.starts_with("CARGO_BIN_")
            || name == "CARGO_MANIFEST_DIR"
            || name == "CARGO_MANIFEST_PATH"
            || name == "CARGO_PRIMARY_PACKAGE"
            || name == "OUT_DIR"
        {
            command.env_remove(&*name);
        }
    }
    command
}

/// `s` as a TOML basic string (JSON's escapes are TOML's).
pub fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// Copies the folder `from` to `to`, leaving out build output (`target`) and lock files, so that a
/// test works on a copy of an example as a user would check it out.
// Each test crate includes this module; not every one copies a folder.
#[allow(dead_code)]
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the copy's folder is created");
    for entry in std::fs::read_dir(from)
        .expect("the example is readable")
        .flatten()
    {
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("the file is copied");
        }
    }
}
