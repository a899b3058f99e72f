//! The one place the bench's latest figures live: `docs/figures/bench.json`, from which every run
//! of `cargo xtask bench` (and `bench --redraw`, which measures nothing) writes `docs/figures.md`
//! (the tables) and `docs/figures/bench.svg` (the chart), so that no page repeats figures that go
//! stale.
//!
//! A run replaces only what it measured: the generation figures of each description it ran beside
//! openapi-generator (without the peer there is no comparison, and the recorded one stays), and the
//! `cargo check` figures of each description it compiled. Each entry keeps the command, the date
//! and the machine of the run that measured it.

use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::path::Path;

/// The record of the latest figures, relative to the workspace root.
pub const RECORD: &str = "docs/figures/bench.json";
/// The page of tables the record is shown on.
pub const PAGE: &str = "docs/figures.md";
/// The chart.
pub const CHART: &str = "docs/figures/bench.svg";

/// Merges what `report` (one run's JSON, as `bench` writes it to `target/bench/latest.json`)
/// measured into `record`; `when` is the run's date. Returns whether anything was replaced.
pub fn merge(record: &mut Value, report: &Value, when: &str) -> bool {
    if !record.is_object() {
        *record = json!({});
    }
    let run = json!({
        "when": when,
        "command": report["command"],
        "machine": report["machine"]["summary"],
    });
    let mut changed = false;
    for d in report["descriptions"].as_array().into_iter().flatten() {
        let Some(name) = d["name"].as_str() else {
            continue;
        };
        if !d["openapi_generator"].is_null() {
            let entry = json!({
                "run": run,
                "apigen": d["apigen"],
                "openapi_generator": d["openapi_generator"],
                "ratio": d["ratio"],
                "cpu_ratio": d["cpu_ratio"],
            });
            section(record, "generation").insert(name.to_string(), entry);
            changed = true;
        }
        if !d["compile"].is_null() && !d["compile"]["openapi_generator"].is_null() {
            let entry = json!({
                "run": run,
                "apigen": d["compile"]["apigen"],
                "openapi_generator": d["compile"]["openapi_generator"],
            });
            section(record, "compile").insert(name.to_string(), entry);
            changed = true;
        }
    }
    changed
}

/// The object `record[key]`, made if absent.
fn section<'a>(record: &'a mut Value, key: &str) -> &'a mut Map<String, Value> {
    let map = record.as_object_mut().expect("the record is an object");
    let entry = map.entry(key).or_insert_with(|| json!({}));
    if !entry.is_object() {
        *entry = json!({});
    }
    entry.as_object_mut().expect("an object")
}

