//! Operations: one per method of each path item, named from its `operationId`, with its path
//! template split into literal text and parameters.

use super::Lowerer;
use crate::ir::*;
use crate::load::overrides::{SDK_GROUP_KEY, SDK_METHOD_KEY};
use crate::names::{self, Scope};
use crate::pointer::Pointer;
use openapiv3::ReferenceOr;

impl Lowerer<'_> {
    pub(super) fn lower_operations(&mut self) {
        // The description is borrowed for as long as the lowerer lives, not from it: no copy.
        let openapi = &self.loaded.openapi;
        // The methods `Client` has already: the runtime's, the constructors and `clone`.
        let mut fn_scope = Scope::with_taken(names::client_methods());
        let mut builder_scope = Scope::with_taken(names::OPERATION_SCOPE_RESERVED.iter().copied());
        for (path, item) in &openapi.paths.paths {
            let path_at = Pointer::root().push("paths").push(path);
            let Some(item) =
                self.resolve_or_warn(item, &path_at, "a path item", "the path is skipped")
            else {
                continue;
            };
            let methods = [
                (Method::Get, "get", &item.get),
                (Method::Put, "put", &item.put),
                (Method::Post, "post", &item.post),
                (Method::Delete, "delete", &item.delete),
                (Method::Options, "options", &item.options),
                (Method::Head, "head", &item.head),
                (Method::Patch, "patch", &item.patch),
                (Method::Trace, "trace", &item.trace),
            ];
            for (method, key, operation) in methods {
                let Some(operation) = operation else { continue };
                let at = path_at.push(key);
                let names = OperationNames::claim(
                    self,
                    method,
                    path,
                    operation,
                    &at,
                    &mut fn_scope,
                    &mut builder_scope,
                );
                let op =
                    self.lower_operation(method, path, &item.parameters, operation, &at, names);
                self.api.operations.push(op);
            }
        }
    }

    fn lower_operation(
        &mut self,
        method: Method,
        path: &str,
        shared_params: &[ReferenceOr<openapiv3::Parameter>],
        operation: &openapiv3::Operation,
        at: &Pointer,
        names: OperationNames,
    ) -> Operation {
        let fn_name = names.fn_name.clone();
        let placement = self.lower_placement(operation, at);
        let mut op = Operation {
            id: names.id,
            fn_name: names.fn_name,
            placement,
            builder: names.builder,
            method,
            path: path.to_string(),
            path_parts: Vec::new(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            tags: operation.tags.clone(),
            deprecated: operation.deprecated,
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            origin: at.clone(),
            pagination_spec: None,
            pagination: None,
            streaming: None,
        };
        self.lower_params(&mut op, shared_params, &operation.parameters, at);
        self.lower_path(&mut op, at);
        if let Some(body) = &operation.request_body {
            op.body = self.lower_body(body, &at.push("requestBody"), &fn_name);
        }
        self.lower_responses(
            &mut op,
            &operation.responses,
            &at.push("responses"),
            &fn_name,
        );
        op.pagination_spec = self.lower_pagination_extension(&op, operation, at);
        self.lower_streaming(&mut op, operation, at);
        op
    }

    /// The group and method names the operation's `x-fern-sdk-group-name` (a list of names, or one
    /// name) and `x-fern-sdk-method-name` give; a value of another shape is ignored, with a warning.
    fn lower_placement(&mut self, operation: &openapiv3::Operation, at: &Pointer) -> Placement {
        let mut placement = Placement::default();
        if let Some(value) = operation.extensions.get(SDK_GROUP_KEY) {
            let names = match value {
                serde_json::Value::String(one) => Some(vec![one.clone()]),
                serde_json::Value::Array(list) => list
                    .iter()
                    .map(|name| name.as_str().map(str::to_string))
                    .collect(),
                _ => None,
            };
            match names {
                Some(names) if names.iter().all(|n| !n.trim().is_empty()) => {
                    placement.sdk_group = Some(names);
                }
                _ => self.warn(
                    &at.push(SDK_GROUP_KEY),
                    "not a name or a list of names; the operation is grouped by its tag",
                ),
            }
        }
        if let Some(value) = operation.extensions.get(SDK_METHOD_KEY) {
            match value.as_str() {
                Some(name) if !name.trim().is_empty() => {
                    placement.sdk_method = Some(name.to_string());
                }
                _ => self.warn(
                    &at.push(SDK_METHOD_KEY),
                    "not a name; the method is named after the operationId",
                ),
            }
        }
        placement
    }

    /// Splits the path template into literal text and parameters: a path parameter the template
    /// does not use is dropped, and one the template uses but nobody declares becomes a required
    /// string.
    fn lower_path(&mut self, op: &mut Operation, at: &Pointer) {
        let template = parse_path_template(&op.path);
        let unused: Vec<String> = op
            .params
            .iter()
            .filter(|p| {
                p.location == ParamLocation::Path
                    && !template
                        .iter()
                        .any(|piece| *piece == TemplatePiece::Param(&p.wire))
            })
            .map(|p| p.wire.clone())
            .collect();
        for name in unused {
            self.warn(
                at,
                format!("path parameter `{name}` does not appear in the path; it is not sent"),
            );
            op.params
                .retain(|p| p.location != ParamLocation::Path || p.wire != name);
        }
        let mut parts = Vec::new();
        for piece in template {
            let name = match piece {
                TemplatePiece::Literal(text) => {
                    parts.push(PathPart::Literal(text.to_string()));
                    continue;
                }
                TemplatePiece::Param(name) => name,
            };
            let declared = op
                .params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire == name);
            let index = match declared {
                Some(i) => i,
                None => {
                    self.warn(at, format!("path parameter `{name}` is not declared; it is taken as a required string"));
                    op.params.push(undeclared_path_param(&op.params, name));
                    op.params.len() - 1
                }
            };
            parts.push(PathPart::Param(index));
        }
        op.path_parts = parts;
    }
}

