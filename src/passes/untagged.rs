//! The order in which an untagged union tries its alternatives: most particular first.

use crate::ir::*;

/// How much of the input an alternative of an untagged union accepts: lower means more particular,
/// and particular alternatives are tried first, so that decoding picks the right one. A struct with
/// many required properties is most particular; a struct with none accepts any object, so it goes
/// after every struct that requires something; scalars are ordered so that integers are tried
/// before floats; a JSON value accepts anything and goes last.
fn looseness(api: &Api, ty: &Ty, depth: usize) -> (u8, usize, usize) {
    if depth > 16 {
        return (9, 0, 0);
    }
    match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(s) => {
                let fields = s.wire_fields(api);
                let required = fields.iter().filter(|(_, f)| f.required).count();
                let total = fields.len();
                if required > 0 {
                    (0, usize::MAX - required, usize::MAX - total)
                } else {
                    (5, 0, usize::MAX - total)
                }
            }
            TypeKind::StringEnum(_) => (2, 0, 0),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .map(|v| looseness(api, &v.ty, depth + 1))
                .max()
                .unwrap_or((9, 0, 0)),
            TypeKind::Alias(inner) => looseness(api, inner, depth + 1),
        },
        Ty::Box(inner) => looseness(api, inner, depth + 1),
        Ty::Bool | Ty::I32 | Ty::I64 => (1, 0, 0),
        Ty::F64 => (3, 0, 0),
        Ty::String | Ty::Bytes | Ty::File => (3, 1, 0),
        Ty::Vec(_) => (4, 0, 0),
        Ty::Map(_) => (6, 0, 0),
        Ty::Option(_) => (7, 0, 0),
        Ty::Json => (9, 0, 0),
    }
}

/// Orders the alternatives of every union without a discriminator from most to least particular
/// (see `looseness`); ties keep document order.
pub fn order_untagged_variants(api: &mut Api) {
    for i in 0..api.types.len() {
        let TypeKind::Union(union) = &api.types[i].kind else {
            continue;
        };
        if union.discriminator.is_some() {
            continue;
        }
        let mut variants = union.variants.clone();
        variants.sort_by_key(|v| looseness(api, &v.ty, 0));
        if let TypeKind::Union(union) = &mut api.types[i].kind {
            union.variants = variants;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::test_ir::{field, named};

    #[test]
    fn untagged_variants_most_particular_first() {
        let mut api = Api::default();
        api.types.push(named(
            "Loose",
            TypeKind::Struct(Struct {
                fields: vec![field("x", Ty::String.optional(), false)],
                additional: None,
                shapes: None,
            }),
        ));
        api.types.push(named(
            "Strict",
            TypeKind::Struct(Struct {
                fields: vec![field("id", Ty::String, true)],
                additional: None,
                shapes: None,
            }),
        ));
        api.types.push(named(
            "U",
            TypeKind::Union(Union {
                variants: vec![
                    UnionVariant {
                        name: "Json".into(),
                        ty: Ty::Json,
                    },
                    UnionVariant {
                        name: "Loose".into(),
                        ty: Ty::Named(TypeId(0)),
                    },
                    UnionVariant {
                        name: "Number".into(),
                        ty: Ty::F64,
                    },
                    UnionVariant {
                        name: "Integer".into(),
                        ty: Ty::I64,
                    },
                    UnionVariant {
                        name: "Strict".into(),
                        ty: Ty::Named(TypeId(1)),
                    },
                ],
                discriminator: None,
            }),
        ));
        order_untagged_variants(&mut api);
        let TypeKind::Union(u) = &api.types[2].kind else {
            panic!()
        };
        let order: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(order, ["Strict", "Integer", "Number", "Loose", "Json"]);
    }
}
