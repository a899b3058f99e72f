//! The pagination extension (`x-pagination`, or `x-fern-pagination` as Intercom's SDK overrides
//! write it), read into a [`PaginationSpec`]. Whether its paths fit the operation's types is for
//! the `resolve_pagination` pass to decide, once every type is known.

use super::Lowerer;
use crate::ir::*;
use crate::pointer::Pointer;
use serde_json::Value;

/// The extension keys, in the order they are looked for.
const EXTENSION_KEYS: [&str; 2] = ["x-pagination", "x-fern-pagination"];

impl Lowerer<'_> {
    /// Reads the operation's pagination extension, if it has one. One that cannot be used is a
    /// warning at the extension, and the operation is generated without pagination.
    pub(super) fn lower_pagination_extension(
        &mut self,
        op: &Operation,
        operation: &openapiv3::Operation,
        at: &Pointer,
    ) -> Option<PaginationSpec> {
        let (key, extension) = EXTENSION_KEYS
            .iter()
            .find_map(|key| operation.extensions.get(*key).map(|value| (*key, value)))?;
        let origin = at.push(key);
        let read = if op.only_success_body().is_none() {
            Err(PaginationSpec::NEEDS_ONE_SUCCESS_BODY.to_string())
        } else {
            read_pagination(extension)
        };
        match read {
            Ok((results, kind)) => Some(PaginationSpec {
                origin,
                results,
                kind,
            }),
            Err(reason) => {
                self.warn_as(
                    crate::error::WarningKind::Pagination,
                    &origin,
                    format!("{}: {reason}", PaginationSpec::NOT_GENERATED),
                );
                None
            }
        }
    }
}

/// Reads an extension's expressions: the path to the results, and how the next page is asked for.
pub(super) fn read_pagination(extension: &Value) -> Result<(String, PaginationSpecKind), String> {
    let field = |key: &str| extension.get(key).and_then(Value::as_str);
    let results = field("results")
        .and_then(|r| r.strip_prefix("$response."))
        .ok_or("`results` must be `$response.<path>`")?;
    let kind = if let Some(cursor) = field("cursor") {
        let request = cursor
            .strip_prefix("$request.")
            .ok_or("`cursor` must be `$request.<path>`")?;
        let next = field("next_cursor")
            .and_then(|n| n.strip_prefix("$response."))
            .ok_or("`next_cursor` must be `$response.<path>`")?;
        PaginationSpecKind::Cursor {
            request: request.to_string(),
            next: next.to_string(),
        }
    } else if let Some(offset) = field("offset") {
        let param = offset
            .strip_prefix("$request.")
            .ok_or("`offset` must be `$request.<parameter>`")?;
        PaginationSpecKind::Page {
            param: param.to_string(),
        }
    } else {
        return Err("it has neither `cursor` nor `offset`".into());
    };
    Ok((results.to_string(), kind))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{located, lower_yaml};
    use super::*;
    use serde_json::json;

    #[test]
    fn extensions_are_read_into_their_kind() {
        let cursor = json!({
            "cursor": "$request.pagination.starting_after",
            "next_cursor": "$response.pages.next.starting_after",
            "results": "$response.data",
        });
        assert_eq!(
            read_pagination(&cursor),
            Ok((
                "data".to_string(),
                PaginationSpecKind::Cursor {
                    request: "pagination.starting_after".into(),
                    next: "pages.next.starting_after".into(),
                }
            ))
        );
        let pages = json!({"offset": "$request.page", "results": "$response.items"});
        assert_eq!(
            read_pagination(&pages),
            Ok((
                "items".to_string(),
                PaginationSpecKind::Page {
                    param: "page".into()
                }
            ))
        );
    }

    #[test]
    fn malformed_extensions_say_what_is_wrong() {
        let cases = [
            (
                json!({"results": "data", "offset": "$request.page"}),
                "`results` must be `$response.<path>`",
            ),
            (
                json!("not an object"),
                "`results` must be `$response.<path>`",
            ),
            (
                json!({"results": "$response.data", "cursor": "page", "next_cursor": "$response.n"}),
                "`cursor` must be `$request.<path>`",
            ),
            (
                json!({"results": "$response.data", "cursor": "$request.c"}),
                "`next_cursor` must be `$response.<path>`",
            ),
            (
                json!({"results": "$response.data", "offset": "page"}),
                "`offset` must be `$request.<parameter>`",
            ),
            (
                json!({"results": "$response.data"}),
                "it has neither `cursor` nor `offset`",
            ),
        ];
        for (extension, reason) in cases {
            assert_eq!(
                read_pagination(&extension),
                Err(reason.to_string()),
                "{extension}"
            );
        }
    }

    #[test]
    fn a_malformed_extension_warns_at_the_extension() {
        let (api, warnings) = lower_yaml(
            r#"
paths:
  /things:
    get:
      operationId: listThings
      x-fern-pagination: { offset: page, results: $response.data }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: object, properties: { data: { type: array, items: { type: string } } } }
  /empty:
    get:
      operationId: listNothing
      x-pagination: { offset: $request.page, results: $response.data }
      responses:
        '204': { description: nothing }
"#,
        );
        assert!(api.operations.iter().all(|op| op.pagination_spec.is_none()));
        assert_eq!(
            located(&warnings),
            [
                (
                    "#/paths/~1things/get/x-fern-pagination",
                    "pagination is not generated for this operation: `offset` must be `$request.<parameter>`"
                ),
                (
                    "#/paths/~1empty/get/x-pagination",
                    "pagination is not generated for this operation: it needs exactly one successful response with a body"
                ),
            ]
        );
    }
}
