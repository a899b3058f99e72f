//! Conformance against an independent server: every operation of `generated/intercom`, sent with
//! its doc example's request, to Stoplight Prism serving the upstream Intercom 2.13 description
//! (`spec/intercom/api.intercom.io.yaml`) with the same overlay the client is generated from
//! (`spec/intercom/overlay.yaml`). The overlay only adds what the client needs (pagination
//! extensions, paging parameters) and fixes the places where the description contradicts itself,
//! each named in a comment: with those fixes, Prism judges by the description the vendor means.
//! Prism rejects a request that breaks the description (a missing credential, a wrong body, a
//! wrong parameter) and answers with the description's example response, which the client must
//! decode.
//!
//! The harness (`tests/conformance/intercom_harness.rs`) is emitted by the generator from the same
//! description and overlay as `generated/intercom`, and checked in so that this test reuses the
//! compiled client; `harness_is_fresh` keeps it in step. Prism is installed by
//! `tools/prism/install.sh` (CI runs it). Without it the test is ignored, with the reason in the
//! test summary (the package's `build.rs` sets `cfg(prism_missing)`), except in CI (`CI=true`),
//! where it runs and fails.

// Generated and pinned by `harness_is_fresh`: rustfmt leaves it as prettyplease wrote it.
#[rustfmt::skip]
#[path = "conformance/intercom_harness.rs"]
mod harness;

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WORKSPACE: &str = env!("CARGO_MANIFEST_DIR");
const PRISM: &str = "tools/prism/node_modules/.bin/prism";
const HARNESS: &str = "tests/conformance/intercom_harness.rs";
const REGENERATE: &str = "cargo xtask conformance --spec spec/intercom/api.intercom.io.yaml \
     --overlay spec/intercom/overlay.yaml --overrides spec/intercom/fern-openapi-overrides.yml \
     --name intercom --harness-out tests/conformance/intercom_harness.rs";

/// The operations that do not conform yet, each with its cause. (The description's own
/// contradictions are fixed by the overlay.) The test fails when any other operation fails, and
/// when one of these passes (then it leaves this list). Every operation conforms today.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

#[test]
fn harness_is_fresh() {
    let config =
        apigen::Config::new(Path::new(WORKSPACE).join("spec/intercom/api.intercom.io.yaml"))
            .overlay(Path::new(WORKSPACE).join("spec/intercom/overlay.yaml"))
            .overrides(Path::new(WORKSPACE).join("spec/intercom/fern-openapi-overrides.yml"))
            .crate_name("intercom")
            .regenerate_command(REGENERATE);
    let fresh = apigen::generate_conformance_harness(&config).expect("the harness generates");
    let on_disk = std::fs::read_to_string(Path::new(WORKSPACE).join(HARNESS)).expect("harness");
    // The header names the description by the path it was given: compare what follows it.
    let body = |text: &str| text.split_once('\n').map(|(_, rest)| rest.to_string());
    assert!(
        body(&fresh) == body(&on_disk),
        "{HARNESS} is stale: run `{REGENERATE}`"
    );
}

#[test]
#[cfg_attr(
    prism_missing,
    ignore = "Prism is not installed: run tools/prism/install.sh (with CI=true this test fails instead)"
)]
fn every_operation_conforms_to_the_description_with_its_fixes() {
    let prism = Path::new(WORKSPACE).join(PRISM);
    assert!(
        prism.exists(),
        "Prism is not installed at {}: run tools/prism/install.sh",
        prism.display()
    );
    let server = Prism::start(&prism, &described_with_overlay());
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let client = harness::client(&server.url()).expect("a client");
    let outcomes = runtime.block_on(harness::run(&client));
    let passed = outcomes.iter().filter(|o| o.result.is_ok()).count();
    println!(
        "conformance: {passed} of {} operations conform",
        outcomes.len()
    );
    let mut unexpected = Vec::new();
    for outcome in &outcomes {
        let known = KNOWN_FAILURES
            .iter()
            .find(|(id, _)| *id == outcome.operation);
        match (&outcome.result, known) {
            (Ok(()), None) => {}
            (Err(e), Some((_, defect))) => {
                println!(
                    "  {} (description defect: {defect}): {e}",
                    outcome.operation
                );
            }
            (Err(e), None) => {
                unexpected.push(format!("{} {}: {e}", outcome.operation, outcome.request))
            }
            (Ok(()), Some(_)) => unexpected.push(format!(
                "{} now conforms: take it off KNOWN_FAILURES",
                outcome.operation
            )),
        }
    }
    assert_eq!(outcomes.len(), 133, "one outcome per operation");
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

/// The upstream description with the overlay applied, as JSON in the test's scratch folder: what
/// Prism serves.
fn described_with_overlay() -> std::path::PathBuf {
    let doc = apigen::overlay::apply_files(
        &Path::new(WORKSPACE).join("spec/intercom/api.intercom.io.yaml"),
        &[Path::new(WORKSPACE).join("spec/intercom/overlay.yaml")],
    )
    .expect("the description and overlay are read, and the overlay applies");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("intercom-2.13-with-overlay.json");
    std::fs::write(&out, serde_json::to_string(&doc).expect("JSON")).expect("the file is written");
    out
}

/// A Prism mock server on a free loopback port, stopped when dropped.
struct Prism {
    child: Child,
    port: u16,
}

impl Prism {
    fn start(prism: &Path, spec: &Path) -> Prism {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(prism)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(spec)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Prism starts");
        let mut server = Prism { child, port };
        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            let exited = server.child.try_wait().ok().flatten();
            assert!(exited.is_none(), "Prism exited: {exited:?}");
            assert!(
                started.elapsed() < Duration::from_secs(180),
                "Prism did not listen within 180 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
