//! `apigen.toml`: the clients a project keeps, for `cargo apigen codegen [--check]` (and this
//! repository's `cargo xtask codegen`, which reads its own `apigen.toml`).
//!
//! Each `[[client]]` table names the folder the client lives in (`out`) and takes the flags of
//! `cargo apigen generate` as keys, spelled as the flags are (`spec`, `overlay`, `name`,
//! `crate-version`, `publish`, …): a string for a flag with a value, a list of strings for a
//! repeatable one (a single string is a list of one), `true` for a switch. The keys are read
//! through the same option table as the flags ([`Config::FLAGS`], [`Config::from_flags`]), so a new
//! option of the library is a key here as soon as it exists. Paths are relative to the file's
//! folder, where `codegen` runs. Without `regenerate-command`, the files' headers name `cargo
//! apigen codegen`.
//!
//! ```toml
//! [[client]]
//! spec = "spec/openapi.yaml"
//! overlay = ["spec/overlay.yaml"]
//! name = "notes"
//! out = "generated/notes"
//! ```

use apigen::config::{Arity, Flag};
use apigen::Config;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The file `codegen` reads unless `--config` names another.
pub const DEFAULT_FILE: &str = "apigen.toml";

/// The header command of a client whose table sets no `regenerate-command`.
pub const DEFAULT_REGENERATE_COMMAND: &str = "cargo apigen codegen";

/// Reads the clients that `text` (the contents of an `apigen.toml`) lists, each with its folder,
/// in the order written. The error names the client (by its place in the file) and the key.
pub fn parse(text: &str) -> Result<Vec<(Config, PathBuf)>, String> {
    let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    if let Some(key) = table.keys().find(|key| *key != "client") {
        return Err(format!(
            "unknown key `{key}` (expected `[[client]]` tables)"
        ));
    }
    let clients = match table.remove("client") {
        Some(toml::Value::Array(clients)) => clients,
        Some(_) => return Err("`client` must be a list of tables (`[[client]]`)".into()),
        None => return Err("no `[[client]]` table".into()),
    };
    clients
        .into_iter()
        .enumerate()
        .map(|(index, client)| {
            let toml::Value::Table(client) = client else {
                return Err(format!("client {}: not a table", index + 1));
            };
            client_of(client).map_err(|e| format!("client {}: {e}", index + 1))
        })
        .collect()
}

/// One `[[client]]` table as a configuration and its folder.
fn client_of(mut client: toml::Table) -> Result<(Config, PathBuf), String> {
    let out = match client.remove("out") {
        Some(toml::Value::String(out)) => PathBuf::from(out),
        Some(_) => return Err("`out` must be a string".into()),
        None => return Err("no `out` (the folder the client is written into)".into()),
    };
    if let Some(key) = client
        .keys()
        .find(|key| !Config::FLAGS.iter().any(|flag| flag.long == key.as_str()))
    {
        let known: Vec<&str> = Config::FLAGS.iter().map(|flag| flag.long).collect();
        return Err(format!(
            "unknown key `{key}` (the keys are `out` and {})",
            known.join(", ")
        ));
    }
    let mut problem = None;
    let values = |flag: &Flag| match values_of(flag, client.get(flag.long)) {
        Ok(values) => values,
        Err(e) => {
            problem.get_or_insert(format!("`{}`: {e}", flag.long));
            Vec::new()
        }
    };
    let config = Config::from_flags(values);
    if let Some(problem) = problem {
        return Err(problem);
    }
    let mut config = config.map_err(|e| e.to_string())?;
    if !client.contains_key("regenerate-command") {
        config = config.regenerate_command(DEFAULT_REGENERATE_COMMAND);
    }
    Ok((config, out))
}

/// The values a key gives its flag, as [`Config::from_flags`] takes them.
fn values_of(flag: &Flag, value: Option<&toml::Value>) -> Result<Vec<OsString>, String> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    match (flag.arity, value) {
        (Arity::Switch, toml::Value::Boolean(true)) => Ok(vec![OsString::new()]),
        (Arity::Switch, toml::Value::Boolean(false)) => Ok(Vec::new()),
        (Arity::Switch, _) => Err("must be `true` or `false`".into()),
        (_, toml::Value::String(text)) => Ok(vec![OsString::from(text)]),
        (Arity::Repeated, toml::Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                toml::Value::String(text) => Ok(OsString::from(text)),
                _ => Err("must be a list of strings".to_string()),
            })
            .collect(),
        (Arity::Repeated, _) => Err("must be a string or a list of strings".into()),
        (Arity::Once, _) => Err("must be a string".into()),
    }
}

/// Reads the file `path` and runs [`apigen::write::codegen`] on its clients from the file's
/// folder: writing each, or with `check` comparing each and writing nothing. The exit code is the
/// library's: 0, 1 for a problem (in the file or a description), 3 for stale files.
pub fn codegen(path: &Path, check: bool, verbose: bool) -> i32 {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return 1;
        }
    };
    let clients = match parse(&text) {
        Ok(clients) => clients,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return 1;
        }
    };
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder {
        if let Err(e) = std::env::set_current_dir(folder) {
            eprintln!("error: cannot enter {}: {e}", folder.display());
            return 1;
        }
    }
    let options = apigen::write::CodegenOptions { check, verbose };
    let outcome = apigen::write::codegen(&clients, options, &mut |line| eprintln!("{line}"));
    outcome.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_table_is_the_flags_of_generate() {
        let clients = parse(
            r#"
            [[client]]
            spec = "spec/api.yaml"
            overlay = ["a.yaml", "b.yaml"]
            overrides = "names.yml"
            name = "my-api"
            crate-version = "2.0.0"
            no-example-tests = true
            deny-warnings = false
            out = "generated/my-api"

            [[client]]
            spec = "other.json"
            regenerate-command = "make other"
            out = "other"
            "#,
        )
        .expect("the file parses");
        let first = Config::new("spec/api.yaml")
            .overlay("a.yaml")
            .overlay("b.yaml")
            .overrides("names.yml")
            .crate_name("my-api")
            .crate_version("2.0.0")
            .example_tests(false)
            .regenerate_command(DEFAULT_REGENERATE_COMMAND);
        let second = Config::new("other.json").regenerate_command("make other");
        assert_eq!(
            clients,
            [
                (first, PathBuf::from("generated/my-api")),
                (second, PathBuf::from("other"))
            ]
        );
    }

    #[test]
    fn mistakes_are_named() {
        for (text, expected) in [
            ("", "no `[[client]]` table"),
            ("client = 1", "must be a list of tables"),
            ("[[client]]\nspec = \"a.yaml\"", "client 1: no `out`"),
            (
                "[[client]]\nspec = \"a.yaml\"\nout = \"o\"\noverlays = [\"x\"]",
                "client 1: unknown key `overlays`",
            ),
            (
                "[[client]]\nspec = \"a.yaml\"\nout = \"o\"\n[[client]]\nspec = 3\nout = \"p\"",
                "client 2: `spec`: must be a string",
            ),
            (
                "[[client]]\nspec = \"a.yaml\"\nout = \"o\"\nname = \"2fa\"",
                "client 1: --name",
            ),
            ("[clients]\n", "unknown key `clients`"),
            ("[[client]\n", "TOML parse error"),
        ] {
            let error = parse(text).expect_err(text);
            assert!(error.contains(expected), "{text:?}: {error}");
        }
    }
}
