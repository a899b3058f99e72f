//! `cargo xtask generate --spec FILE --out DIR [--name CRATE] ...`: a client crate for any
//! description. The flags parse into an [`apigen::Config`] through [`config_from_args`], the inverse
//! of [`Config::to_args`].

use crate::{GenerateArgs, LayoutArg};
use apigen::{Config, Layout};
use std::process::ExitCode;

/// The configuration the flags describe. Without `--regenerate-command`, the files' `@generated`
/// header names this command line (every flag that shapes the output, then `--out`), so that running
/// it remakes the same bytes.
pub fn config_from_args(args: &GenerateArgs) -> Config {
    let mut config = Config::new(&args.spec)
        .layout(match args.layout {
            LayoutArg::Crate => Layout::Crate,
            LayoutArg::SingleFile => Layout::SingleFile,
        })
        .example_tests(!args.no_example_tests);
    for overlay in &args.overlays {
        config = config.overlay(overlay);
    }
    if let Some(name) = &args.name {
        config = config.crate_name(name);
    }
    if let Some(version) = &args.crate_version {
        config = config.crate_version(version);
    }
    let command = match &args.regenerate_command {
        Some(command) => command.clone(),
        None => {
            let mut words = vec![
                "cargo".to_string(),
                "xtask".to_string(),
                "generate".to_string(),
            ];
            let mut flags = config.to_args().into_iter();
            while let Some(flag) = flags.next() {
                if flag == "--regenerate-command" {
                    flags.next();
                } else {
                    words.push(flag);
                }
            }
            words.push("--out".to_string());
            words.push(args.out.to_string_lossy().into_owned());
            words
                .iter()
                .map(|w| shell_quote(w))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    config.regenerate_command(command)
}

/// Quotes a word for a POSIX shell where it needs it.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Generates and writes one client.
pub fn generate(args: GenerateArgs) -> ExitCode {
    let config = config_from_args(&args);
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
                "{}",
                crate::summary(config.crate_name_str(), &output.stats, &report)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cli, Command};
    use clap::Parser;

    /// Parses `cargo xtask generate <flags> --out <out>` with the real command-line definition.
    fn parse(flags: &[String], out: &str) -> GenerateArgs {
        let mut argv = vec!["xtask".to_string(), "generate".to_string()];
        argv.extend(flags.iter().cloned());
        argv.extend(["--out".to_string(), out.to_string()]);
        match Cli::try_parse_from(&argv)
            .unwrap_or_else(|e| panic!("{argv:?} does not parse: {e}"))
            .command
        {
            Command::Generate(args) => args,
            _ => panic!("{argv:?} parsed as another command"),
        }
    }

    #[test]
    fn config_round_trips_through_flags() {
        let configs = [
            Config::new("spec/intercom-seed/openapi.yaml"),
            Config::new("spec/intercom-seed/openapi.yaml")
                .overlay("spec/intercom-seed/overlay.yaml")
                .crate_name("intercom-seed"),
            Config::new("a dir/My API.json")
                .overlay("one.yaml")
                .overlay("two's.yaml")
                .crate_name("my_api")
                .crate_version("2.13.0-beta.1")
                .layout(Layout::SingleFile)
                .example_tests(false)
                .regenerate_command("cargo build --features 'x y'"),
            Config::new("petstore.yaml")
                .crate_name("petstore")
                .crate_version("0.1.0"),
            Config::new("petstore.yaml")
                .layout(Layout::Crate)
                .example_tests(true)
                .regenerate_command(""),
            Config::new("x.yaml")
                .crate_name("x-client")
                .regenerate_command("make -C clients x"),
        ];
        for config in configs {
            let flags = config.to_args();
            let parsed = config_from_args(&parse(&flags, "somewhere"));
            assert_eq!(parsed, config, "flags: {flags:?}");
            assert_eq!(parsed.to_args(), flags);
        }
    }

    #[test]
    fn the_default_header_names_the_command_line() {
        let args = parse(
            &[
                "--spec",
                "spec/a b.yaml",
                "--overlay",
                "o.yaml",
                "--name",
                "ab",
                "--layout",
                "single-file",
            ]
            .map(String::from),
            "generated/ab",
        );
        let config = config_from_args(&args);
        assert_eq!(
            config.regenerate_command_str(),
            "cargo xtask generate --spec 'spec/a b.yaml' --overlay o.yaml --name ab --layout single-file --out generated/ab"
        );
    }

    #[test]
    fn defaults_match_the_library() {
        let config = config_from_args(&parse(
            &["--spec".to_string(), "pet_store.yaml".to_string()],
            "out",
        ));
        assert_eq!(config.crate_name_str(), "pet-store");
        assert_eq!(config.crate_version_str(), Config::DEFAULT_CRATE_VERSION);
        assert_eq!(config.layout_kind(), Layout::Crate);
        assert!(config.has_example_tests());
        assert_eq!(
            config.regenerate_command_str(),
            "cargo xtask generate --spec pet_store.yaml --out out"
        );
    }

    /// `--name` is checked as the library checks the crate name: a bad one is a usage error (exit 2).
    #[test]
    fn a_bad_crate_name_is_a_usage_error() {
        for name in ["my.client", "2fa", ""] {
            let argv = [
                "xtask", "generate", "--spec", "api.yaml", "--out", "out", "--name", name,
            ];
            let Err(error) = Cli::try_parse_from(argv) else {
                panic!("--name {name:?} was accepted");
            };
            assert_eq!(
                error.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{name:?}"
            );
            assert_eq!(error.exit_code(), 2, "{name:?}");
        }
    }
}
