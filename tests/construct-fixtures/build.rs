//! Generates a client for every fixture in `fixtures/`, each into `OUT_DIR/<name>/client.rs`,
//! through the generator's build-script path (one file per client, for `include!`).

use std::path::{Path, PathBuf};

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("the fixtures folder exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    println!("cargo:rerun-if-changed=fixtures");
    for fixture in fixtures {
        let name = fixture
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name")
            .replace('-', "_");
        let config = apigen::Config::new(&fixture)
            .layout(apigen::Layout::SingleFile)
            .regenerate_command("cargo build -p construct-fixtures");
        match apigen::generate(&config) {
            Ok(output) => {
                for input in &output.inputs {
                    println!("cargo:rerun-if-changed={}", input.display());
                }
                apigen::write::write_files(&out_dir.join(&name), &output.files, false)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", Path::new(&name).display()));
            }
            Err(e) => panic!("{e}"),
        }
    }
}
