//! `allOf` whose members are not objects: a string, a list, a map, an enum, a union, or a `$ref`
//! to one, wrapped in `allOf` to add annotations and constraints
//! (`allOf: [{type: string, nullable: true}, {nullable: false}]`). The composition is that kind,
//! not a struct: only members that describe objects merge as objects (`composition`).
//!
//! A member is read from the document as written (following `$ref`s), for what kind of value it
//! describes: an object with properties, some other kind of value, or nothing but annotations
//! and constraints (`{nullable: false}`, `{description: …}`, `{minItems: 1}`).

use super::view::View;
use super::Lowerer;
use crate::ir::Ty;
use crate::load::{follow_ref_chain, MAX_REF_DEPTH};
use crate::pointer::Pointer;
use serde_json::Value;

/// The documentation of a schema that has none of its own but wraps inline `allOf` members that
/// do (`allOf: [{type: string, description: …}, {nullable: false}]`): the first such member's.
pub(super) fn members_doc(schema: &openapiv3::Schema) -> Option<String> {
    let all_of = match &schema.schema_kind {
        openapiv3::SchemaKind::AllOf { all_of } => all_of,
        openapiv3::SchemaKind::Any(any) => &any.all_of,
        _ => return None,
    };
    all_of.iter().find_map(|member| match member {
        openapiv3::ReferenceOr::Item(m) => super::doc_of(
            m.schema_data.title.as_deref(),
            m.schema_data.description.as_deref(),
        ),
        openapiv3::ReferenceOr::Reference { .. } => None,
    })
}

/// What kind of value an `allOf` member describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MemberKind {
    /// Only annotations and constraints: it agrees with any kind.
    Annotations,
    /// An object with properties: the composition is a struct.
    Object,
    /// Any other kind of value (a scalar, a list, a map, an enum, a union).
    Other,
}

/// The kind of value a schema as written describes, following `$ref`s up to `depth` levels.
fn member_kind(doc: &Value, schema: &Value, depth: usize) -> MemberKind {
    if depth > MAX_REF_DEPTH {
        return MemberKind::Other;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return match follow_ref_chain(doc, reference) {
            Ok(target) => member_kind(doc, target, depth + 1),
            // A reference that reaches nothing was reported by the loader; it says nothing here.
            Err(_) => MemberKind::Annotations,
        };
    }
    let non_empty = |key: &str| {
        schema
            .get(key)
            .and_then(Value::as_object)
            .is_some_and(|o| !o.is_empty())
    };
    if non_empty("properties") {
        return MemberKind::Object;
    }
    let members = |key: &str| {
        schema
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
    };
    let mut kind = MemberKind::Annotations;
    for member in members("allOf") {
        kind = together(kind, member_kind(doc, member, depth + 1));
    }
    for key in ["oneOf", "anyOf"] {
        match members(key) {
            [] => {}
            [only] => kind = together(kind, member_kind(doc, only, depth + 1)),
            // Alternatives that only constrain (no type, no properties) say nothing of the kind.
            several => {
                if several
                    .iter()
                    .any(|m| member_kind(doc, m, depth + 1) != MemberKind::Annotations)
                {
                    kind = together(kind, MemberKind::Other);
                }
            }
        }
    }
    let own = match schema.get("type").and_then(Value::as_str) {
        // An object without properties is a map when its additional properties have a schema,
        // and otherwise says no more than that the value is an object.
        Some("object") if non_empty("additionalProperties") => MemberKind::Other,
        Some("object") => MemberKind::Annotations,
        Some(_) => MemberKind::Other,
        None if schema.get("enum").is_some() || schema.get("items").is_some() => MemberKind::Other,
        None => MemberKind::Annotations,
    };
    together(kind, own)
}

/// The kind of two members together: an object wins, then any other kind.
fn together(a: MemberKind, b: MemberKind) -> MemberKind {
    match (a, b) {
        (MemberKind::Object, _) | (_, MemberKind::Object) => MemberKind::Object,
        (MemberKind::Other, _) | (_, MemberKind::Other) => MemberKind::Other,
        _ => MemberKind::Annotations,
    }
}

