//! The `operations` module around the operations: the servers, the client's constructors, and the
//! methods: on groups (see `groups`), or all on the client in one block per tag.

use super::groups::emit_groups;
use super::operation::emit_operation;
use super::{doc_line_attrs, ident, Items};
use crate::config::Grouping;
use crate::features::Gate;
use crate::ir::*;
use crate::names::Scope;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The `operations` module: the servers, the client's constructors, and one method plus one request
/// builder per operation, the methods on the client or on groups as their placement says, for
/// `target`: in the crate layout, operation docs carry a compiled example and each resource's
/// groups, methods and builders compile only with the resource's cargo feature.
pub fn emit_operations(api: &Api, target: &super::Target) -> TokenStream {
    let servers = emit_servers(api);
    let constructors = emit_constructors(api);
    let mut scope = Scope::with_taken(
        api.operations
            .iter()
            .map(|o| o.builder.as_str())
            .chain(api.groups.iter().map(|g| g.type_name.as_str())),
    );
    let mut methods = Vec::new();
    let mut builders = Vec::new();
    // The resources of the gated builders that name the `types` module, and whether an ungated one
    // does; the same for every builder, which name the runtime's `Error` and the like.
    let mut types_users = Users::default();
    let mut runtime_users = Users::default();
    for op in &api.operations {
        let (method, builder) = emit_operation(api, op, &mut scope, target);
        let resource = op.placement.resource.filter(|_| target.gated());
        if super::operation::names_types(api, op) {
            types_users.add(resource);
        }
        runtime_users.add(resource);
        let (method, builder) = gate_operation(api, op, resource, (method, builder));
        methods.push((op, method));
        builders.push(builder);
    }
    let impls = match target.grouping {
        Grouping::Flat => emit_tag_blocks(api, methods),
        Grouping::Resources => {
            let methods = methods
                .into_iter()
                .map(|(op, method)| (op.placement.group, method))
                .collect();
            emit_groups(api, methods, target)
        }
    };
    if api.operations.is_empty() {
        return quote! {
            //! The description has no operations: only the client's constructors.
            use super::runtime::{self, Client, ClientBuilder};

            #servers
            #constructors
        };
    }
    // An import that no compiled item uses would be a warning.
    let types_import = types_users.cfg(api).map(|cfg| {
        quote!(
            #cfg
            use super::types;
        )
    });
    let runtime_import = runtime_users.cfg(api).map(|cfg| {
        quote!(
            #cfg
            use super::runtime::{Error, RequestOptions, Response};
        )
    });
    quote! {
        //! The operations of the API: a method for each, on [`Client`] or on a group of operations
        //! the client hands out, returning a request builder that is sent by awaiting it.
        use super::runtime::{self, Client, ClientBuilder};
        #runtime_import
        #types_import

        #servers
        #constructors

        #impls

        #(#builders)*
    }
}

/// An operation's method and builder behind the feature of `resource`, when it has one; a
/// grouped method is inside its group, which is gated as a whole.
fn gate_operation(
    api: &Api,
    op: &Operation,
    resource: Option<GroupId>,
    (method, builder): (TokenStream, Items),
) -> (TokenStream, TokenStream) {
    let Some(resource) = resource else {
        return (method, builder.into_tokens());
    };
    let cfg = Gate::resources(vec![resource]).cfg(api);
    let method = match op.placement.group {
        Some(_) => method,
        None => Items::one(method).gated(Some(&cfg)),
    };
    (method, builder.gated(Some(&cfg)))
}

/// The operations that use an import: whether one that is always compiled does, and the
/// resources of the gated ones that do.
#[derive(Default)]
struct Users {
    always: bool,
    resources: Vec<GroupId>,
}

impl Users {
    fn add(&mut self, resource: Option<GroupId>) {
        match resource {
            None => self.always = true,
            Some(r) if !self.resources.contains(&r) => self.resources.push(r),
            Some(_) => {}
        }
    }

    /// The import's `cfg` (empty when always compiled), or `None` when no operation uses it.
    fn cfg(&self, api: &Api) -> Option<TokenStream> {
        match (self.always, self.resources.is_empty()) {
            (true, _) => Some(TokenStream::new()),
            (false, true) => None,
            (false, false) => {
                let mut resources = self.resources.clone();
                resources.sort();
                Some(Gate::resources(resources).cfg(api))
            }
        }
    }
}

