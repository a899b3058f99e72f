//! `cargo xtask codegen [--check]`: the clients this repository keeps in generated/, as its
//! `apigen.toml` lists them (so that `cargo apigen codegen` does the same).

use apigen::Config;
use std::path::PathBuf;
use std::process::ExitCode;

/// The clients this repository keeps in generated/, each with the folder it lives in: what the
/// workspace root's `apigen.toml` lists (read from the current directory, the workspace root).
pub fn repository_clients() -> Result<Vec<(Config, PathBuf)>, String> {
    let file = cargo_apigen::project::DEFAULT_FILE;
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    cargo_apigen::project::parse(&text).map_err(|e| format!("{file}: {e}"))
}

/// Regenerates every client, or with `check` only compares ([`cargo_apigen::project::codegen`]);
/// `verbose` prints every warning, not one line per kind.
pub fn codegen(check: bool, verbose: bool) -> ExitCode {
    let file = std::path::Path::new(cargo_apigen::project::DEFAULT_FILE);
    ExitCode::from(cargo_apigen::project::codegen(file, check, verbose) as u8)
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
        let clients = repository_clients().expect("apigen.toml lists the clients");
        assert_eq!(clients.len(), 2, "the seed and the Intercom client");
        for (config, out) in clients {
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
