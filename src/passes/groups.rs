//! Groups: which group each operation's method is on when operations are grouped
//! (`client.contacts().create(…)`), and its name there.
//!
//! An operation's group and method come from the first of:
//! 1. `x-fern-sdk-group-name` (a list: `[ticketTypes, attributes]` is the nested group
//!    `client.ticket_types().attributes()`) and `x-fern-sdk-method-name`, which the description, an
//!    overlay or an overrides file gives;
//! 2. an `operationId` of the form `group/method` (or `outer/inner/method`);
//! 3. the operation's first tag, with the tag's words taken out of the `operationId`: under the tag
//!    `Contacts`, `showContact` is `contacts().show()` and `listContacts` `contacts().list()`
//!    (singular and plural words match), and under `Companies`, `attachContactToACompany` is
//!    `companies().attach_contact()` (the small words before a run at the end go with it). Where
//!    nothing is left (`contacts` alone), the method keeps the whole name.
//!
//! An operation with none of them stays a method of the client. A group given without a method
//! takes the `operationId` with the group's words taken out, and a method given without a group
//! goes to the group of rule 2 or 3.
//!
//! Names are clash-free by construction, receiver by receiver (the client, then each group): the
//! accessors of its groups are claimed first, against the client's own methods (the constructors,
//! the runtime's and `clone`), then its methods in document order. A method whose short name is
//! taken keeps its whole flat name (`list_contact` beside `list`); only when that is taken too does
//! it get a numeric suffix, with a warning. Group types are named after their whole path
//! (`TicketTypesAttributes`), clear of the request builders and the names the module imports.

use super::Location;
use crate::error::{Warning, WarningKind};
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::Pointer;
use std::collections::BTreeMap;

/// Where an operation wants its method: the group path (accessor names, outermost first), the
/// names as written (for titles), and the method's name.
struct Wanted {
    path: Vec<String>,
    written: Vec<String>,
    method: String,
}

/// Puts every operation in its group and names its method there; see the module's docs.
pub fn group_operations(
    api: &mut Api,
    warnings: &mut Vec<Warning>,
    locate: &dyn Fn(&Pointer) -> Location,
) {
    let wanted: Vec<Wanted> = api.operations.iter().map(wanted).collect();
    // Every group, parents first, keyed by its path of wanted accessor names.
    let mut keys: BTreeMap<Vec<String>, GroupId> = BTreeMap::new();
    let mut paths: Vec<(Vec<String>, Vec<String>, usize)> = Vec::new();
    let mut op_groups = Vec::with_capacity(wanted.len());
    for (index, w) in wanted.iter().enumerate() {
        let mut group = None;
        for depth in 1..=w.path.len() {
            let key = w.path[..depth].to_vec();
            let id = *keys.entry(key.clone()).or_insert_with(|| {
                paths.push((key, w.written[..depth].to_vec(), index));
                GroupId(paths.len() - 1)
            });
            group = Some(id);
        }
        op_groups.push(group);
    }
    let mut receivers = receiver_scopes(paths.len());
    let mut type_scope = Scope::with_taken(
        names::OPERATION_SCOPE_RESERVED
            .iter()
            .copied()
            .chain(api.operations.iter().map(|op| op.builder.as_str())),
    );
    let mut groups = Vec::with_capacity(paths.len());
    for (path, written, first_op) in &paths {
        let parent = (path.len() > 1).then(|| keys[&path[..path.len() - 1]]);
        let scope = &mut receivers[parent.map_or(0, |p| p.0 + 1)];
        let wanted_accessor = &path[path.len() - 1];
        let accessor = scope.claim(wanted_accessor);
        if accessor != *wanted_accessor {
            let at = &api.operations[*first_op].origin;
            warnings.push(Warning::new(
                WarningKind::SdkName,
                locate(at),
                format!(
                    "the group `{}` would take a name its parent already has; it is reached as `{accessor}()`",
                    written.join("/")
                ),
            ));
        }
        groups.push(Group {
            accessor,
            type_name: type_scope.claim(&names::type_name(&path.join(" "))),
            parent,
            title: written[written.len() - 1].clone(),
            doc: None,
        });
    }
    title_groups_by_their_tags(api, &op_groups, &mut groups);
    for ((op, w), group) in api.operations.iter_mut().zip(&wanted).zip(op_groups) {
        let scope = &mut receivers[group.map_or(0, |g| g.0 + 1)];
        let method = if !scope.is_taken(&w.method) {
            scope.claim(&w.method)
        } else if !scope.is_taken(&op.fn_name) {
            scope.claim(&op.fn_name)
        } else {
            let method = scope.claim(&w.method);
            warnings.push(Warning::new(
                WarningKind::SdkName,
                locate(&op.origin),
                format!(
                    "the method `{}` is taken in its group; this operation is `{method}`",
                    w.method
                ),
            ));
            method
        };
        op.placement.group = group;
        op.placement.method = method;
    }
    api.groups = groups;
}

