//! Defaults: how each field of a struct is filled when the struct is made by its `new`, a shape
//! constructor or `Default`, and so which structs have a `Default` (a body for the next page, an
//! optional object on the way to a cursor, `..Default::default()` in user code).
//!
//! Required means required: a required property is an argument of `new` unless the description
//! fixes its value (an enum of one value, which is what a 3.1 `const` becomes) or gives it a
//! `default` of its type. A struct has `Default` only when no field is an argument and, where
//! its shapes (`anyOf: [{required: [email]}, …]`) ask for properties, one shape asks for none.

use crate::ir::*;
use serde_json::Value;

/// How a field is filled when its struct is made.
#[derive(Clone, Debug, PartialEq)]
pub enum Fill {
    /// Its empty state: `None` for an optional property, absent for a nullable one, `Default`
    /// for an embedded base that has one.
    Empty,
    /// The one value the description allows, or its `default`, a value of the field's type.
    Fixed(Value),
    /// An argument of `new`: a required property the caller has to give.
    Argument,
}

/// Which types have `Default`: the structs none of whose fields is an [`Fill::Argument`] and
/// whose shapes allow an object with no property.
///
/// The least fixed point: a struct starts without `Default` and gains it once every embedded
/// base it needs has one, so a type that requires itself (through a box, an embedded base or an
/// alias) never gets a `Default` that would call itself without end.
pub fn defaultable(api: &Api) -> Vec<bool> {
    let mut ok = vec![false; api.types.len()];
    loop {
        let mut changed = false;
        for (i, def) in api.types.iter().enumerate() {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            if !ok[i] && struct_has_default(api, s, &ok) {
                ok[i] = true;
                changed = true;
            }
        }
        if !changed {
            return ok;
        }
    }
}

/// Whether `s` can be made with no argument, given which types have `Default` so far.
fn struct_has_default(api: &Api, s: &Struct, ok: &[bool]) -> bool {
    allows_an_empty_shape(s) && s.fields.iter().all(|f| fill(api, f, ok) != Fill::Argument)
}

/// How `field` is filled, given which types have `Default` ([`defaultable`]).
pub fn fill(api: &Api, field: &Field, defaultable: &[bool]) -> Fill {
    match field.flatten {
        true => embedded_fill(ty_default(&field.ty, defaultable, api)),
        false => own_fill(api, field),
    }
}

/// How `field` is filled, working out for itself whether an embedded base has `Default`: the
/// same answer as [`fill`], for a reader that looks at a few structs rather than all of them.
pub fn fill_alone(api: &Api, field: &Field) -> Fill {
    match field.flatten {
        true => embedded_fill(has_default(api, &field.ty, &mut Vec::new())),
        false => own_fill(api, field),
    }
}

/// An embedded base is empty when it has `Default`, and an argument when it does not.
fn embedded_fill(has_default: bool) -> Fill {
    if has_default {
        Fill::Empty
    } else {
        Fill::Argument
    }
}

/// Whether a value of `ty` has `Default`, following embedded bases only (the one place where
/// a struct's `Default` depends on another's); a type met again on the way has none, as in
/// [`defaultable`]'s least fixed point.
fn has_default(api: &Api, ty: &Ty, seen: &mut Vec<TypeId>) -> bool {
    let id = match ty {
        Ty::Box(inner) => return has_default(api, inner, seen),
        Ty::Named(id) => *id,
        _ => return true,
    };
    if seen.contains(&id) || seen.len() > crate::limits::MAX_REF_DEPTH {
        return false;
    }
    seen.push(id);
    let answer = match &api.types[id.0].kind {
        TypeKind::Alias(inner) => has_default(api, inner, seen),
        TypeKind::Struct(s) => {
            allows_an_empty_shape(s)
                && s.fields.iter().all(|f| match f.flatten {
                    true => has_default(api, &f.ty, seen),
                    false => own_fill(api, f) != Fill::Argument,
                })
        }
        TypeKind::StringEnum(_) | TypeKind::Union(_) => false,
    };
    seen.pop();
    answer
}

