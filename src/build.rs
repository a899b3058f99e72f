//! The build-script entry point: generate into `OUT_DIR`, tell Cargo which files to watch, and fail
//! the build with the same message the xtask prints.

use crate::{generate, Config, Layout};
use std::path::PathBuf;

/// Generates `client.rs` into `OUT_DIR` from `config` (forced to [`Layout::SingleFile`]), prints
/// `cargo:rerun-if-changed=` for exactly the files the loader read and `cargo:warning=` for each
/// warning, and returns the path written. Include it with
/// `include!(concat!(env!("OUT_DIR"), "/client.rs"));` at the crate root.
pub fn build(config: Config) -> Result<PathBuf, crate::Error> {
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let config = config.layout(Layout::SingleFile);
    // Watch the root even if loading fails, so that fixing it reruns the script.
    println!("cargo:rerun-if-changed={}", config.spec().display());
    for overlay in config.overlays() {
        println!("cargo:rerun-if-changed={}", overlay.display());
    }
    let output = generate(&config)?;
    for input in &output.inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    for warning in &output.warnings {
        println!("cargo:warning={}", warning.to_string().replace('\n', " "));
    }
    crate::write::write_files(&out_dir, &output.files, false).map_err(|source| {
        crate::Error::Read {
            path: out_dir.clone(),
            source,
        }
    })?;
    Ok(out_dir.join("client.rs"))
}
