//! The example tests of a generated crate.

use super::{ident, ty_tokens, From};
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// An example's JSON text as a literal: a raw string where it has a quote or a backslash, so that
/// it reads as it is (and costs no escaping to emit and format); `"1"` and the like as they are.
fn json_literal(json: &str) -> Literal {
    match json.contains(['"', '\\']) {
        true => super::raw_string(json),
        false => Literal::string(json),
    }
}

/// `tests/examples.rs`: every example decodes into its type; every example the generator found to
/// contradict its schema still fails to, so the list of defects stays true. The examples of the
/// types no operation uses are in a module of their own, compiled with the feature that compiles
/// those types.
pub fn emit_example_tests(
    api: &Api,
    lib: &str,
    decodes: &[bool],
    analysis: &crate::analysis::Analysis,
) -> TokenStream {
    let gates = &analysis.gates;
    let mut operations = Rows::default();
    let mut standalone = Rows::default();
    for (example, &decodes) in api.examples.iter().zip(decodes) {
        let origin = example.origin.as_str();
        let json = json_literal(&serde_json::to_string(&example.value).unwrap_or_default());
        let ty = ty_tokens(api, &example.ty, From::Outside);
        let row = quote!((#origin, #json, decodes::<#ty>),);
        let rows = match only_standalone(&example.ty, gates) {
            true => &mut standalone,
            false => &mut operations,
        };
        match decodes {
            true => rows.good.push(row),
            false => rows.bad.push(row),
        }
    }
    let lib = ident(lib);
    let operations = tables(operations);
    let standalone = (!standalone.good.is_empty() || !standalone.bad.is_empty()).then(|| {
        let cfg = crate::features::standalone_cfg();
        let tables = tables(standalone);
        quote! {
            /// The examples of the types no operation uses, compiled with the feature that
            /// compiles those types.
            #cfg
            mod standalone {
            use super::*;

            #tables
            }
        }
    });
    let full = crate::features::full_inner_cfg();
    quote! {
        //! Every example in the API description, decoded into the type the description gives.
        // The examples name types of every resource.
        #full

        // The table is long and machine-made: rustfmt leaves it as prettyplease wrote it.
        #[rustfmt::skip]
        mod cases {
        use #lib::types;

        type Case = (&'static str, &'static str, fn(&str) -> Result<(), String>);

        fn decodes<T: serde::de::DeserializeOwned>(json: &str) -> Result<(), String> {
            serde_json::from_str::<T>(json).map(drop).map_err(|e| e.to_string())
        }

        /// Every example of `examples` decodes.
        fn all_decode(examples: &[Case]) {
            let failures: Vec<String> = examples
                .iter()
                .filter_map(|(origin, json, decode)| decode(json).err().map(|e| format!("{origin}: {e}")))
                .collect();
            assert!(failures.is_empty(), "{} of {} examples do not decode:\n{}", failures.len(), examples.len(), failures.join("\n"));
        }

        /// No example of `defects` decodes.
        fn none_decodes(defects: &[Case]) {
            let decoded: Vec<&str> = defects.iter().filter(|(_, json, decode)| decode(json).is_ok()).map(|(origin, _, _)| *origin).collect();
            assert!(decoded.is_empty(), "reported as defects but decode: {decoded:?}");
        }

        #operations
        #standalone
        }
    }
}

/// The rows of one module's two tables.
#[derive(Default)]
struct Rows {
    good: Vec<TokenStream>,
    bad: Vec<TokenStream>,
}

/// Whether `ty` names a type compiled only with the standalone feature.
fn only_standalone(ty: &Ty, gates: &[Option<crate::features::Gate>]) -> bool {
    match ty {
        Ty::Named(id) => gates[id.0]
            .as_ref()
            .is_some_and(crate::features::Gate::only_standalone),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
            only_standalone(inner, gates)
        }
        _ => false,
    }
}

/// The tables `rows` and the two tests that read them.
fn tables(rows: Rows) -> TokenStream {
    let Rows { good, bad } = rows;
    quote! {
        /// Examples that agree with their schemas.
        const EXAMPLES: &[Case] = &[ #(#good)* ];

        /// Examples the generator reported as contradicting their schemas (see its warnings).
        const DEFECTS: &[Case] = &[ #(#bad)* ];

        #[test]
        fn every_example_decodes() {
            all_decode(EXAMPLES);
        }

        #[test]
        fn every_reported_defect_is_real() {
            none_decodes(DEFECTS);
        }
    }
}