/// Reads the record, merges `report` into it (when given), and writes the record, the page and the
/// chart. The current directory is the workspace root.
pub fn update(report: Option<&Value>, when: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(RECORD).map_err(|e| format!("{RECORD}: {e}"))?;
    let mut record: Value = serde_json::from_str(&text).map_err(|e| format!("{RECORD}: {e}"))?;
    if let Some(report) = report {
        if !merge(&mut record, report, when) {
            eprintln!(
                "note: nothing measured beside openapi-generator: {RECORD} keeps its figures"
            );
        }
    }
    let json = serde_json::to_string_pretty(&record).map_err(|e| e.to_string())? + "\n";
    for (path, text) in [(RECORD, json), (PAGE, page(&record)), (CHART, svg(&record))] {
        apigen::write::ensure_file_contents(Path::new(path), &text)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    eprintln!("bench: wrote {PAGE} and {CHART} from {RECORD}");
    Ok(())
}

/// A description's name as a reader knows it.
fn title(name: &str) -> &str {
    match name {
        "intercom-2.13" => "Intercom 2.13",
        "github" => "GitHub",
        other => other,
    }
}

fn num(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

/// Milliseconds as a reader takes them: `84.0 ms`, `3.86 s`.
fn duration_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}

/// `docs/figures.md`: the tables of the record, and the chart.
pub fn page(record: &Value) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Bench figures\n\n\
         Written by `cargo xtask bench` (run it as `cargo run --release -p xtask -- bench`; \
         `--redraw` rewrites this page and the chart from `{RECORD}` without measuring): do not edit. \
         Each table row names the run that measured it; [speed.md](speed.md) says how the figures \
         are measured and what changed them.\n\n\
         ![Generation and cargo check, apigen against openapi-generator](figures/bench.svg)\n"
    );
    let generation = record["generation"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    if !generation.is_empty() {
        let _ = writeln!(
            out,
            "## Generation, start to exit\n\n\
             Median wall time and CPU time (user + system of the process tree); peak = its largest \
             resident set.\n\n\
             | description | apigen, wall | apigen, CPU | apigen, peak | openapi-generator, wall | openapi-generator, CPU | openapi-generator, peak | ratio (wall / CPU) | run |\n\
             |---|--:|--:|--:|--:|--:|--:|--:|---|"
        );
        for (name, e) in &generation {
            let (ours, theirs) = (&e["apigen"], &e["openapi_generator"]);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} MB | {} | {} | {} MB | **{:.1}× / {:.1}×** | {} |",
                title(name),
                duration_ms(num(&ours["median_ms"])),
                duration_ms(num(&ours["median_cpu_ms"])),
                num(&ours["peak_mb"]).round(),
                duration_ms(num(&theirs["median_ms"])),
                duration_ms(num(&theirs["median_cpu_ms"])),
                num(&theirs["peak_mb"]).round(),
                num(&e["ratio"]),
                num(&e["cpu_ratio"]),
                run_cell(&e["run"]),
            );
        }
        out.push('\n');
    }
    let compile = record["compile"].as_object().cloned().unwrap_or_default();
    if !compile.is_empty() {
        let _ = writeln!(
            out,
            "## `cargo check` of the generated crate\n\n\
             Dependencies built, the crate's `src/lib.rs` touched, `CARGO_INCREMENTAL=0`; the peak is \
             rustc's.\n\n\
             | description | crate | features | check, wall | CPU | peak | run |\n\
             |---|---|---|--:|--:|--:|---|"
        );
        for (name, e) in &compile {
            for (crate_name, c) in [
                ("apigen", &e["apigen"]),
                ("openapi-generator", &e["openapi_generator"]),
            ] {
                let features = c["features"].as_str().unwrap_or("default");
                let _ = writeln!(
                    out,
                    "| {} | {crate_name} | {features} | {:.1} s | {:.1} s | {} MB | {} |",
                    title(name),
                    num(&c["all"]["seconds"]),
                    num(&c["all"]["cpu_seconds"]),
                    num(&c["all"]["peak_mb"]).round(),
                    run_cell(&e["run"]),
                );
                if let Some(one) = c["one_resource"].as_object() {
                    let _ = writeln!(
                        out,
                        "| {} | {crate_name} | only `{}` | {:.1} s | {:.1} s | {} MB | {} |",
                        title(name),
                        one["resource"].as_str().unwrap_or(""),
                        num(&one["check"]["seconds"]),
                        num(&one["check"]["cpu_seconds"]),
                        num(&one["check"]["peak_mb"]).round(),
                        run_cell(&e["run"]),
                    );
                }
            }
        }
    }
    out
}

/// The run column: its date, and its command and machine in a tooltip-free note.
fn run_cell(run: &Value) -> String {
    format!(
        "{}: `{}`, {}",
        run["when"].as_str().unwrap_or("?"),
        run["command"].as_str().unwrap_or("?").replace('|', "\\|"),
        run["machine"].as_str().unwrap_or("?")
    )
}

/// One bar of the chart: its label, its length's value and the text at its end.
struct Bar {
    label: String,
    value: f64,
    text: String,
    ours: bool,
}

/// One group of bars, scaled to its largest.
struct Group {
    heading: String,
    bars: Vec<Bar>,
}

