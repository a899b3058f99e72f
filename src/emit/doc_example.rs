//! The `no_run` example in an operation's docs: its example request, sent and awaited, compiled
//! as a doctest.

use super::ident;
use super::request_example::{request_example, RequestExample};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The `# Example` section of `op`'s docs, for the crate whose library is `lib`.
pub(crate) fn example_doc(api: &Api, op: &Operation, lib: &str) -> Vec<String> {
    let RequestExample { lets, call } = request_example(api, op);
    let body = quote! {
        #(#lets)*
        let response = #call.await?;
        println!("{response:?}");
    };
    let mut lines = vec![" # Example".to_string(), String::new()];
    lines.extend(doctest_lines(lib, body));
    lines
}

/// `body` as a `no_run` doctest: in a hidden `async fn` that has `client: Client` and the crate's
/// `types` in scope and returns errors with `?`, formatted by prettyplease. The fence is longer
/// than any backtick run in the code, so that no string literal can close it.
pub(crate) fn doctest_lines(lib: &str, body: TokenStream) -> Vec<String> {
    let lib = ident(lib);
    let function = quote! {
        #[allow(deprecated)]
        async fn example(client: #lib::Client) -> Result<(), Box<dyn std::error::Error>> {
            #[allow(unused_imports)]
            use #lib::types;
            #body
            Ok(())
        }
    };
    let code = match syn::parse2::<syn::File>(function) {
        Ok(file) => prettyplease::unparse(&file),
        // Our own tokens that do not parse are our bug; the example is left out rather than wrong.
        Err(_) => return Vec::new(),
    };
    let code: Vec<&str> = code.lines().collect();
    // The signature (however prettyplease wrapped it) and the `use` are hidden, and so is the end.
    let opened = code
        .iter()
        .position(|l| l.ends_with('{') && !l.starts_with(' '))
        .unwrap_or(0);
    let hidden_head = opened + 3;
    let shown_end = code.len().saturating_sub(2);
    let ticks = code
        .iter()
        .map(|l| l.split(|c| c != '`').map(str::len).max().unwrap_or(0))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(ticks.max(2) + 1);
    let mut lines = vec![format!(" {fence}no_run")];
    for (i, line) in code.iter().enumerate() {
        let shown = i >= hidden_head && i < shown_end;
        let text = if shown {
            line.strip_prefix("    ").unwrap_or(line).to_string()
        } else {
            format!("# {line}")
        };
        lines.push(format!(" {}", text.trim_end()));
    }
    lines.push(format!(" {fence}"));
    lines
}
