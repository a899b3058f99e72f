//! How example code reaches an operation's method from a client.

use super::ident;
use crate::ir::Operation;
use proc_macro2::TokenStream;
use quote::quote;

/// The receiver and method that start `op`'s request from a `client: Client` in scope
/// (`client.create_contact`), for the doc examples, the crate's quick start and the conformance
/// harness: every piece of generated example code names a method through this one function.
pub(crate) fn method_call(op: &Operation) -> TokenStream {
    let method = ident(&op.fn_name);
    quote!(client.#method)
}
