//! Text to JSON: a description's YAML or JSON, parsed into a [`serde_json::Value`], with duplicate
//! keys refused and a syntax error explained where the cause is a common one.

use crate::error::{Error, Location};
use serde::Deserialize as _;
use serde_json::{Map, Value};
use std::path::Path;

/// Parses YAML or JSON text into a JSON value. JSON is recognised by its first character.
pub fn parse_text(path: &Path, text: &str) -> Result<Value, Error> {
    // A byte order mark is not part of the document (and serde_yaml takes it for a second one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // Parsed untrimmed, so that the lines in errors are the file's.
        return serde_json::from_str(text).map_err(|e| Error::Syntax {
            location: Location {
                file: path.to_path_buf(),
                pointer: None,
                line: Some((e.line(), e.column())),
            },
            format: "JSON",
            message: explain(strip_position(&e.to_string()), text, Some(e.line())),
        });
    }
    let syntax_error = |e: serde_yaml::Error| Error::Syntax {
        location: Location {
            file: path.to_path_buf(),
            pointer: None,
            line: e.location().map(|l| (l.line(), l.column())),
        },
        format: "YAML",
        message: explain(
            strip_position(&e.to_string()),
            text,
            e.location().map(|l| l.line()),
        ),
    };
    // Without merge keys (`<<`), YAML deserialises straight into JSON values, which is twice as
    // fast as going through `serde_yaml::Value`; keys such as `200` arrive as strings either way.
    if !text.contains("<<") {
        return serde_yaml::from_str::<StrictJson>(text)
            .map(|v| v.0)
            .map_err(syntax_error);
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(syntax_error)?;
    yaml.apply_merge().map_err(|e| Error::Syntax {
        location: Location::in_file(path),
        format: "YAML",
        message: e.to_string(),
    })?;
    Ok(yaml_to_json(yaml))
}

/// A JSON value deserialised from YAML, refusing duplicate keys (which a plain
/// `serde_json::Value` would silently overwrite).
struct StrictJson(Value);

impl<'de> serde::Deserialize<'de> for StrictJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(StrictJsonVisitor)
            .map(StrictJson)
    }
}

struct StrictJsonVisitor;

impl<'de> serde::de::Visitor<'de> for StrictJsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    // Integers beyond `i64` and `u64` (a bound such as `18446744073709552000`) are kept as the
    // nearest float, as JSON parsers keep them: a bound that does not fit is still a bound.
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(float(v as f64))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(float(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        StrictJson::deserialize(d).map(|v| v.0)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(StrictJson(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        // Keys such as `200` or `true` arrive as their text.
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate entry with key \"{key}\""
                )));
            }
            let StrictJson(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A float as JSON: `.nan` and `.inf` have no JSON form, and become null.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// A parser's message, with the likely cause added where it is a common one.
fn explain(message: String, text: &str, line: Option<usize>) -> String {
    // serde_yaml and serde_json give no error kind for nesting too deep (serde_json's
    // `Category::Syntax` covers every syntax error, serde_yaml has no kinds at all), so their
    // message text is the only way to recognise it.
    if message.contains("recursion limit exceeded") {
        return format!(
            "{message}: the document nests more than 128 levels deep, further than the parser follows"
        );
    }
    let indented_with_tab = line
        .and_then(|l| text.lines().nth(l.saturating_sub(1)))
        .is_some_and(|l| l.trim_start_matches(' ').starts_with('\t'));
    if indented_with_tab {
        return format!("{message}: YAML does not allow tabs in indentation, only spaces");
    }
    message
}

/// Removes the " at line N column M" that parsers append, since the location says it already.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Converts YAML to JSON: non-string keys (YAML reads `200:` as a number) become strings, tags are
/// dropped, and non-finite numbers become null.
fn yaml_to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => serde_yaml::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                out.insert(key, yaml_to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_number_keys_become_strings() {
        let v = parse_text(
            Path::new("x.yaml"),
            "responses:\n  200:\n    description: ok\n",
        )
        .unwrap();
        assert!(v.pointer("/responses/200/description").is_some());
    }

    #[test]
    fn duplicate_keys_are_refused_in_yaml() {
        let error = parse_text(Path::new("d.yaml"), "a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "d.yaml:1:1: not valid YAML: duplicate entry with key \"a\""
        );
    }

    #[test]
    fn json_is_recognised_and_its_errors_have_a_line_and_no_pointer() {
        let value = parse_text(Path::new("j.json"), "\u{feff}{\"a\": [1, 2]}").unwrap();
        assert_eq!(value.pointer("/a/1"), Some(&Value::from(2)));
        let Error::Syntax {
            location, format, ..
        } = parse_text(Path::new("j.json"), "{\n  \"a\": ,\n}").unwrap_err()
        else {
            panic!("a syntax error")
        };
        assert_eq!(format, "JSON");
        assert_eq!(location.pointer, None);
        assert_eq!(location.line.map(|(line, _)| line), Some(2));
    }

    #[test]
    fn tabs_in_indentation_are_explained() {
        let message = parse_text(Path::new("t.yaml"), "a:\n\tb: 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            message.ends_with("YAML does not allow tabs in indentation, only spaces"),
            "{message}"
        );
    }

    #[test]
    fn integers_beyond_64_bits_are_read_as_floats() {
        for text in [
            "maximum: 18446744073709552000\nminimum: -9223372036854775809\n",
            "base: &b {x: 1}\nmaximum: 18446744073709552000\nminimum: -9223372036854775809\n",
            "{\"maximum\": 18446744073709552000, \"minimum\": -9223372036854775809}",
        ] {
            let value = parse_text(Path::new("n.yaml"), text).unwrap();
            assert_eq!(
                value["maximum"].as_f64(),
                Some(18446744073709552000.0),
                "{text}"
            );
            assert_eq!(
                value["minimum"].as_f64(),
                Some(-9223372036854775809.0),
                "{text}"
            );
        }
    }

    #[test]
    fn merge_keys_are_applied() {
        let text = "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n";
        let value = parse_text(Path::new("m.yaml"), text).unwrap();
        assert_eq!(value.pointer("/derived/x"), Some(&Value::from(1)));
        assert_eq!(value.pointer("/derived/y"), Some(&Value::from(2)));
    }
}
