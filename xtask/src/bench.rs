//! `cargo run --release -p xtask -- bench [--runs N] [--cargo-check]`: how long generating the full
//! Intercom 2.13 client takes, from the YAML on disk to rendered text in memory
//! ([`apigen::generate`], configured exactly as `cargo xtask codegen` configures it), stage by
//! stage (the library's own stages, [`apigen::pipeline`], timed as they run through
//! [`apigen::generate_timed`]), and how much memory one generation needs at its peak.
//!
//! Build it with `--release`: `cargo xtask bench` is a debug build (the `cargo xtask` alias runs
//! `cargo run` without `--release`), whose times say little; the bench warns when it is one.
//!
//! The peak memory (`VmHWM` in `/proc/self/status`, Linux only) is measured in a fresh child
//! process that generates once (`bench --measure-memory-once`, a hidden flag), so that the timing
//! runs do not inflate it.

use apigen::{Config, Stage};
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// The client the bench generates: generated/intercom, as `cargo xtask codegen` makes it.
const CRATE: &str = "intercom";

/// The flags of `bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Timed runs after the warm-up.
    #[arg(long, default_value_t = 30)]
    pub runs: usize,
    /// Also time `cargo check -p intercom` on the generated crate (its dependencies built first).
    #[arg(long)]
    pub cargo_check: bool,
    /// Generate once and print this process's peak resident memory (VmHWM) in kB.
    #[arg(long, hide = true)]
    pub measure_memory_once: bool,
}

