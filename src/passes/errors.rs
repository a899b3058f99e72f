//! Errors, as a user of the client meets them: no type takes a name the runtime exports (a schema
//! called `error` would make `intercom::Error<intercom::types::Error>`), and the description's
//! common error body is found, so that statuses an operation does not document still decode.

use crate::ir::*;
use crate::names::{self, Scope};

/// Renames every type whose name the runtime exports ([`names::RUNTIME_TYPES`]: `Error`,
/// `Client`, `Response`, …), after its purpose where it shows one and with a `Model` suffix
/// otherwise: a struct whose list field is named as the plural of the type (`errors` in `Error`)
/// holds a list of them, and is `ErrorList`; `Response` is `ResponseModel`. The new name is
/// claimed among the crate's other types, so it cannot collide with one of them.
pub fn rename_runtime_shadows(api: &mut Api) {
    let mut scope = Scope::with_taken(api.types.iter().map(|t| t.name.as_str()));
    for index in 0..api.types.len() {
        let name = &api.types[index].name;
        if !names::RUNTIME_TYPES.contains(&name.as_str()) {
            continue;
        }
        let wanted = match holds_a_list_of_itself(&api.types[index]) {
            true => format!("{name}List"),
            false => format!("{name}Model"),
        };
        api.types[index].name = scope.claim(&wanted);
    }
}

/// Whether a struct has a list field named as the plural of the struct (`errors` in `Error`).
fn holds_a_list_of_itself(def: &TypeDef) -> bool {
    let TypeKind::Struct(s) = &def.kind else {
        return false;
    };
    let plural = format!("{}s", names::field_name(&def.name));
    s.fields
        .iter()
        .any(|field| field.name == plural && matches!(super::strip_option(&field.ty), Ty::Vec(_)))
}

/// Finds the description's common error body: among the operations that document a JSON error
/// body, the type more than half of them use (each operation counted once per type), provided it
/// is a schema of `#/components` (a body written inline in one operation is that operation's own,
/// not the description's). A description whose operations disagree has none.
pub fn find_common_error(api: &mut Api) {
    let mut counts: Vec<(&Ty, usize)> = Vec::new();
    let mut operations = 0;
    for op in &api.operations {
        let mut seen: Vec<&Ty> = Vec::new();
        for response in op.responses.iter().filter(|r| !r.status.is_success()) {
            if let Some(ty) = response.body.as_ref().and_then(ResponseBody::json_ty) {
                if !seen.contains(&ty) {
                    seen.push(ty);
                }
            }
        }
        operations += usize::from(!seen.is_empty());
        for ty in seen {
            match counts.iter_mut().find(|(t, _)| *t == ty) {
                Some((_, count)) => *count += 1,
                None => counts.push((ty, 1)),
            }
        }
    }
    // The first type in document order wins a tie, which only a count of exactly half can make,
    // and that is not more than half.
    let common = counts
        .iter()
        .find(|(ty, count)| is_shared_schema(api, ty) && *count * 2 > operations)
        .map(|(ty, _)| (*ty).clone());
    api.common_error = common;
}

/// Whether a type is a named schema of `#/components`.
fn is_shared_schema(api: &Api, ty: &Ty) -> bool {
    let components = crate::pointer::Pointer::root().push("components");
    matches!(ty, Ty::Named(id) if api.types[id.0].origin.starts_with(&components))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::test_ir::{field, named};

    fn error_list() -> TypeDef {
        let errors = field("errors", Ty::Vec(Box::new(Ty::Json)), false);
        named(
            "Error",
            TypeKind::Struct(Struct {
                fields: vec![errors],
                additional: None,
                shapes: None,
            }),
        )
    }

    #[test]
    fn runtime_names_are_renamed_after_their_purpose() {
        let mut api = Api {
            types: vec![
                error_list(),
                named("Response", TypeKind::Alias(Ty::String)),
                named("ResponseModel", TypeKind::Alias(Ty::String)),
                named("Contact", TypeKind::Alias(Ty::String)),
            ],
            ..Api::default()
        };
        rename_runtime_shadows(&mut api);
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["ErrorList", "ResponseModel2", "ResponseModel", "Contact"]
        );
    }

    fn with_errors(api: &mut Api, types: &[Option<usize>]) {
        for ty in types {
            let mut op = crate::ir::fixtures::operation();
            if let Some(ty) = ty {
                op.responses.push(Response {
                    status: StatusMatch::Code(400),
                    body: Some(ResponseBody {
                        content_type: "application/json".into(),
                        kind: MediaKind::Json,
                        ty: Ty::Named(TypeId(*ty)),
                        offered: vec!["application/json".into()],
                    }),
                    doc: None,
                });
            }
            api.operations.push(op);
        }
    }

    #[test]
    fn the_common_error_is_the_shared_schema_more_than_half_use() {
        let schema = |name: &str| TypeDef {
            origin: crate::pointer::Pointer::root()
                .push("components")
                .push("schemas")
                .push(name),
            ..named(name, TypeKind::Alias(Ty::Json))
        };
        let shared = || {
            vec![
                schema("a"),
                schema("b"),
                named("c", TypeKind::Alias(Ty::Json)),
            ]
        };
        let mut api = Api {
            types: shared(),
            ..Api::default()
        };
        with_errors(&mut api, &[Some(0), Some(0), Some(1), None]);
        find_common_error(&mut api);
        assert_eq!(api.common_error, Some(Ty::Named(TypeId(0))));
        let mut split = Api {
            types: shared(),
            ..Api::default()
        };
        with_errors(&mut split, &[Some(0), Some(1)]);
        find_common_error(&mut split);
        assert_eq!(split.common_error, None);
        // A body written inline in an operation is its own, however many use it.
        let mut inline = Api {
            types: shared(),
            ..Api::default()
        };
        with_errors(&mut inline, &[Some(2), None]);
        find_common_error(&mut inline);
        assert_eq!(inline.common_error, None);
    }
}