/// The names an operation takes: its id, its method on the client and its builder type.
struct OperationNames {
    id: String,
    fn_name: String,
    builder: String,
}

impl OperationNames {
    /// Claims the operation's names in the client's scopes, warning where the description gives
    /// no `operationId` or one whose name is already taken.
    fn claim(
        lowerer: &mut Lowerer<'_>,
        method: Method,
        path: &str,
        operation: &openapiv3::Operation,
        at: &Pointer,
        fn_scope: &mut Scope,
        builder_scope: &mut Scope,
    ) -> Self {
        let id = match &operation.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => {
                let derived = names::derived_operation_id(method.as_str(), path);
                lowerer.warn_as(crate::error::WarningKind::OperationName, at, format!("no `operationId`; the operation is named `{derived}` after its method and path"));
                derived
            }
        };
        let wanted_fn = names::field_name(&id);
        if fn_scope.is_taken(&wanted_fn) {
            lowerer.warn_as(crate::error::WarningKind::OperationName, at, format!("operationId `{id}` gives the name `{wanted_fn}`, which is already taken; a suffix is added"));
        }
        let fn_name = fn_scope.claim(&wanted_fn);
        let builder = builder_scope.claim(&names::type_name(&fn_name));
        OperationNames {
            id,
            fn_name,
            builder,
        }
    }
}

/// A required string parameter for a template variable no parameter declares, named clear of the
/// operation's other parameters and the builder's own members.
fn undeclared_path_param(params: &[Param], wire: &str) -> Param {
    let mut scope = Scope::with_taken(
        params
            .iter()
            .map(|p| p.name.as_str())
            .chain(names::builder_reserved()),
    );
    Param {
        wire: wire.to_string(),
        name: scope.claim(&names::field_name(wire)),
        location: ParamLocation::Path,
        required: true,
        ty: Ty::String,
        doc: None,
        default: None,
        explode: false,
        style: ParamStyle::Simple,
        allow_reserved: false,
        example: None,
        constraints: Constraints::default(),
    }
}

/// A piece of a path template as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TemplatePiece<'p> {
    /// Literal text.
    Literal(&'p str),
    /// A `{name}` variable, without its braces.
    Param(&'p str),
}

/// Splits a path template into literal text and `{variables}`, in order. A `{` that no `}` closes
/// is literal text, as is everything after it.
pub(super) fn parse_path_template(path: &str) -> Vec<TemplatePiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            pieces.push(TemplatePiece::Literal(&rest[..open]));
        }
        pieces.push(TemplatePiece::Param(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(TemplatePiece::Literal(rest));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{located, lower_yaml};
    use super::*;

    #[test]
    fn path_templates_split_into_literals_and_variables() {
        use TemplatePiece::{Literal, Param};
        assert_eq!(
            parse_path_template("/contacts/{id}/companies"),
            [Literal("/contacts/"), Param("id"), Literal("/companies")]
        );
        assert_eq!(
            parse_path_template("{a}{b}.json"),
            [Param("a"), Param("b"), Literal(".json")]
        );
        assert_eq!(parse_path_template("/plain"), [Literal("/plain")]);
        // An unclosed brace and everything after it stay literal text.
        assert_eq!(
            parse_path_template("/x/{id}/{open"),
            [Literal("/x/"), Param("id"), Literal("/{open")]
        );
        assert_eq!(parse_path_template(""), []);
    }

    #[test]
    fn path_parameters_are_matched_with_the_template() {
        let (api, warnings) = lower_yaml(
            r#"
paths:
  /a/{id}/b/{other}:
    get:
      operationId: getIt
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
        - { name: unused, in: path, required: true, schema: { type: string } }
      responses:
        '204': { description: done }
"#,
        );
        let op = &api.operations[0];
        let names: Vec<(&str, &Ty)> = op.params.iter().map(|p| (p.name.as_str(), &p.ty)).collect();
        assert_eq!(names, [("id", &Ty::I64), ("other", &Ty::String)]);
        assert_eq!(
            op.path_parts,
            [
                PathPart::Literal("/a/".into()),
                PathPart::Param(0),
                PathPart::Literal("/b/".into()),
                PathPart::Param(1)
            ]
        );
        let at = "#/paths/~1a~1{id}~1b~1{other}/get";
        let mut found = located(&warnings);
        found.sort();
        assert_eq!(
            found,
            [
                (
                    at,
                    "path parameter `other` is not declared; it is taken as a required string"
                ),
                (
                    at,
                    "path parameter `unused` does not appear in the path; it is not sent"
                ),
            ]
        );
    }
}
