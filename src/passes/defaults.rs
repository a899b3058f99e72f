//! Defaults: which types can derive `Default`, so that a missing value can be created (a body
//! for the next page, an optional object on the way to a cursor).

use crate::ir::*;

/// Which types can derive `Default`: structs whose fields all have a default.
pub fn defaultable(api: &Api) -> Vec<bool> {
    let n = api.types.len();
    let mut ok = vec![false; n];
    // Start optimistic for structs and refine to a fixed point: a struct is defaultable if each field
    // is `Option`, a collection, a scalar, or a defaultable struct.
    for (i, def) in api.types.iter().enumerate() {
        ok[i] = matches!(def.kind, TypeKind::Struct(_));
    }
    loop {
        let mut changed = false;
        for (i, def) in api.types.iter().enumerate() {
            if !ok[i] {
                continue;
            }
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            if !s.fields.iter().all(|f| ty_default(&f.ty, &ok, api)) {
                ok[i] = false;
                changed = true;
            }
        }
        if !changed {
            return ok;
        }
    }
}

pub(super) fn ty_default(ty: &Ty, ok: &[bool], api: &Api) -> bool {
    match ty {
        Ty::Option(_) | Ty::Vec(_) | Ty::Map(_) | Ty::Json | Ty::String | Ty::Bytes => true,
        Ty::File => true,
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => true,
        Ty::Box(inner) => ty_default(inner, ok, api),
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => ty_default(inner, ok, api),
            _ => ok[id.0],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_ir::{field, named};

    fn strct(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(Struct {
            fields,
            additional: None,
            shapes: None,
        })
    }

    #[test]
    fn structs_are_defaultable_when_every_field_is() {
        let mut api = Api::default();
        // 0: every field optional, a list, or a scalar.
        api.types.push(named(
            "Loose",
            strct(vec![
                field("a", Ty::String.optional(), false),
                field("b", Ty::Vec(Box::new(Ty::Named(TypeId(3)))), true),
                field("c", Ty::I64, true),
            ]),
        ));
        // 1: requires an enum, which has no default.
        api.types.push(named(
            "NeedsEnum",
            strct(vec![field("kind", Ty::Named(TypeId(3)), true)]),
        ));
        // 2: requires a defaultable struct through an alias. 5: requires a struct that is not
        // defaultable, through a box. Enums (3) and aliases (4) derive no `Default` themselves.
        api.types.push(named(
            "Nested",
            strct(vec![field("loose", Ty::Named(TypeId(4)), true)]),
        ));
        api.types
            .push(named("Kind", TypeKind::StringEnum(StringEnum::default())));
        api.types
            .push(named("LooseAlias", TypeKind::Alias(Ty::Named(TypeId(0)))));
        api.types.push(named(
            "Boxed",
            strct(vec![field(
                "x",
                Ty::Box(Box::new(Ty::Named(TypeId(1)))),
                true,
            )]),
        ));
        assert_eq!(defaultable(&api), [true, false, true, false, false, false]);
    }
}
