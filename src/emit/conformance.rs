//! The conformance harness: every operation's example request (the same one its doc example
//! shows), sent through the generated client, for `cargo xtask conformance` and
//! `tests/conformance.rs`, which run it against a validating mock of the description.

use super::ident;
use super::request_example::{request_example, RequestExample};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// A module (one file) with `pub async fn run(client: &Client) -> Vec<Outcome>`: one entry per
/// operation, in document order, naming the operation and saying whether its example request
/// was accepted and its response decoded (`Ok`) or what went wrong (`Err`, the error's text).
pub fn emit_conformance_harness(api: &Api, lib: &str) -> TokenStream {
    let krate = ident(lib);
    let mut calls = Vec::new();
    let mut runs = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        let name = format_ident!("call_{i}");
        let RequestExample { lets, call } = request_example(api, op);
        calls.push(quote! {
            async fn #name(client: &#krate::Client) -> Result<(), Box<dyn std::error::Error>> {
                #(#lets)*
                let _response = #call.await?;
                Ok(())
            }
        });
        let id = Literal::string(&op.id);
        let method = op.method.as_str();
        let path = &op.path;
        runs.push(quote! {
            outcomes.push(Outcome {
                operation: #id,
                request: concat!(#method, " ", #path),
                result: #name(client).await.map_err(|e| e.to_string()),
            });
        });
    }
    let credentials = match &api.auth {
        Auth::Bearer => quote!(.bearer_token("conformance-token")),
        Auth::Basic => quote!(.basic_auth("conformance", "conformance")),
        Auth::Header(name) => quote! {
            .auth(#krate::runtime::Auth::Header {
                name: #name.to_string(),
                value: #krate::runtime::Secret::new("conformance-key".to_string()),
            })
        },
        Auth::Query(name) => quote! {
            .auth(#krate::runtime::Auth::Query {
                name: #name.to_string(),
                value: #krate::runtime::Secret::new("conformance-key".to_string()),
            })
        },
        Auth::None => quote!(),
    };
    quote! {
        //! Every operation's example request, sent through the generated client.

        #![allow(deprecated, unused_imports, clippy::all)]

        use #krate::types;

        /// What one operation's example request came to.
        #[derive(Debug)]
        pub struct Outcome {
            /// The operation's id.
            pub operation: &'static str,
            /// Its method and path.
            pub request: &'static str,
            /// `Ok` when the request was accepted and its response decoded, else the error.
            pub result: Result<(), String>,
        }

        /// A client for the server at `base_url`, with placeholder credentials of the kind the
        /// description asks for.
        pub fn client(base_url: &str) -> Result<#krate::Client, #krate::runtime::BuildError> {
            #krate::Client::builder().base_url(base_url) #credentials .build()
        }

        /// Sends every operation's example request, one after the other, in document order.
        pub async fn run(client: &#krate::Client) -> Vec<Outcome> {
            let mut outcomes = Vec::new();
            #(#runs)*
            outcomes
        }

        #(#calls)*
    }
}