/// The chart's groups: for each description, generation wall time, then `cargo check` time and
/// peak memory where recorded.
fn groups(record: &Value) -> Vec<Group> {
    let mut groups = Vec::new();
    let bar = |label: &str, value: f64, text: String, ours: bool| Bar {
        label: label.to_string(),
        value,
        text,
        ours,
    };
    for (name, e) in record["generation"].as_object().into_iter().flatten() {
        let (ours, theirs) = (
            num(&e["apigen"]["median_ms"]),
            num(&e["openapi_generator"]["median_ms"]),
        );
        groups.push(Group {
            heading: format!(
                "{}: generation, wall time ({:.1}× faster)",
                title(name),
                num(&e["ratio"])
            ),
            bars: vec![
                bar("apigen", ours, duration_ms(ours), true),
                bar("openapi-generator", theirs, duration_ms(theirs), false),
            ],
        });
    }
    for (name, e) in record["compile"].as_object().into_iter().flatten() {
        let (ours, theirs) = (&e["apigen"], &e["openapi_generator"]);
        let mut time = vec![bar(
            "apigen, all features",
            num(&ours["all"]["seconds"]),
            format!("{:.1} s", num(&ours["all"]["seconds"])),
            true,
        )];
        let mut memory = vec![bar(
            "apigen, all features",
            num(&ours["all"]["peak_mb"]),
            format!("{} MB", num(&ours["all"]["peak_mb"]).round()),
            true,
        )];
        if let Some(one) = ours["one_resource"].as_object() {
            let label = format!("apigen, only {}", one["resource"].as_str().unwrap_or("one"));
            let seconds = num(&one["check"]["seconds"]);
            time.push(bar(&label, seconds, format!("{seconds:.1} s"), true));
            let peak = num(&one["check"]["peak_mb"]);
            memory.push(bar(&label, peak, format!("{} MB", peak.round()), true));
        }
        let seconds = num(&theirs["all"]["seconds"]);
        time.push(bar(
            "openapi-generator",
            seconds,
            format!("{seconds:.1} s"),
            false,
        ));
        let peak = num(&theirs["all"]["peak_mb"]);
        memory.push(bar(
            "openapi-generator",
            peak,
            format!("{} MB", peak.round()),
            false,
        ));
        groups.push(Group {
            heading: format!("{}: cargo check, wall time", title(name)),
            bars: time,
        });
        groups.push(Group {
            heading: format!("{}: cargo check, peak memory", title(name)),
            bars: memory,
        });
    }
    groups
}

/// Escapes text for SVG.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `docs/figures/bench.svg`: a horizontal bar chart, one group per comparison, each scaled to its
/// largest bar (apigen's bars blue, openapi-generator's grey), written directly as SVG.
pub fn svg(record: &Value) -> String {
    const WIDTH: f64 = 760.0;
    const LABEL: f64 = 190.0;
    const BAR_SPACE: f64 = 460.0;
    const BAR: f64 = 18.0;
    const GAP: f64 = 6.0;
    let groups = groups(record);
    let mut body = String::new();
    let mut y = 34.0;
    for group in &groups {
        let _ = writeln!(
            body,
            r#"  <text x="10" y="{y:.0}" font-weight="bold">{}</text>"#,
            xml(&group.heading)
        );
        y += 10.0;
        let largest = group.bars.iter().map(|b| b.value).fold(0.0, f64::max);
        for bar in &group.bars {
            let length = if largest > 0.0 {
                (bar.value / largest * BAR_SPACE).max(1.0)
            } else {
                1.0
            };
            let colour = if bar.ours { "#2f6fb3" } else { "#9a9a9a" };
            let text_y = y + BAR - 5.0;
            let _ = writeln!(
                body,
                r#"  <text x="{:.0}" y="{text_y:.0}" text-anchor="end">{}</text>"#,
                LABEL - 8.0,
                xml(&bar.label)
            );
            let _ = writeln!(
                body,
                r#"  <rect x="{LABEL:.0}" y="{y:.0}" width="{length:.1}" height="{BAR:.0}" fill="{colour}"/>"#
            );
            let _ = writeln!(
                body,
                r#"  <text x="{:.1}" y="{text_y:.0}">{}</text>"#,
                LABEL + length + 6.0,
                xml(&bar.text)
            );
            y += BAR + GAP;
        }
        y += 22.0;
    }
    let height = y.max(60.0);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         \x20 <title>apigen against openapi-generator: generation and cargo check (written by cargo xtask bench)</title>\n\
         \x20 <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         \x20 <text x=\"10\" y=\"16\" fill=\"#555\">Shorter is better. Figures: docs/figures.md.</text>\n\
         {body}</svg>\n"
    )
}

