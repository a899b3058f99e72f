//! The example tests of a generated crate.

use super::{ident, ty_tokens, From};
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// `tests/examples.rs`: every example decodes into its type; every example the generator found to
/// contradict its schema still fails to, so the list of defects stays true.
pub fn emit_example_tests(
    api: &Api,
    lib: &str,
    checked: &[(usize, Result<(), String>)],
) -> TokenStream {
    let lib = ident(lib);
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (i, result) in checked {
        let example = &api.examples[*i];
        let origin = example.origin.as_str();
        let json = serde_json::to_string(&example.value).unwrap_or_default();
        let ty = ty_tokens(api, &example.ty, From::Outside);
        let row = quote!((#origin, #json, decodes::<#ty>),);
        match result {
            Ok(()) => good.push(row),
            Err(_) => bad.push(row),
        }
    }
    quote! {
        //! Every example in the API description, decoded into the type the description gives.
        // The examples name types of every resource.
        #![cfg(feature = "full")]

        // The table is long and machine-made: rustfmt leaves it as prettyplease wrote it.
        #[rustfmt::skip]
        mod cases {
        use #lib::types;

        type Case = (&'static str, &'static str, fn(&str) -> Result<(), String>);

        fn decodes<T: serde::de::DeserializeOwned>(json: &str) -> Result<(), String> {
            serde_json::from_str::<T>(json).map(drop).map_err(|e| e.to_string())
        }

        /// Examples that agree with their schemas.
        const EXAMPLES: &[Case] = &[ #(#good)* ];

        /// Examples the generator reported as contradicting their schemas (see its warnings).
        const DEFECTS: &[Case] = &[ #(#bad)* ];

        #[test]
        fn every_example_decodes() {
            let failures: Vec<String> = EXAMPLES
                .iter()
                .filter_map(|(origin, json, decode)| decode(json).err().map(|e| format!("{origin}: {e}")))
                .collect();
            assert!(failures.is_empty(), "{} of {} examples do not decode:\n{}", failures.len(), EXAMPLES.len(), failures.join("\n"));
        }

        #[test]
        fn every_reported_defect_is_real() {
            let decoded: Vec<&str> = DEFECTS.iter().filter(|(_, json, decode)| decode(json).is_ok()).map(|(origin, _, _)| *origin).collect();
            assert!(decoded.is_empty(), "reported as defects but decode: {decoded:?}");
        }
        }
    }
}
