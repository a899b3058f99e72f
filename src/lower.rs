//! Lowering: the parsed description becomes our IR. Every schema that needs a type of its own gets
//! one here (component schemas by their key, inline ones hoisted with a name made from where they
//! stand); everything after this stage works on [`Api`] alone.

use crate::error::{pointer, Error, Warning};
use crate::ir::*;
use crate::load::{follow_ref_chain, unescape_pointer_token, Loaded};
use crate::names::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// How deep inline schemas may nest before the generator gives up on them and uses a JSON value.
const MAX_DEPTH: usize = 64;

/// Lowers a loaded description into the IR.
pub fn lower(loaded: &Loaded) -> Result<(Api, Vec<Warning>), Error> {
    let mut lowerer = Lowerer {
        loaded,
        api: Api::default(),
        components: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        type_scope: Scope::with_taken([]),
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    lowerer.lower_info();
    lowerer.lower_components();
    lowerer.lower_operations();
    if let Some(error) = Error::from_list(std::mem::take(&mut lowerer.errors)) {
        return Err(error);
    }
    Ok((lowerer.api, lowerer.warnings))
}

struct Lowerer<'a> {
    loaded: &'a Loaded,
    api: Api,
    /// Component schema key → its type.
    components: BTreeMap<String, TypeId>,
    /// Pointer of an inline schema → the type hoisted from it.
    hoisted: BTreeMap<String, TypeId>,
    type_scope: Scope,
    warnings: Vec<Warning>,
    errors: Vec<Error>,
}

/// A schema reference in either of the two shapes openapiv3 gives.
#[derive(Clone, Copy)]
enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

fn sref(r: &ReferenceOr<Schema>) -> SchemaRef<'_> {
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

/// One uniform view of a schema, whichever way openapiv3 parsed it.
#[derive(Default)]
struct View<'s> {
    ty: Option<&'s str>,
    format: Option<String>,
    properties: Vec<(&'s str, SchemaRef<'s>)>,
    required: Vec<&'s str>,
    additional: Option<&'s AdditionalProperties>,
    items: Option<SchemaRef<'s>>,
    /// Whether `items` was required (type array) but missing.
    items_missing: bool,
    enum_values: Vec<Value>,
    one_of: Vec<SchemaRef<'s>>,
    any_of: Vec<SchemaRef<'s>>,
    all_of: Vec<SchemaRef<'s>>,
}

fn format_name<T: std::fmt::Debug>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(heck::ToKebabCase::to_kebab_case(
            format!("{item:?}").as_str(),
        )),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.ty = Some("string");
            v.format = match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time".into()),
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date".into()),
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary".into()),
                VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte".into()),
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password".into()),
                VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
                VariantOrUnknownOrEmpty::Empty => None,
            };
            v.enum_values = s
                .enumeration
                .iter()
                .flatten()
                .map(|s| Value::String(s.clone()))
                .collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.ty = Some("number");
            v.format = format_name(&n.format);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.ty = Some("integer");
            v.format = format_name(&i.format);
        }
        SchemaKind::Type(Type::Boolean(_)) => v.ty = Some("boolean"),
        SchemaKind::Type(Type::Object(o)) => {
            v.ty = Some("object");
            v.properties = o
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), sref_boxed(s)))
                .collect();
            v.required = o.required.iter().map(String::as_str).collect();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.ty = Some("array");
            v.items = a.items.as_ref().map(sref_boxed);
            v.items_missing = a.items.is_none();
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of.iter().map(sref).collect(),
        SchemaKind::AnyOf { any_of } => v.any_of = any_of.iter().map(sref).collect(),
        SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(sref).collect(),
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            v.ty = a.typ.as_deref();
            v.format = a.format.clone();
            v.properties = a
                .properties
                .iter()
                .map(|(k, s)| (k.as_str(), sref_boxed(s)))
                .collect();
            v.required = a.required.iter().map(String::as_str).collect();
            v.additional = a.additional_properties.as_ref();
            v.items = a.items.as_ref().map(sref_boxed);
            v.items_missing = v.ty == Some("array") && a.items.is_none();
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
                v.ty = Some("object");
            }
        }
    }
    v
}

