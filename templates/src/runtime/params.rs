//! Parameters serialised by the rules of their location and style (OpenAPI 3.0, "Style
//! Values"): a value is first turned into JSON with serde (so enums give their wire strings and
//! unions the alternative they hold), then laid out as its [`Style`] says.
//!
//! What each style writes, for a list `[a, b]` and an object `{k: v, k2: v2}` (the first form
//! with `explode: false`, the second with `explode: true`):
//!
//! | style | scalar | list | object |
//! |---|---|---|---|
//! | query `form` | `n=a` | `n=a,b` / `n=a&n=b` | `n=k,v,k2,v2` / `k=v&k2=v2` |
//! | query `spaceDelimited` | `n=a` | `n=a%20b` / as `form` | `n=k%20v%20k2%20v2` / as `form` |
//! | query `pipeDelimited` | `n=a` | `n=a\|b` / as `form` | `n=k\|v\|k2\|v2` / as `form` |
//! | query `deepObject` | `n=a` | `n=a&n=b` | `n[k]=v&n[k2]=v2` |
//! | path `simple` | `a` | `a,b` | `k,v,k2,v2` / `k=v,k2=v2` |
//! | path `label` | `.a` | `.a,b` / `.a.b` | `.k,v,k2,v2` / `.k=v.k2=v2` |
//! | path `matrix` | `;n=a` | `;n=a,b` / `;n=a;n=b` | `;n=k,v,k2,v2` / `;k=v;k2=v2` |
//! | header `simple` | `a` | `a,b` | `k,v,k2,v2` / `k=v,k2=v2` |
//! | cookie `form` | `n=a` | `n=a,b` / `n=a; n=b` | `n=k,v,k2,v2` / `k=v; k2=v2` |
//!
//! Names, keys and values are percent-encoded (every byte but the RFC 3986 unreserved
//! characters) in paths, queries and cookies, and the style's own delimiters are not, so a comma
//! inside a value (`%2C`) stays apart from the commas between values. Header values are sent as
//! they are. `deepObject` nests (`n[k][k2]=v`) and repeats the key for a list inside it
//! (`n[k]=a&n[k]=b`), as form bodies do; a list or object inside a list, or inside an object of
//! another style, which OpenAPI leaves undefined, is sent as its JSON text. Null values and
//! empty lists or objects send nothing (an undefined value, in RFC 6570's terms).

use percent_encoding::{utf8_percent_encode, AsciiSet};
use serde::Serialize;
use serde_json::Value;

use super::request::COMPONENT_ENCODE_SET;

/// How a parameter's value is laid out (OpenAPI's `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `form`: the query's and cookies' default.
    Form,
    /// `spaceDelimited`: list items joined by spaces (query only).
    SpaceDelimited,
    /// `pipeDelimited`: list items joined by `|` (query only).
    PipeDelimited,
    /// `deepObject`: `name[key]=value` (query only).
    DeepObject,
    /// `simple`: the path's and headers' default.
    Simple,
    /// `label`: `.value` (path only).
    Label,
    /// `matrix`: `;name=value` (path only).
    Matrix,
}

/// The characters `allowReserved: true` keeps as they are in a query value: the RFC 3986
/// reserved characters, less `#` and `&`, which would end the value (and the URL) early.
pub const QUERY_RESERVED_ALLOWED: &AsciiSet = &COMPONENT_ENCODE_SET
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// A value as the styles see it.
enum Shape {
    /// Null: nothing is sent.
    Absent,
    /// A scalar's text (a nested list or object's JSON text).
    Scalar(String),
    /// The texts of a list's items, nulls left out.
    List(Vec<String>),
    /// An object's (key, text) pairs, nulls left out.
    Object(Vec<(String, String)>),
}

/// The text of a value inside a list or object: a scalar as itself, anything else as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

fn shape(value: &Value) -> Shape {
    match value {
        Value::Null => Shape::Absent,
        Value::Array(items) => Shape::List(
            items
                .iter()
                .filter(|item| !item.is_null())
                .map(text)
                .collect(),
        ),
        Value::Object(fields) => Shape::Object(
            fields
                .iter()
                .filter(|(_, field)| !field.is_null())
                .map(|(key, field)| (key.clone(), text(field)))
                .collect(),
        ),
        scalar => Shape::Scalar(text(scalar)),
    }
}

/// Serialises a parameter's value to JSON, the form every style starts from; the error names
/// the parameter.
pub fn to_json<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, String> {
    serde_json::to_value(value)
        .map_err(|error| format!("could not serialise the parameter `{name}`: {error}"))
}

fn encode(text: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(text, set).to_string()
}

/// `k,v,k2,v2` (not exploded) or `k=v<sep>k2=v2` (exploded), each piece encoded with `set`.
fn object_text(
    fields: &[(String, String)],
    explode: bool,
    join: &str,
    set: &'static AsciiSet,
) -> String {
    let pieces: Vec<String> = if explode {
        fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k, set), encode(v, set)))
            .collect()
    } else {
        fields
            .iter()
            .flat_map(|(k, v)| [encode(k, set), encode(v, set)])
            .collect()
    };
    pieces.join(join)
}

fn list_text(items: &[String], join: &str, set: &'static AsciiSet) -> String {
    items
        .iter()
        .map(|item| encode(item, set))
        .collect::<Vec<_>>()
        .join(join)
}

