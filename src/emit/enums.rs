//! String enums: one variant per value, and a catch-all that keeps a value this client does not
//! know yet, so that a value the server adds next month still decodes.

use super::{doc_attrs, ident, Items};
use crate::ir::*;
use proc_macro2::Ident;
use quote::quote;

/// A string enum; `serialize` says a request sends it, so that it needs `Serialize` (else it has
/// one with the cargo feature that derives it everywhere).
pub(super) fn emit_string_enum(def: &TypeDef, e: &StringEnum, serialize: bool) -> Items {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let unknown = ident(&e.unknown);
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
    // Each value as code on one line, verbatim.
    let variant_docs = values
        .iter()
        .map(|v| super::doc_literal(&format!(" {}", crate::docs::inline_code(v))));
    // `Display`, `Serialize` and `Deserialize` follow from `as_str` and `From<&str>` alike for
    // every enum: the runtime's macro writes them. Where no request sends the enum, its encoder is
    // compiled with the cargo feature that derives `Serialize` on every type.
    let serialize_gate = (!serialize).then(|| {
        let cfg = crate::features::serialize_cfg();
        quote!(, #cfg)
    });
    let mut items = Items::one(quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this client does not know yet.
            #unknown(String),
        }
    });
    items.push(quote! {
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::#unknown(value) => value,
                }
            }
        }
    });
    items.push(quote! {
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::#unknown(other.to_string()),
                }
            }
        }
    });
    items.push(quote! {
        super::runtime::string_enum!(#name #serialize_gate);
    });
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{holds, parse, type_def};

    fn status_enum(unknown: &str) -> (TypeDef, StringEnum) {
        let e = StringEnum {
            variants: vec![
                Variant {
                    value: "open".into(),
                    name: "Open".into(),
                },
                Variant {
                    value: "a\tb".into(),
                    name: "AB".into(),
                },
            ],
            unknown: unknown.into(),
        };
        (type_def("Status", TypeKind::StringEnum(e.clone())), e)
    }

    #[test]
    fn a_string_enum_keeps_values_it_does_not_know() {
        let (def, e) = status_enum("Unknown");
        let tokens = emit_string_enum(&def, &e, true).into_tokens();
        let file = parse(tokens.clone());
        let Some(syn::Item::Enum(declared)) = file.items.first() else {
            panic!("the enum comes first: {tokens}")
        };
        let last = declared.variants.last().expect("variants");
        assert_eq!(last.ident, "Unknown");
        assert_eq!(
            quote!(#last).to_string(),
            quote!(
                #[doc = r" A value this client does not know yet."]
                Unknown(String)
            )
            .to_string()
        );
        assert!(
            holds(&tokens, quote!(other => Self::Unknown(other.to_string()),)),
            "{tokens}"
        );
        assert!(
            holds(&tokens, quote!(Self::Unknown(value) => value,)),
            "{tokens}"
        );
    }

    #[test]
    fn the_catch_all_takes_the_name_lower_chose() {
        let (def, e) = status_enum("Other");
        let tokens = emit_string_enum(&def, &e, true).into_tokens();
        assert!(holds(&tokens, quote!(Other(String),)), "{tokens}");
        assert!(!holds(&tokens, quote!(Unknown)), "{tokens}");
    }

    #[test]
    fn each_value_is_matched_and_documented_as_code_with_control_characters_escaped() {
        let (def, e) = status_enum("Unknown");
        let tokens = emit_string_enum(&def, &e, true).into_tokens();
        assert!(holds(&tokens, quote!("open" => Self::Open,)), "{tokens}");
        assert!(
            holds(
                &tokens,
                // A raw string: the doc's text holds a backslash and a `t`, not a tab.
                quote!(
                    #[doc = r#" `a\tb`"#]
                    AB,
                )
            ),
            "{tokens}"
        );
    }
}
