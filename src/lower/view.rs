//! One uniform [`View`] of a schema, whichever way openapiv3 parsed it, with its `type` and
//! `format` as enums rather than text.

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema reference in either of the two shapes openapiv3 gives.
#[derive(Clone, Copy)]
pub(super) enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

pub(super) fn sref(r: &ReferenceOr<Schema>) -> SchemaRef<'_> {
    match r {
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaRef::Item(s),
    }
}

fn sref_boxed(r: &ReferenceOr<Box<Schema>>) -> SchemaRef<'_> {
    match r {
        ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaRef::Item(s),
    }
}

/// A schema's `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SchemaType<'s> {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    /// A type OpenAPI 3.0 does not define, as written.
    Other(&'s str),
}

impl<'s> SchemaType<'s> {
    pub(super) fn from_name(name: &'s str) -> Self {
        match name {
            "string" => SchemaType::String,
            "number" => SchemaType::Number,
            "integer" => SchemaType::Integer,
            "boolean" => SchemaType::Boolean,
            "object" => SchemaType::Object,
            "array" => SchemaType::Array,
            other => SchemaType::Other(other),
        }
    }
}

/// A schema's `format`, where it says something about the value's representation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Format {
    Int32,
    Int64,
    Float,
    Double,
    DateTime,
    Date,
    Binary,
    Byte,
    Password,
    /// Any other format: a hint for people that the generator does not act on.
    Other,
}

impl Format {
    pub(super) fn from_name(name: &str) -> Self {
        match name {
            "int32" => Format::Int32,
            "int64" => Format::Int64,
            "float" => Format::Float,
            "double" => Format::Double,
            "date-time" => Format::DateTime,
            "date" => Format::Date,
            "binary" => Format::Binary,
            "byte" => Format::Byte,
            "password" => Format::Password,
            _ => Format::Other,
        }
    }

    /// Reads a format as openapiv3 parses it for one type: a known variant, another name, or none.
    fn from_parsed<T>(
        format: &VariantOrUnknownOrEmpty<T>,
        known: impl Fn(&T) -> Format,
    ) -> Option<Self> {
        match format {
            VariantOrUnknownOrEmpty::Item(item) => Some(known(item)),
            VariantOrUnknownOrEmpty::Unknown(name) => Some(Format::from_name(name)),
            VariantOrUnknownOrEmpty::Empty => None,
        }
    }
}

/// One uniform view of a schema, whichever way openapiv3 parsed it.
#[derive(Default)]
pub(super) struct View<'s> {
    pub ty: Option<SchemaType<'s>>,
    pub format: Option<Format>,
    pub properties: Vec<(&'s str, SchemaRef<'s>)>,
    pub required: Vec<&'s str>,
    pub additional: Option<&'s AdditionalProperties>,
    pub items: Option<SchemaRef<'s>>,
    pub enum_values: Vec<Value>,
    pub one_of: Vec<SchemaRef<'s>>,
    pub any_of: Vec<SchemaRef<'s>>,
    pub all_of: Vec<SchemaRef<'s>>,
}

impl View<'_> {
    /// Whether the schema is a string enum (a string with at least one string value listed).
    pub(super) fn is_string_enum(&self) -> bool {
        self.ty == Some(SchemaType::String) && self.enum_values.iter().any(Value::is_string)
    }
}

pub(super) fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.ty = Some(SchemaType::String);
            v.format = Format::from_parsed(&s.format, |f| match f {
                StringFormat::DateTime => Format::DateTime,
                StringFormat::Date => Format::Date,
                StringFormat::Binary => Format::Binary,
                StringFormat::Byte => Format::Byte,
                StringFormat::Password => Format::Password,
            });
            v.enum_values = s
                .enumeration
                .iter()
                .flatten()
                .map(|s| Value::String(s.clone()))
                .collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.ty = Some(SchemaType::Number);
            v.format = Format::from_parsed(&n.format, |f| match f {
                NumberFormat::Float => Format::Float,
                NumberFormat::Double => Format::Double,
            });
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.ty = Some(SchemaType::Integer);
            v.format = Format::from_parsed(&i.format, |f| match f {
                IntegerFormat::Int32 => Format::Int32,
                IntegerFormat::Int64 => Format::Int64,
            });
        }
        SchemaKind::Type(Type::Boolean(_)) => v.ty = Some(SchemaType::Boolean),
        SchemaKind::Type(Type::Object(o)) => {
            v.ty = Some(SchemaType::Object);
            v.properties = o
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), sref_boxed(s)))
                .collect();
            v.required = o.required.iter().map(String::as_str).collect();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.ty = Some(SchemaType::Array);
            v.items = a.items.as_ref().map(sref_boxed);
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of.iter().map(sref).collect(),
        SchemaKind::AnyOf { any_of } => v.any_of = any_of.iter().map(sref).collect(),
        SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(sref).collect(),
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => view_any(a, &mut v),
    }
    v
}

/// The view of a schema openapiv3 could not give one kind: every keyword may be present.
fn view_any<'s>(a: &'s openapiv3::AnySchema, v: &mut View<'s>) {
    v.ty = a.typ.as_deref().map(SchemaType::from_name);
    v.format = a.format.as_deref().map(Format::from_name);
    v.properties = a
        .properties
        .iter()
        .map(|(k, s)| (k.as_str(), sref_boxed(s)))
        .collect();
    v.required = a.required.iter().map(String::as_str).collect();
    v.additional = a.additional_properties.as_ref();
    v.items = a.items.as_ref().map(sref_boxed);
    v.enum_values = a
        .enumeration
        .iter()
        .filter(|v| !v.is_null())
        .cloned()
        .collect();
    v.one_of = a.one_of.iter().map(sref).collect();
    v.any_of = a.any_of.iter().map(sref).collect();
    v.all_of = a.all_of.iter().map(sref).collect();
    if v.ty.is_none() && (!v.properties.is_empty() || v.additional.is_some()) {
        v.ty = Some(SchemaType::Object);
    }
}

impl View<'_> {
    /// The `oneOf` or `anyOf` alternatives (`oneOf` first), with their keyword, when there are
    /// several.
    pub(super) fn alternatives(&self) -> Option<(&'static str, &[SchemaRef<'_>])> {
        if self.one_of.len() > 1 {
            Some(("oneOf", &self.one_of))
        } else if self.any_of.len() > 1 {
            Some(("anyOf", &self.any_of))
        } else {
            None
        }
    }

    /// Whether the schema's `oneOf`/`anyOf` alternatives only constrain the object (see
    /// [`constrains_only`]) rather than describe values of their own.
    pub(super) fn has_constraint_only_alternatives(&self) -> bool {
        self.alternatives()
            .is_some_and(|(_, alternatives)| alternatives.iter().all(|a| constrains_only(*a)))
    }
}

/// Whether an inline schema adds no property and no type of its own: it only constrains the
/// object it stands in (`required`, `not`, bounds…), as `anyOf: [{required: [email]}, …]` does.
pub(super) fn constrains_only(schema: SchemaRef<'_>) -> bool {
    let SchemaRef::Item(schema) = schema else {
        return false;
    };
    let v = view(schema);
    matches!(v.ty, None | Some(SchemaType::Object))
        && v.properties.is_empty()
        && v.additional.is_none()
        && v.items.is_none()
        && v.enum_values.is_empty()
        && v.one_of.is_empty()
        && v.any_of.is_empty()
        && v.all_of.is_empty()
}
