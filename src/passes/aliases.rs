//! Aliases that reach themselves: `type A = B; type B = A;` or `type A = Vec<A>` cannot compile,
//! so the reference that closes such a cycle becomes a JSON value, with a warning.

use super::strip_option;
use crate::error::{Location, Warning, WarningKind};
use crate::ir::*;
use std::collections::BTreeSet;

/// `type A = B; type B = A;` cannot compile: the alias that closes such a cycle becomes a JSON value.
pub fn break_alias_cycles(
    api: &mut Api,
    warnings: &mut Vec<Warning>,
    locate: &dyn Fn(&crate::pointer::Pointer) -> Location,
) {
    for start in 0..api.types.len() {
        let mut seen = BTreeSet::new();
        let mut current = start;
        loop {
            if !seen.insert(current) {
                if current == start {
                    warnings.push(Warning {
                        location: locate(&api.types[start].origin),
                        message: "this schema is only a reference round a cycle of references; it is a JSON value".into(),
                        kind: WarningKind::AliasCycle,
                    });
                    api.types[start].kind = TypeKind::Alias(Ty::Json);
                }
                break;
            }
            match &api.types[current].kind {
                TypeKind::Alias(ty) => match strip_option(ty) {
                    Ty::Named(next) => current = next.0,
                    _ => break,
                },
                _ => break,
            }
        }
    }
    // An alias may also reach itself through a list or a map (`type A = Vec<A>`), which Rust rejects
    // just the same: inside the alias, each reference that leads back to it becomes a JSON value.
    for start in 0..api.types.len() {
        let TypeKind::Alias(ty) = &api.types[start].kind else {
            continue;
        };
        let mut refs = Vec::new();
        alias_refs(ty, &mut refs);
        let closing: Vec<TypeId> = refs
            .into_iter()
            .filter(|r| alias_reaches(api, *r, start))
            .collect();
        if closing.is_empty() {
            continue;
        }
        warnings.push(Warning {
            location: locate(&api.types[start].origin),
            message:
                "this schema holds itself only through lists or maps, which a Rust type alias \
                      cannot; the items that refer back to it are JSON values"
                    .into(),
            kind: WarningKind::AliasCycle,
        });
        if let TypeKind::Alias(ty) = &mut api.types[start].kind {
            replace_named(ty, &closing);
        }
    }
}

/// Every named type a `Ty` mentions, through any wrapper.
fn alias_refs(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
            alias_refs(inner, out)
        }
        _ => {}
    }
}

/// Whether expanding the type `from` (through aliases only) reaches the type `target`.
fn alias_reaches(api: &Api, from: TypeId, target: usize) -> bool {
    let mut stack = vec![from.0];
    let mut seen = BTreeSet::new();
    while let Some(n) = stack.pop() {
        if n == target {
            return true;
        }
        if !seen.insert(n) {
            continue;
        }
        if let TypeKind::Alias(ty) = &api.types[n].kind {
            let mut refs = Vec::new();
            alias_refs(ty, &mut refs);
            stack.extend(refs.into_iter().map(|t| t.0));
        }
    }
    false
}

/// Replaces each of `ids` inside `ty` by a JSON value.
fn replace_named(ty: &mut Ty, ids: &[TypeId]) {
    match ty {
        Ty::Named(id) if ids.contains(id) => *ty = Ty::Json,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
            replace_named(inner, ids)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::test_ir::named;

    #[test]
    fn aliases_holding_themselves_through_lists_are_broken() {
        // `type A = Vec<A>`, and `type B = BTreeMap<String, C>; type C = Option<Vec<B>>`.
        let mut api = Api::default();
        api.types.push(named(
            "A",
            TypeKind::Alias(Ty::Vec(Box::new(Ty::Named(TypeId(0))))),
        ));
        api.types.push(named(
            "B",
            TypeKind::Alias(Ty::Map(Box::new(Ty::Named(TypeId(2))))),
        ));
        let c = Ty::Vec(Box::new(Ty::Named(TypeId(1)))).optional();
        api.types.push(named("C", TypeKind::Alias(c.clone())));
        let mut warnings = Vec::new();
        break_alias_cycles(&mut api, &mut warnings, &|p| {
            crate::error::Location::new(std::path::Path::new("x.yaml"), p.clone())
        });
        let TypeKind::Alias(a) = &api.types[0].kind else {
            panic!()
        };
        let TypeKind::Alias(b) = &api.types[1].kind else {
            panic!()
        };
        let TypeKind::Alias(c_after) = &api.types[2].kind else {
            panic!()
        };
        assert_eq!(*a, Ty::Vec(Box::new(Ty::Json)));
        assert_eq!(*b, Ty::Map(Box::new(Ty::Json)));
        assert_eq!(*c_after, c, "once B no longer reaches C, C is left alone");
        assert_eq!(warnings.len(), 2);
    }
}
