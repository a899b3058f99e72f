//! Where an operation's method is: on the client (flat, or an operation without a group) or on a
//! group of operations, a `Copy` type that only borrows the client (`client.contacts()` returns
//! `Contacts<'_>`), so that a group costs nothing at run time. This file emits the groups, their
//! accessors, and says how each operation is called.

use super::{doc_line_attrs, ident, Items};
use crate::features::Gate;
use crate::ir::*;
use proc_macro2::TokenStream;
use quote::quote;

/// The groups from the client down to `group`, outermost first.
fn chain(api: &Api, group: Option<GroupId>) -> Vec<&Group> {
    let mut chain = Vec::new();
    let mut next = group;
    while let Some(id) = next {
        let group = &api.groups[id.0];
        chain.push(group);
        next = group.parent;
    }
    chain.reverse();
    chain
}

/// How a caller reaches an operation's method from a `client` variable: the receiver chain and the
/// method, `client.contacts().create` or (flat) `client.create_contact`, to which the caller adds
/// the arguments. The one place that knows how a call is spelled.
pub(crate) fn call_path(api: &Api, op: &Operation) -> TokenStream {
    let accessors = chain(api, op.placement.group)
        .into_iter()
        .map(|group| ident(&group.accessor));
    let method = ident(&op.placement.method);
    quote!(client #(.#accessors())* .#method)
}

/// The method as an intra-doc link target: `Contacts::create`, or `Client::create_contact`.
pub(super) fn method_path(api: &Api, op: &Operation) -> String {
    let receiver = match op.placement.group {
        Some(id) => api.groups[id.0].type_name.as_str(),
        None => "Client",
    };
    format!("{receiver}::{}", op.placement.method)
}

/// The method as a caller writes it from a `client` variable, `client.contacts().create`: what
/// [`call_path`] spells as tokens, as text.
pub(super) fn call_text(api: &Api, op: &Operation) -> String {
    let mut text = "client".to_string();
    for group in chain(api, op.placement.group) {
        text.push('.');
        text.push_str(&group.accessor);
        text.push_str("()");
    }
    text.push('.');
    text.push_str(&op.placement.method);
    text
}

/// The accessor of a group, on its parent (`&self` borrows the client, or a group that does).
fn accessor(group: &Group) -> TokenStream {
    let name = ident(&group.accessor);
    let ty = ident(&group.type_name);
    let doc = format!(
        " The {} operations: see [`{}`].",
        crate::docs::one_line(&group.title),
        group.type_name
    );
    match group.parent {
        None => quote! {
            #[doc = #doc]
            pub fn #name(&self) -> #ty<'_> {
                #ty { client: self }
            }
        },
        Some(_) => quote! {
            #[doc = #doc]
            pub fn #name(&self) -> #ty<'a> {
                #ty { client: self.client }
            }
        },
    }
}

/// The group types with their accessors and methods, and the client's accessors and methods;
/// `methods` holds each method with the group it is on (`None`: the client), in document order.
/// With `gated`, each resource's groups (and the client's accessor of it) are compiled only with
/// the resource's feature.
pub(super) fn emit_groups(
    api: &Api,
    methods: Vec<(Option<GroupId>, TokenStream)>,
    target: &super::Target,
) -> TokenStream {
    let gate_for = |id: GroupId, items: Items| {
        let cfg = target
            .gated()
            .then(|| Gate::resources(vec![api.resource_of(id)]).cfg(api));
        items.gated(cfg.as_ref())
    };
    let children = |parent: Option<GroupId>| {
        (0..api.groups.len())
            .filter(move |&i| api.groups[i].parent == parent)
            .map(|i| gate_for(GroupId(i), Items::one(accessor(&api.groups[i]))))
            .collect::<Vec<_>>()
    };
    let of = |group: Option<GroupId>| {
        methods
            .iter()
            .filter(move |(on, _)| *on == group)
            .map(|(_, method)| method)
            .collect::<Vec<_>>()
    };
    let top = children(None);
    let accessors = (!top.is_empty()).then(|| {
        quote! {
            /// # Groups
            ///
            /// The operations, grouped: each accessor returns a group that borrows the client.
            impl Client {
                #(#top)*
            }
        }
    });
    let own = of(None);
    let ungrouped = (!own.is_empty()).then(|| {
        quote! {
            /// # Other operations
            impl Client {
                #(#own)*
            }
        }
    });
    let groups = api.groups.iter().enumerate().map(|(index, group)| {
        let id = Some(GroupId(index));
        let ty = ident(&group.type_name);
        let doc = group_doc(api, group);
        let nested = children(id);
        let methods = of(id);
        let mut items = Items::one(quote! {
            #doc
            #[derive(Clone, Copy, Debug)]
            pub struct #ty<'a> {
                client: &'a Client,
            }
        });
        items.push(quote! {
            impl<'a> #ty<'a> {
                #(#nested)*
                #(#methods)*
            }
        });
        gate_for(GroupId(index), items)
    });
    quote! {
        #accessors
        #ungrouped
        #(#groups)*
    }
}

/// A group's docs: its title, its tag's description, and where it is reached from.
fn group_doc(api: &Api, group: &Group) -> TokenStream {
    let heading = format!(" # {}", crate::docs::one_line(&group.title));
    let description = group
        .doc
        .as_deref()
        .map(crate::docs::rustdoc_lines)
        .unwrap_or_default();
    let parent = match group.parent {
        Some(parent) => api.groups[parent.0].type_name.as_str(),
        None => "Client",
    };
    let reached = format!(
        " Reached with [`{parent}::{}`]; it only borrows the client.",
        group.accessor
    );
    doc_line_attrs(&crate::docs::blocks([
        vec![heading],
        description,
        vec![reached],
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, operation};

    fn grouped() -> (Api, Operation) {
        let mut api = api(Vec::new());
        api.groups = vec![
            Group {
                accessor: "ticket_types".into(),
                type_name: "TicketTypes".into(),
                parent: None,
                title: "Ticket Types".into(),
                doc: None,
            },
            Group {
                accessor: "attributes".into(),
                type_name: "TicketTypesAttributes".into(),
                parent: Some(GroupId(0)),
                title: "attributes".into(),
                doc: None,
            },
        ];
        let mut op = operation();
        op.placement.group = Some(GroupId(1));
        op.placement.method = "create".into();
        (api, op)
    }

    #[test]
    fn the_call_path_walks_from_the_client_through_each_group() {
        let (api, op) = grouped();
        assert_eq!(
            call_path(&api, &op).to_string(),
            quote!(client.ticket_types().attributes().create).to_string()
        );
        assert_eq!(
            call_text(&api, &op),
            "client.ticket_types().attributes().create"
        );
        assert_eq!(method_path(&api, &op), "TicketTypesAttributes::create");
        let mut flat = api.clone();
        flat.operations.push(op);
        crate::passes::settle_placement(&mut flat, crate::config::Grouping::Flat);
        let op = &flat.operations[0];
        assert_eq!(
            call_path(&flat, op).to_string(),
            quote!(client.list_things).to_string()
        );
        assert_eq!(call_text(&flat, op), "client.list_things");
        assert_eq!(method_path(&flat, op), "Client::list_things");
        assert_eq!(op.placement.resource, Some(GroupId(0)));
    }
}
