//! Pagination: each operation's extension, as `lower` read it, checked against the types it
//! walks, and turned into the [`Pagination`] that `emit` builds `pages()` and `items()` from.

use super::strip_option;
use crate::analysis::{defaultable, ty_default};
use crate::error::{Location, Warning, WarningKind};
use crate::ir::*;

/// Checks each operation's pagination extension, as `lower` read it, against the operation's
/// types: the results must be a list, the next cursor a string, the cursor's target a string
/// parameter or a body field that can be set, the page number an optional integer parameter. An
/// extension that does not fit is a warning, and the operation is generated without pagination.
pub fn resolve_pagination(
    api: &mut Api,
    warnings: &mut Vec<Warning>,
    locate: &dyn Fn(&crate::pointer::Pointer) -> Location,
) {
    let defaultable = defaultable(api);
    for i in 0..api.operations.len() {
        let Some(spec) = api.operations[i].pagination_spec.clone() else {
            continue;
        };
        match pagination_of(api, &api.operations[i], &spec, &defaultable) {
            Ok(pagination) => api.operations[i].pagination = Some(pagination),
            Err(reason) => warnings.push(Warning {
                location: locate(&spec.origin),
                message: format!("{}: {reason}", PaginationSpec::NOT_GENERATED),
                kind: WarningKind::Pagination,
            }),
        }
    }
}

fn pagination_of(
    api: &Api,
    op: &Operation,
    spec: &PaginationSpec,
    defaultable: &[bool],
) -> Result<Pagination, String> {
    let success = op
        .only_success_body()
        .ok_or(PaginationSpec::NEEDS_ONE_SUCCESS_BODY)?;
    let results_path = spec.results.as_str();
    let (results, results_ty) = walk(api, success, results_path)?;
    let item = match strip_option(&results_ty) {
        Ty::Vec(item) => (**item).clone(),
        _ => return Err(format!("`$response.{results_path}` is not a list")),
    };
    let kind = match &spec.kind {
        PaginationSpecKind::Cursor { request, next } => {
            let (next_steps, next_ty) = walk(api, success, next)?;
            if *strip_option(&next_ty) != Ty::String {
                return Err(format!("`$response.{next}` is not a string"));
            }
            let target = cursor_target(api, op, request, defaultable)?;
            PaginationKind::Cursor {
                target,
                next: next_steps,
            }
        }
        PaginationSpecKind::Page { param: name } => {
            let param = op
                .params
                .iter()
                .position(|p| p.wire == *name && p.location != ParamLocation::Path)
                .ok_or_else(|| format!("no parameter `{name}`"))?;
            if !matches!(op.params[param].ty, Ty::I32 | Ty::I64) || op.params[param].required {
                return Err(format!(
                    "the page parameter `{name}` must be an optional integer"
                ));
            }
            PaginationKind::Page { param }
        }
    };
    Ok(Pagination {
        results,
        item,
        kind,
    })
}

/// Where the cursor at `request_path` goes: a string parameter of that name, else a string field
/// of the body that the next request can set.
fn cursor_target(
    api: &Api,
    op: &Operation,
    request_path: &str,
    defaultable: &[bool],
) -> Result<CursorTarget, String> {
    match op
        .params
        .iter()
        .position(|p| p.wire == request_path && p.location != ParamLocation::Path)
    {
        Some(index) if op.params[index].ty == Ty::String => Ok(CursorTarget::Param(index)),
        Some(_) => Err(format!("the parameter `{request_path}` is not a string")),
        None => {
            let body = op
                .body
                .as_ref()
                .ok_or_else(|| format!("no parameter `{request_path}` and no body"))?;
            if !body.required && !ty_default(&body.ty, defaultable, api) {
                return Err("the optional body cannot be created for the next page".into());
            }
            let steps = walk_settable(api, &body.ty, request_path, defaultable)?;
            Ok(CursorTarget::Body(steps))
        }
    }
}

