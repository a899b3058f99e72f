//! Emission: IR → token streams, one function per kind of item. Nothing here reads the description.
//!
//! The rooms, in the order a generated crate is read:
//! - `types`: the `types` module, one item per named type: structs and aliases here, string enums in
//!   `enums`, tagged and untagged unions in `unions`;
//! - `client`: the `operations` module: the servers, the client's constructors and the methods;
//! - `groups`: the groups of operations (`client.contacts()`) and how each operation is called;
//! - `operation`: one method and one request builder per operation, and how the builder sends;
//! - `results`: what a builder returns, success and error alike, by status;
//! - `pagination`: `pages()` and `items()` on the builders of list operations;
//! - `examples`: `tests/examples.rs`, which decodes every example the description carries;
//! - `request_example`: each operation's example request (the description's example values, or
//!   values made from the schema), which `doc_example` puts in the operation's docs as a `no_run`
//!   doctest and `crate_docs` uses in the crate's quick start; the call starts from the method
//!   `groups::call_path` names.
//!
//! This module holds what they share: identifiers, doc attributes and the Rust spelling of a type.

mod client;
mod conformance;
mod constructors;
mod crate_docs;
mod doc_example;
mod encode;
mod enums;
mod examples;
#[cfg(test)]
pub(crate) use crate::ir::fixtures;
mod groups;
mod operation;
mod pagination;
mod request_example;
mod results;
mod stream;
mod struct_example;
mod types;
mod unions;

pub use client::emit_operations;
pub use conformance::emit_conformance_harness;
pub use crate_docs::{crate_doc_lines, emit_crate_docs};
pub use examples::emit_example_tests;
pub use types::{emit_types, TypesPlan};

use crate::config::{Config, Grouping, Layout};

/// Items of a generated module, each kept apart as it is emitted, so that whatever gates them goes
/// before each one without their tokens being read back.
#[derive(Default)]
pub(crate) struct Items(Vec<TokenStream>);

impl Items {
    /// One item.
    pub(crate) fn one(item: TokenStream) -> Self {
        Items(vec![item])
    }

    /// Adds an item (or none).
    pub(crate) fn push(&mut self, item: impl Into<Option<TokenStream>>) {
        self.0.extend(item.into());
    }

    /// Adds every item of `items`.
    pub(crate) fn append(&mut self, items: impl Into<Option<Items>>) {
        if let Some(items) = items.into() {
            self.0.extend(items.0);
        }
    }

    /// The items one after another, each after `cfg` when there is one.
    pub(crate) fn gated(self, cfg: Option<&TokenStream>) -> TokenStream {
        let mut out = TokenStream::new();
        for item in self.0 {
            out.extend(cfg.cloned());
            out.extend(item);
        }
        out
    }

    /// The items one after another.
    pub(crate) fn into_tokens(self) -> TokenStream {
        self.gated(None)
    }
}

/// What the code is emitted for, decided once from the configuration before emission: how the
/// methods are grouped and which layout the files take, which says whether items are behind the
/// resources' cargo features and whether operation docs carry compiled examples.
#[derive(Clone, Debug)]
pub struct Target {
    /// Flat methods on the client in one block per tag, or groups of operations.
    pub grouping: Grouping,
    /// The crate layout, or the single file a user's crate includes.
    pub layout: Layout,
    /// The generated crate's library name.
    pub lib: String,
}

impl Target {
    /// The target `config` describes.
    pub fn new(config: &Config) -> Self {
        Target {
            grouping: config.grouping,
            layout: config.layout,
            lib: config.lib_name(),
        }
    }

    /// The single-file layout under `grouping`, for tests.
    #[cfg(test)]
    pub(crate) fn single_file(grouping: Grouping) -> Self {
        Target {
            grouping,
            layout: Layout::SingleFile,
            lib: String::new(),
        }
    }

    /// Whether items are behind the cargo features of the resources that use them: in the crate
    /// layout, whose manifest declares the features ([`crate::features`]). The single file is
    /// included into a crate of the user's, which has none of them.
    pub fn gated(&self) -> bool {
        self.layout == Layout::Crate
    }

    /// The library whose name the operations' doc examples use, in the crate layout; `None` in a
    /// single file, which lives in a crate whose name the generator does not know.
    pub fn examples(&self) -> Option<&str> {
        (self.layout == Layout::Crate).then_some(self.lib.as_str())
    }
}

use crate::ir::*;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// An identifier the IR already named (through `names`), spelled as Rust tokens.
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc = "…"]` attributes for description text, one per line, made safe by
/// [`crate::docs::rustdoc_lines`]: no code block in a description can become a doctest.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    doc_line_attrs(&doc.map(crate::docs::rustdoc_lines).unwrap_or_default())
}

/// `#[doc = "…"]` attributes for lines made by [`crate::docs`].
pub fn doc_line_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| doc_literal(line));
    quote! { #( #[doc = #lines] )* }
}

