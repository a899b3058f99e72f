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
                .crate_name("intercom")
                .crate_version("2.13.0"),
            PathBuf::from("generated/intercom"),
        ),
    ]
}

/// Regenerates every client, or with `check` only compares; `verbose` prints every warning, not
/// one line per kind.
pub fn codegen(check: bool, verbose: bool) -> ExitCode {
    // Generate everything first: if any description fails, nothing is written.
    let mut outputs = Vec::new();
    for (config, out) in repository_clients() {
        match apigen::generate(&config) {
            Ok(output) => outputs.push((config, out, output)),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let mut stale = false;
    for (config, out, output) in outputs {
        crate::print_warnings(&output.warnings, verbose);
        if check {
            match apigen::write::check_files(&out, &output.files) {
                Ok(s) if s.is_fresh() => {}
                Ok(s) => {
                    stale = true;
                    for p in &s.stale {
                        eprintln!("stale: {}", p.display());
                    }
                    for p in &s.missing {
                        eprintln!("missing: {}", p.display());
                    }
                    for p in &s.extra {
                        eprintln!("extra: {}", p.display());
                    }
                }
                Err(e) => {
                    eprintln!("error: reading {}: {e}", out.display());
                    return ExitCode::from(1);
                }
            }
        } else {
            match apigen::write::write_files(&out, &output.files, true) {
                Ok(report) => eprintln!(
                    "{}",
                    crate::summary(config.crate_name_str(), &output.stats, &report)
                ),
                Err(e) => {
                    eprintln!("error: writing {}: {e}", out.display());
                    return ExitCode::from(1);
                }
            }
        }
    }
    if stale {
        eprintln!("generated/ is out of date: run `cargo xtask codegen`");
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
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
