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
                self.warn(
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
