//! The `types` module: structs and aliases here; string enums and unions in their own rooms.

use super::constructors::{default_impl, emit_constructors, is_nullable_optional, DefaultImpl};
use super::enums::emit_string_enum;
use super::unions::emit_union;
use super::{doc_attrs, ident, ty_tokens, From, Items};
use crate::analysis::Analysis;
use crate::features::Gate;
use crate::ir::*;
use crate::names;
use proc_macro2::{Delimiter, Group, Ident, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

/// The `types` module: every named type, in name order. Where `target` is gated (the crate layout, whose
/// manifest lists the features), a type that only some resources use is compiled only with their
/// cargo features.
pub fn emit_types(api: &Api, target: &super::Target, analysis: &Analysis) -> TokenStream {
    let plan = TypesPlan::new(api, target, analysis);
    let head = plan.head(api);
    let items = plan.items(api, 0..plan.len());
    quote! {
        #head
        #items
    }
}

/// What emitting the `types` module needs to know about every type, worked out once, so that
/// its items can be emitted a range at a time on several threads ([`TypesPlan::items`]) and
/// joined after its head ([`TypesPlan::head`]) into what [`emit_types`] emits.
pub struct TypesPlan<'a> {
    analysis: &'a Analysis,
    /// Whether types are behind features ([`super::Target::gated`]).
    gated: bool,
    /// The types to emit, by index into `api.types`, in name order.
    order: Vec<usize>,
}

