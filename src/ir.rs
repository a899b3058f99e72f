//! The generator's own model of an API. `lower` builds it from the description; passes refine it;
//! `emit` reads it. Nothing here knows about `openapiv3` or `$ref`s: every type a schema needs is a
//! [`TypeDef`] reached through a [`TypeId`], and every name is already a valid, unique Rust
//! identifier once the naming pass has run.

use crate::pointer::Pointer;

mod constraints;
#[cfg(test)]
pub(crate) mod fixtures;
mod pagination;
mod streaming;
pub use constraints::*;
pub use pagination::*;
pub use streaming::*;

/// A whole API.
#[derive(Clone, Debug, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.license`, `info.contact` and `externalDocs`: what the generated crate's manifest and
    /// README take from the description.
    pub about: About,
    /// The servers, in document order; the first is the default.
    pub servers: Vec<Server>,
    /// How requests authenticate, from the description's security requirements.
    pub auth: Auth,
    /// Every named type, indexed by [`TypeId`].
    pub types: Vec<TypeDef>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// Every example the description carries, to be decoded by a generated test.
    pub examples: Vec<Example>,
    /// The description's tags, in document order: (name, description).
    pub tags: Vec<(String, Option<String>)>,
    /// The groups operations are reached through (`client.contacts()`), parents before their
    /// children, indexed by [`GroupId`]; made by the `groups` pass.
    pub groups: Vec<Group>,
    /// The description's common error body: the JSON error type that most operations with a
    /// documented error body share. It decodes the error statuses an operation does not document.
    pub common_error: Option<Ty>,
    /// The constraints of every property schema that states some (beyond its type), by the
    /// property's pointer ([`Field::origin`]), and of its items at `origin/items`.
    pub constraints: std::collections::BTreeMap<Pointer, Constraints>,
    /// The JSON response bodies the description gives no example of, by their schema's pointer, with
    /// their type: a validating mock sends the value it builds from the schema
    /// (`lower::mock_value`), which the check of examples decodes into the type.
    pub mock_samples: Vec<(Pointer, Ty)>,
}

impl Api {
    /// The type `ty` names, looking through boxes and aliases: the one walk through aliases, at
    /// most [`crate::limits::MAX_REF_DEPTH`] of them (a longer chain names nothing). `None` when
    /// `ty` names no type (a primitive, a list, a map, an option).
    pub fn definition_behind(&self, ty: &Ty) -> Option<&TypeDef> {
        fn named(ty: &Ty) -> Option<TypeId> {
            match ty {
                Ty::Box(inner) => named(inner),
                Ty::Named(id) => Some(*id),
                _ => None,
            }
        }
        let mut id = named(ty)?;
        for _ in 0..crate::limits::MAX_REF_DEPTH {
            let def = self.types.get(id.0)?;
            match &def.kind {
                TypeKind::Alias(inner) => id = named(inner)?,
                _ => return Some(def),
            }
        }
        None
    }

    /// The group at the top of `group`'s chain of parents: the resource it belongs to.
    pub fn resource_of(&self, group: GroupId) -> GroupId {
        let mut id = group;
        for _ in 0..self.groups.len() {
            match self.groups[id.0].parent {
                Some(parent) => id = parent,
                None => break,
            }
        }
        id
    }
}

/// What a description says about the API as something published: its licence, its contact and
/// its documentation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct About {
    /// `info.license.name`, as written.
    pub license: Option<String>,
    /// `info.contact.name`.
    pub contact_name: Option<String>,
    /// `info.contact.url`.
    pub contact_url: Option<String>,
    /// `info.contact.email`.
    pub contact_email: Option<String>,
    /// `externalDocs.url`.
    pub docs_url: Option<String>,
}

/// An index into [`Api::groups`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(pub usize);

/// A group of operations: a type borrowing the client, reached through an accessor on the client
/// or on its parent group (`client.ticket_types().attributes()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The accessor's name on the parent (snake_case), unique among the parent's methods.
    pub accessor: String,
    /// The type's name (UpperCamelCase), unique in the `operations` module.
    pub type_name: String,
    /// The parent group; `None` for a group reached from the client.
    pub parent: Option<GroupId>,
    /// The heading of its docs: the tag most of its operations have first, else its name as
    /// written.
    pub title: String,
    /// That tag's description.
    pub doc: Option<String>,
}

