//! A catalogue of bad and odd descriptions under `tests/catalogue/`: each one's diagnostic, or a
//! summary of what it generates, is pinned by an insta snapshot. No input may panic.

use std::path::Path;

fn describe(spec: &Path) -> String {
    match apigen::generate(&apigen::Config::new(spec)) {
        Err(e) => format!("error: {e}"),
        Ok(output) => {
            let mut text = format!(
                "ok: {} operations, {} types, {} lines\n",
                output.stats.operations, output.stats.types, output.stats.lines
            );
            for warning in &output.warnings {
                text.push_str(&format!("warning: {warning}\n"));
            }
            for (path, file) in &output.files {
                if path.ends_with("types.rs") || path.ends_with("operations.rs") {
                    if let Err(e) = syn::parse_file(file) {
                        text.push_str(&format!("{path} does not parse: {e}\n"));
                    }
                }
            }
            text
        }
    }
}

#[test]
fn catalogue() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
    let mut entries: Vec<_> = std::fs::read_dir("tests/catalogue")
        .expect("the catalogue exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for spec in entries {
        let relative = spec.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&spec).to_path_buf();
        let name = relative.file_stem().and_then(|s| s.to_str()).unwrap_or("spec").to_string();
        insta::assert_snapshot!(format!("catalogue__{name}"), describe(&relative));
    }
}
