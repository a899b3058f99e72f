//! Parameters: the path item's and the operation's own, merged, each with its place, type,
//! documentation and default.

use super::view::sref;
use super::Lowerer;
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::Pointer;
use indexmap::IndexMap;
use openapiv3::{Parameter as P, ParameterSchemaOrContent, ReferenceOr};
use serde_json::Value;
use std::borrow::Cow;

/// The parameters that apply to an operation, keyed by (name, place), each with its pointer.
type Collected = IndexMap<(String, &'static str), (openapiv3::Parameter, Pointer)>;

impl Lowerer<'_> {
    /// Lowers the parameters of the operation at `at`: the path item's (`shared`), then its own.
    pub(super) fn lower_params(
        &mut self,
        op: &mut Operation,
        shared: &[ReferenceOr<openapiv3::Parameter>],
        own: &[ReferenceOr<openapiv3::Parameter>],
        at: &Pointer,
    ) {
        let collected = self.collect_params(shared, own, at);
        let mut scope = Scope::with_taken(names::builder_reserved());
        for ((wire, _), (param, param_at)) in collected {
            let param = self.lower_param(&op.fn_name, wire, &param, &param_at, &mut scope);
            op.params.push(param);
        }
    }

    /// The parameters in order, with references resolved; an operation's own parameter replaces
    /// a path-level one of the same name and place.
    fn collect_params(
        &mut self,
        shared: &[ReferenceOr<openapiv3::Parameter>],
        own: &[ReferenceOr<openapiv3::Parameter>],
        at: &Pointer,
    ) -> Collected {
        let path_at = at.parent().unwrap_or_default();
        let mut collected = Collected::new();
        for (list, base) in [
            (shared, path_at.push("parameters")),
            (own, at.push("parameters")),
        ] {
            for (i, param) in list.iter().enumerate() {
                let param_at = base.push(i);
                let Some(param) = self
                    .resolve_or_warn(param, &param_at, "a parameter", "skipped")
                    .map(Cow::into_owned)
                else {
                    continue;
                };
                let location = match &param {
                    P::Path { .. } => "path",
                    P::Query { .. } => "query",
                    P::Header { .. } => "header",
                    P::Cookie { .. } => "cookie",
                };
                if location == "header" && self.ignored_header(&param, &param_at) {
                    continue;
                }
                let key = (param.parameter_data_ref().name.clone(), location);
                collected.insert(key, (param, param_at));
            }
        }
        collected
    }

    /// Whether the header parameter at `param_at` is one OpenAPI says to ignore ("If `in` is
    /// `header` and the name is `Accept`, `Content-Type` or `Authorization`, the parameter
    /// definition SHALL be ignored"): the request's media types and its security scheme set
    /// those headers. It is reported where it is declared.
    fn ignored_header(&mut self, param: &openapiv3::Parameter, param_at: &Pointer) -> bool {
        let name = &param.parameter_data_ref().name;
        let ignored = ["Accept", "Content-Type", "Authorization"]
            .iter()
            .any(|header| name.eq_ignore_ascii_case(header));
        if ignored {
            self.warn_as(
                crate::error::WarningKind::IgnoredHeader,
                param_at,
                format!("a header parameter named `{name}` is ignored, as OpenAPI says: the media types and security schemes set that header"),
            );
        }
        ignored
    }

    /// One parameter of the operation `fn_name`.
    fn lower_param(
        &mut self,
        fn_name: &str,
        wire: String,
        param: &openapiv3::Parameter,
        param_at: &Pointer,
        scope: &mut Scope,
    ) -> Param {
        let (location, style, allow_reserved) = param_place(param);
        let data = param.parameter_data_ref();
        let hint = format!("{fn_name} {wire}");
        let (ty, default, schema_doc) = self.lower_param_value(&data.format, param_at, &hint);
        let example = self.param_example(data);
        let ty = match ty {
            Ty::Option(inner) => *inner,
            other => other,
        };
        let default = match default {
            Some(Value::String(s)) if location == ParamLocation::Header => Some(s),
            Some(Value::Number(n)) if location == ParamLocation::Header => Some(n.to_string()),
            Some(Value::Bool(b)) if location == ParamLocation::Header => Some(b.to_string()),
            _ => None,
        };
        Param {
            name: scope.claim(&self.field_name(&wire)),
            wire,
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            doc: data.description.clone().or(schema_doc),
            default,
            // OpenAPI's default: `form` explodes, every other style does not (`deepObject`
            // is only defined exploded).
            explode: data
                .explode
                .unwrap_or(matches!(style, ParamStyle::Form | ParamStyle::DeepObject)),
            style,
            allow_reserved,
            example,
            constraints: self.param_constraints(param_at),
        }
    }

    /// A parameter's example value: its `example`, its first `examples` entry with a value, or
    /// its schema's `example`.
    fn param_example(&mut self, data: &openapiv3::ParameterData) -> Option<Value> {
        if let Some(example) = &data.example {
            return Some(example.clone());
        }
        for example in data.examples.values() {
            if let Some(value) = self.resolve_item(example).and_then(|e| e.value.clone()) {
                return Some(value);
            }
        }
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self
                .resolve_item(schema)
                .and_then(|s| s.schema_data.example.clone()),
            ParameterSchemaOrContent::Content(_) => None,
        }
    }

    /// A parameter's type, its schema's default and its schema's description.
    fn lower_param_value(
        &mut self,
        format: &ParameterSchemaOrContent,
        param_at: &Pointer,
        hint: &str,
    ) -> (Ty, Option<Value>, Option<String>) {
        match format {
            ParameterSchemaOrContent::Schema(schema) => {
                let resolved = self.resolve_item(schema);
                let default = resolved
                    .as_ref()
                    .and_then(|s| s.schema_data.default.clone());
                let doc = resolved.and_then(|s| s.schema_data.description.clone());
                let ty = self.lower_ty(sref(schema), &param_at.push("schema"), hint, 0);
                (ty, default, doc)
            }
            ParameterSchemaOrContent::Content(content) => {
                let ty = content
                    .iter()
                    .next()
                    .and_then(|(_, media)| media.schema.as_ref())
                    .map(|s| self.lower_ty(sref(s), &param_at.push("content"), hint, 0))
                    .unwrap_or(Ty::String);
                (ty, None, None)
            }
        }
    }
}

