//! `cargo apigen conformance --spec FILE [--overlay FILE]… [--overrides FILE]… [--mock-spec FILE]`: generates the client
//! and its conformance harness into `target/conformance/`, starts Stoplight Prism as a validating
//! mock of the description on loopback, sends every operation's example request (the one its doc
//! example shows) through the client, and prints a table: one row per operation, then the count.
//!
//! Prism rejects a request that breaks the description (a missing credential, a wrong body, a
//! wrong parameter) and answers one that keeps it with the description's own example response,
//! which the client must decode. `--harness-out FILE` only writes the harness module (how
//! `tests/conformance/intercom_harness.rs` is made).

use apigen::Config;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Where `tools/prism/install.sh` installs Prism, relative to apigen's workspace root: the
/// default of `--prism` when it exists there, else `prism` is looked up on `PATH`.
pub const PRISM: &str = "tools/prism/node_modules/.bin/prism";

/// How long Prism may take to read a description and start listening.
const PRISM_START: Duration = Duration::from_secs(180);

/// The flags of `conformance`.
#[derive(clap::Args, Debug)]
pub struct ConformanceArgs {
    /// The description the client is generated from.
    #[arg(long)]
    spec: PathBuf,
    /// An overlay applied before generating the client (repeatable). Prism serves the description
    /// with the same overlays, unless --mock-spec says otherwise.
    #[arg(long)]
    overlay: Vec<PathBuf>,
    /// A fern overrides document whose SDK group and method names the client takes (repeatable).
    #[arg(long)]
    overrides: Vec<PathBuf>,
    /// The description Prism serves and validates against (default: --spec with the overlays).
    #[arg(long)]
    mock_spec: Option<PathBuf>,
    /// The generated crate's name.
    #[arg(long, default_value = "conformance-client")]
    name: String,
    /// Only write the harness module to this file.
    #[arg(long)]
    harness_out: Option<PathBuf>,
    /// The Prism executable (default: tools/prism/node_modules/.bin/prism where it exists, else
    /// `prism` on PATH).
    #[arg(long)]
    prism: Option<PathBuf>,
}

/// Generates the client and its harness, and (unless `--harness-out`) runs it against Prism:
/// exit 0 when every operation conforms, 1 otherwise.
pub fn conformance(args: ConformanceArgs) -> ExitCode {
    let mut config = Config::new(&args.spec)
        .crate_name(&args.name)
        .regenerate_command("cargo xtask conformance, as tests/conformance.rs says");
    for overlay in &args.overlay {
        config = config.overlay(overlay);
    }
    for overrides in &args.overrides {
        config = config.overrides(overrides);
    }
    let harness = match apigen::generate_conformance_harness(&config) {
        Ok(harness) => harness,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    if let Some(out) = &args.harness_out {
        return match std::fs::write(out, harness) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", out.display());
                ExitCode::from(1)
            }
        };
    }
    match run(&args, &config, &harness) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// Writes the client and the runner, builds the runner, starts Prism and runs the harness against
/// it; whether every operation conformed.
fn run(args: &ConformanceArgs, config: &Config, harness: &str) -> Result<bool, String> {
    let prism = match &args.prism {
        Some(prism) => prism.clone(),
        None if Path::new(PRISM).exists() => PathBuf::from(PRISM),
        None => PathBuf::from("prism"),
    };
    let output = apigen::generate(config).map_err(|e| e.to_string())?;
    let dir = Path::new("target/conformance").join(&args.name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in &output.files {
        write(&dir.join("client").join(path), text)?;
    }
    write_runner(&dir.join("runner"), &args.name, harness)?;
    // The workspace's target folder, where the client's dependencies are already compiled.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("runner/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("the runner does not build".into());
    }
    let runner = target.join("debug/conformance-runner");
    let mock_spec = match &args.mock_spec {
        Some(spec) => spec.clone(),
        None => described_with_overlays(&args.spec, &args.overlay, &dir)?,
    };
    let mut prism = Prism::start(&prism, &mock_spec, &dir.join("prism.log"))?;
    let runner = Command::new(&runner)
        .arg(prism.url())
        .spawn()
        .map_err(|e| format!("{}: {e}", runner.display()))?;
    let status = run_while_serving(runner, &mut prism);
    prism.stop();
    Ok(status?.success())
}