/// Where an operation's method is, and the names the description gives for it
/// (`x-fern-sdk-group-name`, `x-fern-sdk-method-name`). The `groups` pass places every operation
/// as if operations were grouped; [`crate::passes::settle_placement`] then settles where it is
/// under the configuration's grouping, which is all that emission reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    /// `x-fern-sdk-group-name`, as written: the groups from the outermost in.
    pub sdk_group: Option<Vec<String>>,
    /// `x-fern-sdk-method-name`, as written.
    pub sdk_method: Option<String>,
    /// The group the method is on; `None` for a method on the client itself.
    pub group: Option<GroupId>,
    /// The method's name on its group (or on the client), unique there.
    pub method: String,
    /// The resource (the top-level group) whose cargo feature compiles the operation, also when
    /// its method is on the client; `None` for an operation that belongs to none.
    pub resource: Option<GroupId>,
}

/// One entry of `servers`.
#[derive(Clone, Debug)]
pub struct Server {
    /// The URL, with any `{variables}` replaced by their defaults.
    pub url: String,
    /// The server's description.
    pub description: Option<String>,
    /// The variant name in the generated `Server` enum.
    pub name: String,
}

/// The authentication a client is built with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// No security scheme.
    #[default]
    None,
    /// `Authorization: Bearer <token>` (an `http` `bearer` scheme, or `oauth2`/`openIdConnect`).
    Bearer,
    /// `Authorization: Basic …` (an `http` `basic` scheme).
    Basic,
    /// An API key in the named header.
    Header(String),
    /// An API key in the named query parameter.
    Query(String),
}

/// An index into [`Api::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The type of a value, as it appears in a field, parameter, body or response.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// Raw bytes (`format: binary` bodies).
    Bytes,
    /// A file sent as one part of a multipart body (a `format: binary` property there): its
    /// bytes, file name and content type, `runtime::FilePart`.
    File,
    /// Any JSON value.
    Json,
    /// A named type.
    Named(TypeId),
    /// A list.
    Vec(Box<Ty>),
    /// A map with string keys.
    Map(Box<Ty>),
    /// A value that may be absent or null.
    Option(Box<Ty>),
    /// A heap indirection, closing a cycle of named types.
    Box(Box<Ty>),
}

impl Ty {
    /// Whether the type is or holds a named type.
    pub fn holds_a_named_type(&self) -> bool {
        match self {
            Ty::Named(_) => true,
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Box(inner) => {
                inner.holds_a_named_type()
            }
            Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::F64
            | Ty::String
            | Ty::Bytes
            | Ty::File
            | Ty::Json => false,
        }
    }

    /// Wraps in `Option`, unless already optional.
    pub fn optional(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }

    /// Whether the type is `Option<…>`.
    pub fn is_option(&self) -> bool {
        matches!(self, Ty::Option(_))
    }
}

/// A named type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// The Rust name, unique in the crate.
    pub name: String,
    /// The JSON pointer of the schema it comes from.
    pub origin: Pointer,
    /// The schema's title and description.
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// The kinds of named types.
#[derive(Clone, Debug)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string with a closed list of values (plus a variant keeping unknown ones).
    StringEnum(StringEnum),
    /// One of several types.
    Union(Union),
    /// Another name for a type.
    Alias(Ty),
}

/// An object with known properties.
#[derive(Clone, Debug, Default)]
pub struct Struct {
    /// The properties, in document order.
    pub fields: Vec<Field>,
    /// The type of the values of properties not listed, where `additionalProperties` gives one.
    pub additional: Option<Ty>,
    /// The shapes an object may take, where `anyOf`/`oneOf` alternatives only constrain the
    /// properties (`required: [email]`) rather than add any: they are folded into this struct
    /// and kept here for its documentation and its constructors.
    pub shapes: Option<Shapes>,
}

impl Struct {
    /// The struct a [`Field::flatten`] field embeds, if one does (through aliases and boxes).
    pub fn base<'a>(&self, api: &'a Api) -> Option<(&Field, &'a Struct)> {
        let field = self.fields.iter().find(|f| f.flatten)?;
        struct_behind(api, &field.ty).map(|s| (field, s))
    }

    /// Every property on the wire, in order, with the fields of an embedded base struct in its
    /// place: (the path of Rust field names through embedded structs, the field).
    pub fn wire_fields<'a>(&'a self, api: &'a Api) -> Vec<(Vec<&'a str>, &'a Field)> {
        fn walk<'a>(s: &'a Struct, api: &'a Api, path: Vec<&'a str>, out: &mut WireFields<'a>) {
            for field in &s.fields {
                match struct_behind(api, &field.ty).filter(|_| field.flatten) {
                    Some(base) if path.len() < crate::limits::MAX_REF_DEPTH => {
                        let inner = [path.as_slice(), &[field.name.as_str()]].concat();
                        walk(base, api, inner, out);
                    }
                    _ => out.push((path.clone(), field)),
                }
            }
        }
        let mut out = Vec::new();
        walk(self, api, Vec::new(), &mut out);
        out
    }
}

