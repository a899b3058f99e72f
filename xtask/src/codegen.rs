//! `cargo xtask codegen [--check]`: the clients this repository keeps in generated/.

use apigen::Config;
use std::path::PathBuf;
use std::process::ExitCode;

/// The clients this repository keeps in generated/, each with the folder it lives in.
pub fn repository_clients() -> Vec<(Config, PathBuf)> {
    vec![
        (
            Config::new("spec/intercom-seed/openapi.yaml")
                .overlay("spec/intercom-seed/overlay.yaml")
                .crate_name("intercom-seed"),
            PathBuf::from("generated/intercom-seed"),
        ),
        (
            Config::new("spec/intercom/api.intercom.io.yaml")
                .overlay("spec/intercom/overlay.yaml")
                .overrides("spec/intercom/fern-openapi-overrides.yml")
                .crate_name("intercom")
                .crate_version("2.13.0"),
            PathBuf::from("generated/intercom"),
        ),
    ]
}

/// Regenerates every client, or with `check` only compares ([`apigen::write::codegen`]);
/// `verbose` prints every warning, not one line per kind.
pub fn codegen(check: bool, verbose: bool) -> ExitCode {
    let options = apigen::write::CodegenOptions { check, verbose };
    let outcome = apigen::write::codegen(&repository_clients(), options, &mut |line| {
        eprintln!("{line}")
    });
    ExitCode::from(outcome.exit_code() as u8)
}

#[cfg(test)]
mod tests {
    use super::repository_clients;

    /// What `cargo xtask codegen --check` does, as a test: every client in generated/ is exactly
    /// what the generator makes from spec/.
    #[test]
    fn generated_clients_are_fresh() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask sits in the workspace");
        std::env::set_current_dir(root).expect("the workspace root exists");
        for (config, out) in repository_clients() {
            let output = apigen::generate(&config)
                .unwrap_or_else(|e| panic!("{} does not generate: {e}", config.spec().display()));
            let staleness = apigen::write::check_files(&out, &output.files)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", out.display()));
            assert!(
                staleness.is_fresh(),
                "{} is out of date, run `cargo xtask codegen`: {staleness:?}",
                out.display()
            );
        }
    }
}