/// Waits for the runner to finish, unless the mock server exits first: then the runner is
/// stopped (its requests could only fail, each through its retries) and the server's exit and
/// the last lines of its log are the error, so that a mock that cannot serve a description is
/// reported as such rather than as failed operations.
fn run_while_serving(
    mut runner: Child,
    prism: &mut Prism,
) -> Result<std::process::ExitStatus, String> {
    loop {
        if let Some(status) = runner.try_wait().map_err(|e| format!("the runner: {e}"))? {
            return Ok(status);
        }
        if let Some(exit) = prism.exited() {
            let _ = runner.kill();
            let _ = runner.wait();
            return Err(format!(
                "the mock server exited ({exit}) while the operations were sent; the last lines of {}:\n{}",
                prism.log.display(),
                last_lines(&prism.log, LOG_TAIL)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many lines of the server's log an error shows.
const LOG_TAIL: usize = 20;

/// The last `n` lines of the file at `path` (what it holds if it cannot be read: nothing).
fn last_lines(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The runner crate: the harness as a module, and a `main` that runs it against the URL it is
/// given and prints the table. It takes the workspace's `Cargo.lock` where there is one, so that it
/// builds with the versions (and the compiled dependencies) the workspace has.
fn write_runner(dir: &Path, client: &str, harness: &str) -> Result<(), String> {
    let manifest = format!(
        "[package]\nname = \"conformance-runner\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{client} = {{ path = \"../client\" }}\n\
         serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n"
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    if Path::new("Cargo.lock").is_file() {
        std::fs::copy("Cargo.lock", dir.join("Cargo.lock"))
            .map_err(|e| format!("Cargo.lock: {e}"))?;
    }
    write(&dir.join("src/harness.rs"), harness)?;
    write(&dir.join("src/main.rs"), RUNNER_MAIN)
}

/// The runner's `main`.
const RUNNER_MAIN: &str = r#"//! Runs the conformance harness against the server whose URL is the first argument.

mod harness;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: conformance-runner URL");
        return std::process::ExitCode::from(2);
    };
    let client = match harness::client(&url) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let outcomes = harness::run(&client).await;
    println!("| operation | request | result |");
    println!("|---|---|---|");
    for outcome in &outcomes {
        let result = match &outcome.result {
            Ok(()) => "ok".to_string(),
            Err(e) => e.replace('|', "\\|").replace('\n', " "),
        };
        println!("| `{}` | `{}` | {} |", outcome.operation, outcome.request, result);
    }
    let passed = outcomes.iter().filter(|o| o.result.is_ok()).count();
    println!();
    println!("{passed} of {} operations conform", outcomes.len());
    if passed == outcomes.len() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(1)
    }
}
"#;

/// `spec` with `overlays` applied, written as JSON into `dir`: what Prism serves by default, so
/// that it judges requests by the description with the same fixes the client was generated with.
fn described_with_overlays(
    spec: &Path,
    overlays: &[PathBuf],
    dir: &Path,
) -> Result<PathBuf, String> {
    let doc = apigen::overlay::apply_files(spec, overlays).map_err(|e| e.to_string())?;
    let out = dir.join("described.json");
    let json = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    write(&out, &json)?;
    Ok(out)
}

/// A Prism mock server of one description, on a free loopback port, stopped when dropped.
pub struct Prism {
    child: Child,
    port: u16,
    /// The file its output goes to.
    log: PathBuf,
}

impl Prism {
    /// Starts the Prism executable `prism` on `spec`, its output going to the file `log`, and
    /// waits until it listens.
    pub fn start(prism: &Path, spec: &Path, log: &Path) -> Result<Prism, String> {
        let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let log_err = log_file
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| format!("no free port: {e}"))?;
        let child = Command::new(prism)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(spec)
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::from(log_err))
            .spawn()
            .map_err(|e| {
                format!(
                    "{}: {e} (install Prism with tools/prism/install.sh, or pass --prism)",
                    prism.display()
                )
            })?;
        let mut prism = Prism {
            child,
            port,
            log: log.to_path_buf(),
        };
        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if let Some(status) = prism.exited() {
                return Err(format!(
                    "Prism exited ({status}) before it listened; the last lines of {}:\n{}",
                    log.display(),
                    last_lines(log, LOG_TAIL)
                ));
            }
            if started.elapsed() > PRISM_START {
                prism.stop();
                return Err(format!("Prism did not listen within {PRISM_START:?}"));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(prism)
    }

    /// The mock's base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How the server exited, once it has.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Stops the server.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_dies_stops_the_run_with_its_exit_and_its_last_log_lines() {
        let dir = std::env::temp_dir().join(format!("xtask-conformance-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("server.log");
        let log_file = std::fs::File::create(&log).unwrap();
        // A "server" that writes its error and exits, as Prism does on a media-type key it
        // cannot read, and a "runner" that would otherwise go on for a minute.
        let child = Command::new("sh")
            .args([
                "-c",
                "echo starting; sleep 0.3; echo 'TypeError: cannot read'; exit 3",
            ])
            .stdout(Stdio::from(log_file))
            .spawn()
            .unwrap();
        let mut server = Prism {
            child,
            port: 0,
            log: log.clone(),
        };
        let runner = Command::new("sleep").arg("60").spawn().unwrap();
        let started = Instant::now();
        let error = run_while_serving(runner, &mut server).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(20), "{error}");
        assert!(error.contains("exited (exit status: 3)"), "{error}");
        assert!(
            error.ends_with("starting\nTypeError: cannot read"),
            "{error}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_runner_that_finishes_gives_its_status() {
        let mut server = Prism {
            child: Command::new("sleep").arg("60").spawn().unwrap(),
            port: 0,
            log: PathBuf::from("/nonexistent"),
        };
        let runner = Command::new("sh").args(["-c", "exit 1"]).spawn().unwrap();
        let status = run_while_serving(runner, &mut server).unwrap();
        assert_eq!(status.code(), Some(1));
    }
}
