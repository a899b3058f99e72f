//! The cargo features of a generated crate, in one place: their names, how a gate is spelled as a
//! `cfg`, and the manifest's `[features]` table that declares them.
//!
//! In the crate layout every resource (a group reached from the client) is a feature, all of them
//! in [`FULL`], which is the [`DEFAULT`]; a type only some resources use is compiled with their
//! features; the types no operation uses are compiled with [`STANDALONE_TYPES`]; the types only
//! received implement `Serialize` with [`SERIALIZE`]. A single file has no features of its own.

use crate::ir::{Api, GroupId};
use proc_macro2::TokenStream;
use quote::quote;

/// The feature cargo turns on unless told otherwise: [`FULL`].
pub const DEFAULT: &str = "default";

/// The feature that compiles every resource.
pub const FULL: &str = "full";

/// The feature that compiles the description's types no operation sends or receives (GitHub's
/// webhook payloads, say): they are the description's, and a user may decode into them, but most
/// users never do, so they are off by default.
pub const STANDALONE_TYPES: &str = "standalone_types";

/// The feature that derives `Serialize` on the types no request sends.
pub const SERIALIZE: &str = "serialize";

/// The manifest's own features, which a resource's feature cannot be named.
const RESERVED: &[&str] = &[DEFAULT, FULL, STANDALONE_TYPES, SERIALIZE];

/// When an item is compiled, where that depends on features: with any of `resources`' features,
/// or with [`STANDALONE_TYPES`] when `standalone`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gate {
    /// The resources (top-level groups, in [`Api::groups`] order) whose features compile the item.
    pub resources: Vec<GroupId>,
    /// Whether [`STANDALONE_TYPES`] compiles it too (a type no operation uses holds it, or it is
    /// one).
    pub standalone: bool,
}

impl Gate {
    /// Compiled with any of `resources`' features.
    pub fn resources(resources: Vec<GroupId>) -> Self {
        Gate {
            resources,
            standalone: false,
        }
    }

    /// Whether only [`STANDALONE_TYPES`] compiles the item: no resource uses it.
    pub fn only_standalone(&self) -> bool {
        self.resources.is_empty()
    }

