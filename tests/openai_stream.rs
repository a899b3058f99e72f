//! The client generated from OpenAI's description (`../shared/specs/frontier/openai`, no
//! overlay) streams its chat completion: the client is generated into Cargo's temporary
//! directory with `tests/openai-stream/stream_chat.rs` as its test, and that test runs with only
//! the `chat` resource compiled, against a loopback server that streams only when the body says
//! `stream: true`. Skipped when the shared specs are absent, except under `CI=true`, where it
//! fails; `APIGEN_SPECS` names another folder holding them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn specs() -> PathBuf {
    match std::env::var_os("APIGEN_SPECS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs"),
    }
}

#[test]
fn the_openai_client_streams_its_chat_completion() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = specs().join("frontier/openai/openapi.yaml");
    if !spec.is_file() {
        // In CI the description must be there: a test that did nothing must not pass there.
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is absent (CI=true)",
            spec.display()
        );
        eprintln!("skipped: {} is absent", spec.display());
        return;
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("openai-stream");
    let output =
        apigen::generate(&apigen::Config::new(&spec)).expect("OpenAI's description generates");
    for (file, text) in &output.files {
        let mut text = text.clone();
        if file.as_str() == "Cargo.toml" {
            // Its own workspace, and what the copied test needs.
            text.push_str(
                "\n[workspace]\n\n[dev-dependencies]\n\
                 tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n\
                 wiremock = \"0.6\"\n",
            );
        }
        apigen::write::ensure_file_contents(&out.join(file), &text)
            .expect("the target dir is writable");
    }
    let test = std::fs::read_to_string(root.join("tests/openai-stream/stream_chat.rs")).unwrap();
    apigen::write::ensure_file_contents(&out.join("tests/stream_chat.rs"), &test).unwrap();
    // The workspace's lock file pins the same versions, so nothing is resolved anew.
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    apigen::write::ensure_file_contents(&out.join("Cargo.lock"), &lock).unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .args([
            "test",
            "--offline",
            "--no-default-features",
            "--features",
            "chat",
        ])
        .args(["--test", "stream_chat"])
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "the generated OpenAI client's stream test failed"
    );
}
