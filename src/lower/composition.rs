//! `allOf`: the parts merged into one struct, which embeds a base struct whole where it can
//! (`allOf: [$ref Contact, {more}]` keeps `Contact` as a field, flattened on the wire).

use super::view::{view, SchemaRef, View};
use super::Lowerer;
use crate::ir::*;
use crate::load::follow_ref_chain;
use crate::names::{self, Scope};
use crate::pointer::Pointer;
use serde_json::Value;

impl Lowerer<'_> {
    /// `allOf` with several parts: one struct holding the properties of every part.
    pub(super) fn lower_all_of(
        &mut self,
        v: &View<'_>,
        at: &Pointer,
        name: &str,
        depth: usize,
    ) -> Struct {
        let mut merged = Struct::default();
        let mut scope = Scope::new();
        // `required` applies to the merged object: a part may require a property another declares.
        let mut required: Vec<&str> = v.required.clone();
        for part in &v.all_of {
            if let SchemaRef::Item(s) = part {
                required.extend(view(s).required);
            }
        }
        let base = self.reusable_base(v, at, name, depth, &required);
        if let Some((_, base_ty)) = &base {
            merged.fields.push(self.base_field(base_ty, at, &mut scope));
        }
        for (i, part) in v.all_of.iter().enumerate() {
            if base.as_ref().is_some_and(|(b, _)| *b == i) {
                continue;
            }
            let part_at = at.push("allOf").push(i);
            self.merge_all_of_part(
                &mut merged,
                &mut scope,
                *part,
                &part_at,
                i,
                name,
                depth,
                &required,
            );
        }
        if !v.properties.is_empty() {
            let own = self.lower_struct(v, at, name, depth, &required);
            merge_struct(&mut merged, &mut scope, own);
        }
        for field in &mut merged.fields {
            if required.contains(&field.wire.as_str()) && !field.required {
                field.required = true;
                if !self.is_nullable_at(&field.origin) {
                    if let Ty::Option(inner) = std::mem::replace(&mut field.ty, Ty::Json) {
                        field.ty = *inner;
                    }
                }
            }
        }
        let wires: Vec<String> = merged
            .wire_fields(&self.api)
            .iter()
            .map(|(_, f)| f.wire.clone())
            .collect();
        for name in &required {
            if !wires.iter().any(|w| w == name) {
                self.warn(
                    at,
                    format!("`{name}` is listed in `required` but no part declares it; ignored"),
                );
            }
        }
        merged
    }

    /// The part of an `allOf` that the merged struct can embed whole rather than copy, with its
    /// type: the first `$ref` to a struct, unless the merged object changes one of its properties
    /// (another part declares it again, or requires what the base leaves optional), or the base
    /// keeps additional properties in a map (a flattened map would swallow the other parts'
    /// properties when decoding).
    fn reusable_base(
        &mut self,
        v: &View<'_>,
        at: &Pointer,
        name: &str,
        depth: usize,
        required: &[&str],
    ) -> Option<(usize, Ty)> {
        let (i, reference) = v
            .all_of
            .iter()
            .enumerate()
            .find_map(|(i, part)| match part {
                SchemaRef::Ref(r) => Some((i, *r)),
                SchemaRef::Item(_) => None,
            })?;
        let ty = self.lower_ref(
            reference,
            &at.push("allOf").push(i),
            &format!("{name} part {i}"),
            depth + 1,
        );
        // (wire name, required) of every property of the base.
        let base: Vec<(String, bool)> = {
            let base = struct_behind(&self.api, &ty)?;
            if keeps_a_map(&self.api, base, 0) {
                return None;
            }
            base.wire_fields(&self.api)
                .iter()
                .map(|(_, f)| (f.wire.clone(), f.required))
                .collect()
        };
        if base.is_empty() {
            return None;
        }
        let mut declared: Vec<String> = v.properties.iter().map(|(p, _)| p.to_string()).collect();
        for (j, part) in v.all_of.iter().enumerate().filter(|(j, _)| *j != i) {
            match part {
                SchemaRef::Item(s) => {
                    let part = view(s);
                    if !(part.all_of.is_empty() && part.one_of.is_empty() && part.any_of.is_empty())
                    {
                        return None;
                    }
                    declared.extend(part.properties.iter().map(|(p, _)| p.to_string()));
                }
                SchemaRef::Ref(r) => {
                    let part_at = at.push("allOf").push(j);
                    let other = self.lower_ref(r, &part_at, &format!("{name} part {j}"), depth + 1);
                    let other = struct_behind(&self.api, &other)?;
                    declared.extend(
                        other
                            .wire_fields(&self.api)
                            .iter()
                            .map(|(_, f)| f.wire.clone()),
                    );
                }
            }
        }
        let changed = base.iter().any(|(wire, is_required)| {
            declared.contains(wire) || (!is_required && required.contains(&wire.as_str()))
        });
        (!changed).then_some((i, ty))
    }

    /// The field embedding the base struct `ty`, named after its type (`contact: Contact`).
    fn base_field(&mut self, ty: &Ty, at: &Pointer, scope: &mut Scope) -> Field {
        let type_name = match ty {
            Ty::Named(id) => self.api.types[id.0].name.clone(),
            _ => "base".to_string(),
        };
        Field {
            wire: String::new(),
            name: scope.claim(&names::field_name(&type_name)),
            ty: ty.clone(),
            required: true,
            doc: Some(format!("The `{type_name}` this type extends; its properties sit beside the others on the wire.")),
            origin: at.clone(),
            flatten: true,
            nullable: false,
            default: None,
        }
    }

    /// Merges the `allOf` part `i` (at `part_at`) of the type `name` into `merged`.
    #[allow(clippy::too_many_arguments)]
    fn merge_all_of_part(
        &mut self,
        merged: &mut Struct,
        scope: &mut Scope,
        part: SchemaRef<'_>,
        part_at: &Pointer,
        i: usize,
        name: &str,
        depth: usize,
        required: &[&str],
    ) {
        match part {
            SchemaRef::Ref(r) => {
                let ty = self.lower_ref(r, part_at, &format!("{name} part {i}"), depth + 1);
                // Warnings name the part, not the schema it refers to.
                self.merge_part(merged, scope, &ty, part_at, depth);
            }
            // An inline object part adds its properties directly, without a type of its own.
            SchemaRef::Item(s) if view(s).all_of.is_empty() && !view(s).properties.is_empty() => {
                let part = self.lower_struct(&view(s), part_at, name, depth + 1, required);
                merge_struct(merged, scope, part);
            }
            SchemaRef::Item(s) => {
                let ty = self.lower_inline(s, part_at, &format!("{name} part {i}"), depth + 1);
                self.merge_part(merged, scope, &ty, part_at, depth);
            }
        }
    }

    /// Whether the property schema at `origin` says `nullable: true` (through `allOf` wrappers).
    pub(super) fn is_nullable_at(&self, origin: &Pointer) -> bool {
        self.is_nullable(self.loaded.get(origin))
    }

    /// Whether a property schema as the document holds it says `nullable: true`, itself or
    /// through the `$ref` chain it starts.
    pub(super) fn is_nullable(&self, schema: Option<&Value>) -> bool {
        let Some(schema) = schema else {
            return false;
        };
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => follow_ref_chain(&self.loaded.doc, r).unwrap_or(schema),
            None => schema,
        };
        schema
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// Merges the properties of the type an `allOf` part lowered to, following aliases.
    fn merge_part(
        &mut self,
        merged: &mut Struct,
        scope: &mut Scope,
        ty: &Ty,
        at: &Pointer,
        depth: usize,
    ) {
        let inner = match ty {
            Ty::Option(inner) => inner.as_ref(),
            other => other,
        };
        let Ty::Named(id) = inner else {
            if *inner != Ty::Json {
                self.warn(at, "an `allOf` part that is not an object is ignored");
            }
            return;
        };
        match self.api.types[id.0].kind.clone() {
            TypeKind::Struct(s) => merge_struct(merged, scope, s),
            TypeKind::Alias(alias) if depth < crate::load::MAX_REF_DEPTH => {
                self.merge_part(merged, scope, &alias, at, depth + 1)
            }
            _ => self.warn(at, "an `allOf` part that is not an object is ignored"),
        }
    }
}

