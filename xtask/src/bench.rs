//! `cargo run --release -p xtask -- bench [--runs N] [--only NAME] [--compile [--resource NAME]]`:
//! how long generating a client takes, and how much memory, for Intercom 2.13 (configured exactly
//! as `cargo xtask codegen` configures it) and GitHub's description (13 MB of JSON), side by side
//! with openapi-generator (`-g rust`) where `tools/openapi-generator/install.sh` installed it.
//!
//! For each description it reports:
//! - the whole process, `xtask generate … --out DIR` from start to exit (read, generate, write),
//!   median of `--runs` runs, with the peak memory of the process ([`child`]); the same for
//!   openapi-generator (`--peer-runs` runs), and the ratio of the medians;
//! - the library's stages ([`apigen::pipeline`], timed through [`apigen::generate_timed`] in this
//!   process), then writing the files, medians of the same runs;
//! - with `--compile`, `cargo check` of the generated crate, dependencies built ([`compile`]): all
//!   resource features, and one resource alone where the crate has resource features; and of
//!   openapi-generator's crate for the same description.
//!
//! It prints a Markdown table and writes the same figures as JSON to `target/bench/latest.json`;
//! a release build also records them in `docs/figures/bench.json` and writes `docs/figures.md` and
//! the chart `docs/figures/bench.svg` from it ([`figures`]); `--redraw` only rewrites those two.
//! Build it with `--release`: the `cargo xtask` alias makes a debug build, whose times say little.

mod child;
mod compile;
mod figures;

use apigen::{Config, Stage};
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// Where GitHub's description is, relative to the workspace root.
const GITHUB: &str = "../shared/specs/frontier/github/api.github.com.json";

/// openapi-generator, as `tools/openapi-generator/install.sh` installs it.
const PEER: &str = "tools/openapi-generator/.venv/bin/openapi-generator-cli";

/// Where the bench writes what it generates and its report, relative to the workspace root.
const OUT: &str = "target/bench";

/// The flags of `bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Timed runs of each generation (whole process, and stage by stage).
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// Timed runs of openapi-generator's generation (it takes seconds each).
    #[arg(long, default_value_t = 3)]
    pub peer_runs: usize,
    /// Leave openapi-generator out (no ratio), for timing our own changes quickly.
    #[arg(long)]
    pub no_peer: bool,
    /// Only this description: `intercom` or `github`.
    #[arg(long)]
    pub only: Option<String>,
    /// Also time `cargo check` of each generated crate, dependencies built (heavy for GitHub:
    /// minutes, and gigabytes of memory).
    #[arg(long)]
    pub compile: bool,
    /// With --compile, the resource feature to check alone (default: the first).
    #[arg(long)]
    pub resource: Option<String>,
    /// Measure nothing: rewrite docs/figures.md and the chart docs/figures/bench.svg from the
    /// recorded figures in docs/figures/bench.json.
    #[arg(long)]
    pub redraw: bool,
}

/// One description the bench generates.
struct Description {
    name: &'static str,
    config: Config,
    /// What openapi-generator is given: the description as published (it takes no overlay).
    peer_input: PathBuf,
}