/// What [`Struct::wire_fields`] gives.
type WireFields<'a> = Vec<(Vec<&'a str>, &'a Field)>;

/// The struct a type names, through aliases and boxes.
pub fn struct_behind<'a>(api: &'a Api, ty: &Ty) -> Option<&'a Struct> {
    match &api.definition_behind(ty)?.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// The shapes an object may take, each a set of properties it must then have.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shapes {
    /// `oneOf` (exactly one shape fits) rather than `anyOf` (at least one does).
    pub exactly_one: bool,
    /// The shapes, in document order.
    pub shapes: Vec<Shape>,
}

/// One shape of an object: the properties it requires.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The alternative's `title`.
    pub title: Option<String>,
    /// The wire names of the properties it requires.
    pub required: Vec<String>,
    /// The name of the constructor that builds this shape (`with_email`), when the struct can
    /// make one: each required property is a field, and the other fields have defaults.
    pub constructor: Option<String>,
}

/// One property of an object.
#[derive(Clone, Debug)]
pub struct Field {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: String,
    /// The type, `Option` for properties that are not required or are nullable.
    pub ty: Ty,
    /// Whether the description lists the property as required.
    pub required: bool,
    /// Whether the property's schema admits `null` (`nullable: true`, or `null` among the types
    /// of an OpenAPI 3.1 schema, which loading turns into `nullable`), directly or through the
    /// schema its `$ref` names. An optional nullable property tells "absent" and "null" apart
    /// (the runtime's `Nullable`); a required one is an `Option` written as `null` when `None`.
    pub nullable: bool,
    /// The schema's `default`, which fills in a required property that is not an argument of
    /// the struct's `new` when it is a value of the property's type.
    pub default: Option<serde_json::Value>,
    /// The property's description.
    pub doc: Option<String>,
    /// The pointer of the property's schema.
    pub origin: Pointer,
    /// Whether the field embeds a base struct whose properties sit beside this struct's own on
    /// the wire (`allOf: [$ref Base, {more}]`): `#[serde(flatten)]`, and `Deref` to it.
    pub flatten: bool,
}

/// A string enum.
#[derive(Clone, Debug, Default)]
pub struct StringEnum {
    /// The values with their variant names.
    pub variants: Vec<Variant>,
    /// The name of the variant keeping values the description does not list.
    pub unknown: String,
}

/// One value of a string enum.
#[derive(Clone, Debug)]
pub struct Variant {
    /// The value on the wire.
    pub value: String,
    /// The Rust name.
    pub name: String,
}

/// `oneOf` or `anyOf`.
#[derive(Clone, Debug, Default)]
pub struct Union {
    /// The alternatives, in the order decoding tries them.
    pub variants: Vec<UnionVariant>,
    /// The property whose value says which alternative an object is, if the description names one.
    pub discriminator: Option<Discriminator>,
}

/// One alternative of a union.
#[derive(Clone, Debug)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// Its type.
    pub ty: Ty,
}

/// A discriminator: the property, and which of its values selects which variant.
#[derive(Clone, Debug)]
pub struct Discriminator {
    /// The property's wire name.
    pub property: String,
    /// (value, index into [`Union::variants`]) pairs, in a stable order.
    pub mapping: Vec<(String, usize)>,
}

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// The method as reqwest names its constant.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// One operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// `operationId`, or a name made from the method and path.
    pub id: String,
    /// The method name on the client when operations are not grouped (snake_case), unique among
    /// the client's methods; request builders and hoisted types are named after it, and the
    /// grouped method names are made from it. Emission reads [`Operation::placement`] only.
    pub fn_name: String,
    /// Where the operation's method is, and its name there.
    pub placement: Placement,
    /// The request builder's type name (UpperCamelCase).
    pub builder: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template, as in the description.
    pub path: String,
    /// The path split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Path, query, header and cookie parameters.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// The documented responses.
    pub responses: Vec<Response>,
    /// The pointer of the operation.
    pub origin: Pointer,
    /// The pagination extension (`x-pagination` or `x-fern-pagination`), read; the
    /// `resolve_pagination` pass checks it against the types and turns it into
    /// [`Operation::pagination`].
    pub pagination_spec: Option<PaginationSpec>,
    /// How the operation pages through results, when it does.
    pub pagination: Option<Pagination>,
    /// Its streamed response, when it documents one (`lower::streaming`).
    pub streaming: Option<Streaming>,
}

