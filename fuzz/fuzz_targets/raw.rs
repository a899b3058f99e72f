//! Raw bytes as a description: whatever the file holds, `generate` returns an error or a client,
//! and never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The description's path: one per process, so that parallel fuzzing jobs do not share it.
fn spec_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("apigen-fuzz-raw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("the temporary folder can be made");
        dir.join("openapi.yaml")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = spec_path();
    std::fs::write(path, data).expect("the description can be written");
    if let Ok(output) = apigen::generate(&apigen::Config::new(path)) {
        for name in ["src/types.rs", "src/operations.rs", "src/lib.rs"] {
            let text = output
                .files
                .get(name)
                .unwrap_or_else(|| panic!("no {name}"));
            if let Err(e) = syn::parse_file(text) {
                panic!("{name} does not parse: {e}\n{text}");
            }
        }
    }
});
