//! The apigen command, `cargo apigen`: generates a Rust client crate from an OpenAPI description
//! (`generate`), tells whether a client on disk is what generation would write (`check`, exit 3
//! when stale), keeps every client an `apigen.toml` lists in step (`codegen [--check]`) and sends
//! every operation of a client to a Prism mock of its description (`conformance`).
//!
//! The binary is `cargo-apigen`, so that Cargo runs it as `cargo apigen` once it is installed
//! (`cargo install --path cli`); it also runs on its own as `cargo-apigen`. This library holds
//! the commands, and apigen's own xtask calls them: the generator's code is the `apigen` library,
//! and the command line here is the only one.
//!
//! Exit codes: 0 success; 1 a description (or `apigen.toml`) has a problem, or a file cannot be
//! read or written; 2 bad command-line usage; 3 `check` or `codegen --check` found stale, missing
//! or extra files.

#![warn(missing_docs)]

pub mod conformance;
pub mod generate;
pub mod project;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// The name the files' headers give this command.
pub const PROGRAM: &str = "cargo apigen";

/// The command line of `cargo apigen`.
#[derive(Parser, Debug)]
#[command(
    name = "cargo apigen",
    bin_name = "cargo apigen",
    version,
    about = "Generates Rust clients from OpenAPI descriptions, checks them and tests them against a mock server.",
    long_about = None,
    after_help = "Exit codes: 0 success; 1 a description or apigen.toml has a problem, or a file cannot be read or written; 2 bad usage; 3 stale files (check, codegen --check)."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Generates a complete client crate for a description.
    Generate(generate::GenerateArgs),
    /// Compares the client in --out with what `generate` with the same flags would write; writes
    /// nothing, exits 3 naming each stale, missing or extra file.
    Check(generate::GenerateArgs),
    /// Regenerates (or with --check, compares) every client listed in apigen.toml.
    Codegen(CodegenArgs),
    /// Sends every operation's example request through a generated client to a Prism mock of the
    /// description; prints a table.
    Conformance(conformance::ConformanceArgs),
}

/// The flags of `codegen`.
#[derive(clap::Args, Debug)]
pub struct CodegenArgs {
    /// Write nothing; fail (exit 3) naming each stale, missing or extra file.
    #[arg(long)]
    pub check: bool,
    /// Print every warning, not one line per kind of warning.
    #[arg(long)]
    pub verbose: bool,
    /// The file listing the clients; paths in it are relative to its folder.
    #[arg(long, value_name = "FILE", default_value = project::DEFAULT_FILE)]
    pub config: PathBuf,
}

/// Runs one command line of `cargo apigen`. `args` starts with the program's name; when Cargo
/// runs it as `cargo apigen`, the `apigen` it passes next is skipped.
pub fn main_with_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|arg| arg == "apigen") {
        args.remove(1);
    }
    run(Cli::parse_from(args))
}

/// Runs a parsed command.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Generate(args) => generate::generate(&args, PROGRAM),
        Command::Check(args) => generate::check(&args, PROGRAM),
        Command::Codegen(args) => {
            ExitCode::from(project::codegen(&args.config, args.check, args.verbose) as u8)
        }
        Command::Conformance(args) => conformance::conformance(args),
    }
}

/// Prints the warnings to standard error, as [`apigen::error::warning_lines`] gives them.
pub fn print_warnings(warnings: &[apigen::Warning], verbose: bool) {
    for line in apigen::error::warning_lines(warnings, verbose) {
        eprintln!("{line}");
    }
}