/// Follows a dotted path of wire names through struct fields.
fn walk(api: &Api, start: &Ty, path: &str) -> Result<(Vec<Step>, Ty), String> {
    let mut steps = Vec::new();
    let mut ty = start.clone();
    for wire in path.split('.') {
        let strct = struct_of(api, strip_option(&ty))
            .ok_or_else(|| format!("`{path}`: `{wire}` is not inside an object"))?;
        let (through, field) = wire_field(api, strct, wire)
            .ok_or_else(|| format!("`{path}`: no property `{wire}`"))?;
        if matches!(strip_option(&field.ty), Ty::Box(_)) {
            return Err(format!("`{path}`: `{wire}` is recursive"));
        }
        // Through the embedded base structs that hold the field.
        steps.extend(through.into_iter().map(|name| Step {
            name: name.to_string(),
            optional: false,
            nullable: false,
        }));
        steps.push(Step {
            name: field.name.clone(),
            optional: field.ty.is_option(),
            nullable: field.nullable && !field.required,
        });
        ty = field.ty.clone();
    }
    Ok((steps, ty))
}

/// Like [`walk`], for a request body field that must be set: every object on the way that may be
/// absent must be creatable with `Default`, and the field must be a string.
fn walk_settable(
    api: &Api,
    start: &Ty,
    path: &str,
    defaultable: &[bool],
) -> Result<Vec<Step>, String> {
    let (steps, ty) = walk(api, start, path)?;
    if *strip_option(&ty) != Ty::String {
        return Err(format!("the body field `{path}` is not a string"));
    }
    let mut current = start.clone();
    for wire in path.split('.') {
        let strct = struct_of(api, strip_option(&current)).ok_or("not an object")?;
        let (_, field) = wire_field(api, strct, wire).ok_or("no such property")?;
        if field.ty.is_option()
            && *strip_option(&field.ty) != Ty::String
            && !ty_default(strip_option(&field.ty), defaultable, api)
        {
            return Err(format!(
                "the body field `{wire}` cannot be created for the next page"
            ));
        }
        current = field.ty.clone();
    }
    Ok(steps)
}

/// The field with the wire name `wire`, and the embedded base fields on the way to it.
fn wire_field<'a>(api: &'a Api, s: &'a Struct, wire: &str) -> Option<(Vec<&'a str>, &'a Field)> {
    s.wire_fields(api).into_iter().find(|(_, f)| f.wire == wire)
}

