//! The output does not depend on how many threads render it: Intercom 2.13, configured as `cargo
//! xtask codegen` configures it (overlay and fern overrides), gives the same bytes in every file on
//! one thread and on four, with the big files cut into many chunks that the threads share.

use apigen::Config;

fn intercom(threads: usize) -> Config {
    Config::new("spec/intercom/api.intercom.io.yaml")
        .overlay("spec/intercom/overlay.yaml")
        .overrides("spec/intercom/fern-openapi-overrides.yml")
        .crate_name("intercom")
        .crate_version("2.13.0")
        .threads(threads)
}

#[test]
fn one_thread_and_four_give_identical_files() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the workspace root exists");
    let one = apigen::generate(&intercom(1)).expect("Intercom 2.13 generates on one thread");
    let four = apigen::generate(&intercom(4)).expect("Intercom 2.13 generates on four threads");
    assert_eq!(
        one.files.keys().collect::<Vec<_>>(),
        four.files.keys().collect::<Vec<_>>()
    );
    for (path, text) in &one.files {
        assert!(
            four.files[path] == *text,
            "{path} differs between one thread and four"
        );
    }
    assert_eq!(one.warnings, four.warnings);
    assert_eq!(one.stats, four.stats);
    // Big enough that the threads share its chunks: thousands of lines in each big file.
    assert!(
        one.files["src/types.rs"].lines().count() > 10_000,
        "Intercom's types.rs is smaller than expected"
    );
}