impl<'a> TypesPlan<'a> {
    /// The plan for `api`'s types for `target`, as in [`emit_types`].
    pub fn new(api: &Api, target: &super::Target, analysis: &'a Analysis) -> Self {
        // By name; of two types with one name, the later is emitted.
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, def) in api.types.iter().enumerate() {
            by_name.insert(&def.name, i);
        }
        TypesPlan {
            analysis,
            gated: target.gated(),
            order: by_name.into_values().collect(),
        }
    }

    /// Whether type `i` derives `Serialize` without a feature. In the crate layout, `Serialize`
    /// is derived on the types a request sends, and on the others only with the cargo feature
    /// `serialize` (deriving it on GitHub's response types costs much of its check). A single file
    /// has no features of its own: every type derives it there.
    fn serialized(&self, i: usize) -> bool {
        !self.gated || self.analysis.serialized[i]
    }

    /// The features that compile type `i`: none in a single file.
    fn gate(&self, i: usize) -> Option<&Gate> {
        self.analysis.gates[i].as_ref().filter(|_| self.gated)
    }

    /// How many items [`TypesPlan::items`] ranges over.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there is no type to emit.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The module's docs and imports, which come before every type.
    pub fn head(&self, api: &Api) -> TokenStream {
        // `Serialize` is derived only on the types a request sends, and aliases and string enums
        // import neither: an import that no compiled type uses would be a warning.
        let derived = |serialize: bool| {
            import_gate(api, |i| self.gate(i), |i| !serialize || self.serialized(i))
        };
        let cfg = |gate: &Option<Gate>| gate.as_ref().map(|gate| gate.cfg(api));
        let derives = match (derived(false), derived(true)) {
            (Some(both), Some(serialize)) if both == serialize => {
                let both = cfg(&both);
                Some(quote!(
                    #both
                    use serde::{Deserialize, Serialize};
                ))
            }
            (deserialize, serialize) => {
                let deserialize = deserialize.map(|gate| {
                    let cfg = cfg(&gate);
                    quote!(#cfg use serde::Deserialize;)
                });
                let serialize = serialize.map(|gate| {
                    let cfg = cfg(&gate);
                    quote!(#cfg use serde::Serialize;)
                });
                Some(quote!(#deserialize #serialize))
            }
        };
        // `Nullable` is brought in only where a field is one (the import would be unused), and
        // public, so that what a body needs is all in this module.
        let nullable = api
            .types
            .iter()
            .any(|def| match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().any(is_nullable_optional),
                _ => false,
            })
            .then(|| {
                quote!(
                    pub use super::runtime::Nullable;
                )
            });
        quote! {
            //! The request and response types of the API.
            #derives
            #nullable
        }
    }

    /// The items of the types at `range` of the name order.
    pub fn items(&self, api: &Api, range: std::ops::Range<usize>) -> TokenStream {
        let mut items = TokenStream::new();
        for &i in &self.order[range] {
            let def = &api.types[i];
            let serialized = self.serialized(i);
            let defaultable = &self.analysis.defaultable;
            let tokens = match &def.kind {
                TypeKind::Struct(s) => emit_struct(api, def, s, TypeId(i), defaultable, serialized),
                TypeKind::StringEnum(e) => emit_string_enum(def, e, serialized),
                TypeKind::Union(u) => emit_union(api, def, u, serialized),
                TypeKind::Alias(ty) => emit_alias(api, def, ty),
            };
            let cfg = self.gate(i).map(|gate| gate.cfg(api));
            items.extend(tokens.gated(cfg.as_ref()));
        }
        items
    }
}

/// The gate of an import that the structs, enums and unions `uses` picks need: `Some(None)` when
/// one of them is always compiled, else compiled with the features of any of them; `None` when
/// none needs it.
fn import_gate<'a>(
    api: &Api,
    gate: impl Fn(usize) -> Option<&'a Gate>,
    uses: impl Fn(usize) -> bool,
) -> Option<Option<Gate>> {
    // Aliases derive nothing, and string enums get their impls from the runtime's macro.
    let mut users = (0..api.types.len())
        .filter(|&i| {
            !matches!(
                api.types[i].kind,
                TypeKind::Alias(_) | TypeKind::StringEnum(_)
            )
        })
        .filter(|&i| uses(i))
        .map(gate)
        .peekable();
    users.peek()?;
    Some(Gate::union(users))
}

/// `Serialize, ` where a type is sent in a request, else nothing: a type only received needs no
/// encoder, and deriving one costs compile time (see [`serialize_with_feature`]).
pub(super) fn serialize_derive(serialize: bool) -> Option<TokenStream> {
    serialize.then(|| quote!(Serialize,))
}

/// Where a type is only received, the attribute that derives `Serialize` on it with the cargo
/// feature [`crate::features::SERIALIZE`] (for a user who stores or forwards what the server sent), with
/// `serde` attributes only `Serialize` reads (`extra`); nothing where it is always derived.
pub(super) fn serialize_with_feature(serialize: bool, extra: TokenStream) -> Option<TokenStream> {
    (!serialize).then(|| crate::features::serialize_cfg_attr(extra))
}

fn emit_struct(
    api: &Api,
    def: &TypeDef,
    s: &Struct,
    id: TypeId,
    defaultable: &[bool],
    serialize: bool,
) -> Items {
    let name = ident(&def.name);
    let mut doc = doc_attrs(def.doc.as_deref());
    if let Some(shapes) = &s.shapes {
        let lines = shapes_doc(s, shapes);
        let blank = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
        doc.extend(quote!(#blank));
        doc.extend(super::doc_line_attrs(&lines));
    }
    let default = default_impl(api, s, id, defaultable);
    let derive_default = (default == DefaultImpl::Derived).then(|| quote!(Default,));
    let derive_serialize = serialize_derive(serialize);
    let serialize_feature = serialize_with_feature(serialize, TokenStream::new());
    // The body is built from the fields' own tokens, moved in: interpolated with `quote`, each
    // field's tokens (its type's identifiers above all) would be copied once more.
    let mut body = TokenStream::new();
    for field in &s.fields {
        body.extend(emit_field(api, field));
    }
    let additional = s.additional.as_ref().map(|ty| {
        let field = ident(&names::additional_properties_field(
            s.fields.iter().map(|f| f.name.as_str()),
        ));
        let ty = ty_tokens(api, ty, From::Types);
        quote! {
            /// Properties not listed above.
            #[serde(flatten)]
            pub #field: std::collections::BTreeMap<String, #ty>,
        }
    });
    body.extend(additional);
    let body = Group::new(Delimiter::Brace, body);
    let base = emit_base_deref(api, &name, s);
    let constructors = emit_constructors(api, &name, s, default, defaultable);
    let mut items = Items::one(quote! {
        #doc
        #[derive(Clone, Debug, #derive_default PartialEq, #derive_serialize Deserialize)]
        #serialize_feature
        pub struct #name #body
    });
    items.append(base);
    items.append(constructors);
    items
}

fn emit_field(api: &Api, f: &Field) -> TokenStream {
    let field_name = ident(&f.name);
    let ty = match &f.ty {
        Ty::Option(inner) if is_nullable_optional(f) => {
            let inner = ty_tokens(api, inner, From::Types);
            quote!(Nullable<#inner>)
        }
        ty => ty_tokens(api, ty, From::Types),
    };
    let doc = doc_attrs(f.doc.as_deref());
    let mut serde_args = Vec::new();
    if f.flatten {
        serde_args.push(quote!(flatten));
    } else if f.wire != f.name {
        let wire = &f.wire;
        serde_args.push(quote!(rename = #wire));
    }
    if is_nullable_optional(f) {
        serde_args.push(quote!(default, skip_serializing_if = "Nullable::is_absent"));
    } else if !f.flatten && !f.required && f.ty.is_option() {
        serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
    // Extended, not interpolated: the type's tokens are moved, not copied.
    let mut field = doc;
    field.extend(serde_attr);
    field.extend(quote!(pub #field_name:));
    field.extend(ty);
    field.extend(quote!(,));
    field
}

/// `Deref` and `DerefMut` to the base struct a struct embeds, so that a value of the extended
/// type is usable wherever a reference to the base is asked for.
fn emit_base_deref(api: &Api, name: &Ident, s: &Struct) -> Option<Items> {
    let field = s.fields.iter().find(|f| f.flatten)?;
    let member = ident(&field.name);
    let ty = ty_tokens(api, &field.ty, From::Types);
    let mut items = Items::one(quote! {
        impl std::ops::Deref for #name {
            type Target = #ty;
            fn deref(&self) -> &Self::Target {
                &self.#member
            }
        }
    });
    items.push(quote! {
        impl std::ops::DerefMut for #name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.#member
            }
        }
    });
    Some(items)
}

/// The documentation of the shapes a struct may take: which properties each one requires.
fn shapes_doc(s: &Struct, shapes: &Shapes) -> Vec<String> {
    let lead = if shapes.exactly_one {
        " Exactly one of these shapes is expected:"
    } else {
        " At least one of these shapes is expected:"
    };
    let mut lines = vec![lead.to_string(), String::new()];
    for shape in &shapes.shapes {
        let required: Vec<String> = shape
            .required
            .iter()
            .map(|wire| match s.fields.iter().find(|f| &f.wire == wire) {
                Some(f) => format!("[`{0}`](Self::{0})", f.name),
                None => crate::docs::inline_code(wire),
            })
            .collect();
        let fields = if required.is_empty() {
            "no property".to_string()
        } else {
            required.join(", ")
        };
        let line = match &shape.title {
            Some(title) => format!(" - {}: {fields}", crate::docs::one_line(title)),
            None => format!(" - {fields}"),
        };
        lines.push(line);
    }
    lines
}

fn emit_alias(api: &Api, def: &TypeDef, ty: &Ty) -> Items {
    let name = ident(&def.name);
    let doc = doc_attrs(def.doc.as_deref());
    let ty = ty_tokens(api, ty, From::Types);
    Items::one(quote! {
        #doc
        pub type #name = #ty;
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::fixtures::{api, field, holds, type_def};

    fn thing(fields: Vec<Field>, additional: Option<Ty>) -> Api {
        let kind = TypeKind::Struct(Struct {
            fields,
            additional,
            shapes: None,
        });
        api(vec![type_def("Thing", kind)])
    }

    fn emit_thing(api: &Api) -> TokenStream {
        let def = &api.types[0];
        let TypeKind::Struct(s) = &def.kind else {
            unreachable!("thing() makes a struct")
        };
        emit_struct(api, def, s, TypeId(0), &[false], true).into_tokens()
    }

    #[test]
    fn a_keyword_field_is_renamed_to_its_wire_name() {
        let api = thing(vec![field("type", "type_", Ty::String, true)], None);
        let tokens = emit_thing(&api);
        assert!(
            holds(
                &tokens,
                quote!(#[serde(rename = "type")] pub type_: String,)
            ),
            "{tokens}"
        );
    }

    #[test]
    fn an_optional_field_is_skipped_when_absent_and_a_plain_one_has_no_serde_attribute() {
        let api = thing(
            vec![
                field("name", "name", Ty::String, false),
                field("id", "id", Ty::I64, true),
            ],
            None,
        );
        let tokens = emit_thing(&api);
        let optional = quote!(#[serde(default, skip_serializing_if = "Option::is_none")] pub name: Option<String>,);
        assert!(holds(&tokens, optional), "{tokens}");
        // The required field follows with no attribute of its own.
        assert!(
            holds(&tokens, quote!(Option<String>, pub id: i64,)),
            "{tokens}"
        );
    }

    #[test]
    fn additional_properties_get_a_field_that_no_property_has_taken() {
        let taken = field(
            "additional_properties",
            "additional_properties",
            Ty::String,
            true,
        );
        let api = thing(vec![taken], Some(Ty::I64));
        let tokens = emit_thing(&api);
        let map = quote!(#[serde(flatten)] pub additional_properties_2: std::collections::BTreeMap<String, i64>,);
        assert!(holds(&tokens, map), "{tokens}");
    }

    #[test]
    fn types_are_emitted_in_name_order_and_a_defaultable_struct_derives_default() {
        let empty = TypeKind::Struct(Struct::default());
        let api = api(vec![
            type_def("Zebra", TypeKind::Alias(Ty::String)),
            type_def("Apple", empty),
        ]);
        let analysis = Analysis::of(&api);
        let target = crate::emit::Target::single_file(crate::config::Grouping::Flat);
        let text = emit_types(&api, &target, &analysis).to_string();
        let apple = text.find("struct Apple").expect("Apple is emitted");
        let zebra = text.find("type Zebra").expect("Zebra is emitted");
        assert!(apple < zebra, "{text}");
        assert!(holds(
            &emit_types(&api, &target, &analysis),
            quote!(#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)] pub struct Apple)
        ));
    }
}
