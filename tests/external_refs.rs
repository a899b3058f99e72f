//! A description split across files (`tests/fixtures/external-refs/`): it loads, generates, every
//! file it reads is an input, and problems in the other files are reported in those files.

use apigen::{Config, Layout};
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/external-refs";

fn in_workspace_root() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
}

/// The names of the types in a generated single-file client's `types` module.
fn type_names(client: &str) -> Vec<String> {
    let types = &client[client.find("pub mod types {").expect("a types module")..];
    let types = &types[..types
        .find("\npub mod operations {")
        .expect("an operations module")];
    types
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("pub struct ")
                .or_else(|| l.trim_start().strip_prefix("pub type "))
        })
        .map(|rest| {
            rest.split([' ', '<', '(', ';'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn a_split_description_generates_and_every_file_is_an_input() {
    in_workspace_root();
    let config = Config::new(format!("{FIXTURE}/openapi.yaml")).layout(Layout::SingleFile);
    let output = apigen::generate(&config).expect("the split description generates");
    let inputs: Vec<String> = output
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        inputs,
        [
            "openapi.yaml",
            "schemas/company.yaml",
            "parameters.yaml",
            "schemas/common.yaml"
        ]
        .map(|f| format!("{FIXTURE}/{f}"))
    );
    // `Company: {$ref: ./schemas/company.yaml}` keeps its name (no `Company2` with `Company` an alias),
    // and `company.yaml`'s reference back into the root reaches the root's `Segment` (no copy).
    // `Error` is a name the runtime exports, so that schema is `ErrorModel`.
    let mut names = type_names(&output.files["client.rs"]);
    names.sort();
    assert_eq!(names, ["Company", "ErrorModel", "Segment", "Tag"]);
    let client = &output.files["client.rs"];
    assert!(client.contains("pub tags: Option<Vec<Tag>>"), "{client}");
    assert!(client.contains("pub segment: Option<Segment>"), "{client}");
}

#[test]
fn warnings_in_another_file_name_that_file_and_its_own_pointer() {
    in_workspace_root();
    let output =
        apigen::generate(&Config::new(format!("{FIXTURE}/openapi.yaml"))).expect("generates");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [format!(
            "{FIXTURE}/schemas/common.yaml:8:11 at #/components/schemas/Tag/properties/id/example: \
             the example contradicts its schema: $: expected a string, found 12"
        )]
    );
}

/// A copy of the fixture in a fresh temporary folder, to break.
fn scratch_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "apigen-external-refs-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    for file in [
        "openapi.yaml",
        "parameters.yaml",
        "schemas/company.yaml",
        "schemas/common.yaml",
    ] {
        let to = dir.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(FIXTURE)
                .join(file),
            to,
        )
        .unwrap();
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn a_dangling_reference_in_another_file_is_reported_there() {
    let dir = scratch_copy("dangling");
    edit(
        &dir.join("schemas/company.yaml"),
        "#/components/schemas/Tag",
        "#/components/schemas/Label",
    );
    let root = dir.join("openapi.yaml");
    // A reference that reaches nothing is a warning, located in the file it is written in, and the
    // schema is any JSON value.
    let output = apigen::generate(&Config::new(&root)).expect("a dangling reference degrades");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    let company = dir.join("schemas/company.yaml");
    let expected = format!(
        "{}:7:5 at #/properties/tags/items: cannot resolve `$ref: common.yaml#/components/schemas/Label`: \
         {} has nothing at #/components/schemas/Label; using a JSON value",
        company.display(),
        dir.join("schemas/common.yaml").display()
    );
    assert!(
        warnings.contains(&expected),
        "{expected:?} not in {warnings:#?}"
    );
    // What a build script watches: every file read, the one the reference names included.
    let (result, read) = apigen::load::load_with_inputs(&root, &[]);
    assert!(result.is_ok());
    assert_eq!(
        read,
        [
            "openapi.yaml",
            "schemas/company.yaml",
            "parameters.yaml",
            "schemas/common.yaml"
        ]
        .map(|f| dir.join(f))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_file_is_not_an_input_and_a_file_that_does_not_parse_is() {
    let dir = scratch_copy("missing");
    std::fs::remove_file(dir.join("parameters.yaml")).unwrap();
    edit(
        &dir.join("schemas/common.yaml"),
        "    Error:\n",
        "    Error: [\n",
    );
    let root = dir.join("openapi.yaml");
    let error = apigen::generate(&Config::new(&root))
        .unwrap_err()
        .to_string();
    // The file that does not parse refuses the document; the missing one alone would only be a
    // warning (a reference that reaches nothing), so the error names the first alone.
    assert!(
        error.starts_with(&format!(
            "{}:11:17: not valid YAML",
            dir.join("schemas/common.yaml").display()
        )),
        "{error}"
    );
    assert!(!error.contains("parameters.yaml"), "{error}");
    let (_, read) = apigen::load::load_with_inputs(&root, &[]);
    assert_eq!(
        read,
        [
            "openapi.yaml",
            "schemas/company.yaml",
            "schemas/common.yaml"
        ]
        .map(|f| dir.join(f))
    );
    let _ = std::fs::remove_dir_all(&dir);
}
