//! `cargo apigen generate --spec FILE --out DIR [--name CRATE] ...` (and `cargo xtask generate`,
//! which is this code): a client crate for any description; `check` takes the same flags and
//! writes nothing. Its flags are the library's: one clap `Arg` per entry of [`Config::FLAGS`] (the
//! option table of `apigen::config`), parsed back by [`Config::from_flags`], so that an option of
//! [`Config`] is a flag here as soon as it exists. Only `--out`, `--verbose` and `--threads` are the
//! command's own.

use apigen::config::{Arity, Flag};
use apigen::Config;
use clap::builder::PossibleValuesParser;
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// The flag of `--out`, which is not part of the configuration.
const OUT: &str = "out";

/// The flag that prints every warning, not one line per kind: the xtask's own, as printing is
/// not part of the configuration.
const VERBOSE: &str = "verbose";

/// The flag that sets how many threads render: the xtask's own, as it does not change the output
/// (and so is not among the flags the header repeats). Without it, `APIGEN_THREADS` is read, and
/// without that, every core is used.
const THREADS: &str = "threads";

/// The flag whose absence makes the header name this command line.
const REGENERATE_COMMAND: &str = "regenerate-command";

/// The parsed flags of `generate` (and `check`): the configuration and where to write.
#[derive(Debug)]
pub struct GenerateArgs {
    /// The configuration the flags describe. Without `--regenerate-command`, [`GenerateArgs::config`]
    /// makes the files' `@generated` header name the command line.
    pub flags: Config,
    /// Whether `--regenerate-command` was given.
    pub header_given: bool,
    /// The folder to write the crate into.
    pub out: PathBuf,
    /// Print every warning, not one line per kind of warning.
    pub verbose: bool,
}

impl GenerateArgs {
    /// The configuration to generate with. Without `--regenerate-command`, the files'
    /// `@generated` header names `program generate`, every flag that shapes the output, then
    /// `--out` (so that running it remakes the same bytes); `program` is `cargo apigen` or
    /// `cargo xtask`.
    pub fn config(&self, program: &str) -> Config {
        if self.header_given {
            self.flags.clone()
        } else {
            let command = this_command_line(program, &self.flags, &self.out);
            self.flags.clone().regenerate_command(command)
        }
    }
}

/// The clap argument for one flag of the library's option table.
fn arg(flag: &Flag) -> Arg {
    let arg = Arg::new(flag.long)
        .long(flag.long)
        .help(flag.help)
        .required(flag.required);
    let arg = match flag.arity {
        Arity::Switch => return arg.action(ArgAction::SetTrue),
        Arity::Once => arg.action(ArgAction::Set),
        Arity::Repeated => arg.action(ArgAction::Append),
    };
    let arg = arg.value_name(flag.value_name);
    if flag.possible_values.is_empty() {
        arg.value_parser(clap::value_parser!(OsString))
    } else {
        arg.value_parser(PossibleValuesParser::new(flag.possible_values))
    }
}

/// The values given to `flag`, as [`Config::from_flags`] takes them.
fn values(matches: &ArgMatches, flag: &Flag) -> Vec<OsString> {
    match flag.arity {
        Arity::Switch => match matches.get_flag(flag.long) {
            true => vec![OsString::new()],
            false => Vec::new(),
        },
        Arity::Once | Arity::Repeated => matches
            .get_raw(flag.long)
            .map(|raw| raw.map(OsString::from).collect())
            .unwrap_or_default(),
    }
}