/// Joins a title and a description into documentation.
fn doc_of(title: Option<&str>, description: Option<&str>) -> Option<String> {
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    match (title, description) {
        (Some(t), Some(d)) if !d.starts_with(t) => Some(format!("{t}\n\n{d}")),
        (_, Some(d)) => Some(d.to_string()),
        (Some(t), None) => Some(t.to_string()),
        (None, None) => None,
    }
}

impl<'a> Lowerer<'a> {
    fn warn(&mut self, at: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            location: self.loaded.locate(at),
            message: message.into(),
        });
    }

    fn lower_info(&mut self) {
        let openapi = &self.loaded.openapi;
        self.api.title = openapi.info.title.clone();
        self.api.version = openapi.info.version.clone();
        self.api.description = openapi.info.description.clone();
        let mut scope = Scope::new();
        for server in &openapi.servers {
            let mut url = server.url.clone();
            if let Some(variables) = &server.variables {
                for (name, variable) in variables {
                    url = url.replace(&format!("{{{name}}}"), &variable.default);
                }
            }
            let url = url.trim_end_matches('/').to_string();
            let name = names::server_name(&url, server.description.as_deref());
            let name = scope.claim(&name);
            self.api.servers.push(Server {
                url,
                description: server.description.clone(),
                name,
            });
        }
        self.api.auth = self.lower_auth();
        self.api.tags = openapi
            .tags
            .iter()
            .map(|t| (t.name.clone(), t.description.clone()))
            .collect();
    }

    /// The first security requirement whose scheme the runtime can send decides the client's auth.
    fn lower_auth(&mut self) -> Auth {
        let openapi = &self.loaded.openapi;
        let Some(components) = &openapi.components else {
            return Auth::None;
        };
        let requirements: Vec<&String> = openapi
            .security
            .iter()
            .flatten()
            .flat_map(|req| req.keys())
            .chain(components.security_schemes.keys())
            .collect();
        for name in requirements {
            let Some(scheme) = components.security_schemes.get(name) else {
                continue;
            };
            let scheme = match scheme {
                ReferenceOr::Item(s) => s.clone(),
                ReferenceOr::Reference { reference } => {
                    match self.resolve::<openapiv3::SecurityScheme>(reference) {
                        Some(s) => s,
                        None => continue,
                    }
                }
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            return match scheme {
                S::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => Auth::Basic,
                S::HTTP { .. } | S::OAuth2 { .. } | S::OpenIDConnect { .. } => Auth::Bearer,
                S::APIKey {
                    location: APIKeyLocation::Header,
                    name,
                    ..
                } => Auth::Header(name),
                S::APIKey {
                    location: APIKeyLocation::Query,
                    name,
                    ..
                } => Auth::Query(name),
                S::APIKey {
                    location: APIKeyLocation::Cookie,
                    ..
                } => continue,
            };
        }
        Auth::None
    }

    /// Deserialises what a local reference points at.
    fn resolve<T: serde::de::DeserializeOwned>(&self, reference: &str) -> Option<T> {
        let value = follow_ref_chain(&self.loaded.doc, reference).ok()?;
        serde_json::from_value(value.clone()).ok()
    }

    fn new_type(&mut self, name_hint: &str, origin: &str, doc: Option<String>) -> TypeId {
        let name = self.type_scope.claim(&names::type_name(name_hint));
        let id = TypeId(self.api.types.len());
        self.api.types.push(TypeDef {
            name,
            origin: origin.to_string(),
            doc,
            kind: TypeKind::Alias(Ty::Json),
        });
        id
    }

    fn lower_components(&mut self) {
        let Some(components) = &self.loaded.openapi.components else {
            return;
        };
        // Claim every component's name before any inline schema is hoisted, so that the names the
        // description gives always win.
        for (key, schema) in &components.schemas {
            let origin = pointer("#/components/schemas", &[key]);
            let doc = match schema {
                ReferenceOr::Item(s) => doc_of(
                    s.schema_data.title.as_deref(),
                    s.schema_data.description.as_deref(),
                ),
                ReferenceOr::Reference { .. } => None,
            };
            let id = self.new_type(key, &origin, doc);
            self.components.insert(key.clone(), id);
        }
        for (key, schema) in &components.schemas {
            let id = self.components[key];
            let origin = pointer("#/components/schemas", &[key]);
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

    fn example(&mut self, origin: &str, key: &str, value: &Value, ty: Ty) {
        let ty = match ty {
            Ty::Option(inner) if !value.is_null() => *inner,
            other => other,
        };
        self.api.examples.push(Example {
            origin: pointer(origin, &[key]),
            value: value.clone(),
            ty,
        });
    }

    /// The type of a value described by `schema` at `at`; `hint` names hoisted types.
    fn lower_ty(&mut self, schema: SchemaRef<'_>, at: &str, hint: &str, depth: usize) -> Ty {
        match schema {
            SchemaRef::Ref(reference) => self.lower_ref(reference, at, hint, depth),
            SchemaRef::Item(schema) => self.lower_inline(schema, at, hint, depth),
        }
    }

    fn lower_ref(&mut self, reference: &str, at: &str, hint: &str, depth: usize) -> Ty {
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
        match self.resolve::<Schema>(reference) {
            Some(schema) => self.lower_inline(&schema, reference, hint, depth + 1),
            None => {
                self.warn(
                    at,
                    format!("`$ref: {reference}` does not point at a schema; using a JSON value"),
                );
                Ty::Json
            }
        }
    }

    fn lower_inline(&mut self, schema: &Schema, at: &str, hint: &str, depth: usize) -> Ty {
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

    fn lower_inline_non_null(&mut self, schema: &Schema, at: &str, hint: &str, depth: usize) -> Ty {
        let v = view(schema);
        // A wrapper around one schema (`allOf: [$ref]`, often there only to add `nullable` or a
        // description) is that schema.
        let single = match (&v.all_of[..], &v.one_of[..], &v.any_of[..]) {
            ([only], [], []) | ([], [only], []) | ([], [], [only]) if v.properties.is_empty() => {
                Some(only)
            }
            _ => None,
        };
        if let Some(only) = single {
            let child = *only;
            let sub = if v.all_of.len() == 1 {
                "allOf"
            } else if v.one_of.len() == 1 {
                "oneOf"
            } else {
                "anyOf"
            };
            return self.lower_ty(child, &pointer(at, &[sub, "0"]), hint, depth + 1);
        }
        if self.needs_named_type(&v) {
            if let Some(id) = self.hoisted.get(at) {
                return Ty::Named(*id);
            }
            let doc = doc_of(
                schema.schema_data.title.as_deref(),
                schema.schema_data.description.as_deref(),
            );
            let id = self.new_type(hint, at, doc);
            self.hoisted.insert(at.to_string(), id);
            let name = self.api.types[id.0].name.clone();
            let kind = self.lower_kind(schema, at, &name, depth);
            self.api.types[id.0].kind = kind;
            return Ty::Named(id);
        }
        self.lower_plain(&v, at, hint, depth)
    }

    fn needs_named_type(&self, v: &View<'_>) -> bool {
        !v.properties.is_empty()
            || v.one_of.len() > 1
            || v.any_of.len() > 1
            || v.all_of.len() > 1
            || (!v.all_of.is_empty() && !v.properties.is_empty())
            || (v.ty == Some("string") && v.enum_values.iter().any(Value::is_string))
    }

    /// Types that need no name of their own: scalars, lists, maps and free-form values.
    fn lower_plain(&mut self, v: &View<'_>, at: &str, hint: &str, depth: usize) -> Ty {
        match v.ty {
            // Inside JSON, even `format: binary` travels as a string.
            Some("string") => Ty::String,
            Some("integer") => match v.format.as_deref() {
                Some("int32") => Ty::I32,
                // `int64`, but also `date-time`, `timestamp` and `unix-time` on integers: the value is
                // a number of seconds, which i64 holds.
                _ => Ty::I64,
            },
            Some("number") => Ty::F64,
            Some("boolean") => Ty::Bool,
            Some("array") => match &v.items {
                Some(items) => {
                    let items = *items;
                    Ty::Vec(Box::new(self.lower_ty(
                        items,
                        &pointer(at, &["items"]),
                        &format!("{hint} item"),
                        depth + 1,
                    )))
                }
                None => {
                    self.warn(
                        at,
                        "an array without `items`: its items are decoded as JSON values",
                    );
                    Ty::Vec(Box::new(Ty::Json))
                }
            },
            Some("object") | None => match v.additional {
                Some(AdditionalProperties::Schema(schema)) => {
                    let value = self.lower_ty(
                        sref(schema),
                        &pointer(at, &["additionalProperties"]),
                        &format!("{hint} value"),
                        depth + 1,
                    );
                    Ty::Map(Box::new(value))
                }
                _ => Ty::Json,
            },
            Some(other) => {
                self.warn(at, format!("unknown type `{other}`; using a JSON value"));
                Ty::Json
            }
        }
    }

    /// The kind of a named type.
    fn lower_kind(&mut self, schema: &Schema, at: &str, name: &str, depth: usize) -> TypeKind {
        let v = view(schema);
        if v.ty == Some("string") && v.enum_values.iter().any(Value::is_string) {
            let values: Vec<String> = v
                .enum_values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            return TypeKind::StringEnum(string_enum(values));
        }
        if !v.all_of.is_empty() && (v.all_of.len() > 1 || !v.properties.is_empty()) {
            return self.lower_all_of(&v, at, name, depth);
        }
        if v.one_of.len() > 1 || v.any_of.len() > 1 {
            let (key, alternatives) = if v.one_of.len() > 1 {
                ("oneOf", &v.one_of)
            } else {
                ("anyOf", &v.any_of)
            };
            return self.lower_union(schema, key, alternatives, at, name, depth);
        }
        if !v.properties.is_empty() {
            return TypeKind::Struct(self.lower_struct(&v, at, name, depth, &[]));
        }
        let ty = self.lower_inline(schema, at, name, depth + 1);
        TypeKind::Alias(ty)
    }

    fn lower_struct(
        &mut self,
        v: &View<'_>,
        at: &str,
        name: &str,
        depth: usize,
        all_of_required: &[&str],
    ) -> Struct {
        let mut out = Struct::default();
        let mut scope = Scope::new();
        for (wire, schema) in &v.properties {
            let origin = pointer(at, &["properties", wire]);
            let (doc, example) = match schema {
                SchemaRef::Item(s) => (
                    doc_of(
                        s.schema_data.title.as_deref(),
                        s.schema_data.description.as_deref(),
                    ),
                    s.schema_data.example.clone(),
                ),
                SchemaRef::Ref(_) => (None, None),
            };
            let child = *schema;
            let ty = self.lower_ty(child, &origin, &format!("{name} {wire}"), depth + 1);
            let required = v.required.contains(wire);
            if let Some(example) = example {
                self.example(&origin, "example", &example, ty.clone());
            }
            let ty = if required { ty } else { ty.optional() };
            out.fields.push(Field {
                wire: wire.to_string(),
                name: scope.claim(&names::field_name(wire)),
                ty,
                required,
                doc,
                origin,
            });
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
                &pointer(at, &["additionalProperties"]),
                &format!("{name} value"),
                depth + 1,
            );
            out.additional = Some(ty);
        }
        out
    }

    /// `allOf` with several parts: one struct holding the properties of every part.
    fn lower_all_of(&mut self, v: &View<'_>, at: &str, name: &str, depth: usize) -> TypeKind {
        let mut merged = Struct::default();
        let mut scope = Scope::new();
        // `required` applies to the merged object: a part may require a property another declares.
        let mut required: Vec<&str> = v.required.clone();
        for part in &v.all_of {
            if let SchemaRef::Item(s) = part {
                required.extend(view(s).required);
            }
        }
        for (i, part) in v.all_of.iter().enumerate() {
            let part_at = pointer(at, &["allOf", &i.to_string()]);
            match part {
                SchemaRef::Ref(r) => {
                    let ty = self.lower_ref(r, &part_at, &format!("{name} part {i}"), depth + 1);
                    // Warnings name the part, not the schema it refers to.
                    self.merge_part(&mut merged, &mut scope, &ty, &part_at, depth);
                }
                // An inline object part adds its properties directly, without a type of its own.
                SchemaRef::Item(s)
                    if view(s).all_of.is_empty() && !view(s).properties.is_empty() =>
                {
                    let part = self.lower_struct(&view(s), &part_at, name, depth + 1, &required);
                    self.merge_struct(&mut merged, &mut scope, part);
                }
                SchemaRef::Item(s) => {
                    let ty = self.lower_inline(s, &part_at, &format!("{name} part {i}"), depth + 1);
                    self.merge_part(&mut merged, &mut scope, &ty, &part_at, depth);
                }
            }
        }
        if !v.properties.is_empty() {
            let own = self.lower_struct(v, at, name, depth, &required);
            self.merge_struct(&mut merged, &mut scope, own);
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
        for name in &required {
            if !merged.fields.iter().any(|f| f.wire == *name) {
                self.warn(
                    at,
                    format!("`{name}` is listed in `required` but no part declares it; ignored"),
                );
            }
        }
        TypeKind::Struct(merged)
    }

    /// Whether the property schema at `origin` says `nullable: true` (through `allOf` wrappers).
    fn is_nullable_at(&self, origin: &str) -> bool {
        let Some(schema) = self.loaded.get(origin) else {
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

    fn merge_part(
        &mut self,
        merged: &mut Struct,
        scope: &mut Scope,
        ty: &Ty,
        at: &str,
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
            TypeKind::Struct(s) => self.merge_struct(merged, scope, s),
            TypeKind::Alias(alias) if depth < MAX_DEPTH => {
                self.merge_part(merged, scope, &alias, at, depth + 1)
            }
            _ => self.warn(at, "an `allOf` part that is not an object is ignored"),
        }
    }

    fn merge_struct(&mut self, merged: &mut Struct, scope: &mut Scope, part: Struct) {
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

    fn lower_union(
        &mut self,
        schema: &Schema,
        key: &str,
        alternatives: &[SchemaRef<'_>],
        at: &str,
        name: &str,
        depth: usize,
    ) -> TypeKind {
        let mut union = Union::default();
        let mut scope = Scope::new();
        let mut refs: Vec<Option<String>> = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            let alt_at = pointer(at, &[key, &i.to_string()]);
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
                self.warn(at, "a discriminator without usable values; decoding tries each alternative in turn");
            } else {
                union.discriminator = Some(Discriminator {
                    property: discriminator.property_name.clone(),
                    mapping,
                });
            }
        }
        TypeKind::Union(union)
    }

    fn lower_operations(&mut self) {
        let openapi = self.loaded.openapi.clone();
        // The methods `Client` has already: the runtime's, the constructors and `clone`.
        let mut fn_scope = Scope::with_taken(names::client_methods());
        let mut builder_scope = Scope::with_taken(names::OPERATION_SCOPE_RESERVED.iter().copied());
        for (path, item) in &openapi.paths.paths {
            let path_at = pointer("#/paths", &[path]);
            let item = match item {
                ReferenceOr::Item(item) => item.clone(),
                ReferenceOr::Reference { reference } => match self
                    .resolve::<openapiv3::PathItem>(reference)
                {
                    Some(item) => item,
                    None => {
                        self.warn(
                            &path_at,
                            format!("`$ref: {reference}` is not a path item; the path is skipped"),
                        );
                        continue;
                    }
                },
            };
            let methods = [
                (Method::Get, "get", &item.get),
                (Method::Put, "put", &item.put),
                (Method::Post, "post", &item.post),
                (Method::Delete, "delete", &item.delete),
                (Method::Options, "options", &item.options),
                (Method::Head, "head", &item.head),
                (Method::Patch, "patch", &item.patch),
                (Method::Trace, "trace", &item.trace),
            ];
            for (method, key, operation) in methods {
                let Some(operation) = operation else { continue };
                let at = pointer(&path_at, &[key]);
                let op = self.lower_operation(
                    method,
                    path,
                    &item.parameters,
                    operation,
                    &at,
                    &mut fn_scope,
                    &mut builder_scope,
                );
                self.api.operations.push(op);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        method: Method,
        path: &str,
        shared_params: &[ReferenceOr<openapiv3::Parameter>],
        operation: &openapiv3::Operation,
        at: &str,
        fn_scope: &mut Scope,
        builder_scope: &mut Scope,
    ) -> Operation {
        let id = match &operation.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => {
                let derived = names::derived_operation_id(method.as_str(), path);
                self.warn(at, format!("no `operationId`; the operation is named `{derived}` after its method and path"));
                derived
            }
        };
        let wanted_fn = names::field_name(&id);
        if fn_scope.is_taken(&wanted_fn) {
            self.warn(at, format!("operationId `{id}` gives the name `{wanted_fn}`, which is already taken; a suffix is added"));
        }
        let fn_name = fn_scope.claim(&wanted_fn);
        let builder = builder_scope.claim(&names::type_name(&fn_name));
        let mut op = Operation {
            id: id.clone(),
            fn_name: fn_name.clone(),
            builder,
            method,
            path: path.to_string(),
            path_parts: Vec::new(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            tags: operation.tags.clone(),
            deprecated: operation.deprecated,
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            origin: at.to_string(),
            pagination_spec: ["x-pagination", "x-fern-pagination"]
                .iter()
                .find_map(|key| {
                    operation
                        .extensions
                        .get(*key)
                        .map(|v| (v.clone(), pointer(at, &[key])))
                }),
            pagination: None,
        };
        self.lower_params(&mut op, shared_params, &operation.parameters, at);
        self.lower_path(&mut op, at);
        if let Some(body) = &operation.request_body {
            op.body = self.lower_body(body, &pointer(at, &["requestBody"]), &fn_name);
        }
        self.lower_responses(
            &mut op,
            &operation.responses,
            &pointer(at, &["responses"]),
            &fn_name,
        );
        op
    }

    fn lower_params(
        &mut self,
        op: &mut Operation,
        shared: &[ReferenceOr<openapiv3::Parameter>],
        own: &[ReferenceOr<openapiv3::Parameter>],
        at: &str,
    ) {
        use openapiv3::Parameter as P;
        let path_at = at
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        let mut collected: IndexMap<(String, &'static str), (openapiv3::Parameter, String)> =
            IndexMap::new();
        for (list, base) in [
            (shared, pointer(&path_at, &["parameters"])),
            (own, pointer(at, &["parameters"])),
        ] {
            for (i, param) in list.iter().enumerate() {
                let param_at = pointer(&base, &[&i.to_string()]);
                let param = match param {
                    ReferenceOr::Item(p) => p.clone(),
                    ReferenceOr::Reference { reference } => {
                        match self.resolve::<openapiv3::Parameter>(reference) {
                            Some(p) => p,
                            None => {
                                self.warn(
                                    &param_at,
                                    format!("`$ref: {reference}` is not a parameter; skipped"),
                                );
                                continue;
                            }
                        }
                    }
                };
                let location = match &param {
                    P::Path { .. } => "path",
                    P::Query { .. } => "query",
                    P::Header { .. } => "header",
                    P::Cookie { .. } => "cookie",
                };
                let key = (param.parameter_data_ref().name.clone(), location);
                // An operation's own parameter replaces a path-level one of the same name and place.
                collected.insert(key, (param, param_at));
            }
        }
        let mut scope = Scope::with_taken(names::builder_reserved());
        for ((wire, _), (param, param_at)) in collected {
            let (location, explode) = match &param {
                P::Path { .. } => (ParamLocation::Path, false),
                P::Query { style, .. } => (
                    ParamLocation::Query,
                    !matches!(
                        style,
                        openapiv3::QueryStyle::SpaceDelimited
                            | openapiv3::QueryStyle::PipeDelimited
                    ),
                ),
                P::Header { .. } => (ParamLocation::Header, false),
                P::Cookie { .. } => {
                    self.warn(
                        &param_at,
                        format!("cookie parameter `{wire}` is not sent by the generated client"),
                    );
                    continue;
                }
            };
            let data = param.parameter_data_ref();
            let explode = data.explode.unwrap_or(explode);
            let hint = format!("{} {}", op.fn_name, wire);
            let mut doc = data.description.clone();
            let (ty, default) = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(schema) => {
                    let resolved = match schema {
                        ReferenceOr::Item(s) => Some(s.clone()),
                        ReferenceOr::Reference { reference } => self.resolve::<Schema>(reference),
                    };
                    let default = resolved
                        .as_ref()
                        .and_then(|s| s.schema_data.default.clone());
                    if doc.is_none() {
                        doc = resolved.and_then(|s| s.schema_data.description);
                    }
                    let ty =
                        self.lower_ty(sref(schema), &pointer(&param_at, &["schema"]), &hint, 0);
                    (ty, default)
                }
                openapiv3::ParameterSchemaOrContent::Content(content) => {
                    let ty = content
                        .iter()
                        .next()
                        .and_then(|(_, media)| media.schema.as_ref())
                        .map(|s| {
                            self.lower_ty(sref(s), &pointer(&param_at, &["content"]), &hint, 0)
                        })
                        .unwrap_or(Ty::String);
                    (ty, None)
                }
            };
            let ty = match ty {
                Ty::Option(inner) => *inner,
                other => other,
            };
            let required = data.required || location == ParamLocation::Path;
            let default = match default {
                Some(Value::String(s)) if location == ParamLocation::Header => Some(s),
                Some(Value::Number(n)) if location == ParamLocation::Header => Some(n.to_string()),
                Some(Value::Bool(b)) if location == ParamLocation::Header => Some(b.to_string()),
                _ => None,
            };
            op.params.push(Param {
                name: scope.claim(&names::field_name(&wire)),
                wire,
                location,
                required,
                ty,
                doc,
                default,
                explode,
            });
        }
    }

    fn lower_path(&mut self, op: &mut Operation, at: &str) {
        // The parameter names the template uses, in order.
        let mut in_template = Vec::new();
        let mut rest = op.path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            in_template.push(rest[open + 1..close].to_string());
            rest = &rest[close + 1..];
        }
        let unused: Vec<String> = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path && !in_template.contains(&p.wire))
            .map(|p| p.wire.clone())
            .collect();
        for name in unused {
            self.warn(
                at,
                format!("path parameter `{name}` does not appear in the path; it is not sent"),
            );
            op.params
                .retain(|p| p.location != ParamLocation::Path || p.wire != name);
        }
        let mut parts = Vec::new();
        let mut rest = op.path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_string()));
            }
            let name = &rest[open + 1..close];
            let index = match op
                .params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire == name)
            {
                Some(i) => i,
                None => {
                    self.warn(at, format!("path parameter `{name}` is not declared; it is taken as a required string"));
                    let taken: Vec<String> = op.params.iter().map(|p| p.name.clone()).collect();
                    let mut scope = Scope::with_taken(
                        taken
                            .iter()
                            .map(String::as_str)
                            .chain(names::builder_reserved()),
                    );
                    op.params.push(Param {
                        wire: name.to_string(),
                        name: scope.claim(&names::field_name(name)),
                        location: ParamLocation::Path,
                        required: true,
                        ty: Ty::String,
                        doc: None,
                        default: None,
                        explode: false,
                    });
                    op.params.len() - 1
                }
            };
            parts.push(PathPart::Param(index));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        op.path_parts = parts;
    }

    fn lower_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        at: &str,
        fn_name: &str,
    ) -> Option<Body> {
        let body = match body {
            ReferenceOr::Item(b) => b.clone(),
            ReferenceOr::Reference { reference } => {
                match self.resolve::<openapiv3::RequestBody>(reference) {
                    Some(b) => b,
                    None => {
                        self.warn(
                            at,
                            format!("`$ref: {reference}` is not a request body; no body is sent"),
                        );
                        return None;
                    }
                }
            }
        };
        let (content_type, media) = pick_media(&body.content)?;
        let kind = media_kind(content_type);
        let media_at = pointer(at, &["content", content_type]);
        let ty = match &media.schema {
            Some(schema) => self.lower_ty(
                sref(schema),
                &pointer(&media_at, &["schema"]),
                &format!("{fn_name} request"),
                0,
            ),
            None => default_media_ty(kind),
        };
        let ty = match (kind, ty) {
            (MediaKind::Text, _) => Ty::String,
            (MediaKind::Bytes, _) => Ty::Bytes,
            (_, Ty::Option(inner)) => *inner,
            (_, ty) => ty,
        };
        // A request body the description does not require may be left out: an example without a
        // value shows just that, and is no defect.
        self.media_examples(media, &media_at, kind, &ty, !body.required);
        // Many descriptions (Intercom's among them) never mark bodies `required`, though no request
        // can do without one whose schema requires properties: such a body is taken as required.
        let required = body.required || self.requires_properties(&ty);
        Some(Body {
            content_type: content_type.to_string(),
            kind,
            ty,
            required,
            doc: body.description.clone(),
        })
    }

    fn media_examples(
        &mut self,
        media: &openapiv3::MediaType,
        at: &str,
        kind: MediaKind,
        ty: &Ty,
        may_be_absent: bool,
    ) {
        if kind != MediaKind::Json {
            return;
        }
        if let Some(example) = &media.example {
            self.example(at, "example", example, ty.clone());
        }
        for (name, example) in &media.examples {
            let example = match example {
                ReferenceOr::Item(e) => e.clone(),
                ReferenceOr::Reference { reference } => {
                    match self.resolve::<openapiv3::Example>(reference) {
                        Some(e) => e,
                        None => continue,
                    }
                }
            };
            if let Some(value) = &example.value {
                let origin = pointer(at, &["examples", name]);
                self.api.examples.push(Example {
                    origin: pointer(&origin, &["value"]),
                    value: value.clone(),
                    ty: ty.clone(),
                });
            } else if example.external_value.is_none() && !may_be_absent {
                // `value:` left empty reads as null: an example of no body at all, where the
                // description requires one.
                let origin = pointer(at, &["examples", name]);
                self.api.examples.push(Example {
                    origin: pointer(&origin, &["value"]),
                    value: Value::Null,
                    ty: ty.clone(),
                });
            }
        }
    }

    fn requires_properties(&self, ty: &Ty) -> bool {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            match ty {
                Ty::Named(id) => match &self.api.types[id.0].kind {
                    TypeKind::Struct(s) => return s.fields.iter().any(|f| f.required),
                    TypeKind::Alias(inner) => ty = inner,
                    TypeKind::Union(_) => return true,
                    TypeKind::StringEnum(_) => return false,
                },
                _ => return false,
            }
        }
        false
    }

    fn lower_responses(
        &mut self,
        op: &mut Operation,
        responses: &openapiv3::Responses,
        at: &str,
        fn_name: &str,
    ) {
        let mut entries: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = Vec::new();
        for (code, response) in &responses.responses {
            let (status, key) = match code {
                openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                openapiv3::StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            entries.push((status, key, response));
        }
        if let Some(default) = &responses.default {
            entries.push((StatusMatch::Default, "default".to_string(), default));
        }
        for (status, key, response) in entries {
            let response_at = pointer(at, &[&key]);
            let response = match response {
                ReferenceOr::Item(r) => r.clone(),
                ReferenceOr::Reference { reference } => {
                    match self.resolve::<openapiv3::Response>(reference) {
                        Some(r) => r,
                        None => {
                            self.warn(
                                &response_at,
                                format!("`$ref: {reference}` is not a response; ignored"),
                            );
                            continue;
                        }
                    }
                }
            };
            let hint = if status.is_success() {
                format!("{fn_name} response")
            } else {
                format!("{fn_name} error")
            };
            let body = pick_media(&response.content).map(|(content_type, media)| {
                let kind = media_kind(content_type);
                let media_at = pointer(&response_at, &["content", content_type]);
                let ty = match &media.schema {
                    Some(schema) if kind == MediaKind::Json => {
                        self.lower_ty(sref(schema), &pointer(&media_at, &["schema"]), &hint, 0)
                    }
                    _ => default_media_ty(kind),
                };
                let ty = match (kind, ty) {
                    (MediaKind::Text, _) => Ty::String,
                    (MediaKind::Bytes | MediaKind::Multipart | MediaKind::Form, _) => Ty::Bytes,
                    (_, ty) => ty,
                };
                self.media_examples(media, &media_at, kind, &ty, false);
                (content_type.to_string(), kind, ty)
            });
            let doc = Some(response.description.clone()).filter(|d| !d.trim().is_empty());
            op.responses.push(Response { status, body, doc });
        }
    }
}

fn default_media_ty(kind: MediaKind) -> Ty {
    match kind {
        MediaKind::Json | MediaKind::Form | MediaKind::Multipart => Ty::Json,
        MediaKind::Text => Ty::String,
        MediaKind::Bytes => Ty::Bytes,
    }
}

/// How a media type is encoded.
fn media_kind(content_type: &str) -> MediaKind {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || essence.ends_with("+json")
        || essence == "*/*"
        || essence == "application/*"
    {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence.starts_with("multipart/") {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Bytes
    }
}

/// The media type the client uses when several are offered: JSON first, then forms, text, bytes.
fn pick_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    content
        .iter()
        .min_by_key(|(k, _)| media_kind(k))
        .map(|(k, v)| (k.as_str(), v))
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
