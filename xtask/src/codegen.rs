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

/// Regenerates every client, or with `check` only compares.
pub fn codegen(check: bool) -> ExitCode {
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
        for warning in &output.warnings {
            eprintln!("warning: {warning}");
        }
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