/// The methods grouped by their first tag, in the order the description lists its tags (then tags
/// it does not list, then untagged operations): one `impl Client` block per tag, headed by its name
/// and description.
fn emit_tag_blocks(api: &Api, methods: Vec<(&Operation, TokenStream)>) -> TokenStream {
    let mut groups: Vec<(Option<&str>, Vec<TokenStream>)> = Vec::new();
    for (op, method) in methods {
        let tag = op.tags.first().map(String::as_str);
        match groups.iter_mut().find(|(t, _)| *t == tag) {
            Some((_, methods)) => methods.push(method),
            None => groups.push((tag, vec![method])),
        }
    }
    let rank = |tag: &Option<&str>| match tag {
        Some(t) => api
            .tags
            .iter()
            .position(|(name, _)| name == t)
            .unwrap_or(api.tags.len()),
        None => api.tags.len() + 1,
    };
    groups.sort_by_key(|(tag, _)| rank(tag));
    let impls = groups.iter().map(|(tag, methods)| {
        let heading = format!(
            " # {}",
            crate::docs::one_line(tag.unwrap_or("Other operations"))
        );
        let description = tag
            .and_then(|t| api.tags.iter().find(|(name, _)| name == t))
            .and_then(|(_, d)| d.as_deref())
            .map(crate::docs::rustdoc_lines)
            .unwrap_or_default();
        let doc = doc_line_attrs(&crate::docs::blocks([vec![heading], description]));
        quote! {
            #doc
            impl Client {
                #(#methods)*
            }
        }
    });
    quote!(#(#impls)*)
}

fn emit_servers(api: &Api) -> TokenStream {
    if api.servers.is_empty() {
        return quote! {
            /// The description lists no server: set one with [`ClientBuilder::base_url`].
            pub const DEFAULT_BASE_URL: &str = "";
        };
    }
    let variants: Vec<Ident> = api.servers.iter().map(|s| ident(&s.name)).collect();
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    let docs = api.servers.iter().map(|s| {
        let url = crate::docs::link_or_code(&s.url);
        let text = match &s.description {
            Some(d) => format!(" {}: {url}", crate::docs::one_line(d)),
            None => format!(" {url}"),
        };
        doc_line_attrs(&[text])
    });
    let default_url = urls[0];
    let first = &variants[0];
    let rest = &variants[1..];
    let rest_docs = docs.collect::<Vec<_>>();
    let first_doc = &rest_docs[0];
    let rest_docs = &rest_docs[1..];
    quote! {
        /// The servers the description lists; the first is the default.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum Server {
            #first_doc
            #[default]
            #first,
            #( #rest_docs #rest, )*
        }

        impl Server {
            /// The server's base URL.
            pub fn url(self) -> &'static str {
                match self {
                    #( Self::#variants => #urls, )*
                }
            }
        }

        /// The default server's base URL.
        pub const DEFAULT_BASE_URL: &str = #default_url;

        impl ClientBuilder {
            /// Sends requests to one of the servers the description lists.
            pub fn server(self, server: Server) -> Self {
                self.base_url(server.url())
            }
        }
    }
}

fn emit_constructors(api: &Api) -> TokenStream {
    let (args, setup, doc) = match &api.auth {
        Auth::Bearer => (
            quote!(token: impl Into<String>),
            quote!(.bearer_token(token)),
            " A client for the default server, authenticating with a bearer token.",
        ),
        Auth::Basic => (
            quote!(username: impl Into<String>, password: impl Into<String>),
            quote!(.basic_auth(username, password)),
            " A client for the default server, authenticating with a user name and password.",
        ),
        Auth::Header(name) => (
            quote!(api_key: impl Into<String>),
            quote!(.auth(runtime::Auth::Header { name: #name.to_string(), value: runtime::Secret::new(api_key.into()) })),
            " A client for the default server, sending the API key in a header.",
        ),
        Auth::Query(name) => (
            quote!(api_key: impl Into<String>),
            quote!(.auth(runtime::Auth::Query { name: #name.to_string(), value: runtime::Secret::new(api_key.into()) })),
            " A client for the default server, sending the API key in the query string.",
        ),
        Auth::None => (quote!(), quote!(), " A client for the default server."),
    };
    quote! {
        /// The `User-Agent` sent unless the builder sets another: the crate's name and version.
        pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        impl Client {
            #[doc = #doc]
            pub fn new(#args) -> Result<Self, runtime::BuildError> {
                Self::builder() #setup .build()
            }

            /// A builder for a client with other settings: server, timeouts, retries, headers.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(DEFAULT_BASE_URL, USER_AGENT)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, operation, parse};

    /// The functions of the inherent `impl Client` blocks of emitted items, block by block.
    fn client_blocks(tokens: TokenStream) -> Vec<Vec<String>> {
        crate::names::client_impl_blocks(&parse(tokens).items)
    }

    #[test]
    fn the_reserved_constructors_are_what_emit_writes() {
        for auth in [
            Auth::None,
            Auth::Bearer,
            Auth::Basic,
            Auth::Header("X-Key".into()),
        ] {
            let mut api = api(Vec::new());
            api.auth = auth;
            assert_eq!(
                client_blocks(emit_constructors(&api)),
                [crate::names::CLIENT_CONSTRUCTORS.to_vec()],
                "names::CLIENT_CONSTRUCTORS must list every constructor emit writes"
            );
        }
    }

    #[test]
    fn methods_are_grouped_by_tag_in_the_order_of_the_tags() {
        let mut api = api(Vec::new());
        api.tags = vec![("Contacts".into(), None), ("Admins".into(), None)];
        for (name, tag) in [
            ("a", Some("Admins")),
            ("b", None),
            ("c", Some("Contacts")),
            ("d", Some("Admins")),
        ] {
            let mut op = operation();
            op.placement.method = name.into();
            op.builder = name.to_uppercase();
            op.tags = tag.map(String::from).into_iter().collect();
            api.operations.push(op);
        }
        let blocks = client_blocks(emit_operations(
            &api,
            &crate::emit::Target::single_file(Grouping::Flat),
        ));
        // The constructors, then Contacts, Admins and the untagged operations.
        assert_eq!(
            blocks,
            [vec!["new", "builder"], vec!["c"], vec!["a", "d"], vec!["b"]]
        );
    }

    #[test]
    fn the_first_server_is_the_default() {
        let mut api = api(Vec::new());
        for (name, url) in [
            ("Us", "https://api.example.com"),
            ("Eu", "https://api.eu.example.com"),
        ] {
            api.servers.push(Server {
                url: url.into(),
                description: None,
                name: name.into(),
            });
        }
        let tokens = emit_servers(&api);
        let text = tokens.to_string();
        assert!(
            text.contains(
                &quote!(
                    #[default]
                    Us,
                )
                .to_string()
            ),
            "{text}"
        );
        let default_url = quote!(
            pub const DEFAULT_BASE_URL: &str = "https://api.example.com";
        );
        assert!(text.contains(&default_url.to_string()), "{text}");
    }
}
