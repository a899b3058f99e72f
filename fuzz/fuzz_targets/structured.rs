//! Random but well-formed descriptions, built from the fuzzer's bytes through `arbitrary`: paths,
//! operations, parameters, request and response bodies, and schemas with properties, enums,
//! `oneOf`/`anyOf`/`allOf`, references (good, dangling and cyclic), `nullable` and
//! `additionalProperties`, all with names chosen to be hard, written as OpenAPI 3.0, as 3.1 (with
//! JSON Schema 2020-12 keywords on any schema) or as Swagger 2.0 (`dialects.rs`). Generation must
//! either fail with an error or produce `src/types.rs`, `src/operations.rs` and `src/lib.rs` that
//! parse as Rust.

#![no_main]

#[path = "dialects.rs"]
mod dialects;

use arbitrary::Arbitrary;
use dialects::{Dialect, Keyword31};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

/// Names that have broken generators before: keywords, prelude names, digits, symbols, non-ASCII,
/// names that collide after case conversion, and names the generated code uses itself.
const ODD_NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "match",
    "async",
    "r#type",
    "Result",
    "Option",
    "String",
    "Box",
    "Vec",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Serialize",
    "1st",
    "2fa",
    "200",
    "0",
    "=",
    "!=",
    "<=",
    ">=",
    "~",
    "!~",
    "^",
    "$",
    "*",
    "+",
    "-",
    "fooBar",
    "foo_bar",
    "FooBar",
    "foo-bar",
    "foo bar",
    "café",
    "日本",
    "😀",
    "",
    " ",
    "_",
    "__",
    "a/b",
    "~0",
    "~1",
    "{id}",
    "\"",
    "\\",
    "'",
    "\r",
    "\t",
    "\n",
    "`",
    "*/",
    "\n",
    "client",
    "options",
    "body",
    "request",
    "response",
    "path",
    "send",
    "new",
    "builder",
    "http_client",
    "base_url",
    "execute",
    "clone",
    "into_future",
    "value",
    "Unknown",
    "UnknownValue",
    "Other",
    "Error",
    "Client",
    "ClientBuilder",
    "Response",
    "Server",
    "Request",
    "RequestOptions",
    "types",
    "runtime",
    "serde",
    "serde_json",
    "std",
    "x-ext",
    "default",
    "null",
    "true",
    "additional_properties",
    "Status200",
    "id",
    "name",
    "item",
    "items",
];

/// A name: one of the odd ones, or any string at all.
#[derive(Arbitrary, Debug)]
enum Name {
    Odd(u8),
    Any(String),
}