/// Settles where each operation's method is under `grouping`, once, before emission: on its group
/// (as the `groups` pass placed it), or (flat) on the client under its flat name. Either way the
/// operation keeps the resource whose feature compiles it.
pub fn settle_placement(api: &mut Api, grouping: crate::config::Grouping) {
    for i in 0..api.operations.len() {
        let resource = api.operations[i]
            .placement
            .group
            .map(|group| api.resource_of(group));
        let op = &mut api.operations[i];
        op.placement.resource = resource;
        if grouping == crate::config::Grouping::Flat {
            op.placement.group = None;
            op.placement.method = op.fn_name.clone();
        }
    }
}

/// One scope per receiver: the client's (index 0), holding its own methods, then one per group,
/// holding `clone` (groups derive `Clone`).
fn receiver_scopes(groups: usize) -> Vec<Scope> {
    let mut scopes = vec![Scope::with_taken(names::client_methods())];
    scopes.extend((0..groups).map(|_| Scope::with_taken(names::GROUP_RESERVED.iter().copied())));
    scopes
}

/// The group and method an operation wants, by the rules of the module's docs.
fn wanted(op: &Operation) -> Wanted {
    let given_method = op.placement.sdk_method.as_deref().map(names::field_name);
    let (written, from_id): (Vec<String>, Option<String>) =
        match (&op.placement.sdk_group, id_parts(&op.id)) {
            (Some(group), _) if !group.is_empty() => (group.clone(), None),
            (_, Some((group, method))) => (group, Some(method)),
            _ => (op.tags.first().cloned().into_iter().collect(), None),
        };
    let path: Vec<String> = written.iter().map(|name| names::field_name(name)).collect();
    let method = given_method
        .or(from_id.map(|m| names::field_name(&m)))
        .unwrap_or_else(|| match path.last() {
            Some(group) => without_group_words(&op.fn_name, group),
            None => op.fn_name.clone(),
        });
    Wanted {
        path,
        written,
        method,
    }
}

/// An `operationId` of the form `group/method` or `outer/inner/method`, split.
fn id_parts(id: &str) -> Option<(Vec<String>, String)> {
    let mut parts: Vec<&str> = id.split('/').collect();
    let method = parts.pop()?;
    let named = |part: &&str| !part.trim().is_empty();
    (!parts.is_empty() && parts.iter().all(named) && named(&method)).then(|| {
        (
            parts.iter().map(|p| p.to_string()).collect(),
            method.to_string(),
        )
    })
}

