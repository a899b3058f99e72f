//! Runs the built `cargo-apigen` binary as a user does: `--help` of every subcommand, `generate`
//! then `check` (fresh, then stale: exit 3), `codegen` from an `apigen.toml`, and the `apigen`
//! argument Cargo passes when it runs the command as `cargo apigen`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_cargo-apigen");

/// The seed description, as an absolute path.
fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/intercom-seed/openapi.yaml")
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("command-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch folder is made");
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the command runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn every_subcommand_has_help() {
    let dir = scratch("help");
    let top = run(&dir, &["--help"]);
    assert_eq!(code(&top), 0);
    let text = String::from_utf8_lossy(&top.stdout).into_owned();
    for subcommand in ["generate", "check", "codegen", "conformance"] {
        assert!(text.contains(subcommand), "{subcommand} in:\n{text}");
        // As Cargo runs it (`cargo apigen SUB --help` runs `cargo-apigen apigen SUB --help`).
        let help = run(&dir, &["apigen", subcommand, "--help"]);
        assert_eq!(code(&help), 0, "{subcommand}: {}", stderr(&help));
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        assert!(
            help.contains(&format!("Usage: cargo apigen {subcommand}")),
            "{help}"
        );
    }
    let generate = String::from_utf8_lossy(&run(&dir, &["generate", "--help"]).stdout).into_owned();
    for flag in apigen::Config::FLAGS {
        assert!(generate.contains(&format!("--{}", flag.long)), "{generate}");
    }
    assert_eq!(
        code(&run(&dir, &["generate"])),
        2,
        "--spec and --out are required"
    );
    assert_eq!(code(&run(&dir, &["no-such-command"])), 2);
}

#[test]
fn generate_then_check_fresh_and_stale() {
    let dir = scratch("generate");
    let spec = seed();
    let spec = spec.to_str().expect("a UTF-8 path");
    let flags = ["--spec", spec, "--name", "seed", "--out", "seed"];
    let generated = run(&dir, &[&["generate"], &flags[..]].concat());
    assert_eq!(code(&generated), 0, "{}", stderr(&generated));
    let lib = std::fs::read_to_string(dir.join("seed/src/lib.rs")).expect("src/lib.rs is written");
    assert!(
        lib.contains("cargo apigen generate --spec"),
        "the header names the command line"
    );
    let fresh = run(&dir, &[&["check"], &flags[..]].concat());
    assert_eq!(code(&fresh), 0, "{}", stderr(&fresh));
    // Another flag makes other files: the same folder is stale for it.
    let other = run(
        &dir,
        &[&["check"], &flags[..], &["--no-example-tests"]].concat(),
    );
    assert_eq!(code(&other), 3, "{}", stderr(&other));
    std::fs::write(dir.join("seed/src/lib.rs"), lib + "// edited\n").expect("the edit");
    let stale = run(&dir, &[&["apigen", "check"], &flags[..]].concat());
    assert_eq!(code(&stale), 3, "{}", stderr(&stale));
    let message = stderr(&stale);
    assert!(message.contains("stale: seed/src/lib.rs"), "{message}");
    assert!(
        message.contains("run `cargo apigen generate --spec"),
        "{message}"
    );
    let missing = run(&dir, &["check", "--spec", "nowhere.yaml", "--out", "seed"]);
    assert_eq!(code(&missing), 1, "{}", stderr(&missing));
}

#[test]
fn codegen_keeps_the_clients_of_apigen_toml() {
    let dir = scratch("codegen");
    std::fs::create_dir_all(dir.join("spec")).expect("spec/");
    std::fs::copy(seed(), dir.join("spec/openapi.yaml")).expect("the description is copied");
    std::fs::write(
        dir.join("apigen.toml"),
        "[[client]]\nspec = \"spec/openapi.yaml\"\nname = \"notes\"\nout = \"generated/notes\"\n",
    )
    .expect("apigen.toml");
    let missing = run(&dir, &["codegen", "--check"]);
    assert_eq!(code(&missing), 3, "{}", stderr(&missing));
    assert!(stderr(&missing).contains("missing: generated/notes/src/lib.rs"));
    let written = run(&dir, &["codegen"]);
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    let lib = std::fs::read_to_string(dir.join("generated/notes/src/lib.rs")).expect("written");
    assert!(
        lib.contains("cargo apigen codegen"),
        "the header names codegen"
    );
    let fresh = run(&dir, &["codegen", "--check"]);
    assert_eq!(code(&fresh), 0, "{}", stderr(&fresh));
    // From another folder, through --config: paths are the file's folder's.
    let elsewhere = run(
        dir.parent().expect("a parent"),
        &[
            "codegen",
            "--check",
            "--config",
            "command-codegen/apigen.toml",
        ],
    );
    assert_eq!(code(&elsewhere), 0, "{}", stderr(&elsewhere));
    std::fs::write(
        dir.join("apigen.toml"),
        "[[client]]\nspec = \"spec/openapi.yaml\"\nout = \"generated/notes\"\nversion = \"1\"\n",
    )
    .expect("apigen.toml");
    let bad = run(&dir, &["codegen", "--check"]);
    assert_eq!(code(&bad), 1);
    assert!(
        stderr(&bad).contains("unknown key `version`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn conformance_writes_the_harness() {
    let dir = scratch("conformance");
    let spec = seed();
    let out = run(
        &dir,
        &[
            "conformance",
            "--spec",
            spec.to_str().expect("UTF-8"),
            "--name",
            "seed",
            "--harness-out",
            "harness.rs",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let harness = std::fs::read_to_string(dir.join("harness.rs")).expect("the harness");
    assert!(harness.contains("pub async fn run"), "{harness}");
}