/// The query pairs of a parameter, name and value each already percent-encoded; the style's
/// delimiters (`,`, `|`, `%20`, `[`, `]`) are left as they are. `allow_reserved` keeps the
/// reserved characters of values (see [`QUERY_RESERVED_ALLOWED`]).
pub fn query_pairs(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    allow_reserved: bool,
) -> Vec<(String, String)> {
    let set = if allow_reserved {
        QUERY_RESERVED_ALLOWED
    } else {
        COMPONENT_ENCODE_SET
    };
    let key = encode(name, COMPONENT_ENCODE_SET);
    if style == Style::DeepObject {
        let mut pairs = Vec::new();
        deep_object_pairs(&key, value, set, &mut pairs);
        return pairs;
    }
    let join = match style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    match shape(value) {
        Shape::Absent => Vec::new(),
        Shape::Scalar(s) => vec![(key, encode(&s, set))],
        Shape::List(items) if items.is_empty() => Vec::new(),
        Shape::List(items) if explode => items
            .iter()
            .map(|item| (key.clone(), encode(item, set)))
            .collect(),
        Shape::List(items) => vec![(key, list_text(&items, join, set))],
        Shape::Object(fields) if fields.is_empty() => Vec::new(),
        Shape::Object(fields) if explode => fields
            .iter()
            .map(|(k, v)| (encode(k, COMPONENT_ENCODE_SET), encode(v, set)))
            .collect(),
        Shape::Object(fields) => vec![(key, object_text(&fields, false, join, set))],
    }
}

/// `deepObject`: `key[field]=value`, nested objects adding a bracket each, lists repeating the
/// key, nulls left out.
fn deep_object_pairs(
    key: &str,
    value: &Value,
    set: &'static AsciiSet,
    out: &mut Vec<(String, String)>,
) {
    match value {
        Value::Null => {}
        Value::Object(fields) => {
            for (field, inner) in fields {
                let nested = format!("{key}[{}]", encode(field, COMPONENT_ENCODE_SET));
                deep_object_pairs(&nested, inner, set, out);
            }
        }
        Value::Array(items) => {
            for item in items.iter().filter(|item| !item.is_null()) {
                out.push((key.to_owned(), encode(&text(item), set)));
            }
        }
        scalar => out.push((key.to_owned(), encode(&text(scalar), set))),
    }
}

/// A path parameter's text, percent-encoded, with the prefix of `label` (`.`) and `matrix`
/// (`;name=`) styles. Any other style is taken as `simple`.
pub fn path_text(name: &str, value: &Value, style: Style, explode: bool) -> String {
    let set = COMPONENT_ENCODE_SET;
    let key = encode(name, set);
    let (prefix, list_join) = match (style, explode) {
        (Style::Label, false) => (".".to_owned(), ",".to_owned()),
        (Style::Label, true) => (".".to_owned(), ".".to_owned()),
        (Style::Matrix, false) => (format!(";{key}="), ",".to_owned()),
        (Style::Matrix, true) => (format!(";{key}="), format!(";{key}=")),
        _ => (String::new(), ",".to_owned()),
    };
    match shape(value) {
        Shape::Absent if style == Style::Matrix => format!(";{key}"),
        Shape::Absent => prefix,
        Shape::Scalar(s) if style == Style::Matrix && s.is_empty() => format!(";{key}"),
        Shape::Scalar(s) => prefix + &encode(&s, set),
        Shape::List(items) => prefix + &list_text(&items, &list_join, set),
        Shape::Object(fields) => match (style, explode) {
            (Style::Label, true) => format!(".{}", object_text(&fields, true, ".", set)),
            (Style::Matrix, true) => format!(";{}", object_text(&fields, true, ";", set)),
            _ => prefix + &object_text(&fields, explode, ",", set),
        },
    }
}

/// A header parameter's value (`simple` style), not percent-encoded; `None` for null.
pub fn header_text(value: &Value, explode: bool) -> Option<String> {
    match shape(value) {
        Shape::Absent => None,
        Shape::Scalar(s) => Some(s),
        Shape::List(items) => Some(items.join(",")),
        Shape::Object(fields) if explode => Some(
            fields
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(","),
        ),
        Shape::Object(fields) => Some(
            fields
                .iter()
                .flat_map(|(k, v)| [k.as_str(), v.as_str()])
                .collect::<Vec<_>>()
                .join(","),
        ),
    }
}

/// A cookie parameter's `name=value` pairs (`form` style), percent-encoded, to be joined by
/// `; ` in the `Cookie` header.
pub fn cookie_pairs(name: &str, value: &Value, explode: bool) -> Vec<String> {
    let set = COMPONENT_ENCODE_SET;
    let key = encode(name, set);
    match shape(value) {
        Shape::Absent => Vec::new(),
        Shape::Scalar(s) => vec![format!("{key}={}", encode(&s, set))],
        Shape::List(items) if items.is_empty() => Vec::new(),
        Shape::List(items) if explode => items
            .iter()
            .map(|item| format!("{key}={}", encode(item, set)))
            .collect(),
        Shape::List(items) => vec![format!("{key}={}", list_text(&items, ",", set))],
        Shape::Object(fields) if fields.is_empty() => Vec::new(),
        Shape::Object(fields) if explode => fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k, set), encode(v, set)))
            .collect(),
        Shape::Object(fields) => {
            vec![format!("{key}={}", object_text(&fields, false, ",", set))]
        }
    }
}
