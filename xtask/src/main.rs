//! The project's tasks: `cargo xtask codegen [--check]`, `cargo xtask generate --spec FILE --out DIR
//! --name CRATE`. Exit codes: 0 success, 1 the description has a problem (or an I/O error), 2 bad
//! command-line usage, 3 `--check` found stale, missing or extra files.

mod bench;
mod codegen;
mod corpus;
mod generate;

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
    /// Generates and compiles a client for every description in ../shared/specs/; prints a table.
    Corpus(corpus::CorpusArgs),
    /// Times generating the Intercom 2.13 client (run it as `cargo run --release -p xtask -- bench`).
    Bench(bench::BenchArgs),
}

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// The OpenAPI 3.0 description (YAML or JSON).
    #[arg(long)]
    pub spec: PathBuf,
    /// The folder to write the crate into.
    #[arg(long)]
    pub out: PathBuf,
    /// The crate's name (default: the description's file name).
    #[arg(long, value_parser = crate_name_arg)]
    pub name: Option<String>,
    /// An OpenAPI Overlay 1.0 document to apply first; repeatable.
    #[arg(long = "overlay")]
    pub overlays: Vec<PathBuf>,
    /// A crate, or one file to `include!`.
    #[arg(long, value_enum, default_value_t = LayoutArg::Crate)]
    pub layout: LayoutArg,
    /// Do not generate tests/examples.rs.
    #[arg(long)]
    pub no_example_tests: bool,
    /// The version in the generated Cargo.toml (default: 0.1.0).
    #[arg(long)]
    pub crate_version: Option<String>,
    /// The command each file's @generated header names as the way to remake it (default: this
    /// command line).
    #[arg(long)]
    pub regenerate_command: Option<String>,
}

/// `--name`, checked as the library checks [`apigen::Config::crate_name`]: a bad name is a usage
/// error (exit 2), reported before anything is read.
fn crate_name_arg(name: &str) -> Result<String, String> {
    apigen::names::check_crate_name(name).map(|()| name.to_string())
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LayoutArg {
    Crate,
    SingleFile,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Paths in the repository's own configuration are relative to the workspace root.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    match cli.command {
        Command::Codegen { check } => {
            if let Err(e) = std::env::set_current_dir(&root) {
                eprintln!("error: cannot enter {}: {e}", root.display());
                return ExitCode::from(1);
            }
            codegen::codegen(check)
        }
        Command::Generate(args) => generate::generate(args),
        Command::Corpus(args) => match enter(&root) {
            Ok(()) => corpus::corpus(args),
            Err(code) => code,
        },
        Command::Bench(args) => match enter(&root) {
            Ok(()) => bench::bench(args),
            Err(code) => code,
        },
    }
}

/// Makes the workspace root the current directory.
fn enter(root: &Path) -> Result<(), ExitCode> {
    std::env::set_current_dir(root).map_err(|e| {
        eprintln!("error: cannot enter {}: {e}", root.display());
        ExitCode::from(1)
    })
}

/// The one line the xtask prints for each client it writes.
fn summary(crate_name: &str, stats: &apigen::Stats, report: &apigen::write::WriteReport) -> String {
    format!(
        "{crate_name}: {} operations, {} types, {} lines, {} examples ({} contradict their schemas); \
         {} files written, {} unchanged, {} removed",
        stats.operations,
        stats.types,
        stats.lines,
        stats.examples,
        stats.example_defects,
        report.written.len(),
        report.unchanged.len(),
        report.removed.len()
    )
}
