//! Schemas become types: component schemas as named types, inline schemas hoisted to named types
//! where they need one (objects, string enums, unions), and everything else (scalars, lists, maps)
//! as a plain [`Ty`].

use super::view::{sref, view, Format, SchemaRef, SchemaType, View};
use super::{doc_of, Lowerer, MAX_DEPTH};
use crate::ir::*;
use crate::load::unescape_pointer_token;
use crate::names::{self, Scope};
use crate::pointer::Pointer;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

impl Lowerer<'_> {
    pub(super) fn lower_components(&mut self) {
        let Some(components) = &self.loaded.openapi.components else {
            return;
        };
        let schemas_at = Pointer::root().join(["components", "schemas"]);
        // Claim every component's name before any inline schema is hoisted, so that the names the
        // description gives always win.
        for (key, schema) in &components.schemas {
            let doc = match schema {
                ReferenceOr::Item(s) => doc_of(
                    s.schema_data.title.as_deref(),
                    s.schema_data.description.as_deref(),
                ),
                ReferenceOr::Reference { .. } => None,
            };
            let id = self.new_type(key, &schemas_at.push(key), doc);
            self.components.insert(key.clone(), id);
        }
        for (key, schema) in &components.schemas {
            let id = self.components[key];
            let origin = schemas_at.push(key);
            let name = self.api.types[id.0].name.clone();
            let kind = match sref(schema) {
                SchemaRef::Ref(reference) => {
                    TypeKind::Alias(self.lower_ref(reference, &origin, &name, 0))
                }
                SchemaRef::Item(schema) => {
                    if let Some(example) = &schema.schema_data.example {
                        self.example(&origin, "example", example, Ty::Named(id));
                    }
                    self.lower_kind(schema, &origin, &name, 0)
                }
            };
            self.api.types[id.0].kind = kind;
        }
    }

    /// The type of a value described by `schema` at `at`; `hint` names hoisted types.
    pub(super) fn lower_ty(
        &mut self,
        schema: SchemaRef<'_>,
        at: &Pointer,
        hint: &str,
        depth: usize,
    ) -> Ty {
        match schema {
            SchemaRef::Ref(reference) => self.lower_ref(reference, at, hint, depth),
            SchemaRef::Item(schema) => self.lower_inline(schema, at, hint, depth),
        }
    }

    pub(super) fn lower_ref(
        &mut self,
        reference: &str,
        at: &Pointer,
        hint: &str,
        depth: usize,
    ) -> Ty {
        if let Some(key) = reference.strip_prefix("#/components/schemas/") {
            if !key.contains('/') {
                if let Some(id) = self.components.get(&unescape_pointer_token(key)) {
                    return Ty::Named(*id);
                }
            }
        }
        // A reference into the middle of some schema: lower what it points at, once per target.
        if depth > MAX_DEPTH {
            self.warn(at, "references nest too deeply; using a JSON value");
            return Ty::Json;
        }
        match (self.resolve::<Schema>(reference), Pointer::parse(reference)) {
            (Some(schema), Some(target)) => self.lower_inline(&schema, &target, hint, depth + 1),
            // A reference that reaches nothing was reported by the loader.
            _ if !self.reaches_something(reference) => Ty::Json,
            _ => {
                self.warn_as(
                    crate::error::WarningKind::WrongReferenceTarget,
                    at,
                    format!("`$ref: {reference}` does not point at a schema; using a JSON value"),
                );
                Ty::Json
            }
        }
    }

    pub(super) fn lower_inline(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
        depth: usize,
    ) -> Ty {
        if depth > MAX_DEPTH {
            self.warn(at, "schemas nest too deeply; using a JSON value");
            return Ty::Json;
        }
        let nullable = schema.schema_data.nullable;
        let ty = self.lower_inline_non_null(schema, at, hint, depth);
        if nullable {
            ty.optional()
        } else {
            ty
        }
    }

    fn lower_inline_non_null(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        hint: &str,
        depth: usize,
    ) -> Ty {
        let v = view(schema);
        if !v.all_of.is_empty() {
            if let Some(ty) = self.lower_non_object_all_of(&v, at, hint, depth) {
                return ty;
            }
        }
        // A wrapper around one schema (`allOf: [$ref]`, often there only to add `nullable` or a
        // description) is that schema.
        let single = match (&v.all_of[..], &v.one_of[..], &v.any_of[..]) {
            ([only], [], []) | ([], [only], []) | ([], [], [only]) if v.properties.is_empty() => {
                Some(only)
            }
            _ => None,
        };
        if let Some(only) = single {
            let sub = if v.all_of.len() == 1 {
                "allOf"
            } else if v.one_of.len() == 1 {
                "oneOf"
            } else {
                "anyOf"
            };
            return self.lower_ty(*only, &at.join([sub, "0"]), hint, depth + 1);
        }
        if needs_named_type(&v) {
            if let Some(id) = self.hoisted.get(at) {
                return Ty::Named(*id);
            }
            let doc = doc_of(
                schema.schema_data.title.as_deref(),
                schema.schema_data.description.as_deref(),
            );
            let name = self.hoisted_name(hint, at, &v);
            let id = self.new_named_type(&name, at, doc);
            self.hoisted.insert(at.clone(), id);
            let name = self.api.types[id.0].name.clone();
            let kind = self.lower_kind(schema, at, &name, depth);
            self.api.types[id.0].kind = kind;
            return Ty::Named(id);
        }
        self.lower_plain(&v, at, hint, depth)
    }

    /// The type name of an inline schema hoisted at `at`, before the scope claims it: `hint`'s,
    /// unless a type already has that name; then that of `hint` and the schema's role, which the
    /// context gives (a request or response `body`, a `parameter`) or else its kind (`enum`,
    /// `object`, `union`): `CreateTicketRequest` is a component, so the request body that extends
    /// it is `CreateTicketRequestBody`. Only when that name is taken too does the type get a
    /// number.
    fn hoisted_name(&self, hint: &str, at: &Pointer, v: &View<'_>) -> String {
        let name = names::type_name(hint);
        if !self.type_scope.is_taken(&name) {
            return name;
        }
        let tokens: Vec<String> = at.tokens().collect();
        let is_body = tokens.len() >= 3 && tokens[tokens.len() - 3] == "content";
        let status = tokens
            .iter()
            .position(|t| t == "responses")
            .and_then(|i| tokens.get(i + 1));
        let role = if let (true, Some(status)) = (is_body, status) {
            // Several error responses share a hint; their status tells them apart.
            return names::type_name(&format!("{hint} {status} body"));
        } else if is_body {
            "body"
        } else if tokens.iter().any(|t| t == "parameters") {
            "parameter"
        } else if v.is_string_enum() {
            "enum"
        } else if v.properties.is_empty() && !v.all_of.is_empty() || !v.properties.is_empty() {
            "object"
        } else {
            "union"
        };
        names::type_name(&format!("{hint} {role}"))
    }

    /// Types that need no name of their own: scalars, lists, maps and free-form values.
    fn lower_plain(&mut self, v: &View<'_>, at: &Pointer, hint: &str, depth: usize) -> Ty {
        match v.ty {
            // Inside JSON, even `format: binary` travels as a string.
            Some(SchemaType::String) => Ty::String,
            Some(SchemaType::Integer) => match v.format {
                Some(Format::Int32) => Ty::I32,
                // `int64`, but also `date-time`, `timestamp` and `unix-time` on integers: the value is
                // a number of seconds, which i64 holds.
                _ => Ty::I64,
            },
            Some(SchemaType::Number) => Ty::F64,
            Some(SchemaType::Boolean) => Ty::Bool,
            Some(SchemaType::Array) => match v.items {
                Some(items) => Ty::Vec(Box::new(self.lower_ty(
                    items,
                    &at.push("items"),
                    &format!("{hint} item"),
                    depth + 1,
                ))),
                None => {
                    self.warn(
                        at,
                        "an array without `items`: its items are decoded as JSON values",
                    );
                    Ty::Vec(Box::new(Ty::Json))
                }
            },
            Some(SchemaType::Object) | None => match v.additional {
                Some(AdditionalProperties::Schema(schema)) => {
                    let value = self.lower_ty(
                        sref(schema),
                        &at.push("additionalProperties"),
                        &format!("{hint} value"),
                        depth + 1,
                    );
                    Ty::Map(Box::new(value))
                }
                _ => Ty::Json,
            },
            Some(SchemaType::Other(other)) => {
                self.warn_as(
                    crate::error::WarningKind::UnknownType,
                    at,
                    format!("unknown type `{other}`; using a JSON value"),
                );
                Ty::Json
            }
        }
    }

    /// The kind of a named type.
    pub(super) fn lower_kind(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        name: &str,
        depth: usize,
    ) -> TypeKind {
        let v = view(schema);
        if v.is_string_enum() {
            let values: Vec<String> = v
                .enum_values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            return TypeKind::StringEnum(string_enum(values));
        }
        if !v.all_of.is_empty() {
            if let Some(ty) = self.lower_non_object_all_of(&v, at, name, depth) {
                let nullable = schema.schema_data.nullable;
                return TypeKind::Alias(if nullable { ty.optional() } else { ty });
            }
        }
        let mut s = if !v.all_of.is_empty() && (v.all_of.len() > 1 || !v.properties.is_empty()) {
            self.lower_all_of(&v, at, name, depth)
        } else if let Some((key, alternatives)) = v
            .alternatives()
            .filter(|_| !v.has_constraint_only_alternatives())
        {
            return self.lower_union(schema, key, alternatives, at, name, depth);
        } else if !v.properties.is_empty() {
            self.lower_struct(&v, at, name, depth, &[])
        } else {
            let ty = self.lower_inline(schema, at, name, depth + 1);
            return TypeKind::Alias(ty);
        };
        s.shapes = self.lower_shapes(&v, at, &s);
        TypeKind::Struct(s)
    }

    /// The struct of an object schema's own properties. Inside `allOf`, `all_of_required` lists
    /// what the whole requires, and a `required` entry no property of this part declares is no
    /// fault of the part.
    pub(super) fn lower_struct(
        &mut self,
        v: &View<'_>,
        at: &Pointer,
        name: &str,
        depth: usize,
        all_of_required: &[&str],
    ) -> Struct {
        let mut out = Struct::default();
        let mut scope = Scope::new();
        // The document's `properties` at `at`, looked up once: each property's `nullable` is read
        // there, where a lookup from the root per property cost a fifth of lowering GitHub.
        let loaded = self.loaded;
        let properties = loaded.get(at).and_then(|schema| schema.get("properties"));
        for (wire, schema) in &v.properties {
            let raw = properties.and_then(|p| p.get(*wire));
            let field = self.lower_field(v, (wire, raw), *schema, at, name, depth, &mut scope);
            out.fields.push(field);
        }
        for required in &v.required {
            // Inside `allOf`, a part may require what another part declares.
            if all_of_required.is_empty() && !v.properties.iter().any(|(p, _)| p == required) {
                self.warn(
                    at,
                    format!("`{required}` is listed in `required` but is not a property; ignored"),
                );
            }
        }
        if let Some(AdditionalProperties::Schema(schema)) = v.additional {
            let ty = self.lower_ty(
                sref(schema),
                &at.push("additionalProperties"),
                &format!("{name} value"),
                depth + 1,
            );
            out.additional = Some(ty);
        }
        out
    }

    /// One property of the object `name` at `at`: its name on the wire and its schema as the
    /// document holds it (at `at/properties/wire`), and its schema as parsed.
    #[allow(clippy::too_many_arguments)]
    fn lower_field(
        &mut self,
        v: &View<'_>,
        (wire, raw): (&str, Option<&Value>),
        schema: SchemaRef<'_>,
        at: &Pointer,
        name: &str,
        depth: usize,
        scope: &mut Scope,
    ) -> Field {
        let origin = at.join(["properties", wire]);
        let (doc, example, default) = match schema {
            SchemaRef::Item(s) => (
                doc_of(
                    s.schema_data.title.as_deref(),
                    s.schema_data.description.as_deref(),
                )
                .or_else(|| super::composed::members_doc(s)),
                s.schema_data.example.clone(),
                s.schema_data.default.clone(),
            ),
            SchemaRef::Ref(_) => (None, None, None),
        };
        let ty = self.lower_ty(schema, &origin, &format!("{name} {wire}"), depth + 1);
        self.record_constraints(&origin, raw);
        let required = v.required.contains(&wire);
        // `nullable` on the schema a `$ref` names makes the property nullable too.
        let nullable = ty.is_option() || self.is_nullable(raw);
        if let Some(example) = example {
            self.example(&origin, "example", &example, ty.clone());
        }
        // A nullable property is an `Option` even when required: `null` is one of its values.
        let ty = if required && !nullable {
            ty
        } else {
            ty.optional()
        };
        Field {
            wire: wire.to_string(),
            name: scope.claim(&self.field_name(wire)),
            ty,
            required,
            nullable,
            default,
            doc,
            origin,
            flatten: false,
        }
    }
}