impl Lowerer<'_> {
    /// The type of the schema at `at` when it is an `allOf` none of whose members describes an
    /// object: the kind its members describe, with `nullable` as they say together; `None` when
    /// the schema is no such composition (a member or the schema itself has properties, or it has
    /// no `allOf`), which then merges as an object.
    ///
    /// The kind is that of the member that describes one (a `$ref` first, as it names the more
    /// particular type: an enum rather than a string), else that of the schema's own `type`, else
    /// a JSON value. The members' explicit `nullable`s decide together: a later
    /// `{nullable: false}` takes back a member's `nullable: true`, and `{nullable: true}` makes a
    /// `$ref`'d type nullable (as OpenAI writes it). The `nullable` of the schema itself is applied
    /// by the caller, as for every schema.
    pub(super) fn lower_non_object_all_of(
        &mut self,
        v: &View<'_>,
        at: &Pointer,
        hint: &str,
        depth: usize,
    ) -> Option<Ty> {
        let loaded = self.loaded;
        let doc = &loaded.doc;
        let schema = loaded.get(at)?;
        let members = schema.get("allOf")?.as_array()?;
        let has_properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        if members.is_empty() || has_properties {
            return None;
        }
        let kinds: Vec<MemberKind> = members.iter().map(|m| member_kind(doc, m, 0)).collect();
        if kinds.contains(&MemberKind::Object) {
            return None;
        }
        let others = || (0..members.len()).filter(|i| kinds[*i] == MemberKind::Other);
        let chosen = others()
            .find(|i| members[*i].get("$ref").is_some())
            .or_else(|| others().next());
        let Some(chosen) = chosen else {
            // Only annotations: the schema's own type, if it gives one, else any value.
            let own = match schema.get("type").and_then(Value::as_str) {
                Some("string") => Ty::String,
                Some("boolean") => Ty::Bool,
                Some("number") => Ty::F64,
                Some("integer")
                    if schema.get("format").and_then(Value::as_str) == Some("int32") =>
                {
                    Ty::I32
                }
                Some("integer") => Ty::I64,
                _ => Ty::Json,
            };
            return Some(own);
        };
        let types: Vec<&str> = members
            .iter()
            .filter_map(|m| m.get("type").and_then(Value::as_str))
            .collect();
        if let Some(other) = types.iter().find(|t| **t != types[0]) {
            self.warn_as(
                crate::error::WarningKind::ImpossibleConstraint,
                at,
                format!(
                    "`allOf` members of types `{}` and `{other}`: no value is both; using the first's",
                    types[0]
                ),
            );
        }
        let member_at = at.join(["allOf", &chosen.to_string()]);
        let member = *v.all_of.get(chosen)?;
        let ty = self.lower_ty(member, &member_at, hint, depth + 1);
        // Inline members state `nullable` for the composition; a `$ref`'d one is nullable in its
        // type already.
        let stated: Vec<bool> = members
            .iter()
            .filter(|m| m.get("$ref").is_none())
            .filter_map(|m| m.get("nullable").and_then(Value::as_bool))
            .collect();
        for (i, member) in members.iter().enumerate() {
            if let Some(example) = member
                .get("example")
                .filter(|_| member.get("$ref").is_none())
            {
                let member_at = at.join(["allOf", &i.to_string()]);
                self.example(&member_at, "example", example, ty.clone());
            }
        }
        Some(match ty {
            Ty::Option(inner) if stated.contains(&false) => *inner,
            ty if stated.contains(&true) => ty.optional(),
            ty => ty,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{located, lower_yaml, struct_named, type_named};
    use crate::ir::*;

    #[test]
    fn only_members_with_properties_merge_as_objects() {
        let (api, warnings) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Word: { type: string, enum: [a, b] }
    Thing:
      type: object
      required: [id, list]
      properties:
        id:
          allOf:
            - { type: string, nullable: true, description: An id. }
            - { nullable: false }
        list:
          allOf:
            - { type: array, items: { type: integer, format: int32 }, minItems: 1 }
            - { nullable: false }
        word:
          allOf:
            - $ref: '#/components/schemas/Word'
            - { nullable: true }
        annotated:
          type: boolean
          allOf:
            - { description: Only annotations. }
        loose:
          allOf:
            - { description: Nothing but words. }
            - { nullable: false }
    Merged:
      allOf:
        - $ref: '#/components/schemas/Word'
        - type: object
          properties:
            x: { type: string }
"#,
        );
        let thing = struct_named(&api, "Thing");
        let fields: Vec<(&str, &Ty, Option<&str>)> = thing
            .fields
            .iter()
            .map(|f| (f.wire.as_str(), &f.ty, f.doc.as_deref()))
            .collect();
        let word = Ty::Named(TypeId(0));
        assert_eq!(
            fields,
            [
                ("id", &Ty::String, Some("An id.")),
                ("list", &Ty::Vec(Box::new(Ty::I32)), None),
                ("word", &word.optional(), None),
                ("annotated", &Ty::Bool.optional(), Some("Only annotations.")),
                ("loose", &Ty::Json.optional(), Some("Nothing but words.")),
            ]
        );
        assert!(thing.fields[2].nullable);
        // A member with properties still makes a struct, and the enum member is still reported.
        assert_eq!(struct_named(&api, "Merged").fields.len(), 1);
        assert_eq!(
            located(&warnings),
            [(
                "#/components/schemas/Merged/allOf/0",
                "an `allOf` part that is not an object is ignored"
            )]
        );
        assert!(matches!(
            type_named(&api, "Word").kind,
            TypeKind::StringEnum(_)
        ));
    }
}
