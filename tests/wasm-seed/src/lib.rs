//! The tests of this crate run the generated seed client (`generated/intercom-seed`) compiled for
//! `wasm32-unknown-unknown`, under Node.js with `wasm-bindgen-test-runner`, against the loopback
//! server of `run.mjs`, which starts it and then runs them:
//!
//! ```text
//! node tests/wasm-seed/run.mjs
//! ```
//!
//! Natively the crate is empty.