/// Where a parameter goes, how its value is laid out, and whether a query value keeps its
/// reserved characters. A parameter given as `content` rather than `schema` is sent as JSON
/// text (the one media type this client writes parameters in).
fn param_place(param: &openapiv3::Parameter) -> (ParamLocation, ParamStyle, bool) {
    use openapiv3::{PathStyle, QueryStyle};
    let (location, style, allow_reserved) = match param {
        P::Path { style, .. } => (
            ParamLocation::Path,
            match style {
                PathStyle::Simple => ParamStyle::Simple,
                PathStyle::Label => ParamStyle::Label,
                PathStyle::Matrix => ParamStyle::Matrix,
            },
            false,
        ),
        P::Query {
            style,
            allow_reserved,
            ..
        } => (
            ParamLocation::Query,
            match style {
                QueryStyle::Form => ParamStyle::Form,
                QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
            *allow_reserved,
        ),
        P::Header { .. } => (ParamLocation::Header, ParamStyle::Simple, false),
        P::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form, false),
    };
    match param.parameter_data_ref().format {
        ParameterSchemaOrContent::Content(_) => (location, ParamStyle::Json, false),
        ParameterSchemaOrContent::Schema(_) => (location, style, allow_reserved),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lower_yaml;
    use super::*;

    #[test]
    fn styles_and_their_explode_defaults_are_read_per_location() {
        let (api, _) = lower_yaml(
            r#"
paths:
  /things/{id}:
    get:
      operationId: things
      parameters:
        - {name: id, in: path, required: true, style: matrix, schema: {type: string}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, style: pipeDelimited, schema: {type: array, items: {type: integer}}}
        - {name: filter, in: query, style: deepObject, schema: {type: object}}
        - {name: q, in: query, allowReserved: true, schema: {type: string}}
        - {name: meta, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: X-Ids, in: header, explode: true, schema: {type: array, items: {type: integer}}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        '204': {description: ok}
"#,
        );
        let read: Vec<(&str, ParamLocation, ParamStyle, bool, bool)> = api.operations[0]
            .params
            .iter()
            .map(|p| {
                (
                    p.wire.as_str(),
                    p.location,
                    p.style,
                    p.explode,
                    p.allow_reserved,
                )
            })
            .collect();
        use ParamLocation::*;
        assert_eq!(
            read,
            [
                ("id", Path, ParamStyle::Matrix, false, false),
                ("tags", Query, ParamStyle::Form, true, false),
                ("ids", Query, ParamStyle::PipeDelimited, false, false),
                ("filter", Query, ParamStyle::DeepObject, true, false),
                ("q", Query, ParamStyle::Form, true, true),
                ("meta", Query, ParamStyle::Json, false, false),
                ("X-Ids", Header, ParamStyle::Simple, true, false),
                ("session", Cookie, ParamStyle::Form, true, false),
            ]
        );
    }

    #[test]
    fn accept_content_type_and_authorization_headers_are_ignored_where_declared() {
        let (api, warnings) = lower_yaml(
            r#"
paths:
  /things:
    get:
      operationId: things
      parameters:
        - {name: Accept, in: header, schema: {type: string}}
        - {name: content-type, in: header, required: true, schema: {type: string}}
        - {name: Authorization, in: header, schema: {type: string}}
        - {name: Accept, in: query, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        '204': {description: ok}
"#,
        );
        let kept: Vec<(&str, ParamLocation)> = api.operations[0]
            .params
            .iter()
            .map(|p| (p.wire.as_str(), p.location))
            .collect();
        assert_eq!(
            kept,
            [
                ("Accept", ParamLocation::Query),
                ("X-Trace", ParamLocation::Header)
            ]
        );
        let ignored: Vec<(&str, crate::error::WarningKind)> = warnings
            .iter()
            .map(|w| {
                (
                    w.location.pointer.as_ref().map_or("", |p| p.as_str()),
                    w.kind,
                )
            })
            .collect();
        let kind = crate::error::WarningKind::IgnoredHeader;
        assert_eq!(
            ignored,
            [
                ("#/paths/~1things/get/parameters/0", kind),
                ("#/paths/~1things/get/parameters/1", kind),
                ("#/paths/~1things/get/parameters/2", kind),
            ]
        );
        assert!(warnings[1].message.contains("`content-type`"));
    }
}
