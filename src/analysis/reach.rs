//! Reach: which named types a request or a response can hold, and which resources use each type.
//! In the crate layout, the emitter derives `Serialize` on the types a request sends, and on the
//! others only with the cargo feature `serialize` (every type keeps `Deserialize`: responses decode
//! into them, and so do the description's examples in the generated `tests/examples.rs`); it puts
//! each type behind the cargo features of the resources whose operations use it, and the types no
//! operation uses behind [`crate::features::STANDALONE_TYPES`].

use crate::features::Gate;
use crate::ir::*;

/// Marks `ty` and every named type it reaches (through fields, items, map values, variants and
/// aliases) in `marks`, depth first with an explicit stack, so that no nesting of types can
/// overflow the thread's stack.
fn mark(api: &Api, ty: &Ty, marks: &mut [bool]) {
    let mut stack: Vec<&Ty> = vec![ty];
    while let Some(ty) = stack.pop() {
        match ty {
            Ty::Named(id) => {
                if marks[id.0] {
                    continue;
                }
                marks[id.0] = true;
                match &api.types[id.0].kind {
                    TypeKind::Struct(s) => {
                        stack.extend(s.fields.iter().map(|f| &f.ty));
                        stack.extend(s.additional.as_ref());
                    }
                    TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias(inner) => stack.push(inner),
                    TypeKind::StringEnum(_) => {}
                }
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
                stack.push(inner)
            }
            Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::F64
            | Ty::String
            | Ty::Bytes
            | Ty::File
            | Ty::Json => {}
        }
    }
}

/// The types an operation sends: its parameters' and its body's.
fn sent(op: &Operation) -> impl Iterator<Item = &Ty> {
    op.params
        .iter()
        .map(|p| &p.ty)
        .chain(op.body.as_ref().map(|b| &b.ty))
}

/// The types an operation sends or receives (its stream's events among them).
fn used(op: &Operation) -> impl Iterator<Item = &Ty> {
    sent(op)
        .chain(
            op.responses
                .iter()
                .filter_map(|r| r.body.as_ref().map(|b| &b.ty)),
        )
        .chain(op.streaming.as_ref().map(|s| &s.event))
}

/// For each named type, whether some request sends it (as a parameter or a body, or inside one):
/// the types that need `Serialize`.
pub fn serialized(api: &Api) -> Vec<bool> {
    let mut marks = vec![false; api.types.len()];
    for ty in api.operations.iter().flat_map(sent) {
        mark(api, ty, &mut marks);
    }
    marks
}