/// Runs the bench. The current directory is the workspace root.
pub fn bench(args: BenchArgs) -> ExitCode {
    let Some(config) = intercom_config() else {
        eprintln!("error: `cargo xtask codegen` no longer generates a client named {CRATE}");
        return ExitCode::from(1);
    };
    if args.measure_memory_once {
        if let Err(e) = apigen::generate(&config) {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
        return match peak_memory_kb() {
            Some(kb) => {
                println!("{kb}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: no VmHWM in /proc/self/status");
                ExitCode::from(1)
            }
        };
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: this is a debug build, whose times say little: run `cargo run --release -p xtask -- bench`"
        );
    }
    if args.runs == 0 {
        eprintln!("error: --runs must be at least 1");
        return ExitCode::from(2);
    }

    println!(
        "generating {} ({} + {}), {} build: 3 warm-up runs, then {} timed",
        CRATE,
        config.spec().display(),
        config
            .overlays()
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" + "),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        args.runs
    );
    let mut stats = None;
    for _ in 0..3 {
        match apigen::generate(&config) {
            Ok(output) => stats = Some(output.stats),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    if let Some(s) = stats {
        println!(
            "  {} operations, {} types, {} examples, {} lines",
            s.operations, s.types, s.examples, s.lines
        );
    }
    let mut totals = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        let started = Instant::now();
        let output = apigen::generate(&config);
        totals.push(started.elapsed());
        drop(output);
    }
    println!("\napigen::generate, {} runs (ms):", args.runs);
    println!("  {}", summary(&mut totals));

    // The same work, stage by stage: the library reports each stage of its pipeline as it runs.
    let mut stages: Vec<(Stage, Vec<Duration>)> =
        Stage::ALL.iter().map(|s| (*s, Vec::new())).collect();
    let mut timed_totals = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        let started = Instant::now();
        let result = apigen::generate_timed(&config, &mut |stage, time| {
            if let Some((_, times)) = stages.iter_mut().find(|(s, _)| *s == stage) {
                times.push(time);
            }
        });
        timed_totals.push(started.elapsed());
        if let Err(e) = result {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    }
    println!(
        "\nstage by stage (apigen::generate_timed), {} runs (ms):",
        args.runs
    );
    let median_total: f64 = stages.iter_mut().map(|(_, t)| median_ms(t)).sum();
    for (stage, times) in &mut stages {
        let median = median_ms(times);
        println!(
            "  {:<38} {}  ({:>4.1}% of the medians' sum)",
            stage.describe(),
            summary(times),
            100.0 * median / median_total
        );
    }
    println!(
        "  {:<38} median sum {median_total:.1}; median of the whole calls {:.1}",
        "",
        median_ms(&mut timed_totals)
    );

    match measure_memory() {
        Ok(kb) => println!(
            "\npeak memory of one generation in a fresh process (VmHWM): {:.1} MB",
            kb as f64 / 1024.0
        ),
        Err(e) => println!("\npeak memory: not measured: {e}"),
    }

    if args.cargo_check {
        match time_cargo_check() {
            Ok(report) => print!("{report}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

/// The configuration `cargo xtask codegen` uses for generated/intercom.
fn intercom_config() -> Option<Config> {
    crate::codegen::repository_clients()
        .into_iter()
        .map(|(config, _)| config)
        .find(|config| config.crate_name_str() == CRATE)
}

/// Re-runs this program with `bench --measure-memory-once`, and returns the child's peak memory.
fn measure_memory() -> Result<u64, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let output = Command::new(exe)
        .args(["bench", "--measure-memory-once"])
        .output()
        .map_err(|e| format!("cannot rerun this program: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
    }
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .map_err(|e| format!("the child printed no number: {e}"))
}

/// `VmHWM` (peak resident set size) of this process, in kB.
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Builds generated/intercom once, then times `cargo check -p intercom` after touching its
/// `src/lib.rs` (its contents stay as they are): twice as Cargo does it by default, where
/// incremental compilation finds nothing changed, and twice with `CARGO_INCREMENTAL=0`, a full
/// check of the crate, as after a regeneration that changes it.
fn time_cargo_check() -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let check = |incremental: bool| -> Result<Duration, String> {
        let started = Instant::now();
        let mut command = Command::new(&cargo);
        command.args(["check", "--quiet", "-p", CRATE]);
        if !incremental {
            command.env("CARGO_INCREMENTAL", "0");
        }
        let status = command
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("`cargo check -p {CRATE}` failed"));
        }
        Ok(started.elapsed())
    };
    let lib = Path::new("generated").join(CRATE).join("src/lib.rs");
    let touch = || -> Result<(), String> {
        std::fs::File::options()
            .append(true)
            .open(&lib)
            .and_then(|file| file.set_modified(std::time::SystemTime::now()))
            .map_err(|e| format!("touching {}: {e}", lib.display()))
    };
    let first = check(true)?;
    let mut report = format!(
        "\n`cargo check -p {CRATE}` (dependencies built; the first run took {:.1} s), after touching {}:\n",
        first.as_secs_f64(),
        lib.display()
    );
    for (incremental, label) in [
        (true, "incremental (the default)"),
        (false, "CARGO_INCREMENTAL=0"),
    ] {
        let mut times = Vec::new();
        for _ in 0..2 {
            touch()?;
            times.push(check(incremental)?);
        }
        report.push_str(&format!(
            "  {label:<26} {:.1} s, {:.1} s; median {:.1} s\n",
            times[0].as_secs_f64(),
            times[1].as_secs_f64(),
            median_ms(&mut times) / 1000.0
        ));
    }
    Ok(report)
}

/// `min / median / p90 / max`, in milliseconds.
fn summary(times: &mut [Duration]) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p90 = times[((times.len() * 9).div_ceil(10)).saturating_sub(1)];
    format!(
        "min {:>7.1}  median {:>7.1}  p90 {:>7.1}  max {:>7.1}",
        ms(times[0]),
        median_ms(times),
        ms(p90),
        ms(times[times.len() - 1])
    )
}

/// The median, in milliseconds.
fn median_ms(times: &mut [Duration]) -> f64 {
    times.sort();
    let n = times.len();
    let middle = if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2
    };
    middle.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_reports_the_order_statistics() {
        let mut times: Vec<Duration> = (1..=10).rev().map(Duration::from_millis).collect();
        assert_eq!(
            summary(&mut times),
            "min     1.0  median     5.5  p90     9.0  max    10.0"
        );
        assert_eq!(median_ms(&mut [Duration::from_millis(3)]), 3.0);
    }
}