/// Runs the bench. The current directory is the workspace root.
pub fn bench(args: BenchArgs) -> ExitCode {
    if args.redraw {
        return match figures::update(None, "") {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
    if args.runs == 0 || args.peer_runs == 0 {
        eprintln!("error: --runs and --peer-runs must be at least 1");
        return ExitCode::from(2);
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is a debug build, whose times say little: run `cargo run --release -p xtask -- bench`"
        );
    }
    let descriptions: Vec<Description> = descriptions()
        .into_iter()
        .filter(|d| {
            args.only
                .as_deref()
                .is_none_or(|only| d.name.starts_with(only))
        })
        .collect();
    if descriptions.is_empty() {
        eprintln!("error: no description to bench (--only intercom or --only github)");
        return ExitCode::from(2);
    }
    let peer = (!args.no_peer && Path::new(PEER).is_file()).then(|| PathBuf::from(PEER));
    if peer.is_none() && !args.no_peer {
        eprintln!("note: openapi-generator is not installed (bash tools/openapi-generator/install.sh): no ratio");
    }
    let mut reports = Vec::new();
    for description in &descriptions {
        match bench_one(description, &args, peer.as_deref()) {
            Ok(report) => reports.push(report),
            Err(e) => {
                eprintln!("error: {}: {e}", description.name);
                return ExitCode::from(1);
            }
        }
    }
    let report = json!({
        "command": command_line(),
        "machine": machine(),
        "descriptions": reports,
    });
    print!("{}", markdown(&report));
    let path = Path::new(OUT).join("latest.json");
    let text = serde_json::to_string_pretty(&report).unwrap_or_default();
    if let Err(e) = std::fs::write(&path, text + "\n") {
        eprintln!("error: writing {}: {e}", path.display());
        return ExitCode::from(1);
    }
    println!("\n(the same as JSON in {})", path.display());
    if cfg!(debug_assertions) {
        eprintln!(
            "note: a debug build's figures are not recorded in {}",
            figures::RECORD
        );
    } else if let Err(e) = figures::update(Some(&report), &figures::now()) {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Intercom 2.13 as `cargo xtask codegen` makes it, and GitHub's description where it is present.
fn descriptions() -> Vec<Description> {
    let mut found = Vec::new();
    if let Some((config, _)) = crate::codegen::repository_clients()
        .unwrap_or_default()
        .into_iter()
        .find(|(config, _)| config.crate_name_str() == "intercom")
    {
        found.push(Description {
            name: "intercom-2.13",
            peer_input: config.spec().to_path_buf(),
            config,
        });
    }
    if Path::new(GITHUB).is_file() {
        found.push(Description {
            name: "github",
            config: Config::new(GITHUB).crate_name("github"),
            peer_input: PathBuf::from(GITHUB),
        });
    } else {
        eprintln!("note: {GITHUB} is absent: GitHub is left out");
    }
    found
}

/// Everything measured for one description, as JSON.
fn bench_one(d: &Description, args: &BenchArgs, peer: Option<&Path>) -> Result<Value, String> {
    eprintln!("bench: {}", d.name);
    let folder = Path::new(OUT).join(d.name);
    let ours_dir = folder.join("apigen");
    let ours = whole_process(args.runs, &folder.join("logs/apigen.log"), || {
        let _ = std::fs::remove_dir_all(&ours_dir);
        generate_command(&d.config, &ours_dir)
    })?;
    let stages = stages(&d.config, args.runs, &folder.join("stages"))?;
    let peer_dir = folder.join("openapi-generator");
    let theirs = match peer {
        Some(peer) => Some(whole_process(
            args.peer_runs,
            &folder.join("logs/openapi-generator.log"),
            || {
                let _ = std::fs::remove_dir_all(&peer_dir);
                let mut command = Command::new(peer);
                command
                    .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
                    .arg(&d.peer_input)
                    .arg("-o")
                    .arg(&peer_dir);
                command
            },
        )?),
        None => None,
    };
    let ratio_of = |key: &str| {
        theirs
            .as_ref()
            .map(|t| round(t[key].as_f64().unwrap_or(0.0) / ours[key].as_f64().unwrap_or(1.0)))
    };
    let (ratio, cpu_ratio) = (ratio_of("median_ms"), ratio_of("median_cpu_ms"));
    let compile = if args.compile {
        // Not resources: the runtime's own features, `full` (which names them all), and the two
        // that add what the default leaves out (every type, `Serialize` on every type).
        let mut runtime =
            compile::features(&std::fs::read_to_string("templates/Cargo.toml").unwrap_or_default());
        runtime.extend(
            [
                "full",
                apigen::features::STANDALONE_TYPES,
                apigen::features::SERIALIZE,
            ]
            .map(String::from),
        );
        let resource = args.resource.as_deref();
        let ours = check_json(compile::check(&ours_dir, Some(&runtime), resource)?);
        let theirs = match theirs {
            Some(_) => Some(check_json(compile::check(&peer_dir, None, None)?)),
            None => None,
        };
        json!({ "apigen": ours, "openapi_generator": theirs })
    } else {
        Value::Null
    };
    Ok(json!({
        "name": d.name,
        "spec": d.config.spec().display().to_string(),
        "apigen": ours,
        "openapi_generator": theirs,
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "stages": stages,
        "compile": compile,
    }))
}

/// `xtask generate` for `config` into `out`, as a user runs it.
fn generate_command(config: &Config, out: &Path) -> Command {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("xtask"));
    let mut command = Command::new(exe);
    command
        .arg("generate")
        .args(
            config
                .clone()
                .regenerate_command("cargo xtask bench")
                .to_args(),
        )
        .arg("--out")
        .arg(out);
    command
}

/// Runs `command()` once to warm the file cache, then `runs` times; the median and the peak.
fn whole_process(runs: usize, log: &Path, command: impl Fn() -> Command) -> Result<Value, String> {
    child::run(command(), log)?;
    let mut times = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    let mut peak = 0;
    for _ in 0..runs {
        let run = child::run(command(), log)?;
        times.push(run.wall);
        cpu.push(run.cpu);
        peak = peak.max(run.peak_bytes);
    }
    Ok(json!({
        "runs": runs,
        "median_ms": round(median_ms(&mut times)),
        "median_cpu_ms": round(median_ms(&mut cpu)),
        "min_ms": round(ms(times[0])),
        "max_ms": round(ms(times[times.len() - 1])),
        "peak_mb": round(peak as f64 / (1 << 20) as f64),
    }))
}

/// The library's stages, then writing the files into `out`, in this process: the median of each
/// over `runs` runs (after one warm-up).
fn stages(config: &Config, runs: usize, out: &Path) -> Result<Value, String> {
    let mut times: Vec<(String, Vec<Duration>)> = Stage::ALL
        .iter()
        .map(|s| (s.describe().to_string(), Vec::new()))
        .chain([("write the files".to_string(), Vec::new())])
        .collect();
    for run in 0..=runs {
        let mut laps = Vec::new();
        let output = apigen::generate_timed(config, &mut |_, time| laps.push(time))
            .map_err(|e| e.to_string())?;
        let _ = std::fs::remove_dir_all(out);
        let started = Instant::now();
        apigen::write::write_files(out, &output.files, true)
            .map_err(|e| format!("writing {}: {e}", out.display()))?;
        laps.push(started.elapsed());
        drop(output);
        if run > 0 {
            for ((_, stage), lap) in times.iter_mut().zip(laps) {
                stage.push(lap);
            }
        }
    }
    Ok(times
        .into_iter()
        .map(
            |(stage, mut laps)| json!({ "stage": stage, "median_ms": round(median_ms(&mut laps)) }),
        )
        .collect())
}

/// One crate's checks, as JSON.
fn check_json(checked: compile::Checked) -> Value {
    let run = |run: &child::Run| {
        json!({
            "seconds": round(run.wall.as_secs_f64()),
            "cpu_seconds": round(run.cpu.as_secs_f64()),
            "peak_mb": round(run.peak_bytes as f64 / (1 << 20) as f64),
        })
    };
    json!({
        "features": checked.note,
        "all": run(&checked.all),
        "one_resource": checked.one.as_ref().map(|(name, r)| json!({ "resource": name, "check": run(r) })),
    })
}

/// The report as Markdown: one table of whole-process figures, one of stages, one of checks.
fn markdown(report: &Value) -> String {
    let mut out = String::new();
    let descriptions = report["descriptions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n`{}` on {}\n",
        report["command"].as_str().unwrap_or(""),
        report["machine"]["summary"].as_str().unwrap_or("")
    );
    let _ = writeln!(
        out,
        "Whole process, start to exit: median wall time; median CPU time (user + system) of the \
         process tree; peak = its largest resident set.\n"
    );
    let _ = writeln!(out, "| description | apigen | apigen CPU | apigen peak | openapi-generator | openapi-generator CPU | openapi-generator peak | ratio (wall) | ratio (CPU) |");
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|");
    let cell = |value: &Value, unit: &str| match value {
        Value::Null => "—".to_string(),
        value => format!("{value} {unit}"),
    };
    let times = |value: &Value| value.as_f64().map_or("—".into(), |r| format!("{r:.1}×"));
    for d in &descriptions {
        let (ours, peer) = (&d["apigen"], &d["openapi_generator"]);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            d["name"].as_str().unwrap_or(""),
            cell(&ours["median_ms"], "ms"),
            cell(&ours["median_cpu_ms"], "ms"),
            cell(&ours["peak_mb"], "MB"),
            cell(&peer["median_ms"], "ms"),
            cell(&peer["median_cpu_ms"], "ms"),
            cell(&peer["peak_mb"], "MB"),
            times(&d["ratio"]),
            times(&d["cpu_ratio"]),
        );
    }
    let _ = writeln!(out, "\nStages, in process (medians, ms):\n");
    let names: Vec<&str> = descriptions
        .iter()
        .map(|d| d["name"].as_str().unwrap_or(""))
        .collect();
    let _ = writeln!(out, "| stage | {} |", names.join(" | "));
    let _ = writeln!(out, "|---|{}", "--:|".repeat(names.len()));
    let stage_names: Vec<String> = descriptions
        .first()
        .and_then(|d| d["stages"].as_array())
        .map(|s| {
            s.iter()
                .map(|s| s["stage"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    for (i, stage) in stage_names.iter().enumerate() {
        let cells: Vec<String> = descriptions
            .iter()
            .map(|d| d["stages"][i]["median_ms"].to_string())
            .collect();
        let _ = writeln!(out, "| {stage} | {} |", cells.join(" | "));
    }
    if descriptions.iter().any(|d| !d["compile"].is_null()) {
        let _ = writeln!(out, "\n`cargo check`, dependencies built (the crate's `src/lib.rs` touched, CARGO_INCREMENTAL=0); peak = largest resident set in the cargo process tree (wait4 ru_maxrss, rustc's):\n");
        let _ = writeln!(
            out,
            "| description | crate | features | check | CPU | peak |"
        );
        let _ = writeln!(out, "|---|---|---|--:|--:|--:|");
        for d in &descriptions {
            for (tool, key) in [
                ("apigen", "apigen"),
                ("openapi-generator", "openapi_generator"),
            ] {
                let c = &d["compile"][key];
                if c.is_null() {
                    continue;
                }
                let name = d["name"].as_str().unwrap_or("");
                let features = c["features"].as_str().unwrap_or("");
                let _ = writeln!(
                    out,
                    "| {name} | {tool} | {features}, all | {} s | {} s | {} MB |",
                    c["all"]["seconds"], c["all"]["cpu_seconds"], c["all"]["peak_mb"]
                );
                if let Some(one) = c["one_resource"].as_object() {
                    let _ = writeln!(
                        out,
                        "| {name} | {tool} | only `{}` | {} s | {} s | {} MB |",
                        one["resource"].as_str().unwrap_or(""),
                        one["check"]["seconds"],
                        one["check"]["cpu_seconds"],
                        one["check"]["peak_mb"]
                    );
                }
            }
        }
    }
    out
}

/// This command line, for the report.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("cargo run --release -p xtask -- {}", args.join(" "))
}

/// What the machine is and how busy it was, for the report.
fn machine() -> Value {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    json!({
        "cores": cores,
        "load_average": load.join(" "),
        "profile": profile,
        "summary": format!("{cores} cores, load average {} at the end, {profile} build", load.join(" ")),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Two decimals are plenty for a report.
fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The median, in milliseconds (sorts `times`).
fn median_ms(times: &mut [Duration]) -> f64 {
    times.sort();
    let n = times.len();
    let middle = if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2
    };
    ms(middle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles() {
        let mut times: Vec<Duration> = (1..=10).rev().map(Duration::from_millis).collect();
        assert_eq!(median_ms(&mut times), 5.5);
        assert_eq!(times[0], Duration::from_millis(1));
        assert_eq!(median_ms(&mut [Duration::from_millis(3)]), 3.0);
    }

    #[test]
    fn the_report_is_a_table_per_kind_of_figure() {
        let report = json!({
            "command": "cargo run --release -p xtask -- bench",
            "machine": {"summary": "2 cores"},
            "descriptions": [{
                "name": "x", "apigen": {"median_ms": 10.0, "peak_mb": 5.0},
                "openapi_generator": {"median_ms": 400.0, "peak_mb": 300.0}, "ratio": 40.0,
                "stages": [{"stage": "lower", "median_ms": 1.5}],
                "compile": null,
            }],
        });
        let text = markdown(&report);
        assert!(
            text.contains("| x | 10.0 ms | — | 5.0 MB | 400.0 ms | — | 300.0 MB | 40.0× | — |"),
            "{text}"
        );
        assert!(text.contains("| lower | 1.5 |"), "{text}");
        assert!(!text.contains("cargo check"), "{text}");
    }
}