/// Whether a schema needs a named type of its own: objects with properties, unions, merged
/// `allOf`s and string enums.
fn needs_named_type(v: &View<'_>) -> bool {
    !v.properties.is_empty()
        || (v.alternatives().is_some() && !v.has_constraint_only_alternatives())
        || v.all_of.len() > 1
        || (!v.all_of.is_empty() && !v.properties.is_empty())
        || v.is_string_enum()
}

/// A string enum with variant names, and a name for the catch-all variant that no value takes.
pub fn string_enum(values: Vec<String>) -> StringEnum {
    let mut unique: Vec<String> = Vec::new();
    for v in values {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    let names = names::variant_names(&unique);
    let unknown = names::enum_unknown_variant(&names);
    StringEnum {
        variants: unique
            .into_iter()
            .zip(names)
            .map(|(value, name)| Variant { value, name })
            .collect(),
        unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{lower_yaml, struct_named, type_named, type_names};
    use super::*;

    #[test]
    fn inline_schemas_are_hoisted_with_names_from_where_they_stand() {
        let (api, warnings) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Contact:
      type: object
      properties:
        location:
          type: object
          properties:
            city: { type: string }
        tags:
          type: array
          items:
            type: object
            properties:
              name: { type: string }
        role:
          type: string
          enum: [admin, user]
    ContactLocation:
      type: string
"#,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        // The component keeps its name; the hoisted type claiming the same one is named after its
        // kind too, with no number.
        assert_eq!(
            type_names(&api),
            [
                "Contact",
                "ContactLocation",
                "ContactLocationObject",
                "ContactTagsItem",
                "ContactRole"
            ]
        );
        let contact = struct_named(&api, "Contact");
        let location = type_named(&api, "ContactLocationObject");
        assert_eq!(
            location.origin.as_str(),
            "#/components/schemas/Contact/properties/location"
        );
        let id = TypeId(
            api.types
                .iter()
                .position(|t| t.name == "ContactLocationObject")
                .unwrap(),
        );
        assert_eq!(contact.fields[0].ty, Ty::Named(id).optional());
        let item = TypeId(
            api.types
                .iter()
                .position(|t| t.name == "ContactTagsItem")
                .unwrap(),
        );
        assert_eq!(
            contact.fields[1].ty,
            Ty::Vec(Box::new(Ty::Named(item))).optional()
        );
        assert!(matches!(
            type_named(&api, "ContactRole").kind,
            TypeKind::StringEnum(_)
        ));
    }

    #[test]
    fn one_inline_schema_reached_twice_is_hoisted_once() {
        let (api, _) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        inner:
          type: object
          properties:
            x: { type: integer, format: int32 }
    B:
      type: object
      properties:
        a_inner: { $ref: '#/components/schemas/A/properties/inner' }
"#,
        );
        assert_eq!(type_names(&api), ["A", "B", "AInner"]);
        let inner = struct_named(&api, "AInner");
        assert_eq!(inner.fields[0].ty, Ty::I32.optional());
        let b = struct_named(&api, "B");
        assert_eq!(b.fields[0].ty, Ty::Named(TypeId(2)).optional());
    }

    #[test]
    fn formats_and_types_are_read_whichever_way_openapiv3_parsed_them() {
        let (api, warnings) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    S:
      type: object
      required: [small, big, other, when]
      properties:
        small: { type: integer, format: int32 }
        big: { type: integer, format: int64 }
        other: { type: integer, format: unix-time }
        when: { type: string, format: date-time }
        loose: { type: integer, format: int32, nullable: true, enum: [1, 2, null] }
        odd: { type: thing }
"#,
        );
        let s = struct_named(&api, "S");
        let types: Vec<&Ty> = s.fields.iter().map(|f| &f.ty).collect();
        assert_eq!(
            types,
            [
                &Ty::I32,
                &Ty::I64,
                &Ty::I64,
                &Ty::String,
                &Ty::I32.optional(),
                &Ty::Json.optional()
            ]
        );
        assert_eq!(SchemaType::from_name("thing"), SchemaType::Other("thing"));
        assert_eq!(Format::from_name("int32"), Format::Int32);
        assert_eq!(Format::from_name("uuid"), Format::Other);
        assert!(warnings
            .iter()
            .any(|w| w.message == "unknown type `thing`; using a JSON value"
                && w.location.pointer.as_ref().map(|p| p.as_str())
                    == Some("#/components/schemas/S/properties/odd")));
    }

    #[test]
    fn nullable_is_read_from_the_schema_and_from_the_schema_a_ref_names() {
        let (api, _) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Maybe:
      type: object
      nullable: true
      properties:
        x: { type: string }
    S:
      type: object
      required: [must, must_maybe]
      properties:
        must: { type: string }
        may: { type: string }
        may_null: { type: string, nullable: true }
        maybe: { $ref: '#/components/schemas/Maybe' }
        must_maybe: { $ref: '#/components/schemas/Maybe' }
"#,
        );
        let s = struct_named(&api, "S");
        let flags: Vec<(&str, bool, bool, bool)> = s
            .fields
            .iter()
            .map(|f| (f.wire.as_str(), f.required, f.nullable, f.ty.is_option()))
            .collect();
        assert_eq!(
            flags,
            [
                ("must", true, false, false),
                ("may", false, false, true),
                ("may_null", false, true, true),
                ("maybe", false, true, true),
                // Required but nullable: an `Option`, written as null when `None`.
                ("must_maybe", true, true, true),
            ]
        );
    }
}
