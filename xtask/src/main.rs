//! The project's tasks: `cargo xtask codegen [--check]`, `cargo xtask generate --spec FILE --out DIR
//! --name CRATE`. Exit codes: 0 success, 1 the description has a problem (or an I/O error), 2 bad
//! command-line usage, 3 `--check` found stale, missing or extra files. `codegen`, `generate` and
//! `conformance` are the installable command's (`cargo_apigen`, in `cli/`), called from here.

mod bench;
mod codegen;
mod corpus;

use clap::{Parser, Subcommand};

/// The xtask allocates as generation does, millions of small blocks that live as long as a stage:
/// mimalloc serves them in about half the time the system allocator takes (measured with `cargo
/// run --release -p xtask -- bench`). The library itself leaves the allocator to its user.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use cargo_apigen::conformance;
use cargo_apigen::generate::GenerateArgs;
use std::path::Path;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "apigen's project tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerates the clients apigen.toml lists (those in generated/) from their descriptions in
    /// spec/; `cargo apigen codegen` does the same.
    Codegen {
        /// Write nothing; fail naming each stale, missing or extra file.
        #[arg(long)]
        check: bool,
        /// Print every warning, not one line per kind of warning.
        #[arg(long)]
        verbose: bool,
    },
    /// Generates a complete client crate for any description.
    Generate(GenerateArgs),
    /// Generates and compiles a client for every description in ../shared/specs/; prints a table.
    Corpus(corpus::CorpusArgs),
    /// Sends every operation's example request through a generated client to a Prism mock of the
    /// description; prints a table.
    Conformance(conformance::ConformanceArgs),
    /// Times generating Intercom 2.13 and GitHub, whole process and stage by stage, beside
    /// openapi-generator; with --compile, `cargo check` of the generated crates (run it as `cargo
    /// run --release -p xtask -- bench`).
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Paths in the repository's own configuration are relative to the workspace root.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    match cli.command {
        Command::Codegen { check, verbose } => {
            if let Err(e) = std::env::set_current_dir(&root) {
                eprintln!("error: cannot enter {}: {e}", root.display());
                return ExitCode::from(1);
            }
            codegen::codegen(check, verbose)
        }
        Command::Generate(args) => cargo_apigen::generate::generate(&args, "cargo xtask"),
        Command::Corpus(args) => match enter(&root) {
            Ok(()) => corpus::corpus(args),
            Err(code) => code,
        },
        Command::Conformance(args) => match enter(&root) {
            Ok(()) => conformance::conformance(args),
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

#[cfg(test)]
mod tests {
    use apigen::error::warning_lines;
    use apigen::{Location, Warning, WarningKind};

    fn warning(kind: WarningKind, pointer: &str, message: &str) -> Warning {
        let location = Location::new(
            std::path::Path::new("api.yaml"),
            apigen::pointer::Pointer::parse(pointer).unwrap(),
        );
        Warning::new(kind, location, message)
    }

    #[test]
    fn one_line_per_kind_unless_verbose() {
        let warnings = [
            warning(
                WarningKind::ExampleContradictsSchema,
                "#/a",
                "the example contradicts its schema: x",
            ),
            warning(
                WarningKind::UnknownType,
                "#/b",
                "unknown type `file`; using a JSON value",
            ),
            warning(
                WarningKind::ExampleContradictsSchema,
                "#/c",
                "the example contradicts its schema: y",
            ),
        ];
        assert_eq!(
            warning_lines(&warnings, false),
            [
                "warning: 2 × example contradicts its schema, the first at api.yaml at #/a",
                "warning: api.yaml at #/b: unknown type `file`; using a JSON value",
                "note: 3 warnings in all; run again with --verbose to see every one",
            ]
        );
        assert_eq!(warning_lines(&warnings, true).len(), 3);
        assert_eq!(
            warning_lines(&warnings[1..2], false).len(),
            1,
            "no note for single warnings"
        );
        assert!(warning_lines(&[], false).is_empty());
    }
}