    /// The gate of what any of `gates` needs: compiled with the features of every one of them.
    /// `None` when one of them is `None` (always compiled).
    pub fn union<'a>(gates: impl IntoIterator<Item = Option<&'a Gate>>) -> Option<Gate> {
        let mut union = Gate::resources(Vec::new());
        for gate in gates {
            let gate = gate?;
            union.resources.extend(&gate.resources);
            union.standalone |= gate.standalone;
        }
        union.resources.sort();
        union.resources.dedup();
        Some(union)
    }

    /// `#[cfg(…)]`: compiled when any of the gate's features is on.
    pub fn cfg(&self, api: &Api) -> TokenStream {
        let mut features: Vec<String> = self
            .resources
            .iter()
            .map(|r| resource_feature(api, *r))
            .collect();
        if self.standalone {
            features.push(STANDALONE_TYPES.to_string());
        }
        match &features[..] {
            [one] => quote!(#[cfg(feature = #one)]),
            _ => quote!(#[cfg(any(#(feature = #features),*))]),
        }
    }
}

/// The feature that compiles a resource with its groups, operations and the types only they use:
/// the accessor's name, which is unique among the client's methods (with `_resource` after it, for
/// the names the manifest takes itself).
pub fn resource_feature(api: &Api, resource: GroupId) -> String {
    let name = &api.groups[resource.0].accessor;
    match RESERVED.contains(&name.as_str()) {
        true => format!("{name}_resource"),
        false => name.clone(),
    }
}

/// The feature of every resource, in the order of [`Api::groups`].
pub fn resource_features(api: &Api) -> Vec<String> {
    (0..api.groups.len())
        .filter(|&i| api.groups[i].parent.is_none())
        .map(|i| resource_feature(api, GroupId(i)))
        .collect()
}

/// `#[cfg(feature = "serialize")]`.
pub fn serialize_cfg() -> TokenStream {
    quote!(#[cfg(feature = #SERIALIZE)])
}

/// `#[cfg_attr(feature = "serialize", derive(serde::Serialize), serde(…))]`, with the `serde`
/// attributes only `Serialize` reads (`extra`, left out when empty).
pub fn serialize_cfg_attr(extra: TokenStream) -> TokenStream {
    let extra = (!extra.is_empty()).then(|| quote!(, serde(#extra)));
    quote!(#[cfg_attr(feature = #SERIALIZE, derive(serde::Serialize) #extra)])
}

/// `#[cfg(feature = "standalone_types")]`.
pub fn standalone_cfg() -> TokenStream {
    quote!(#[cfg(feature = #STANDALONE_TYPES)])
}

/// `#![cfg(feature = "full")]`, for a file that names the types of every resource.
pub fn full_inner_cfg() -> TokenStream {
    quote!(#![cfg(feature = #FULL)])
}

/// The `[features]` entries the manifest ends with: one per resource, all of them in [`FULL`],
/// which is the [`DEFAULT`] (a crate that needs a few resources turns the default off and names
/// them), then [`STANDALONE_TYPES`] and [`SERIALIZE`], both off by default.
pub fn manifest_table(api: &Api) -> String {
    let features = resource_features(api);
    let listed: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
    let mut table = format!(
        "\n# Every resource, on by default; with `default-features = false`, name the ones to compile.\n\
         {DEFAULT} = [{}]\n{FULL} = [{}]\n",
        toml_string(FULL),
        listed.join(", ")
    );
    for feature in &features {
        table.push_str(&format!("{feature} = []\n"));
    }
    table.push_str(&format!(
        "\n# The description's types that no operation sends or receives; off by default.\n{STANDALONE_TYPES} = []\n\
         \n# `Serialize` on the types only received too (requests' types always have it); off by default.\n{SERIALIZE} = []\n",
    ));
    table
}

/// `s` as a TOML string.
pub(crate) fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Group;

    fn api(accessors: &[&str]) -> Api {
        Api {
            groups: accessors
                .iter()
                .map(|name| Group {
                    accessor: name.to_string(),
                    type_name: name.to_string(),
                    parent: None,
                    title: name.to_string(),
                    doc: None,
                })
                .collect(),
            ..Api::default()
        }
    }

    #[test]
    fn a_resource_never_takes_a_name_of_the_manifest() {
        let api = api(&[
            "contacts",
            "full",
            "serialize",
            "default",
            "standalone_types",
        ]);
        assert_eq!(
            resource_features(&api),
            [
                "contacts",
                "full_resource",
                "serialize_resource",
                "default_resource",
                "standalone_types_resource"
            ]
        );
    }

    #[test]
    fn a_gate_is_one_feature_or_any_of_several() {
        let api = api(&["contacts", "tickets"]);
        let one = Gate::resources(vec![GroupId(1)]);
        assert_eq!(
            one.cfg(&api).to_string(),
            quote!(#[cfg(feature = "tickets")]).to_string()
        );
        let both = Gate {
            resources: vec![GroupId(0)],
            standalone: true,
        };
        assert_eq!(
            both.cfg(&api).to_string(),
            quote!(#[cfg(any(feature = "contacts", feature = "standalone_types"))]).to_string()
        );
        assert_eq!(
            Gate::union([Some(&one), Some(&both)]),
            Some(Gate {
                resources: vec![GroupId(0), GroupId(1)],
                standalone: true
            })
        );
        assert_eq!(Gate::union([Some(&one), None]), None);
    }

    #[test]
    fn the_table_declares_every_feature_a_cfg_names() {
        let table = manifest_table(&api(&["contacts", "full"]));
        for line in [
            "default = [\"full\"]",
            "full = [\"contacts\", \"full_resource\"]",
            "contacts = []",
            "full_resource = []",
            "standalone_types = []",
            "serialize = []",
        ] {
            assert!(table.lines().any(|l| l == line), "{line} in {table}");
        }
    }
}
