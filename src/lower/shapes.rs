//! Constraint-only composition: `anyOf`/`oneOf` alternatives that add no property and no type of
//! their own (`anyOf: [{required: [email]}, {required: [external_id]}]`) do not make a union.
//! The object stays one struct with every property; the alternatives become its [`Shapes`]: its
//! documentation lists them, and each gets a constructor named after what it requires
//! (`with_email`).

use super::view::{view, SchemaRef, View};
use super::Lowerer;
use crate::ir::*;
use crate::names::{self, Scope};
use crate::pointer::Pointer;

impl Lowerer<'_> {
    /// The shapes of the object `v` (at `at`), whose fields are already in `s`, when its
    /// alternatives only constrain it.
    pub(super) fn lower_shapes(
        &mut self,
        v: &View<'_>,
        at: &Pointer,
        s: &Struct,
    ) -> Option<Shapes> {
        if !v.has_constraint_only_alternatives() {
            return None;
        }
        let (key, alternatives) = v.alternatives()?;
        let mut constructors = Scope::new();
        let mut shapes = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            let SchemaRef::Item(schema) = alternative else {
                continue;
            };
            let required: Vec<String> = view(schema)
                .required
                .iter()
                .map(|r| r.to_string())
                .collect();
            for wire in &required {
                if !s.fields.iter().any(|f| &f.wire == wire) {
                    self.warn(
                        &at.push(key).push(i),
                        format!("`{wire}` is listed in `required` but is not a property; ignored"),
                    );
                }
            }
            let constructor = shape_constructor(s, &required)
                .filter(|name| !constructors.is_taken(name))
                .map(|name| constructors.claim(&name));
            shapes.push(Shape {
                title: schema.schema_data.title.clone(),
                required,
                constructor,
            });
        }
        Some(Shapes {
            exactly_one: key == "oneOf",
            shapes,
        })
    }
}

/// The constructor of a shape that requires `required`: `with_` and the fields' names
/// (`with_email`, `with_id_and_type`), when each is a field of `s`.
fn shape_constructor(s: &Struct, required: &[String]) -> Option<String> {
    if required.is_empty() {
        return None;
    }
    let fields: Vec<&str> = required
        .iter()
        .map(|wire| {
            s.fields
                .iter()
                .find(|f| &f.wire == wire)
                .map(|f| f.name.as_str())
        })
        .collect::<Option<_>>()?;
    Some(names::field_name(&format!("with {}", fields.join(" and "))))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{located, lower_yaml, struct_named, type_names};
    use crate::ir::*;

    #[test]
    fn alternatives_that_only_require_properties_fold_into_one_struct() {
        let (api, warnings) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    NewContact:
      type: object
      properties:
        email: { type: string }
        external_id: { type: string }
        name: { type: string }
      anyOf:
        - title: Create with email
          required: [email]
        - required: [external_id]
        - required: [ghost]
"#,
        );
        assert_eq!(type_names(&api), ["NewContact"]);
        let contact = struct_named(&api, "NewContact");
        let wires: Vec<&str> = contact.fields.iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(wires, ["email", "external_id", "name"]);
        assert!(contact.fields.iter().all(|f| f.ty.is_option()));
        let shapes = contact
            .shapes
            .as_ref()
            .expect("the alternatives are kept as shapes");
        assert!(!shapes.exactly_one);
        let summary: Vec<(Option<&str>, Option<&str>)> = shapes
            .shapes
            .iter()
            .map(|s| (s.title.as_deref(), s.constructor.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (Some("Create with email"), Some("with_email")),
                (None, Some("with_external_id")),
                (None, None)
            ]
        );
        assert_eq!(
            located(&warnings),
            [(
                "#/components/schemas/NewContact/anyOf/2",
                "`ghost` is listed in `required` but is not a property; ignored"
            )]
        );
    }

    #[test]
    fn alternatives_with_properties_of_their_own_still_make_a_union() {
        let (api, _) = lower_yaml(
            r#"
paths: {}
components:
  schemas:
    Who:
      type: object
      oneOf:
        - required: [id]
          properties: { id: { type: string } }
        - required: [email]
"#,
        );
        assert!(matches!(api.types[0].kind, TypeKind::Union(_)));
    }
}