/// A line of docs as the literal of a `#[doc = …]` attribute. Where prettyplease prints the
/// attribute as a `///` comment (a line without a line break that does not start with `/`), the
/// literal's spelling never reaches the output, and it is a [`raw_string`]: quoting it, reading it
/// back (syn) and reading its value (prettyplease) then copy the text, where an escaped literal is
/// escaped and unescaped character by character. Any other line is an escaped literal, as
/// prettyplease prints it.
pub fn doc_literal(line: &str) -> Literal {
    match line.contains('\n') || line.starts_with('/') {
        true => Literal::string(line),
        false => raw_string(line),
    }
}

/// `text` as a raw string literal, `r#"…"#`, with one `#` more than the longest run of them after
/// a `"` in the text, so that nothing in the text ends it; text a raw string cannot hold (a
/// carriage return) as an escaped literal.
pub fn raw_string(text: &str) -> Literal {
    if !text.contains('\r') {
        let longest = text
            .split('"')
            .skip(1)
            .map(|after| after.len() - after.trim_start_matches('#').len())
            .max()
            .unwrap_or(0);
        let hashes = longest + 1;
        let mut spelled = String::with_capacity(text.len() + 2 * hashes + 3);
        spelled.push('r');
        spelled.extend(std::iter::repeat_n('#', hashes));
        spelled.push('"');
        spelled.push_str(text);
        spelled.push('"');
        spelled.extend(std::iter::repeat_n('#', hashes));
        // More than 255 `#` is no literal: the escaped one below.
        if let Ok(literal) = spelled.parse() {
            return literal;
        }
    }
    Literal::string(text)
}

/// Where a type is referred to from: inside `types` or from another module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// Inside the `types` module.
    Types,
    /// Anywhere else in the crate (or a test), through `types::`.
    Outside,
}

/// The Rust type for a `Ty`.
pub fn ty_tokens(api: &Api, ty: &Ty, from: From) -> TokenStream {
    match ty {
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::String => quote!(String),
        Ty::Bytes => quote!(Vec<u8>),
        Ty::File => match from {
            From::Types => quote!(super::runtime::FilePart),
            From::Outside => quote!(runtime::FilePart),
        },
        Ty::Json => quote!(serde_json::Value),
        Ty::Named(id) => {
            let name = ident(&api.types[id.0].name);
            match from {
                From::Types => quote!(#name),
                From::Outside => quote!(types::#name),
            }
        }
        Ty::Vec(inner) => generic(quote!(Vec<), api, inner, from),
        Ty::Map(inner) => generic(
            quote!(std::collections::BTreeMap < String,),
            api,
            inner,
            from,
        ),
        Ty::Option(inner) => generic(quote!(Option<), api, inner, from),
        Ty::Box(inner) => generic(quote!(Box<), api, inner, from),
    }
}

/// `open` (a type's path and its `<`), the tokens of `inner`, then `>`: extended, not
/// interpolated with `quote`, so that the inner type's tokens are moved, not copied once per
/// level of nesting.
fn generic(open: TokenStream, api: &Api, inner: &Ty, from: From) -> TokenStream {
    let mut tokens = open;
    tokens.extend(ty_tokens(api, inner, from));
    tokens.extend(quote!(>));
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts that end a raw string with too few `#`, escapes, and what no raw string holds.
    const TEXTS: &[&str] = &[
        "",
        " plain words",
        r####"a "quote" and "# and "## and "### then "#a"####,
        r"a backslash \n that stays two characters \\ \u{41}",
        "\"leading and trailing quotes\"",
        "#\"\"#\"##",
        " tabs\tand unicode é ✓ and a NUL \0",
        " a carriage\r return",
        "#",
    ];

    #[test]
    fn a_raw_string_reads_back_as_its_text() {
        for text in TEXTS {
            let literal = raw_string(text);
            let parsed: syn::LitStr = syn::parse2(quote!(#literal)).unwrap();
            assert_eq!(parsed.value(), *text, "{literal}");
            let spelled = literal.to_string();
            assert_eq!(spelled.starts_with('r'), !text.contains('\r'), "{spelled}");
        }
    }

    #[test]
    fn raw_string_hashes_go_beyond_the_longest_run_after_a_quote() {
        assert_eq!(raw_string("a").to_string(), r##"r#"a"#"##);
        assert_eq!(
            raw_string(r##"say "hi"#"##).to_string(),
            r###"r##"say "hi"#"##"###
        );
        // 255 `#` is the most a raw string may have: beyond, an escaped literal.
        let long = format!("\"{}", "#".repeat(300));
        let literal = raw_string(&long);
        assert!(literal.to_string().starts_with('"'), "{literal}");
        let parsed: syn::LitStr = syn::parse2(quote!(#literal)).unwrap();
        assert_eq!(parsed.value(), long);
    }

    #[test]
    fn docs_format_as_escaped_literals_do() {
        let lines = TEXTS
            .iter()
            .map(|t| t.to_string())
            .chain([
                "/ starts with a slash".to_string(),
                "// two".to_string(),
                " two\nlines".to_string(),
                " a */ inside".to_string(),
            ])
            .collect::<Vec<_>>();
        for line in &lines {
            let format = |literal: Literal| {
                let file: syn::File = syn::parse2(quote!(#[doc = #literal] pub struct A;)).unwrap();
                prettyplease::unparse(&file)
            };
            assert_eq!(
                format(doc_literal(line)),
                format(Literal::string(line)),
                "{line:?}"
            );
        }
    }
}