impl clap::Args for GenerateArgs {
    fn augment_args(command: clap::Command) -> clap::Command {
        let out = Arg::new(OUT)
            .long(OUT)
            .value_name("DIR")
            .help("The folder to write the crate into.")
            .required(true)
            .value_parser(clap::value_parser!(PathBuf));
        let verbose = Arg::new(VERBOSE)
            .long(VERBOSE)
            .help("Print every warning, not one line per kind of warning.")
            .action(ArgAction::SetTrue);
        let threads = Arg::new(THREADS)
            .long(THREADS)
            .value_name("N")
            .help("Threads to render on (default: APIGEN_THREADS, else every core); the output is the same.")
            .value_parser(clap::value_parser!(usize));
        Config::FLAGS
            .iter()
            .map(arg)
            .fold(command, clap::Command::arg)
            .arg(out)
            .arg(verbose)
            .arg(threads)
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

impl clap::FromArgMatches for GenerateArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let config = Config::from_flags(|flag| values(matches, flag)).map_err(|e| {
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{e}\n"))
        })?;
        let out: PathBuf = matches.get_one::<PathBuf>(OUT).cloned().ok_or_else(|| {
            clap::Error::raw(
                clap::error::ErrorKind::MissingRequiredArgument,
                "--out is required\n",
            )
        })?;
        let header_given =
            matches.value_source(REGENERATE_COMMAND) == Some(ValueSource::CommandLine);
        let verbose = matches.get_flag(VERBOSE);
        let threads = matches.get_one::<usize>(THREADS).copied().or_else(|| {
            std::env::var("APIGEN_THREADS")
                .ok()
                .and_then(|n| n.trim().parse().ok())
        });
        let config = match threads {
            Some(threads) => config.threads(threads),
            None => config,
        };
        Ok(GenerateArgs {
            flags: config,
            header_given,
            out,
            verbose,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// `program generate` with every flag that shapes the output (all of `config`'s but
/// `--regenerate-command`), then `--out`, quoted for a POSIX shell.
fn this_command_line(program: &str, config: &Config, out: &std::path::Path) -> String {
    let mut words: Vec<String> = program.split(' ').map(String::from).collect();
    words.push("generate".to_string());
    let skip = format!("--{REGENERATE_COMMAND}");
    let mut flags = config.to_args().into_iter();
    while let Some(flag) = flags.next() {
        if flag == skip {
            flags.next();
        } else {
            words.push(flag);
        }
    }
    words.push(format!("--{OUT}"));
    words.push(out.to_string_lossy().into_owned());
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
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

/// Generates and writes one client; `program` is named in the files' headers (see
/// [`GenerateArgs::config`]).
pub fn generate(args: &GenerateArgs, program: &str) -> ExitCode {
    let config = args.config(program);
    let GenerateArgs { out, verbose, .. } = args;
    let verbose = *verbose;
    let output = match apigen::generate(&config) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    crate::print_warnings(&output.warnings, verbose);
    match apigen::write::write_files(out, &output.files, true) {
        Ok(report) => {
            eprintln!(
                "{}",
                apigen::write::summary(config.crate_name_str(), &output.stats, &report)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}

/// Compares the client in `--out` with what `generate` would write, writing nothing: exit 0 when
/// it is fresh, 3 naming each stale, missing or extra file, 1 when the description has a problem.
pub fn check(args: &GenerateArgs, program: &str) -> ExitCode {
    let clients = [(args.config(program), args.out.clone())];
    let options = apigen::write::CodegenOptions {
        check: true,
        verbose: args.verbose,
    };
    let outcome = apigen::write::codegen(&clients, options, &mut |line| eprintln!("{line}"));
    ExitCode::from(outcome.exit_code() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cli, Command};

    const PROGRAM: &str = "cargo xtask";
    use apigen::Layout;
    use clap::{CommandFactory, Parser};

    /// A configuration with every option away from its default (quotes and spaces included).
    fn every_option_changed() -> Config {
        Config::new("a dir/My API.json")
            .overlay("one.yaml")
            .overlay("two's.yaml")
            .crate_name("my_api")
            .crate_version("2.13.0-beta.1")
            .layout(Layout::SingleFile)
            .grouping(apigen::Grouping::Flat)
            .overrides("names.yml")
            .example_tests(false)
            .regenerate_command("cargo build --features 'x y'")
            .deny_warnings(true)
            .publish(true)
            .author("Notes Team <notes@example.com>")
            .author("Ann O'Nymous")
            .repository("https://example.com/notes client")
    }

    /// Parses `cargo xtask generate <flags> --out <out>` with the real command-line definition.
    fn parse(flags: &[String], out: &str) -> GenerateArgs {
        let mut argv = vec!["cargo-apigen".to_string(), "generate".to_string()];
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
            every_option_changed(),
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
            let parsed = parse(&flags, "somewhere").config(PROGRAM);
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
        let config = args.config(PROGRAM);
        assert_eq!(
            config.regenerate_command_str(),
            "cargo xtask generate --spec 'spec/a b.yaml' --overlay o.yaml --name ab --layout single-file --out generated/ab"
        );
    }

    #[test]
    fn defaults_match_the_library() {
        let args = parse(&["--spec".to_string(), "pet_store.yaml".to_string()], "out");
        assert_eq!(args.out, PathBuf::from("out"));
        let config = args.config(PROGRAM);
        assert_eq!(config.crate_name_str(), "pet-store");
        assert_eq!(config.crate_version_str(), Config::DEFAULT_CRATE_VERSION);
        assert_eq!(config.layout_kind(), Layout::Crate);
        assert!(config.has_example_tests());
        assert_eq!(
            config.regenerate_command_str(),
            "cargo xtask generate --spec pet_store.yaml --out out"
        );
    }

    /// Every option, set away from its default, reaches the command line and comes back through
    /// the real clap command. The configuration's fields, flags, `to_args` and `from_flags` are all
    /// made from one table in `apigen::config`, so none can be left out; this checks that the clap
    /// side built from that table takes every flag, and fails if a new option is not set here.
    #[test]
    fn every_option_survives_the_real_command_line() {
        let config = every_option_changed();
        let flags = config.to_args();
        for flag in Config::FLAGS {
            assert!(
                flags.contains(&format!("--{}", flag.long)),
                "--{} is at its default in this test: set it above",
                flag.long
            );
        }
        let args = parse(&flags, "some where");
        assert_eq!(args.config(PROGRAM), config, "flags: {flags:?}");
        assert_eq!(args.out, PathBuf::from("some where"));
    }

    #[test]
    fn help_describes_every_flag() {
        let mut cli = Cli::command();
        let help = cli
            .find_subcommand_mut("generate")
            .expect("generate is a subcommand")
            .render_long_help()
            .to_string();
        for flag in Config::FLAGS {
            let usage = match flag.arity {
                Arity::Switch => format!("--{}", flag.long),
                Arity::Once | Arity::Repeated => format!("--{} <{}>", flag.long, flag.value_name),
            };
            assert!(help.contains(&usage), "{usage} is not in the help:\n{help}");
            assert!(
                help.contains(flag.help),
                "{} is not in the help:\n{help}",
                flag.help
            );
        }
        assert!(help.contains("--out <DIR>"), "{help}");
        assert!(
            help.contains("[possible values: crate, single-file]"),
            "{help}"
        );
    }

    #[test]
    fn deny_warnings_fails_and_writes_nothing() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let spec = root.join("tests/catalogue/unresolved-ref.yaml");
        let out = std::env::temp_dir().join(format!("xtask-deny-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let flags = |deny: bool| {
            let mut flags = vec!["--spec".to_string(), spec.display().to_string()];
            flags.extend(deny.then(|| "--deny-warnings".to_string()));
            flags
        };
        let denied = parse(&flags(true), &out.display().to_string());
        assert_eq!(denied.flags.warning_policy(), apigen::WarningPolicy::Deny);
        assert_eq!(generate(&denied, PROGRAM), ExitCode::from(1));
        assert!(!out.exists(), "nothing is written when warnings are denied");
        let reported = parse(&flags(false), &out.display().to_string());
        assert_eq!(generate(&reported, PROGRAM), ExitCode::SUCCESS);
        assert!(out.join("src/types.rs").is_file());
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn bad_values_are_usage_errors() {
        for argv in [
            vec!["xtask", "generate", "--out", "o"],
            vec!["xtask", "generate", "--spec", "a.yaml"],
            vec![
                "xtask", "generate", "--spec", "a.yaml", "--out", "o", "--layout", "folder",
            ],
            vec![
                "xtask", "generate", "--spec", "a.yaml", "--spec", "b.yaml", "--out", "o",
            ],
        ] {
            let error = Cli::try_parse_from(&argv)
                .err()
                .unwrap_or_else(|| panic!("{argv:?} parses"));
            assert_eq!(error.exit_code(), 2, "{argv:?}: {error}");
        }
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
                clap::error::ErrorKind::InvalidValue,
                "{name:?}"
            );
            assert_eq!(error.exit_code(), 2, "{name:?}");
        }
    }
}
