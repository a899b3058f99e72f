//! Every reserved set: names the generated code or the runtime already uses in a scope, which a name
//! from the description must not take. Each list that mirrors code is checked against that code by
//! a test, so that the two cannot drift: the runtime's `Client` methods here, against
//! `templates/src/runtime/client.rs`; the builder members, in `emit::operation`, against what it
//! emits; the constructors, in `emit::client`.

/// Rust's keywords, strict and reserved, in every edition.
pub(super) const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Type names the generated modules use unqualified, which a schema must not shadow.
pub(super) const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Result",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Box",
    "Vec",
    "Serialize",
    "Deserialize",
    "Copy",
    "Clone",
    "Default",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Extend",
    "Unpin",
    "DoubleEndedIterator",
    "ExactSizeIterator",
];

/// The names the runtime exports (`templates/src/runtime/mod.rs`), several of them re-exported at
/// the root of the generated crate: a type named like one would read as the runtime's
/// (`Error<types::Error>`), so none may take them. A test checks the list against the template.
pub const RUNTIME_TYPES: &[&str] = &[
    "ApiError",
    "Auth",
    "BuildError",
    "Client",
    "ClientBuilder",
    "DecodeError",
    "Download",
    "DownloadError",
    "Error",
    "FilePart",
    "Nullable",
    "RateLimit",
    "RawResponse",
    "RepeatedCursorError",
    "Request",
    "RequestOptions",
    "Response",
    "Result",
    "RetryPolicy",
    "Secret",
    "Server",
    "TimeoutError",
    "TimeoutKind",
    "TooLargeError",
    "TransportError",
];

/// Names the operations module uses unqualified, which a request builder must not take.
pub const OPERATION_SCOPE_RESERVED: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "Response",
    "RequestOptions",
    "Server",
    "Request",
];

/// The members every request builder has besides one field and one setter per parameter: its
/// fields, its methods (`pages`, `items` and `next_page` only on list operations, `stream`,
/// `stream_spec` and `stream_error` only on streaming ones) and the method of
/// `IntoFuture` (`options`, both `send`s and `into_future` come from the runtime's
/// `request_builder!`). A parameter named like one would collide with it. `emit::operation`'s
/// tests check that this is exactly what it emits.
pub const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "options",
    "body",
    "send",
    "send_with_response",
    "request",
    "decode",
    "into_future",
    "pages",
    "items",
    "next_page",
    "stream",
    "stream_spec",
    "stream_error",
];

/// Trait methods the generated builder calls with method syntax (`next_page` clones the request
/// with `self.clone()`): a setter of the same name would shadow them.
pub const BUILDER_TRAIT_METHODS: &[&str] = &["clone"];

/// The locals of a builder's `request`. Parameters are read as `self.name`, so they could
/// share these names; they are kept apart so that generated code never reads `path` beside
/// `self.path`.
pub const SEND_LOCALS: &[&str] = &["request", "response", "path"];

/// The methods the runtime defines on `Client` in `templates/src/runtime/client.rs`, public or not:
/// an operation's method of the same name, in another `impl Client` block of the same crate, would be
/// a duplicate definition even where the runtime's is private. A test reads the template and checks
/// this list against it.
pub const RUNTIME_CLIENT_METHODS: &[&str] = &[
    "base_url",
    "http_client",
    "execute",
    "send_with_retries",
    "stream_limits",
    "send_once",
    "classify",
    "url",
    "headers",
];

/// The constructors `emit::client` writes on `Client`; its tests check the list.
pub const CLIENT_CONSTRUCTORS: &[&str] = &["new", "builder"];

/// Trait methods of a group of operations (`Contacts<'a>`, which derives `Clone`, `Copy` and
/// `Debug`) that callers reach with method syntax: no method or accessor of a group may take them.
pub const GROUP_RESERVED: &[&str] = &["clone"];

/// Trait methods of `Client` that callers reach with method syntax, which an operation must not
/// shadow.
const CLIENT_TRAIT_METHODS: &[&str] = &["clone"];

