//! The seed endpoint, end to end through the library: its generated code is pinned by insta
//! snapshots, and generating twice gives the same bytes.

use apigen::Config;

fn seed_config() -> Config {
    Config::new("spec/intercom-seed/openapi.yaml")
        .overlay("spec/intercom-seed/overlay.yaml")
        .crate_name("intercom-seed")
}

fn in_workspace_root() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
}

#[test]
fn seed_types_and_operations_are_pinned() {
    in_workspace_root();
    let output = apigen::generate(&seed_config()).expect("the seed description generates");
    insta::assert_snapshot!("seed_types", output.files["src/types.rs"]);
    insta::assert_snapshot!("seed_operations", output.files["src/operations.rs"]);
    insta::assert_snapshot!("seed_lib", output.files["src/lib.rs"]);
}

#[test]
fn generating_twice_gives_identical_bytes() {
    in_workspace_root();
    let first = apigen::generate(&seed_config()).expect("generates");
    let second = apigen::generate(&seed_config()).expect("generates");
    assert_eq!(first.files, second.files);
    assert_eq!(first.warnings, second.warnings);
}

#[test]
fn every_file_starts_with_the_generated_header() {
    in_workspace_root();
    let output = apigen::generate(&seed_config()).expect("generates");
    for (path, text) in &output.files {
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.contains("@generated") && first.contains("cargo xtask codegen"),
            "{path}: {first}"
        );
        assert!(!text.contains('\r'), "{path} has CR line endings");
    }
}

#[test]
fn inputs_are_the_files_read() {
    in_workspace_root();
    let output = apigen::generate(&seed_config()).expect("generates");
    let inputs: Vec<String> = output
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        inputs,
        [
            "spec/intercom-seed/openapi.yaml",
            "spec/intercom-seed/overlay.yaml"
        ]
    );
}

#[test]
fn the_custom_attributes_defect_is_reported_without_the_overlay() {
    in_workspace_root();
    let output =
        apigen::generate(&Config::new("spec/intercom-seed/openapi.yaml")).expect("generates");
    let defect = output
        .warnings
        .iter()
        .find(|w| {
            w.location.pointer.as_ref().is_some_and(|p| {
                p == "#/components/schemas/company/properties/custom_attributes/example"
            })
        })
        .expect("the contradiction is reported");
    assert!(
        defect
            .message
            .contains("$.paid_subscriber: expected a string, found true"),
        "{defect}"
    );
    assert!(
        defect.location.line.is_some(),
        "the line is found: {defect}"
    );
}
