//! Boxing: types that contain each other inline need a `Box` somewhere on the cycle; it goes on
//! exactly the fields that close one, and nowhere else.

use crate::ir::*;

/// The named type a `Ty` holds inline (through `Option`, but not through `Vec` or maps, which already
/// put their items on the heap).
fn direct_target(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => direct_target(inner),
        _ => None,
    }
}

/// Where in a type an edge of the containment graph starts.
#[derive(Clone, Copy)]
enum Slot {
    Field(usize),
    Variant(usize),
    Alias,
}

fn edges(def: &TypeDef) -> Vec<(Slot, TypeId)> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| direct_target(&f.ty).map(|t| (Slot::Field(i), t)))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| direct_target(&v.ty).map(|t| (Slot::Variant(i), t)))
            .collect(),
        TypeKind::Alias(ty) => direct_target(ty)
            .map(|t| vec![(Slot::Alias, t)])
            .unwrap_or_default(),
        TypeKind::StringEnum(_) => Vec::new(),
    }
}

fn box_ty(ty: &mut Ty) {
    let taken = std::mem::replace(ty, Ty::Json);
    *ty = match taken {
        Ty::Option(inner) => {
            let mut inner = *inner;
            box_ty(&mut inner);
            Ty::Option(Box::new(inner))
        }
        other => Ty::Box(Box::new(other)),
    };
}

/// One type on the depth-first search's stack: its outgoing edges and the next one to follow.
struct Frame {
    node: usize,
    edges: Vec<(Slot, TypeId)>,
    next: usize,
}

/// Puts a `Box` on exactly the fields that close a cycle of types containing each other inline: a
/// depth-first search in type order, boxing each edge that leads back onto the search's stack.
pub fn box_cycles(api: &mut Api) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let n = api.types.len();
    let mut state = vec![State::New; n];
    let mut to_box: Vec<(usize, Slot)> = Vec::new();
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        // An explicit stack, so that long chains of types cannot overflow the thread's stack.
        let mut stack = vec![Frame {
            node: root,
            edges: edges(&api.types[root]),
            next: 0,
        }];
        state[root] = State::OnStack;
        while let Some(frame) = stack.last_mut() {
            if let Some((slot, target)) = frame.edges.get(frame.next).copied() {
                frame.next += 1;
                let node = frame.node;
                match state[target.0] {
                    State::OnStack => to_box.push((node, slot)),
                    State::New => {
                        state[target.0] = State::OnStack;
                        stack.push(Frame {
                            node: target.0,
                            edges: edges(&api.types[target.0]),
                            next: 0,
                        });
                    }
                    State::Done => {}
                }
            } else {
                state[frame.node] = State::Done;
                stack.pop();
            }
        }
    }
    for (node, slot) in to_box {
        match (&mut api.types[node].kind, slot) {
            (TypeKind::Struct(s), Slot::Field(i)) => box_ty(&mut s.fields[i].ty),
            (TypeKind::Union(u), Slot::Variant(i)) => box_ty(&mut u.variants[i].ty),
            (TypeKind::Alias(ty), Slot::Alias) => box_ty(ty),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::test_ir::{field, named};

    #[test]
    fn boxes_only_the_field_closing_a_cycle() {
        // A { b: Option<B> }, B { a: Option<A>, list: Vec<A> }: only B.a closes the cycle.
        let mut api = Api::default();
        api.types.push(named(
            "A",
            TypeKind::Struct(Struct {
                fields: vec![field("b", Ty::Named(TypeId(1)).optional(), false)],
                additional: None,
                shapes: None,
            }),
        ));
        api.types.push(named(
            "B",
            TypeKind::Struct(Struct {
                fields: vec![
                    field("a", Ty::Named(TypeId(0)).optional(), false),
                    field("list", Ty::Vec(Box::new(Ty::Named(TypeId(0)))), true),
                ],
                additional: None,
                shapes: None,
            }),
        ));
        box_cycles(&mut api);
        let TypeKind::Struct(a) = &api.types[0].kind else {
            panic!()
        };
        let TypeKind::Struct(b) = &api.types[1].kind else {
            panic!()
        };
        assert_eq!(a.fields[0].ty, Ty::Named(TypeId(1)).optional());
        assert_eq!(
            b.fields[0].ty,
            Ty::Box(Box::new(Ty::Named(TypeId(0)))).optional()
        );
        assert_eq!(b.fields[1].ty, Ty::Vec(Box::new(Ty::Named(TypeId(0)))));
    }

    #[test]
    fn a_type_holding_itself_is_boxed_and_types_without_cycles_are_kept() {
        let (mut api, _) = crate::lower::test_support::lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Node:
      type: object
      required: [children]
      properties:
        parent: { $ref: '#/components/schemas/Node' }
        children: { type: array, items: { $ref: '#/components/schemas/Node' } }
        leaf: { $ref: '#/components/schemas/Leaf' }
    Leaf:
      type: object
      properties:
        value: { type: string }
"#,
        );
        let before = api.types.clone();
        box_cycles(&mut api);
        let TypeKind::Struct(node) = &api.types[0].kind else {
            panic!()
        };
        let fields: Vec<&Ty> = node.fields.iter().map(|f| &f.ty).collect();
        assert_eq!(
            fields,
            [
                &Ty::Box(Box::new(Ty::Named(TypeId(0)))).optional(),
                &Ty::Vec(Box::new(Ty::Named(TypeId(0)))),
                &Ty::Named(TypeId(1)).optional(),
            ]
        );
        let (TypeKind::Struct(leaf), TypeKind::Struct(leaf_before)) =
            (&api.types[1].kind, &before[1].kind)
        else {
            panic!()
        };
        assert_eq!(leaf.fields[0].ty, leaf_before.fields[0].ty);
    }
}