/// Every name a parameter, which becomes a field and a setter of the request builder, must not
/// take.
pub fn builder_reserved<'a>() -> impl Iterator<Item = &'a str> {
    let reserved = BUILDER_MEMBERS
        .iter()
        .chain(BUILDER_TRAIT_METHODS)
        .chain(SEND_LOCALS);
    reserved.map(|name| -> &'a str { name })
}

/// Every name an operation's method on `Client` must not take.
pub fn client_methods() -> impl Iterator<Item = &'static str> {
    CLIENT_CONSTRUCTORS
        .iter()
        .chain(RUNTIME_CLIENT_METHODS)
        .chain(CLIENT_TRAIT_METHODS)
        .copied()
}

/// The names of the functions of each inherent `impl Client` block among `items` (trait impls
/// left out), block by block: what the tests compare the reserved lists with.
#[cfg(test)]
pub(crate) fn client_impl_blocks(items: &[syn::Item]) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_ty) = &*block.self_ty else {
            continue;
        };
        if block.trait_.is_some() || !self_ty.path.is_ident("Client") {
            continue;
        }
        let names = block.items.iter().filter_map(|member| match member {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        });
        blocks.push(names.collect());
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the functions in the `impl Client` blocks (inherent, not trait impls) of a file.
    fn inherent_client_methods(source: &str) -> Vec<String> {
        let file = syn::parse_file(source).expect("the runtime's client.rs parses");
        let mut names: Vec<String> = client_impl_blocks(&file.items).concat();
        names.sort();
        names
    }

    #[test]
    fn runtime_client_methods_are_those_of_the_template() {
        let source = include_str!("../../templates/src/runtime/client.rs");
        let mut listed: Vec<String> = RUNTIME_CLIENT_METHODS
            .iter()
            .map(|s| s.to_string())
            .collect();
        listed.sort();
        assert_eq!(
            listed,
            inherent_client_methods(source),
            "names::RUNTIME_CLIENT_METHODS must list every method of `impl Client` in templates/src/runtime/client.rs"
        );
    }

    #[test]
    fn runtime_types_are_what_the_runtime_exports() {
        let source = include_str!("../../templates/src/runtime/mod.rs");
        let file = syn::parse_file(source).expect("the runtime's mod.rs parses");
        let mut exported = Vec::new();
        for item in &file.items {
            if let syn::Item::Use(use_item) = item {
                collect_use_names(&use_item.tree, &mut exported);
            }
        }
        // Besides the runtime's types: the generated crate's `Result` alias and `Server` enum.
        exported.extend(["Result".to_string(), "Server".to_string()]);
        exported.retain(|name| name.starts_with(|c: char| c.is_ascii_uppercase()));
        exported.sort();
        let mut listed: Vec<String> = RUNTIME_TYPES.iter().map(|s| s.to_string()).collect();
        listed.sort();
        assert_eq!(
            listed, exported,
            "names::RUNTIME_TYPES must list every type the runtime exports"
        );
    }

    /// The names a `use` tree brings in.
    fn collect_use_names(tree: &syn::UseTree, out: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(path) => collect_use_names(&path.tree, out),
            syn::UseTree::Name(name) => out.push(name.ident.to_string()),
            syn::UseTree::Rename(rename) => out.push(rename.rename.to_string()),
            syn::UseTree::Group(group) => group
                .items
                .iter()
                .for_each(|tree| collect_use_names(tree, out)),
            syn::UseTree::Glob(_) => {}
        }
    }

    #[test]
    fn the_template_reader_sees_private_methods_and_skips_trait_impls() {
        let source = "impl Client { pub fn a(&self) {} fn b(&self) {} }\n\
                      impl fmt::Debug for Client { fn fmt(&self) {} }\n\
                      impl ClientBuilder { pub fn c(self) {} }";
        assert_eq!(inherent_client_methods(source), ["a", "b"]);
    }
}