/// Whether a struct, or a struct it embeds, keeps additional properties in a map.
fn keeps_a_map(api: &Api, s: &Struct, depth: usize) -> bool {
    if s.additional.is_some() {
        return true;
    }
    depth < crate::load::MAX_REF_DEPTH
        && s.fields
            .iter()
            .filter(|f| f.flatten)
            .filter_map(|f| struct_behind(api, &f.ty))
            .any(|base| keeps_a_map(api, base, depth + 1))
}

/// Adds a part's fields to the merged struct. A property several parts declare keeps the first
/// declaration, and is required when any part requires it.
fn merge_struct(merged: &mut Struct, scope: &mut Scope, part: Struct) {
    for mut field in part.fields {
        if let Some(existing) = merged.fields.iter_mut().find(|f| f.wire == field.wire) {
            // A later part may only narrow a property: it stays required if any part requires it.
            if field.required && !existing.required {
                existing.required = true;
                existing.ty = match std::mem::replace(&mut existing.ty, Ty::Json) {
                    Ty::Option(inner) if !field.ty.is_option() => *inner,
                    other => other,
                };
            }
            continue;
        }
        field.name = scope.claim(&field.name);
        merged.fields.push(field);
    }
    if merged.additional.is_none() {
        merged.additional = part.additional;
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{located, lower_yaml, struct_named, type_names};
    use crate::ir::*;

    const PARTS: &str = r#"
paths: {}
components:
  schemas:
    Base:
      type: object
      properties:
        id: { type: string }
        note: { type: string, nullable: true }
    Merged:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [id, name, note]
          properties:
            name: { type: string }
            extra:
              type: object
              properties:
                deep: { type: boolean }
      required: [ghost]
"#;

    #[test]
    fn all_of_merges_parts_and_applies_required_across_them() {
        let (api, warnings) = lower_yaml(PARTS);
        let merged = struct_named(&api, "Merged");
        let fields: Vec<(&str, &Ty, bool)> = merged
            .fields
            .iter()
            .map(|f| (f.wire.as_str(), &f.ty, f.required))
            .collect();
        // `id` is declared by the referenced part and required by the inline one; `note` stays an
        // `Option` because its schema is nullable; the inline part's properties come in directly.
        let extra = Ty::Named(TypeId(2)).optional();
        assert_eq!(
            fields,
            [
                ("id", &Ty::String, true),
                ("note", &Ty::String.optional(), true),
                ("name", &Ty::String, true),
                ("extra", &extra, false),
            ]
        );
        // The inline part gets no type of its own; its nested object is hoisted under the
        // merged type's name.
        assert_eq!(type_names(&api), ["Base", "Merged", "MergedExtra"]);
        assert_eq!(
            located(&warnings),
            [(
                "#/components/schemas/Merged",
                "`ghost` is listed in `required` but no part declares it; ignored"
            )]
        );
    }

    #[test]
    fn a_base_left_alone_is_embedded_and_its_fields_stay_on_the_wire() {
        let (api, warnings) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Contact:
      type: object
      required: [id]
      properties:
        id: { type: string }
        email: { type: string }
    Shown:
      allOf:
        - $ref: '#/components/schemas/Contact'
      required: [id]
      properties:
        push: { type: boolean }
"#,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let shown = struct_named(&api, "Shown");
        let base = &shown.fields[0];
        assert!(base.flatten && base.required);
        assert_eq!(
            (base.name.as_str(), &base.ty),
            ("contact", &Ty::Named(TypeId(0)))
        );
        let wire: Vec<(Vec<&str>, &str)> = shown
            .wire_fields(&api)
            .into_iter()
            .map(|(path, f)| (path, f.wire.as_str()))
            .collect();
        assert_eq!(
            wire,
            [
                (vec!["contact"], "id"),
                (vec!["contact"], "email"),
                (vec![], "push")
            ]
        );
    }

    #[test]
    fn a_part_that_is_not_an_object_is_ignored_with_a_warning() {
        let (api, warnings) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Word: { type: string, enum: [a, b] }
    Odd:
      allOf:
        - $ref: '#/components/schemas/Word'
        - type: object
          properties:
            x: { type: string }
"#,
        );
        assert_eq!(struct_named(&api, "Odd").fields.len(), 1);
        assert_eq!(
            located(&warnings),
            [(
                "#/components/schemas/Odd/allOf/0",
                "an `allOf` part that is not an object is ignored"
            )]
        );
    }
}
