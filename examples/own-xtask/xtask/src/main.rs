//! `cargo xtask codegen [--check] [--verbose]`: keeps generated/notes in step with spec/openapi.yaml.

use apigen::{write, Config};
use std::path::{Path, PathBuf};

fn main() {
    // Paths are relative to the workspace root, so the files' headers name no machine's folders.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::set_current_dir(&root).expect("the workspace root exists");
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("codegen") {
        eprintln!("usage: cargo xtask codegen [--check] [--verbose]");
        std::process::exit(2);
    }
    let has = |flag: &str| args.iter().any(|arg| arg == flag);
    let options = write::CodegenOptions {
        check: has("--check"),
        verbose: has("--verbose"),
    };
    let clients = [(
        Config::new("spec/openapi.yaml").crate_name("notes"),
        PathBuf::from("generated/notes"),
    )];
    let outcome = write::codegen(&clients, options, &mut |line| eprintln!("{line}"));
    std::process::exit(outcome.exit_code());
}