impl Name {
    fn text(&self) -> String {
        match self {
            Name::Odd(i) => ODD_NAMES[*i as usize % ODD_NAMES.len()].to_string(),
            Name::Any(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Format {
    None,
    DateTime,
    Date,
    Int32,
    Int64,
    Binary,
    Other(Name),
}

impl Format {
    fn insert(&self, map: &mut Map<String, Value>) {
        let format = match self {
            Format::None => return,
            Format::DateTime => "date-time".to_string(),
            Format::Date => "date".to_string(),
            Format::Int32 => "int32".to_string(),
            Format::Int64 => "int64".to_string(),
            Format::Binary => "binary".to_string(),
            Format::Other(name) => name.text(),
        };
        map.insert("format".into(), Value::String(format));
    }
}

#[derive(Arbitrary, Debug)]
enum Additional {
    Absent,
    True,
    False,
    Schema(Box<Schema>),
}

#[derive(Arbitrary, Debug)]
struct Discriminator {
    property: Name,
    mapping: Vec<(Name, u8)>,
}

/// A schema. References name a component schema by index (which may be out of range, making a
/// dangling reference) or point anywhere.
#[derive(Arbitrary, Debug)]
enum Schema {
    String {
        format: Format,
        values: Vec<Name>,
    },
    Integer {
        format: Format,
        values: Vec<i64>,
    },
    Number,
    Boolean,
    Array(Option<Box<Schema>>),
    Object {
        properties: Vec<(Name, Schema)>,
        required: Vec<Name>,
        additional: Additional,
    },
    OneOf(Vec<Schema>, Option<Discriminator>),
    AnyOf(Vec<Schema>),
    AllOf(Vec<Schema>),
    Ref(u8),
    RefAnywhere(Name),
    Nullable(Box<Schema>),
    Described(Box<Schema>, Name),
    UnknownType(Name),
    Enum(Vec<EnumValue>),
    Empty,
    /// A schema with an OpenAPI 3.1 keyword (read as such only in a 3.1 document).
    Json31(Keyword31, Box<Schema>),
}

#[derive(Arbitrary, Debug)]
enum EnumValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(Name),
}

impl EnumValue {
    fn value(&self) -> Value {
        match self {
            EnumValue::Null => Value::Null,
            EnumValue::Bool(b) => Value::Bool(*b),
            EnumValue::Int(i) => json!(i),
            EnumValue::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            EnumValue::Text(name) => Value::String(name.text()),
        }
    }
}

/// The names of the component schemas, for references.
struct Context<'a> {
    schema_names: &'a [String],
}

impl Context<'_> {
    fn reference(&self, index: u8) -> String {
        match self.schema_names.get(index as usize) {
            Some(name) => format!(
                "#/components/schemas/{}",
                name.replace('~', "~0").replace('/', "~1")
            ),
            None => format!("#/components/schemas/missing{index}"),
        }
    }

    /// The schema as JSON. Deep nesting is cut off: the loader's own limits are tested elsewhere,
    /// and here the point is variety.
    fn schema(&self, schema: &Schema, depth: usize) -> Value {
        if depth > 12 {
            return json!({"type": "string"});
        }
        let d = depth + 1;
        match schema {
            Schema::String { format, values } => {
                let mut map = Map::new();
                map.insert("type".into(), json!("string"));
                format.insert(&mut map);
                if !values.is_empty() {
                    map.insert(
                        "enum".into(),
                        values.iter().map(|v| Value::String(v.text())).collect(),
                    );
                }
                Value::Object(map)
            }
            Schema::Integer { format, values } => {
                let mut map = Map::new();
                map.insert("type".into(), json!("integer"));
                format.insert(&mut map);
                if !values.is_empty() {
                    map.insert("enum".into(), json!(values));
                }
                Value::Object(map)
            }
            Schema::Number => json!({"type": "number"}),
            Schema::Boolean => json!({"type": "boolean"}),
            Schema::Array(items) => match items {
                Some(items) => json!({"type": "array", "items": self.schema(items, d)}),
                None => json!({"type": "array"}),
            },
            Schema::Object {
                properties,
                required,
                additional,
            } => {
                let mut map = Map::new();
                map.insert("type".into(), json!("object"));
                let props: Map<String, Value> = properties
                    .iter()
                    .map(|(name, s)| (name.text(), self.schema(s, d)))
                    .collect();
                if !props.is_empty() {
                    map.insert("properties".into(), Value::Object(props));
                }
                if !required.is_empty() {
                    map.insert(
                        "required".into(),
                        required.iter().map(|n| Value::String(n.text())).collect(),
                    );
                }
                match additional {
                    Additional::Absent => {}
                    Additional::True => {
                        map.insert("additionalProperties".into(), json!(true));
                    }
                    Additional::False => {
                        map.insert("additionalProperties".into(), json!(false));
                    }
                    Additional::Schema(s) => {
                        map.insert("additionalProperties".into(), self.schema(s, d));
                    }
                }
                Value::Object(map)
            }
            Schema::OneOf(alternatives, discriminator) => {
                let mut map = Map::new();
                map.insert(
                    "oneOf".into(),
                    alternatives.iter().map(|s| self.schema(s, d)).collect(),
                );
                if let Some(discriminator) = discriminator {
                    let mapping: Map<String, Value> = discriminator
                        .mapping
                        .iter()
                        .map(|(value, index)| (value.text(), Value::String(self.reference(*index))))
                        .collect();
                    map.insert(
                        "discriminator".into(),
                        json!({"propertyName": discriminator.property.text(), "mapping": mapping}),
                    );
                }
                Value::Object(map)
            }
            Schema::AnyOf(alternatives) => {
                json!({"anyOf": alternatives.iter().map(|s| self.schema(s, d)).collect::<Vec<_>>()})
            }
            Schema::AllOf(parts) => {
                json!({"allOf": parts.iter().map(|s| self.schema(s, d)).collect::<Vec<_>>()})
            }
            Schema::Ref(index) => json!({"$ref": self.reference(*index)}),
            Schema::RefAnywhere(name) => json!({"$ref": format!("#/{}", name.text())}),
            Schema::Nullable(inner) => {
                let mut value = self.schema(inner, d);
                match value.as_object_mut() {
                    Some(map) if !map.contains_key("$ref") => {
                        map.insert("nullable".into(), json!(true));
                        value
                    }
                    _ => json!({"nullable": true, "allOf": [value]}),
                }
            }
            Schema::Described(inner, description) => {
                let mut value = self.schema(inner, d);
                if let Some(map) = value.as_object_mut() {
                    map.insert("description".into(), Value::String(description.text()));
                    map.insert("title".into(), Value::String(description.text()));
                }
                value
            }
            Schema::UnknownType(name) => json!({"type": name.text()}),
            Schema::Enum(values) => {
                json!({"enum": values.iter().map(EnumValue::value).collect::<Vec<_>>()})
            }
            Schema::Empty => json!({}),
            Schema::Json31(keyword, inner) => keyword.apply(self.schema(inner, d)),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Arbitrary, Debug)]
struct Parameter {
    name: Name,
    location: Location,
    required: bool,
    schema: Option<Schema>,
    explode: Option<bool>,
}

#[derive(Arbitrary, Debug)]
enum MediaType {
    Json,
    JsonLike,
    Text,
    Bytes,
    Form,
    Multipart,
    Any(Name),
}

impl MediaType {
    fn text(&self) -> String {
        match self {
            MediaType::Json => "application/json".into(),
            MediaType::JsonLike => "application/problem+json".into(),
            MediaType::Text => "text/plain".into(),
            MediaType::Bytes => "application/octet-stream".into(),
            MediaType::Form => "application/x-www-form-urlencoded".into(),
            MediaType::Multipart => "multipart/form-data".into(),
            MediaType::Any(name) => name.text(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Content {
    media: Vec<(MediaType, Option<Schema>)>,
}

#[derive(Arbitrary, Debug)]
enum Status {
    Code(u16),
    Range(u8),
    Default,
    Odd(Name),
}

#[derive(Arbitrary, Debug)]
enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

#[derive(Arbitrary, Debug)]
struct Operation {
    method: Method,
    operation_id: Option<Name>,
    parameters: Vec<ParameterOrRef>,
    body: Option<(bool, Content)>,
    responses: Vec<(Status, Option<Content>)>,
    deprecated: bool,
}

#[derive(Arbitrary, Debug)]
enum ParameterOrRef {
    Inline(Parameter),
    Ref(u8),
}

#[derive(Arbitrary, Debug)]
enum Segment {
    Literal(Name),
    Param(Name),
}

#[derive(Arbitrary, Debug)]
struct PathItem {
    segments: Vec<Segment>,
    parameters: Vec<ParameterOrRef>,
    operations: Vec<Operation>,
}

#[derive(Arbitrary, Debug)]
enum Security {
    None,
    Bearer,
    Basic,
    ApiKeyHeader(Name),
    ApiKeyQuery(Name),
    ApiKeyCookie(Name),
}

#[derive(Arbitrary, Debug)]
struct Server {
    url: Name,
    description: Option<Name>,
    variable: Option<(Name, Name)>,
}

#[derive(Arbitrary, Debug)]
struct Document {
    dialect: Dialect,
    title: Name,
    servers: Vec<Server>,
    security: Security,
    paths: Vec<PathItem>,
    schemas: Vec<(Name, Schema)>,
    parameters: Vec<(Name, Parameter)>,
}

impl Context<'_> {
    fn parameter(&self, p: &Parameter) -> Value {
        let location = match p.location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        };
        let mut map = Map::new();
        map.insert("name".into(), Value::String(p.name.text()));
        map.insert("in".into(), json!(location));
        if p.required || matches!(p.location, Location::Path) {
            map.insert("required".into(), json!(true));
        }
        if let Some(explode) = p.explode {
            map.insert("explode".into(), json!(explode));
        }
        let schema = p
            .schema
            .as_ref()
            .map(|s| self.schema(s, 0))
            .unwrap_or_else(|| json!({"type": "string"}));
        map.insert("schema".into(), schema);
        Value::Object(map)
    }

    fn parameters(&self, list: &[ParameterOrRef], parameter_names: &[String]) -> Value {
        list.iter()
            .map(|p| match p {
                ParameterOrRef::Inline(p) => self.parameter(p),
                ParameterOrRef::Ref(i) => {
                    let reference = match parameter_names.get(*i as usize) {
                        Some(name) => format!(
                            "#/components/parameters/{}",
                            name.replace('~', "~0").replace('/', "~1")
                        ),
                        None => format!("#/components/parameters/missing{i}"),
                    };
                    json!({"$ref": reference})
                }
            })
            .collect()
    }

    fn content(&self, content: &Content) -> Value {
        let map: Map<String, Value> = content
            .media
            .iter()
            .map(|(media, schema)| {
                let value = match schema {
                    Some(s) => json!({"schema": self.schema(s, 0)}),
                    None => json!({}),
                };
                (media.text(), value)
            })
            .collect();
        Value::Object(map)
    }

    fn operation(&self, op: &Operation, parameter_names: &[String]) -> Value {
        let mut map = Map::new();
        if let Some(id) = &op.operation_id {
            map.insert("operationId".into(), Value::String(id.text()));
        }
        if op.deprecated {
            map.insert("deprecated".into(), json!(true));
        }
        if !op.parameters.is_empty() {
            map.insert(
                "parameters".into(),
                self.parameters(&op.parameters, parameter_names),
            );
        }
        if let Some((required, content)) = &op.body {
            map.insert(
                "requestBody".into(),
                json!({"required": required, "content": self.content(content)}),
            );
        }
        let mut responses = Map::new();
        for (status, content) in &op.responses {
            let key = match status {
                Status::Code(c) => (100 + c % 500).to_string(),
                Status::Range(r) => format!("{}XX", 1 + r % 5),
                Status::Default => "default".into(),
                Status::Odd(name) => name.text(),
            };
            let mut response = Map::new();
            response.insert("description".into(), json!("a response"));
            if let Some(content) = content {
                response.insert("content".into(), self.content(content));
            }
            responses.insert(key, Value::Object(response));
        }
        map.insert("responses".into(), Value::Object(responses));
        Value::Object(map)
    }
}

impl Document {
    fn to_json(&self) -> Value {
        let schema_names: Vec<String> = self.schemas.iter().map(|(n, _)| n.text()).collect();
        let parameter_names: Vec<String> = self.parameters.iter().map(|(n, _)| n.text()).collect();
        let cx = Context {
            schema_names: &schema_names,
        };

        let mut paths = Map::new();
        for item in &self.paths {
            let mut path = String::new();
            for segment in &item.segments {
                match segment {
                    Segment::Literal(name) => path.push_str(&format!("/{}", name.text())),
                    Segment::Param(name) => path.push_str(&format!("/{{{}}}", name.text())),
                }
            }
            if path.is_empty() {
                path.push('/');
            }
            let mut map = Map::new();
            if !item.parameters.is_empty() {
                map.insert(
                    "parameters".into(),
                    cx.parameters(&item.parameters, &parameter_names),
                );
            }
            for op in &item.operations {
                let method = match op.method {
                    Method::Get => "get",
                    Method::Put => "put",
                    Method::Post => "post",
                    Method::Delete => "delete",
                    Method::Options => "options",
                    Method::Head => "head",
                    Method::Patch => "patch",
                    Method::Trace => "trace",
                };
                map.insert(method.into(), cx.operation(op, &parameter_names));
            }
            paths.insert(path, Value::Object(map));
        }

        let schemas: Map<String, Value> = self
            .schemas
            .iter()
            .map(|(n, s)| (n.text(), cx.schema(s, 0)))
            .collect();
        let parameters: Map<String, Value> = self
            .parameters
            .iter()
            .map(|(n, p)| (n.text(), cx.parameter(p)))
            .collect();
        let mut components = json!({"schemas": schemas, "parameters": parameters});
        let security_scheme = match &self.security {
            Security::None => None,
            Security::Bearer => Some(json!({"type": "http", "scheme": "bearer"})),
            Security::Basic => Some(json!({"type": "http", "scheme": "basic"})),
            Security::ApiKeyHeader(n) => {
                Some(json!({"type": "apiKey", "in": "header", "name": n.text()}))
            }
            Security::ApiKeyQuery(n) => {
                Some(json!({"type": "apiKey", "in": "query", "name": n.text()}))
            }
            Security::ApiKeyCookie(n) => {
                Some(json!({"type": "apiKey", "in": "cookie", "name": n.text()}))
            }
        };
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": self.title.text(), "version": "1"},
            "paths": paths,
        });
        if let Some(scheme) = security_scheme {
            components["securitySchemes"] = json!({"auth": scheme});
            doc["security"] = json!([{"auth": []}]);
        }
        doc["components"] = components;
        let servers: Vec<Value> = self
            .servers
            .iter()
            .map(|s| {
                let mut server = json!({"url": s.url.text()});
                if let Some(d) = &s.description {
                    server["description"] = Value::String(d.text());
                }
                if let Some((name, default)) = &s.variable {
                    server["variables"] = json!({name.text(): {"default": default.text()}});
                }
                server
            })
            .collect();
        if !servers.is_empty() {
            doc["servers"] = Value::Array(servers);
        }
        doc
    }
}

fuzz_target!(|document: Document| {
    let doc = match document.dialect {
        Dialect::OpenApi30 => document.to_json(),
        Dialect::OpenApi31 => dialects::to_v31(document.to_json()),
        Dialect::Swagger2 => dialects::to_swagger2(document.to_json()),
    };
    let text = serde_json::to_string_pretty(&doc).expect("JSON serialises");
    let config = apigen::Config::from_text("in-memory/openapi.json", text.as_str());
    if let Ok(output) = apigen::generate(&config) {
        for name in ["src/types.rs", "src/operations.rs", "src/lib.rs"] {
            let file = output
                .files
                .get(name)
                .unwrap_or_else(|| panic!("no {name}"));
            if let Err(e) = syn::parse_file(file) {
                panic!("{name} does not parse: {e}\n--- description:\n{text}\n--- {name}:\n{file}");
            }
        }
    }
});
