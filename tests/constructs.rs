//! One small fixture per construct (`tests/construct-fixtures/fixtures/`), each one's generated
//! types and operations pinned by an insta snapshot. The workspace member
//! `tests/construct-fixtures` compiles them all and decodes with them. Both find the fixtures the
//! same way, by reading the folder: every file in it is a fixture.

#[test]
fn every_construct_is_pinned() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
    let mut fixtures: Vec<_> = std::fs::read_dir("tests/construct-fixtures/fixtures")
        .expect("the fixtures exist")
        .map(|e| e.expect("the fixtures folder is readable").path())
        .filter(|path| path.is_file())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 12);
    for fixture in fixtures {
        let name = fixture
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name")
            .to_string();
        let output = apigen::generate(&apigen::Config::new(&fixture))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut text = String::new();
        for warning in &output.warnings {
            text.push_str(&format!("// warning: {warning}\n"));
        }
        text.push_str(&output.files["src/types.rs"]);
        if output.stats.operations > 0 {
            text.push_str(&output.files["src/operations.rs"]);
        }
        insta::assert_snapshot!(format!("construct__{name}"), text);
    }
}