/// Today's date and time in UTC, `2026-12-07 16:20 UTC`, from the system clock.
pub fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (the proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(peer: bool, compile: bool) -> Value {
        json!({
            "command": "cargo run --release -p xtask -- bench",
            "machine": {"summary": "2 cores"},
            "descriptions": [{
                "name": "intercom-2.13",
                "apigen": {"median_ms": 80.0, "median_cpu_ms": 120.0, "peak_mb": 81.0},
                "openapi_generator": if peer { json!({"median_ms": 4000.0, "median_cpu_ms": 7000.0, "peak_mb": 380.0}) } else { Value::Null },
                "ratio": if peer { json!(50.0) } else { Value::Null },
                "cpu_ratio": if peer { json!(58.3) } else { Value::Null },
                "compile": if compile { json!({
                    "apigen": {"features": "default", "all": {"seconds": 10.0, "cpu_seconds": 9.0, "peak_mb": 900.0},
                               "one_resource": {"resource": "contacts", "check": {"seconds": 2.0, "cpu_seconds": 2.0, "peak_mb": 300.0}}},
                    "openapi_generator": {"features": "default", "all": {"seconds": 30.0, "cpu_seconds": 29.0, "peak_mb": 2000.0}},
                }) } else { Value::Null },
            }],
        })
    }

    #[test]
    fn a_run_replaces_only_what_it_measured_beside_the_peer() {
        let mut record = json!({"generation": {"github": {"kept": true}}});
        assert!(
            !merge(&mut record, &report(false, false), "then"),
            "no peer, no change"
        );
        assert_eq!(record, json!({"generation": {"github": {"kept": true}}}));
        assert!(merge(
            &mut record,
            &report(true, false),
            "2026-12-07 10:00 UTC"
        ));
        assert_eq!(record["generation"]["github"], json!({"kept": true}));
        assert_eq!(record["generation"]["intercom-2.13"]["ratio"], json!(50.0));
        assert_eq!(
            record["generation"]["intercom-2.13"]["run"]["when"],
            "2026-12-07 10:00 UTC"
        );
        assert!(record["compile"].is_null(), "nothing compiled");
        assert!(merge(&mut record, &report(true, true), "later"));
        assert_eq!(
            record["compile"]["intercom-2.13"]["apigen"]["all"]["seconds"],
            json!(10.0)
        );
    }

    #[test]
    fn the_page_and_the_chart_show_every_figure() {
        let mut record = json!({});
        merge(&mut record, &report(true, true), "2026-12-07 10:00 UTC");
        let page = page(&record);
        assert!(page.contains("| Intercom 2.13 | 80.0 ms | 120.0 ms | 81 MB | 4.00 s | 7.00 s | 380 MB | **50.0× / 58.3×** |"), "{page}");
        assert!(
            page.contains("| Intercom 2.13 | apigen | only `contacts` | 2.0 s | 2.0 s | 300 MB |"),
            "{page}"
        );
        assert!(page.contains("figures/bench.svg"), "{page}");
        let chart = svg(&record);
        assert!(
            chart.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{chart}"
        );
        for text in [
            "Intercom 2.13: generation, wall time (50.0× faster)",
            "4.00 s",
            "80.0 ms",
            "apigen, only contacts",
            "2000 MB",
        ] {
            assert!(chart.contains(text), "{text} in {chart}");
        }
        // The longest bar of a group spans the bar space; the others are in proportion.
        assert!(chart.contains(r#"width="460.0""#), "{chart}");
        assert!(chart.contains(r#"width="9.2""#), "80 ms of 4 s: {chart}");
        assert_eq!(chart.matches("<rect").count(), 1 + 2 + 3 + 3, "{chart}");
        assert!(xml("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn the_date_is_the_civil_date() {
        let now = now();
        assert_eq!(now.len(), "2026-12-07 16:20 UTC".len(), "{now}");
        assert!(now.ends_with(" UTC") && now.as_bytes()[4] == b'-', "{now}");
    }
}
