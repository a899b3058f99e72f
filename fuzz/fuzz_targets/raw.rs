//! Raw bytes as a description, given in memory: whatever the bytes hold, `generate` returns an
//! error or a client, and never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 are not a description (read from a file, they fail to read).
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let config = apigen::Config::from_text("in-memory/openapi.yaml", text);
    if let Ok(output) = apigen::generate(&config) {
        for name in ["src/types.rs", "src/operations.rs", "src/lib.rs"] {
            let text = output
                .files
                .get(name)
                .unwrap_or_else(|| panic!("no {name}"));
            if let Err(e) = syn::parse_file(text) {
                panic!("{name} does not parse: {e}\n{text}");
            }
        }
    }
});
