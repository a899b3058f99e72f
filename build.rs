//! Says whether the tests that need Stoplight Prism can run, for `tests/conformance.rs`.
//!
//! libtest decides at compile time whether a test is ignored, so the decision is made here:
//! `cfg(prism_missing)` is set when `tools/prism/node_modules/.bin/prism` is absent and the build
//! is not in CI, and the test carries `#[cfg_attr(prism_missing, ignore = "…")]`, which the test
//! summary shows with its reason. In CI (`CI` set to anything but `false`/`0`) the cfg is never
//! set: the test runs and fails when Prism is missing. Outside this repository (a packaged crate
//! has no `tools/`) nothing is watched but this file, so a user's build never reruns it.

use std::path::Path;

fn main() {
    println!("cargo:rustc-check-cfg=cfg(prism_missing)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CI");
    let tools = Path::new("tools/prism");
    if !tools.is_dir() {
        return;
    }
    let prism = tools.join("node_modules/.bin/prism");
    // Watch the binary once it is there (one file), else the folder it will be installed into
    // (without node_modules, a folder of three files), so that installing or removing Prism
    // reruns this script, and nothing else does.
    let watched = if prism.exists() { &prism } else { tools };
    println!("cargo:rerun-if-changed={}", watched.display());
    let in_ci = std::env::var("CI").is_ok_and(|ci| !matches!(ci.trim(), "" | "false" | "0"));
    if !prism.exists() && !in_ci {
        println!("cargo:rustc-cfg=prism_missing");
    }
}