/// `name` (snake_case) without the first run of words that spells `group` (snake_case), singular
/// and plural alike: `show_contact` in `contacts` is `show`. A run at the end takes the small words
/// that led to it along (`attach_contact_to_a_company` in `companies` is `attach_contact`), one at
/// the start those that follow it. Where nothing would be left, or no run matches, the name is
/// kept whole.
pub(crate) fn without_group_words(name: &str, group: &str) -> String {
    /// Articles and prepositions that only tie a group's words to the rest.
    const TIES: &[&str] = &[
        "a", "an", "the", "to", "from", "for", "of", "in", "on", "with", "by", "into", "at",
    ];
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    let group: Vec<&str> = group.split('_').filter(|w| !w.is_empty()).collect();
    if group.is_empty() || words.len() <= group.len() {
        return name.to_string();
    }
    let matches = |at: usize| {
        group
            .iter()
            .zip(&words[at..])
            .all(|(g, w)| singular(g) == singular(w))
    };
    let Some(at) = (0..=words.len() - group.len()).find(|&at| matches(at)) else {
        return name.to_string();
    };
    let mut before = &words[..at];
    let mut after = &words[at + group.len()..];
    if after.is_empty() {
        while let [rest @ .., last] = before {
            if !TIES.contains(last) || rest.is_empty() {
                break;
            }
            before = rest;
        }
    }
    if before.is_empty() {
        while let [first, rest @ ..] = after {
            if !TIES.contains(first) || rest.is_empty() {
                break;
            }
            after = rest;
        }
    }
    let rest: Vec<&str> = before.iter().chain(after).copied().collect();
    names::field_name(&rest.join("_"))
}

/// An English word's singular, by the regular rules: `companies` → `company`, `boxes` → `box`,
/// `contacts` → `contact`; `address` stays.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "xes", "ches", "shes"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_string();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') => stem.to_string(),
        _ => word.to_string(),
    }
}

/// Each group's title and docs: the tag most of its own operations have first (the earliest such
/// tag of the description on a tie), with its description. A group none of whose operations has a
/// tag keeps its name as written.
fn title_groups_by_their_tags(api: &Api, op_groups: &[Option<GroupId>], groups: &mut [Group]) {
    let mut votes: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for (op, group) in api.operations.iter().zip(op_groups) {
        if let (Some(group), Some(tag)) = (group, op.tags.first()) {
            *votes.entry((group.0, tag.as_str())).or_default() += 1;
        }
    }
    let tag_rank = |tag: &str| {
        api.tags
            .iter()
            .position(|(name, _)| name == tag)
            .unwrap_or(usize::MAX)
    };
    for (index, group) in groups.iter_mut().enumerate() {
        let best = votes
            .iter()
            .filter(|((g, _), _)| *g == index)
            .max_by_key(|((_, tag), count)| (**count, std::cmp::Reverse(tag_rank(tag))));
        if let Some(((_, tag), _)) = best {
            group.title = tag.to_string();
            group.doc = api
                .tags
                .iter()
                .find(|(name, _)| name == tag)
                .and_then(|(_, doc)| doc.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_groups_words_are_taken_out_of_the_method() {
        assert_eq!(without_group_words("show_contact", "contacts"), "show");
        assert_eq!(without_group_words("list_contacts", "contacts"), "list");
        assert_eq!(
            without_group_words("attach_contact_to_a_company", "contacts"),
            "attach_to_a_company"
        );
        assert_eq!(
            without_group_words("attach_contact_to_a_company", "companies"),
            "attach_contact"
        );
        assert_eq!(
            without_group_words("companies_for_export", "company"),
            "export"
        );
        assert_eq!(
            without_group_words("for_a_company_list", "company"),
            "for_a_list"
        );
        // Small words are only taken along while a word is left.
        assert_eq!(without_group_words("to_company", "company"), "to");
        assert_eq!(
            without_group_words("create_data_attribute", "data_attributes"),
            "create"
        );
        assert_eq!(without_group_words("list_companies", "company"), "list");
        assert_eq!(without_group_words("contacts", "contacts"), "contacts");
        assert_eq!(without_group_words("find_tag", "admins"), "find_tag");
        // What is left is a name again: a keyword gets its underscore.
        assert_eq!(without_group_words("match_contact", "contacts"), "match_");
        assert_eq!(without_group_words("addresses_list", "address"), "list");
    }

    #[test]
    fn operation_ids_with_a_slash_name_group_and_method() {
        assert_eq!(
            id_parts("contacts/create"),
            Some((vec!["contacts".to_string()], "create".to_string()))
        );
        assert_eq!(
            id_parts("ticketTypes/attributes/create").map(|(g, _)| g.len()),
            Some(2)
        );
        assert_eq!(id_parts("createContact"), None);
        assert_eq!(id_parts("/create"), None);
        assert_eq!(id_parts("contacts/"), None);
    }
}
