//! `oneOf`/`anyOf` alternatives gathered into a union: each variant named after what tells it
//! apart, and tagged by its discriminator (the description's, or a property every alternative
//! fixes to a value of its own).

use super::view::{view, SchemaRef};
use super::Lowerer;
use crate::ir::*;
use crate::load::unescape_pointer_token;
use crate::names::{self, Scope};
use crate::pointer::Pointer;
use openapiv3::Schema;

impl Lowerer<'_> {
    /// `oneOf` or `anyOf` (`key`) with several alternatives: a union, tagged when the schema has a
    /// discriminator that names its alternatives.
    pub(super) fn lower_union(
        &mut self,
        schema: &Schema,
        key: &str,
        alternatives: &[SchemaRef<'_>],
        at: &Pointer,
        name: &str,
        depth: usize,
    ) -> TypeKind {
        let mut union = Union::default();
        let mut scope = Scope::new();
        let mut refs: Vec<Option<String>> = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            let alt_at = at.push(key).push(i);
            let (ty, reference) = match alternative {
                SchemaRef::Ref(r) => (
                    self.lower_ref(r, &alt_at, &format!("{name} variant {i}"), depth + 1),
                    Some(r.to_string()),
                ),
                SchemaRef::Item(s) => (
                    self.lower_inline(s, &alt_at, &format!("{name} variant {}", i + 1), depth + 1),
                    None,
                ),
            };
            let variant = scope.claim(&names::union_variant_name(&self.api.types, &ty));
            union.variants.push(UnionVariant { name: variant, ty });
            refs.push(reference);
        }
        if let Some(discriminator) = &schema.schema_data.discriminator {
            union.discriminator = self.lower_discriminator(discriminator, &refs, at);
        }
        TypeKind::Union(union)
    }

    /// Which value of the discriminator's property selects which alternative (`refs` holds each
    /// alternative's `$ref`, if it is one).
    fn lower_discriminator(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        refs: &[Option<String>],
        at: &Pointer,
    ) -> Option<Discriminator> {
        let mut mapping = Vec::new();
        for (value, target) in &discriminator.mapping {
            let target = if target.starts_with('#') {
                target.clone()
            } else {
                format!("#/components/schemas/{target}")
            };
            match refs.iter().position(|r| r.as_deref() == Some(target.as_str())) {
                Some(i) => mapping.push((value.clone(), i)),
                None => self.warn(at, format!("discriminator mapping `{value}` → `{target}` names no alternative; ignored")),
            }
        }
        // Alternatives not named by the mapping are selected by their schema's name.
        for (i, reference) in refs.iter().enumerate() {
            if mapping.iter().any(|(_, j)| *j == i) {
                continue;
            }
            if let Some(key) = reference
                .as_deref()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                mapping.push((unescape_pointer_token(key), i));
            }
        }
        if mapping.is_empty() {
            self.warn(
                at,
                "a discriminator without usable values; decoding tries each alternative in turn",
            );
            return None;
        }
        Some(Discriminator {
            property: discriminator.property_name.clone(),
            mapping,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{located, lower_yaml};
    use crate::ir::*;

    #[test]
    fn one_of_with_a_discriminator_maps_values_to_alternatives() {
        let (api, warnings) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Cat: { type: object, properties: { kind: { type: string } } }
    Dog: { type: object, properties: { kind: { type: string } } }
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - type: string
      discriminator:
        propertyName: kind
        mapping:
          meow: '#/components/schemas/Cat'
          bark: Nope
"#,
        );
        let pet = api.types.iter().find(|t| t.name == "Pet").unwrap();
        let TypeKind::Union(union) = &pet.kind else {
            panic!("{pet:?}")
        };
        let names: Vec<&str> = union.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["Cat", "Dog", "String"]);
        let discriminator = union.discriminator.as_ref().unwrap();
        assert_eq!(discriminator.property, "kind");
        assert_eq!(
            discriminator.mapping,
            [("meow".to_string(), 0), ("Dog".to_string(), 1)]
        );
        assert_eq!(
            located(&warnings),
            [(
                "#/components/schemas/Pet",
                "discriminator mapping `bark` → `#/components/schemas/Nope` names no alternative; ignored"
            )]
        );
    }
}
