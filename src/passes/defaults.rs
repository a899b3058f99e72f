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
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => true,
        Ty::Box(inner) => ty_default(inner, ok, api),
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => ty_default(inner, ok, api),
            _ => ok[id.0],
        },
    }
}