fn struct_of<'a>(api: &'a Api, ty: &Ty) -> Option<&'a Struct> {
    let mut ty = ty;
    for _ in 0..crate::limits::MAX_REF_DEPTH {
        match ty {
            Ty::Named(id) => match &api.types[id.0].kind {
                TypeKind::Struct(s) => return Some(s),
                TypeKind::Alias(inner) => ty = strip_option(inner),
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::error::{Location, Warning};
    use crate::ir::*;
    use crate::lower::test_support::{located, lower_yaml};

    /// Lowers the description and runs the passes on it, with the warnings of both.
    fn paginated(paths: &str) -> (Api, Vec<Warning>) {
        let (mut api, mut warnings) = lower_yaml(&format!(
            "{paths}{}",
            r#"
components:
  schemas:
    Page:
      type: object
      properties:
        data: { type: array, items: { type: string } }
        total: { type: integer }
        pages:
          type: object
          properties:
            next:
              type: object
              properties:
                starting_after: { type: string }
"#
        ));
        crate::passes::run(&mut api, &mut warnings, &|pointer| {
            Location::new(std::path::Path::new("t.yaml"), pointer.clone())
        });
        (api, warnings)
    }

    const OK: &str = "
      responses:
        '200':
          description: ok
          content:
            application/json: { schema: { $ref: '#/components/schemas/Page' } }
";

    fn step(name: &str, optional: bool) -> Step {
        Step {
            name: name.into(),
            optional,
            nullable: false,
        }
    }

    #[test]
    fn a_cursor_goes_into_a_parameter() {
        let (api, warnings) = paginated(&format!(
            "paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {{ name: per_page, in: query, schema: {{ type: integer }} }}
        - {{ name: starting_after, in: query, schema: {{ type: string }} }}
      x-pagination:
        cursor: $request.starting_after
        next_cursor: $response.pages.next.starting_after
        results: $response.data{OK}"
        ));
        assert!(warnings.is_empty(), "{warnings:?}");
        let pagination = api.operations[0].pagination.as_ref().unwrap();
        assert_eq!(pagination.results, [step("data", true)]);
        assert_eq!(pagination.item, Ty::String);
        assert_eq!(
            pagination.kind,
            PaginationKind::Cursor {
                target: CursorTarget::Param(1),
                next: vec![
                    step("pages", true),
                    step("next", true),
                    step("starting_after", true)
                ],
            }
        );
    }

    #[test]
    fn a_cursor_goes_into_the_body_through_objects_created_when_absent() {
        let (api, warnings) = paginated(&format!(
            "paths:
  /things/search:
    post:
      operationId: searchThings
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                query: {{ type: string }}
                pagination:
                  type: object
                  properties:
                    per_page: {{ type: integer }}
                    starting_after: {{ type: string }}
      x-pagination:
        cursor: $request.pagination.starting_after
        next_cursor: $response.pages.next.starting_after
        results: $response.data{OK}"
        ));
        assert!(warnings.is_empty(), "{warnings:?}");
        let pagination = api.operations[0].pagination.as_ref().unwrap();
        let PaginationKind::Cursor { target, .. } = &pagination.kind else {
            panic!("{pagination:?}")
        };
        assert_eq!(
            *target,
            CursorTarget::Body(vec![step("pagination", true), step("starting_after", true)])
        );
    }

    #[test]
    fn page_numbers_count_an_optional_integer_parameter() {
        let (api, warnings) = paginated(&format!(
            "paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {{ name: page, in: query, schema: {{ type: integer, format: int32 }} }}
      x-fern-pagination:
        offset: $request.page
        results: $response.data{OK}"
        ));
        assert!(warnings.is_empty(), "{warnings:?}");
        let pagination = api.operations[0].pagination.as_ref().unwrap();
        assert_eq!(pagination.kind, PaginationKind::Page { param: 0 });
    }

    #[test]
    fn an_extension_that_does_not_fit_the_types_warns_and_is_dropped() {
        let cases = [
            (
                "offset: $request.page\n        results: $response.total",
                "`$response.total` is not a list",
            ),
            (
                "offset: $request.page\n        results: $response.missing",
                "`missing`: no property `missing`",
            ),
            (
                "offset: $request.size\n        results: $response.data",
                "no parameter `size`",
            ),
            (
                "offset: $request.cursor\n        results: $response.data",
                "the page parameter `cursor` must be an optional integer",
            ),
            (
                "cursor: $request.page\n        next_cursor: $response.pages.next.starting_after\n        results: $response.data",
                "the parameter `page` is not a string",
            ),
            (
                "cursor: $request.cursor\n        next_cursor: $response.total\n        results: $response.data",
                "`$response.total` is not a string",
            ),
            (
                "cursor: $request.after\n        next_cursor: $response.pages.next.starting_after\n        results: $response.data",
                "no parameter `after` and no body",
            ),
        ];
        for (extension, reason) in cases {
            let (api, warnings) = paginated(&format!(
                "paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {{ name: page, in: query, schema: {{ type: integer }} }}
        - {{ name: cursor, in: query, schema: {{ type: string }} }}
      x-pagination:
        {extension}{OK}"
            ));
            assert!(api.operations[0].pagination.is_none(), "{extension}");
            let message = format!("pagination is not generated for this operation: {reason}");
            assert_eq!(
                located(&warnings),
                [("#/paths/~1things/get/x-pagination", message.as_str())],
                "{extension}"
            );
        }
    }
}