impl Operation {
    /// The type of the body of the operation's one successful response with a body; `None` when
    /// no successful response, or more than one, has a body.
    pub fn only_success_body(&self) -> Option<&Ty> {
        let mut bodies = self
            .responses
            .iter()
            .filter(|r| r.status.is_success())
            .filter_map(|r| r.body.as_ref().map(|body| &body.ty));
        match (bodies.next(), bodies.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// How a parameter's value is laid out (OpenAPI's `style`), or sent as JSON text when the
/// parameter gives a `content` media type instead of a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form` (query, cookie).
    Form,
    /// `spaceDelimited` (query).
    SpaceDelimited,
    /// `pipeDelimited` (query).
    PipeDelimited,
    /// `deepObject` (query).
    DeepObject,
    /// `simple` (path, header).
    Simple,
    /// `label` (path).
    Label,
    /// `matrix` (path).
    Matrix,
    /// The value as JSON text (`content: {application/json: …}`).
    Json,
}

/// One parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether it must be given.
    pub required: bool,
    /// Its type (never `Option`: optionality is `required`).
    pub ty: Ty,
    /// Its description.
    pub doc: Option<String>,
    /// A default sent when the caller gives none (headers only), as text.
    pub default: Option<String>,
    /// Whether lists and objects are exploded (`explode`; by default true for `form` only).
    pub explode: bool,
    /// How the value is laid out.
    pub style: ParamStyle,
    /// `allowReserved`: a query value's reserved characters are sent as they are.
    pub allow_reserved: bool,
    /// The description's example value: the parameter's `example`, its first `examples` entry
    /// with a value, or its schema's `example`. Doc examples and the conformance harness send it.
    pub example: Option<serde_json::Value>,
    /// What its schema requires of a value beyond its type.
    pub constraints: Constraints,
}

/// How a body is encoded. Which kind the client prefers when several are offered is
/// `lower`'s `media_preference`, not this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else, as bytes.
    Bytes,
}

/// How one property of a form or multipart body is written: its `encoding` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct PartEncoding {
    /// The property's wire name.
    pub property: String,
    /// `contentType`: a multipart part's content type (the first one listed).
    pub content_type: Option<String>,
    /// `style` of a form property (`form` when not given).
    pub style: ParamStyle,
    /// `explode` of a form property, with OpenAPI's default for its style.
    pub explode: bool,
}

/// A request body.
#[derive(Clone, Debug)]
pub struct Body {
    /// The media type sent.
    pub content_type: String,
    /// How it is encoded.
    pub kind: MediaKind,
    /// Its type.
    pub ty: Ty,
    /// Whether the description requires it.
    pub required: bool,
    /// Its description.
    pub doc: Option<String>,
    /// The `encoding` entries of a form or multipart body, in document order.
    pub encodings: Vec<PartEncoding>,
}

/// Which statuses a response covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One code.
    Code(u16),
    /// A class: `2XX` is `Range(2)`.
    Range(u16),
    /// `default`.
    Default,
}

impl StatusMatch {
    /// Whether these statuses are successes.
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(c) => (200..300).contains(&c),
            StatusMatch::Range(r) => r == 2,
            StatusMatch::Default => false,
        }
    }
}

/// One documented response.
#[derive(Clone, Debug)]
pub struct Response {
    /// Its statuses.
    pub status: StatusMatch,
    /// Its body, if it has one.
    pub body: Option<ResponseBody>,
    /// Its description.
    pub doc: Option<String>,
}

/// The body of a response.
#[derive(Clone, Debug)]
pub struct ResponseBody {
    /// The media type received.
    pub content_type: String,
    /// How it is decoded.
    pub kind: MediaKind,
    /// Its type.
    pub ty: Ty,
    /// Every media type the response is documented in, in document order (the one received
    /// among them), for the `Accept` header.
    pub offered: Vec<String>,
}

impl ResponseBody {
    /// The body's type when it is JSON, the one kind decoded into the type the description gives.
    pub fn json_ty(&self) -> Option<&Ty> {
        (self.kind == MediaKind::Json).then_some(&self.ty)
    }
}

/// An example the description carries, with the type it must decode into.
#[derive(Clone, Debug)]
pub struct Example {
    /// Where the example is.
    pub origin: Pointer,
    /// The example, as JSON.
    pub value: serde_json::Value,
    /// The type it must decode into.
    pub ty: Ty,
}
