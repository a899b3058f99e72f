//! A generated crate is publishable when its configuration allows it: the Intercom client,
//! generated as `cargo xtask codegen` makes it but with `publish(true)`, an author and a
//! repository, goes through `cargo package` (which builds the packaged crate, as `cargo publish`
//! would), offline, with this workspace's `Cargo.lock`. Its manifest carries the description's
//! licence and homepage, and its README the quick start of its crate docs.

mod support;

use std::path::Path;
use std::process::Stdio;

const WORKSPACE: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn the_intercom_crate_packages_when_publishing_is_allowed() {
    let root = Path::new(WORKSPACE);
    let config = apigen::Config::new(root.join("spec/intercom/api.intercom.io.yaml"))
        .overlay(root.join("spec/intercom/overlay.yaml"))
        .overrides(root.join("spec/intercom/fern-openapi-overrides.yml"))
        .crate_name("intercom")
        .crate_version("2.13.0")
        .publish(true)
        .author("Example Maintainers <maintainers@example.com>")
        .repository("https://example.com/intercom-client");
    let output = apigen::generate(&config).expect("the Intercom client generates");
    let manifest = &output.files["Cargo.toml"];
    for line in [
        "license = \"MIT\"",
        "homepage = \"https://developers.intercom.com\"",
        "readme = \"README.md\"",
    ] {
        assert!(manifest.contains(line), "{line} in:\n{manifest}");
    }
    let repository = support::toml_string("https://example.com/intercom-client");
    assert!(
        manifest.contains(&format!("repository = {repository}\n")),
        "{manifest}"
    );
    assert!(!manifest.contains("publish = false"), "{manifest}");
    let readme = &output.files["README.md"];
    assert!(readme.contains("## Quick start"), "{readme}");
    assert!(
        !readme.lines().any(|line| line.starts_with("# async fn")),
        "rustdoc's hidden lines stay out of the README"
    );

    let dir = std::env::temp_dir().join(format!("apigen-publishable-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    apigen::write::write_files(&dir, &output.files, true).expect("the crate is written");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock is copied");
    // The dependencies compiled by the other tests that drive Cargo are reused.
    let target = root.join("target/buildrs-regeneration");
    let packaged = support::cargo(&dir, &target)
        .args(["package", "--offline", "--allow-dirty"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("cargo runs");
    let log = String::from_utf8_lossy(&packaged.stderr).into_owned();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(packaged.status.success(), "cargo package failed:\n{log}");
    assert!(log.contains("Verifying intercom v2.13.0"), "{log}");
    let crate_file = target.join("package/intercom-2.13.0.crate");
    assert!(crate_file.is_file(), "{} is made", crate_file.display());
}