/// Whether the struct's shapes, if it has any, allow an object with none of the properties
/// they ask for.
pub fn allows_an_empty_shape(s: &Struct) -> bool {
    s.shapes
        .as_ref()
        .is_none_or(|shapes| shapes.shapes.iter().any(|shape| shape.required.is_empty()))
}

/// How a field that embeds no base is filled.
fn own_fill(api: &Api, field: &Field) -> Fill {
    if !field.required {
        return Fill::Empty;
    }
    // `null` is a value of a required nullable property, which the caller chooses.
    if field.ty.is_option() {
        return Fill::Argument;
    }
    if let Some(value) = field
        .default
        .as_ref()
        .filter(|v| is_value_of(api, &field.ty, v))
    {
        return Fill::Fixed(value.clone());
    }
    match string_enum_behind(api, &field.ty) {
        Some(e) if e.variants.len() == 1 => Fill::Fixed(Value::from(e.variants[0].value.clone())),
        _ => Fill::Argument,
    }
}

/// Whether `value` is a scalar of `ty`, which a constructor can write as a literal.
fn is_value_of(api: &Api, ty: &Ty, value: &Value) -> bool {
    match (ty, value) {
        (Ty::String, Value::String(_)) | (Ty::Bool, Value::Bool(_)) => true,
        (Ty::I32, Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        (Ty::I64, Value::Number(n)) => n.as_i64().is_some(),
        (Ty::F64, Value::Number(n)) => n.as_f64().is_some_and(f64::is_finite),
        (Ty::Named(id), _) => match &api.types[id.0].kind {
            TypeKind::StringEnum(e) => e
                .variants
                .iter()
                .any(|v| Some(v.value.as_str()) == value.as_str()),
            _ => false,
        },
        _ => false,
    }
}

/// The string enum `ty` names, directly or through aliases.
fn string_enum_behind<'a>(api: &'a Api, ty: &Ty) -> Option<&'a StringEnum> {
    match &api.definition_behind(ty)?.kind {
        TypeKind::StringEnum(e) => Some(e),
        _ => None,
    }
}