/// For each named type, when it is compiled: `None` when always (an operation on the client itself
/// uses it, the description's common error body reaches it, every resource uses it, or the
/// description has no operations at all), else its
/// [`Gate`]. A type that no operation uses, and every type it holds, is compiled with
/// [`crate::features::STANDALONE_TYPES`] (and with the features of the resources that use it, if any do).
pub fn resources_using(api: &Api) -> Vec<Option<Gate>> {
    let mut grouped = vec![false; api.types.len()];
    let mut always = vec![false; api.types.len()];
    for op in &api.operations {
        let marks = match op.placement.resource {
            Some(_) => &mut grouped,
            None => &mut always,
        };
        for ty in used(op) {
            mark(api, ty, marks);
        }
    }
    if let Some(common) = &api.common_error {
        mark(api, common, &mut always);
    }
    // A description without operations is its types: they are all always compiled.
    if api.operations.is_empty() {
        return vec![None; api.types.len()];
    }
    let mut standalone = vec![false; api.types.len()];
    for t in 0..api.types.len() {
        if !grouped[t] && !always[t] {
            mark(api, &Ty::Named(TypeId(t)), &mut standalone);
        }
    }
    let mut users: Vec<Vec<GroupId>> = vec![Vec::new(); api.types.len()];
    for (i, group) in api.groups.iter().enumerate() {
        if group.parent.is_some() {
            continue;
        }
        let resource = GroupId(i);
        let mut marks = vec![false; api.types.len()];
        for op in &api.operations {
            if op.placement.resource == Some(resource) {
                for ty in used(op) {
                    mark(api, ty, &mut marks);
                }
            }
        }
        for (t, reached) in marks.into_iter().enumerate() {
            if reached {
                users[t].push(resource);
            }
        }
    }
    let top = api.groups.iter().filter(|g| g.parent.is_none()).count();
    users
        .into_iter()
        .zip(always)
        .zip(standalone)
        .map(|((resources, always), standalone)| {
            // A type every resource uses needs no feature either.
            let every = !resources.is_empty() && resources.len() == top;
            (!always && !every).then_some(Gate {
                resources,
                standalone,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::test_ir::{field, named};

    fn strct(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(Struct {
            fields,
            ..Struct::default()
        })
    }

    fn group(name: &str, parent: Option<GroupId>) -> Group {
        Group {
            accessor: name.into(),
            type_name: name.into(),
            parent,
            title: name.into(),
            doc: None,
        }
    }

    /// [`resources_using`] once each operation knows its resource, as the placement settled
    /// before emission says.
    fn settled(api: &Api) -> Vec<Option<Gate>> {
        let mut api = api.clone();
        let resources: Vec<Option<GroupId>> = (api.operations.iter())
            .map(|op| op.placement.group.map(|g| api.resource_of(g)))
            .collect();
        for (op, resource) in api.operations.iter_mut().zip(resources) {
            op.placement.resource = resource;
        }
        resources_using(&api)
    }

    fn op(group: Option<GroupId>, body: Option<Ty>, response: Option<Ty>) -> Operation {
        let mut op = crate::ir::fixtures::operation();
        op.placement.group = group;
        op.body = body.map(|ty| Body {
            content_type: "application/json".into(),
            kind: MediaKind::Json,
            ty,
            required: true,
            doc: None,
            encodings: Vec::new(),
        });
        op.responses = response
            .map(|ty| Response {
                status: StatusMatch::Code(200),
                body: Some(ResponseBody {
                    content_type: "application/json".into(),
                    kind: MediaKind::Json,
                    ty,
                    offered: vec!["application/json".into()],
                }),
                doc: None,
            })
            .into_iter()
            .collect();
        op
    }

    /// 0 `Input` holds 1 `Tag`; 2 `Output` holds a list of 3 `Item`; 4 `Unused` holds 5 `Held`.
    fn api() -> Api {
        let named_ty = |i| Ty::Named(TypeId(i));
        Api {
            types: vec![
                named("Input", strct(vec![field("tag", named_ty(1), true)])),
                named("Tag", TypeKind::Alias(Ty::String)),
                named(
                    "Output",
                    strct(vec![field("items", Ty::Vec(Box::new(named_ty(3))), true)]),
                ),
                named("Item", strct(Vec::new())),
                named("Unused", strct(vec![field("held", named_ty(5), true)])),
                named("Held", strct(Vec::new())),
            ],
            groups: vec![
                group("things", None),
                group("others", None),
                group("sub", Some(GroupId(0))),
            ],
            ..Api::default()
        }
    }

    #[test]
    fn only_what_a_request_sends_is_serialized_transitively() {
        let mut api = api();
        api.operations = vec![op(
            None,
            Some(Ty::Named(TypeId(0))),
            Some(Ty::Named(TypeId(2))),
        )];
        assert_eq!(serialized(&api), [true, true, false, false, false, false]);
    }

    #[test]
    fn a_type_is_behind_the_resources_that_use_it_or_the_standalone_feature() {
        let mut api = api();
        api.operations = vec![
            // An operation of a nested group belongs to its top-level resource.
            op(Some(GroupId(2)), Some(Ty::Named(TypeId(0))), None),
            op(Some(GroupId(1)), None, Some(Ty::Named(TypeId(2)))),
            op(Some(GroupId(0)), None, Some(Ty::Named(TypeId(3)))),
        ];
        let users = settled(&api);
        let by = |resources: Vec<GroupId>, standalone| {
            Some(Gate {
                resources,
                standalone,
            })
        };
        assert_eq!(users[0], by(vec![GroupId(0)], false));
        assert_eq!(users[1], by(vec![GroupId(0)], false));
        assert_eq!(users[2], by(vec![GroupId(1)], false));
        // Both resources use `Item`.
        assert_eq!(users[3], None);
        // No operation uses `Unused`, nor what it holds: they are standalone.
        assert_eq!(users[4], by(Vec::new(), true));
        assert_eq!(users[5], by(Vec::new(), true));
        // A type that a standalone one holds is compiled with either feature.
        api.operations
            .push(op(Some(GroupId(0)), None, Some(Ty::Named(TypeId(5)))));
        assert_eq!(settled(&api)[5], by(vec![GroupId(0)], true));
        // An operation on the client itself makes its types always compiled.
        api.operations
            .push(op(None, Some(Ty::Named(TypeId(0))), None));
        assert_eq!(settled(&api)[1], None);
        api.operations
            .push(op(None, Some(Ty::Named(TypeId(4))), None));
        assert_eq!(settled(&api)[4], None);
        assert_eq!(settled(&api)[5], None);
    }

    #[test]
    fn a_description_without_operations_compiles_every_type() {
        assert!(resources_using(&api()).iter().all(Option::is_none));
    }
}
