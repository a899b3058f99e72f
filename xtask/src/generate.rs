//! `cargo xtask generate --spec FILE --out DIR --name CRATE`: a client crate for any description.

use crate::{GenerateArgs, LayoutArg};
use apigen::{Config, Layout};
use std::process::ExitCode;

/// Generates and writes one client.
pub fn generate(args: GenerateArgs) -> ExitCode {
    let mut config = Config::new(&args.spec)
        .layout(match args.layout {
            LayoutArg::Crate => Layout::Crate,
            LayoutArg::SingleFile => Layout::SingleFile,
        })
        .example_tests(!args.no_example_tests)
        .regenerate_command(format!(
            "cargo xtask generate --spec {} --out {}{}",
            args.spec.display(),
            args.out.display(),
            args.name
                .as_deref()
                .map(|n| format!(" --name {n}"))
                .unwrap_or_default()
        ));
    if let Some(name) = &args.name {
        config = config.crate_name(name);
    }
    for overlay in &args.overlays {
        config = config.overlay(overlay);
    }
    let output = match apigen::generate(&config) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    for warning in &output.warnings {
        eprintln!("warning: {warning}");
    }
    match apigen::write::write_files(&args.out, &output.files, true) {
        Ok(report) => {
            eprintln!(
                "{}: {} operations, {} types, {} lines; {} files written, {} unchanged",
                config.crate_name_str(),
                output.stats.operations,
                output.stats.types,
                output.stats.lines,
                report.written.len(),
                report.unchanged.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}
