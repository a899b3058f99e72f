//! The project's tasks: `cargo xtask codegen [--check]`, `cargo xtask generate --spec FILE --out DIR
//! --name CRATE`. Exit codes: 0 success, 1 the description has a problem (or an I/O error), 2 bad
//! command-line usage, 3 `--check` found stale, missing or extra files.

use apigen::{Config, Layout};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "apigen's project tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerates the clients in generated/ from the descriptions in spec/.
    Codegen {
        /// Write nothing; fail naming each stale, missing or extra file.
        #[arg(long)]
        check: bool,
    },
    /// Generates a complete client crate for any description.
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The OpenAPI 3.0 description (YAML or JSON).
    #[arg(long)]
    spec: PathBuf,
    /// The folder to write the crate into.
    #[arg(long)]
    out: PathBuf,
    /// The crate's name (default: the description's file name).
    #[arg(long)]
    name: Option<String>,
    /// An OpenAPI Overlay 1.0 document to apply first; repeatable.
    #[arg(long = "overlay")]
    overlays: Vec<PathBuf>,
    /// A crate, or one file to `include!`.
    #[arg(long, value_enum, default_value_t = LayoutArg::Crate)]
    layout: LayoutArg,
    /// Do not generate tests/examples.rs.
    #[arg(long)]
    no_example_tests: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum LayoutArg {
    Crate,
    SingleFile,
}

/// The clients this repository keeps in generated/.
fn repository_clients() -> Vec<(Config, PathBuf)> {
    vec![(
        Config::new("spec/intercom-seed/openapi.yaml")
            .overlay("spec/intercom-seed/overlay.yaml")
            .crate_name("intercom-seed"),
        PathBuf::from("generated/intercom-seed"),
    )]
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Paths in the repository's own configuration are relative to the workspace root.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default();
    match cli.command {
        Command::Codegen { check } => {
            if let Err(e) = std::env::set_current_dir(&root) {
                eprintln!("error: cannot enter {}: {e}", root.display());
                return ExitCode::from(1);
            }
            codegen(check)
        }
        Command::Generate(args) => generate(args),
    }
}

fn codegen(check: bool) -> ExitCode {
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
                    "{}: {} operations, {} types, {} lines; {} files written, {} unchanged, {} removed",
                    config.crate_name_str(),
                    output.stats.operations,
                    output.stats.types,
                    output.stats.lines,
                    report.written.len(),
                    report.unchanged.len(),
                    report.removed.len()
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

fn generate(args: GenerateArgs) -> ExitCode {
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
            args.name.as_deref().map(|n| format!(" --name {n}")).unwrap_or_default()
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
