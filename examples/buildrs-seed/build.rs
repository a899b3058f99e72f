//! Generates the client into `OUT_DIR/client.rs` from `spec/openapi.yaml`, which references
//! `spec/schemas.yaml`, with the fixes in `spec/overlay.yaml`. Cargo reruns this script exactly when one of those files changes (apigen
//! prints `cargo:rerun-if-changed` for every file it read), and a problem in the description fails
//! the build with its file, line and JSON pointer.

fn main() {
    apigen::build::build_or_exit(
        apigen::Config::new("spec/openapi.yaml")
            .overlay("spec/overlay.yaml")
            .crate_name("buildrs-seed"),
    );
}
