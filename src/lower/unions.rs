//! `oneOf`/`anyOf` alternatives gathered into a union: each variant named after what tells it
//! apart, and tagged by its discriminator (the description's, or a property every alternative
//! fixes to a value of its own).

use super::view::{view, SchemaRef, SchemaType};
use super::Lowerer;
use crate::ir::*;
use crate::load::unescape_pointer_token;
use crate::names::{self, Scope};
use crate::pointer::Pointer;
use openapiv3::Schema;

impl Lowerer<'_> {
    /// `oneOf` or `anyOf` (`key`) with several alternatives: a union, tagged when the schema has a
    /// discriminator that names its alternatives, or when every alternative fixes one required
    /// property to a value of its own (`type: {enum: [source]}`).
    pub(super) fn lower_union(
        &mut self,
        schema: &Schema,
        key: &str,
        alternatives: &[SchemaRef<'_>],
        at: &Pointer,
        name: &str,
        depth: usize,
    ) -> TypeKind {
        let facts: Vec<Facts> = alternatives.iter().map(|a| self.facts(*a, 0)).collect();
        let tag = common_tag(&facts);
        let mut union = Union::default();
        let mut scope = Scope::new();
        let mut refs: Vec<Option<String>> = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            let alt_at = at.push(key).push(i);
            let label = match &tag {
                Some((_, values)) => Some(values[i].clone()),
                None => label(&facts, i),
            };
            let hint = format!("{name} {}", label.as_deref().unwrap_or("alternative"));
            let ty = self.lower_ty(*alternative, &alt_at, &hint, depth + 1);
            // A tag's value names every alternative; otherwise a `$ref` names its alternative.
            let candidate = match (alternative, &label) {
                (SchemaRef::Ref(_), _) if tag.is_none() => {
                    names::union_variant_name(&self.api.types, &ty)
                }
                (_, Some(label)) => names::variant_name(label),
                (_, None) => names::union_variant_name(&self.api.types, &ty),
            };
            let variant = scope.claim(&names::without_owner(name, &candidate));
            union.variants.push(UnionVariant { name: variant, ty });
            refs.push(match alternative {
                SchemaRef::Ref(r) => Some(r.to_string()),
                SchemaRef::Item(_) => None,
            });
        }
        if let Some(discriminator) = &schema.schema_data.discriminator {
            union.discriminator = self.lower_discriminator(discriminator, &refs, at);
        } else if let Some((property, values)) = tag {
            union.discriminator = Some(Discriminator {
                property,
                mapping: values
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (v, i))
                    .collect(),
            });
        }
        TypeKind::Union(union)
    }

    /// What an alternative says about itself, read before it is lowered: through a `$ref` to
    /// the schema it points at.
    fn facts(&self, alternative: SchemaRef<'_>, depth: usize) -> Facts {
        // `allOf` parts may refer back to the alternative; a few levels say enough.
        if depth > 8 {
            return Facts::default();
        }
        let resolved;
        let schema = match alternative {
            SchemaRef::Item(s) => s,
            SchemaRef::Ref(r) => match self.resolve::<Schema>(r) {
                Some(s) => {
                    resolved = s;
                    &resolved
                }
                None => return Facts::default(),
            },
        };
        let v = view(schema);
        let constants = v
            .properties
            .iter()
            .filter(|(p, _)| v.required.contains(p))
            .filter_map(|(p, s)| self.constant(*s).map(|value| (p.to_string(), value)))
            .collect();
        if v.properties.is_empty() && !v.all_of.is_empty() {
            return self.all_of_facts(schema, &v.all_of, depth);
        }
        let kind = match v.ty {
            Some(SchemaType::String) => Some("string"),
            Some(SchemaType::Integer) => Some("integer"),
            Some(SchemaType::Number) => Some("number"),
            Some(SchemaType::Boolean) => Some("boolean"),
            _ if !v.properties.is_empty() => Some("object"),
            // A list of scalars is named after them (`StringList`) once lowered; a list of
            // objects is the list.
            Some(SchemaType::Array) => match v.items {
                Some(SchemaRef::Item(items)) if !has_scalar_type(items) => Some("list"),
                Some(SchemaRef::Ref(_)) => Some("list"),
                _ => None,
            },
            _ => None,
        };
        Facts {
            title: schema
                .schema_data
                .title
                .clone()
                .filter(|t| !t.trim().is_empty()),
            properties: v.properties.iter().map(|(p, _)| p.to_string()).collect(),
            required: v.required.iter().map(|r| r.to_string()).collect(),
            constants,
            kind,
        }
    }

    /// What an `allOf` alternative says about itself: what its parts say together, named after
    /// its first `$ref` part when it has no title.
    fn all_of_facts(&self, schema: &Schema, parts: &[SchemaRef<'_>], depth: usize) -> Facts {
        let mut facts = Facts {
            title: schema
                .schema_data
                .title
                .clone()
                .filter(|t| !t.trim().is_empty()),
            ..Facts::default()
        };
        for part in parts {
            let part_facts = match part {
                SchemaRef::Item(s) if !view(s).all_of.is_empty() => continue,
                other => self.facts(*other, depth + 1),
            };
            if let (None, SchemaRef::Ref(r)) = (&facts.title, part) {
                facts.title = r.rsplit('/').next().map(unescape_pointer_token);
            }
            facts.properties.extend(part_facts.properties);
            facts.required.extend(part_facts.required);
            facts.constants.extend(part_facts.constants);
        }
        facts.kind = (!facts.properties.is_empty()).then_some("object");
        facts
    }

    /// The one value a property's schema allows, when it is a string enum of one value.
    fn constant(&self, schema: SchemaRef<'_>) -> Option<String> {
        let resolved;
        let schema = match schema {
            SchemaRef::Item(s) => s,
            SchemaRef::Ref(r) => {
                resolved = self.resolve::<Schema>(r)?;
                &resolved
            }
        };
        match &view(schema).enum_values[..] {
            [serde_json::Value::String(only)] => Some(only.clone()),
            _ => None,
        }
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

/// What an alternative of a union says about itself.
#[derive(Default)]
struct Facts {
    title: Option<String>,
    /// Its properties' wire names.
    properties: Vec<String>,
    required: Vec<String>,
    /// Required properties fixed to one value: (wire name, value).
    constants: Vec<(String, String)>,
    /// Its primitive type, when it is not an object or a list.
    kind: Option<&'static str>,
}

/// Whether a schema is a string, number, integer or boolean without values listed.
fn has_scalar_type(schema: &Schema) -> bool {
    let v = view(schema);
    v.enum_values.is_empty()
        && matches!(
            v.ty,
            Some(
                SchemaType::String | SchemaType::Integer | SchemaType::Number | SchemaType::Boolean
            )
        )
}

/// A property every alternative requires and fixes to a value of its own, with each one's value:
/// the union is tagged by it.
fn common_tag(facts: &[Facts]) -> Option<(String, Vec<String>)> {
    let first = facts.first()?;
    first.constants.iter().find_map(|(property, _)| {
        let values: Vec<String> = facts
            .iter()
            .map(|f| {
                f.constants
                    .iter()
                    .find(|(p, _)| p == property)
                    .map(|(_, v)| v.clone())
            })
            .collect::<Option<_>>()?;
        let distinct = values
            .iter()
            .enumerate()
            .all(|(i, v)| !values[..i].contains(v));
        distinct.then(|| (property.clone(), values))
    })
}

/// The words that name the alternative `i` of an inline union: its title, else the property only
/// it has (a required one first), else its primitive type.
fn label(facts: &[Facts], i: usize) -> Option<String> {
    let own = &facts[i];
    if let Some(title) = &own.title {
        return Some(title.clone());
    }
    let unique = |p: &&String| {
        facts
            .iter()
            .enumerate()
            .all(|(j, other)| j == i || !other.properties.contains(p))
    };
    let by_property = own
        .required
        .iter()
        .filter(|p| own.properties.contains(p))
        .find(unique)
        .or_else(|| own.properties.iter().find(unique));
    by_property
        .cloned()
        .or_else(|| own.kind.map(str::to_string))
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

    /// The variant names of the union `name`, and its tag property, if it has one.
    fn variants(api: &Api, name: &str) -> (Vec<String>, Option<String>) {
        let def = api.types.iter().find(|t| t.name == name).unwrap();
        let TypeKind::Union(union) = &def.kind else {
            panic!("{def:?}")
        };
        let names = union.variants.iter().map(|v| v.name.clone()).collect();
        (
            names,
            union.discriminator.as_ref().map(|d| d.property.clone()),
        )
    }

    #[test]
    fn variants_are_named_after_what_tells_them_apart() {
        let (api, warnings) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    AdminReply: { type: object, properties: { admin_id: { type: string } } }
    Reply:
      oneOf:
        - $ref: '#/components/schemas/AdminReply'
        - title: Contact reply
          type: object
          properties: { body: { type: string } }
        - type: object
          required: [email]
          properties: { email: { type: string }, body: { type: string } }
        - type: integer
        - type: object
          properties: { body: { type: string } }
    Redact:
      oneOf:
        - type: object
          required: [type]
          properties: { type: { type: string, enum: [part] } }
        - type: object
          required: [type, id]
          properties: { type: { type: string, enum: [source] }, id: { type: string } }
"#,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let (names, tag) = variants(&api, "Reply");
        // A title ending in the enum's own name loses it too.
        assert_eq!(names, ["Admin", "Contact", "Email", "Integer", "Object"]);
        assert_eq!(tag, None);
        let (names, tag) = variants(&api, "Redact");
        assert_eq!(names, ["Part", "Source"]);
        assert_eq!(tag.as_deref(), Some("type"));
        let hoisted: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert!(hoisted.contains(&"ReplyContactReply") && hoisted.contains(&"RedactSource"));
    }
}