/// Whether a value of `ty` has `Default`, given which types have it.
pub(crate) fn ty_default(ty: &Ty, ok: &[bool], api: &Api) -> bool {
    match ty {
        Ty::Option(_) | Ty::Vec(_) | Ty::Map(_) | Ty::Json | Ty::String | Ty::Bytes => true,
        Ty::File => true,
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => true,
        Ty::Box(inner) => ty_default(inner, ok, api),
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias(inner) => ty_default(inner, ok, api),
            _ => ok[id.0],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::fixtures::test_ir::{field, named};

    fn strct(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(Struct {
            fields,
            additional: None,
            shapes: None,
        })
    }

    fn with_default(mut f: Field, value: Value) -> Field {
        f.default = Some(value);
        f
    }

    fn one_value_enum(value: &str) -> TypeKind {
        TypeKind::StringEnum(crate::lower::string_enum(vec![value.to_string()]))
    }

    #[test]
    fn a_required_field_is_an_argument_unless_the_description_fixes_its_value() {
        let mut api = Api::default();
        // 0: a one-value enum; 1: a two-value enum.
        api.types
            .push(named("ContactType", one_value_enum("contact")));
        api.types.push(named(
            "Role",
            TypeKind::StringEnum(crate::lower::string_enum(vec![
                "user".into(),
                "lead".into(),
            ])),
        ));
        let fixed = field("type", Ty::Named(TypeId(0)), true);
        assert_eq!(fill(&api, &fixed, &[]), Fill::Fixed(Value::from("contact")));
        let role = field("role", Ty::Named(TypeId(1)), true);
        assert_eq!(fill(&api, &role, &[]), Fill::Argument);
        // A default of the field's type fixes it; one of another type does not.
        let lead = with_default(role.clone(), Value::from("lead"));
        assert_eq!(fill(&api, &lead, &[]), Fill::Fixed(Value::from("lead")));
        let wrong = with_default(role, Value::from("admin"));
        assert_eq!(fill(&api, &wrong, &[]), Fill::Argument);
        let size = with_default(field("size", Ty::I32, true), Value::from(10));
        assert_eq!(fill(&api, &size, &[]), Fill::Fixed(Value::from(10)));
        let huge = with_default(field("size", Ty::I32, true), Value::from(1_i64 << 40));
        assert_eq!(fill(&api, &huge, &[]), Fill::Argument);
        // Plain required values, lists and nullable values are the caller's to give.
        for ty in [
            Ty::String,
            Ty::Vec(Box::new(Ty::I64)),
            Ty::String.optional(),
        ] {
            assert_eq!(fill(&api, &field("x", ty, true), &[]), Fill::Argument);
        }
        assert_eq!(
            fill(&api, &field("x", Ty::String.optional(), false), &[]),
            Fill::Empty
        );
    }

    #[test]
    fn structs_have_a_default_when_no_field_is_an_argument() {
        let mut api = Api::default();
        // 0: optional fields and a fixed one.
        api.types.push(named(
            "Loose",
            strct(vec![
                field("a", Ty::String.optional(), false),
                field("type", Ty::Named(TypeId(3)), true),
            ]),
        ));
        // 1: requires a string.
        api.types
            .push(named("Strict", strct(vec![field("id", Ty::String, true)])));
        // 2: embeds Loose (through an alias, 4); 5: embeds Strict.
        let mut base = field("base", Ty::Named(TypeId(4)), true);
        base.flatten = true;
        api.types.push(named("Extended", strct(vec![base.clone()])));
        api.types.push(named("Kind", one_value_enum("loose")));
        api.types
            .push(named("LooseAlias", TypeKind::Alias(Ty::Named(TypeId(0)))));
        base.ty = Ty::Named(TypeId(1));
        api.types.push(named("ExtendedStrict", strct(vec![base])));
        let expected = [true, false, true, false, false, false];
        assert_eq!(defaultable(&api), expected);
        // Looking at one type alone gives the same answer.
        for (i, has) in expected.iter().enumerate() {
            let mut embed = field("base", Ty::Named(TypeId(i)), true);
            embed.flatten = true;
            let alone = fill_alone(&api, &embed) == Fill::Empty;
            let kind_has_default = matches!(api.types[i].kind, TypeKind::Struct(_)) && *has;
            let through_alias = i == 4;
            assert_eq!(
                alone,
                kind_has_default || through_alias,
                "{}",
                api.types[i].name
            );
        }
    }

    #[test]
    fn shapes_that_each_require_a_property_take_the_default_away() {
        let shape = |required: &[&str]| Shape {
            title: None,
            required: required.iter().map(|r| r.to_string()).collect(),
            constructor: None,
        };
        let mut s = Struct {
            fields: vec![field("email", Ty::String.optional(), false)],
            ..Struct::default()
        };
        s.shapes = Some(Shapes {
            exactly_one: false,
            shapes: vec![shape(&["email"])],
        });
        let mut api = Api::default();
        api.types
            .push(named("Contact", TypeKind::Struct(s.clone())));
        assert_eq!(defaultable(&api), [false]);
        s.shapes.as_mut().unwrap().shapes.push(shape(&[]));
        api.types[0].kind = TypeKind::Struct(s);
        assert_eq!(defaultable(&api), [true]);
    }

    #[test]
    fn a_struct_that_requires_itself_through_a_box_has_no_default() {
        // `Node { next: Box<Node> }`: a derived `Default` would call itself without end.
        let mut api = Api::default();
        api.types.push(named(
            "Node",
            strct(vec![field(
                "next",
                Ty::Box(Box::new(Ty::Named(TypeId(0)))),
                true,
            )]),
        ));
        assert_eq!(defaultable(&api), [false]);
        // The same through an embedded base: `A` embeds `B`, which embeds `A`.
        let embed = |to: usize| {
            let mut f = field("base", Ty::Named(TypeId(to)), true);
            f.flatten = true;
            strct(vec![f])
        };
        let mut api = Api::default();
        api.types.push(named("A", embed(1)));
        api.types.push(named("B", embed(0)));
        assert_eq!(defaultable(&api), [false, false]);
        let TypeKind::Struct(a) = &api.types[0].kind else {
            unreachable!("A is a struct")
        };
        assert_eq!(fill_alone(&api, &a.fields[0]), Fill::Argument);
    }
}
