//! Generates a client for every fixture in `fixtures/`, each into `OUT_DIR/<name>/client.rs`,
//! through the generator's build-script entry ([`apigen::build::build_into`]), and writes
//! `OUT_DIR/fixtures.rs`, which declares one module per fixture and which `src/lib.rs` includes.
//! The fixtures are found by reading the folder, so a fixture is compiled as soon as it is added.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("the fixtures folder exists")
        .map(|entry| entry.expect("the fixtures folder is readable").path())
        .filter(|path| path.is_file())
        .collect();
    fixtures.sort();
    // The folder itself, so that adding or removing a fixture reruns this script; build_into
    // names each file it reads.
    println!("cargo:rerun-if-changed=fixtures");
    let mut modules = String::new();
    for fixture in fixtures {
        let name = fixture
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name")
            .replace('-', "_");
        let config =
            apigen::Config::new(&fixture).regenerate_command("cargo build -p construct-fixtures");
        let mut stdout = String::new();
        let result = apigen::build::build_into(config, &out_dir.join(&name), &mut stdout);
        // The fixtures are odd on purpose and their warnings are pinned by tests/constructs.rs, so
        // they are not repeated on every build; Cargo's other instructions are passed on.
        for line in stdout.lines().filter(|l| !l.starts_with("cargo:warning=")) {
            println!("{line}");
        }
        if let Err(e) = result {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        let _ = writeln!(
            modules,
            "pub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{name}/client.rs\"));\n}}"
        );
    }
    apigen::write::ensure_file_contents(&out_dir.join("fixtures.rs"), &modules)
        .expect("OUT_DIR is writable");
}
