//! What a schema requires of a value beyond its type: bounds on lengths, counts and numbers, a
//! pattern, a format, a closed list of values. The types cannot say these; the examples the
//! generator writes (doc examples, the conformance harness) meet them, and a description's own
//! example that breaks them is reported and replaced.

use serde_json::Value;

/// The constraints of one schema (merged over its `allOf` members and the `$ref`s it follows).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `minLength`, in characters.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `minimum`, and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum`, and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `pattern`, as written.
    pub pattern: Option<String>,
    /// `format`, as written.
    pub format: Option<String>,
    /// `enum`, when it lists values other than strings (a string enum is a type of its own).
    pub values: Vec<Value>,
}

impl Constraints {
    /// Whether the schema states no constraint.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// Why `value` breaks these constraints, if it does (`3 items, more than maxItems 2`).
    pub fn broken_by(&self, value: &Value) -> Option<String> {
        if !self.values.is_empty() && !value.is_null() && !self.values.contains(value) {
            return Some(format!("{value} is not one of the values `enum` lists"));
        }
        match value {
            Value::Array(items) => {
                let n = items.len() as u64;
                if let Some(min) = self.min_items.filter(|min| n < *min) {
                    return Some(format!("{n} items, fewer than minItems {min}"));
                }
                if let Some(max) = self.max_items.filter(|max| n > *max) {
                    return Some(format!("{n} items, more than maxItems {max}"));
                }
            }
            Value::String(s) => {
                let n = s.chars().count() as u64;
                if let Some(min) = self.min_length.filter(|min| n < *min) {
                    return Some(format!("{n} characters, fewer than minLength {min}"));
                }
                if let Some(max) = self.max_length.filter(|max| n > *max) {
                    return Some(format!("{n} characters, more than maxLength {max}"));
                }
                if let Some(format) = &self.format {
                    if !meets_format(format, s) {
                        return Some(format!("{s:?} is not of format `{format}`"));
                    }
                }
            }
            Value::Number(n) => {
                let x = n.as_f64()?;
                if let Some((min, exclusive)) = self.minimum {
                    if x < min || (exclusive && x == min) {
                        return Some(format!("{x} is below the minimum {min}"));
                    }
                }
                if let Some((max, exclusive)) = self.maximum {
                    if x > max || (exclusive && x == max) {
                        return Some(format!("{x} is above the maximum {max}"));
                    }
                }
            }
            _ => {}
        }
        None
    }
}

/// Whether `s` has the shape of `format`, for the formats whose shape is simple to tell; any
/// other format is met by any string.
pub fn meets_format(format: &str, s: &str) -> bool {
    let digits = |part: &str, n: usize| part.len() == n && part.bytes().all(|b| b.is_ascii_digit());
    let date = |d: &str| {
        let parts: Vec<&str> = d.split('-').collect();
        matches!(parts[..], [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2))
    };
    match format {
        "date" => date(s),
        "date-time" => s
            .split_once(['T', 't'])
            .is_some_and(|(d, time)| date(d) && time.len() >= 8 && digits(&time[..2], 2)),
        "uuid" => {
            let parts: Vec<&str> = s.split('-').collect();
            let lengths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
            lengths == [8, 4, 4, 4, 12]
                && parts
                    .iter()
                    .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "email" => s
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.')),
        // RFC 3986: a scheme (a letter, then letters, digits, `+`, `-`, `.`), a colon, the rest;
        // a reference relative to some base (`/contacts/1`) is not a URI.
        "uri" => s.split_once(':').is_some_and(|(scheme, rest)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !rest.is_empty()
        }),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_bound_is_told_with_the_value_that_breaks_it() {
        let list = Constraints {
            min_items: Some(1),
            max_items: Some(2),
            ..Constraints::default()
        };
        assert_eq!(
            list.broken_by(&json!([])).as_deref(),
            Some("0 items, fewer than minItems 1")
        );
        assert_eq!(list.broken_by(&json!(["a"])), None);
        assert!(list.broken_by(&json!([1, 2, 3])).is_some());
        let number = Constraints {
            minimum: Some((0.0, true)),
            maximum: Some((10.0, false)),
            ..Constraints::default()
        };
        assert!(number.broken_by(&json!(0)).is_some());
        assert_eq!(number.broken_by(&json!(10)), None);
        assert!(number.broken_by(&json!(10.5)).is_some());
        let text = Constraints {
            min_length: Some(2),
            format: Some("date-time".into()),
            ..Constraints::default()
        };
        assert!(text.broken_by(&json!("x")).is_some());
        assert!(text.broken_by(&json!("yesterday")).is_some());
        assert_eq!(text.broken_by(&json!("2024-01-02T03:04:05Z")), None);
        let values = Constraints {
            values: vec![json!(1), json!(2)],
            ..Constraints::default()
        };
        assert!(values.broken_by(&json!(3)).is_some());
        assert_eq!(values.broken_by(&json!(null)), None);
    }

    #[test]
    fn simple_formats_are_told_apart() {
        assert!(meets_format("uuid", "6c81cd8e-1111-4222-8333-444455556666"));
        assert!(!meets_format("uuid", "6c81cd8e"));
        assert!(meets_format("email", "ann@example.com"));
        assert!(!meets_format("email", "ann"));
        assert!(meets_format("uri", "https://example.com"));
        assert!(meets_format(
            "uri",
            "git:git.example.com/octocat/Hello-World"
        ));
        assert!(!meets_format("uri", "/contacts/1/tags"));
        assert!(meets_format("date", "2024-01-02"));
        assert!(!meets_format("date", "2024-1-2"));
        assert!(meets_format("unix-time", "anything"));
    }
}

/// A string that matches `pattern`, for a simple pattern: literal characters, character classes
/// (`[0-9a-fA-F]`, `\d`, `\w`) and groups (their first alternative), each repeated by `{n}`, `{n,m}`, `+`, `*` or `?`, between an
/// optional `^` and `$`; `None` for anything else (groups, alternatives, `.`), of which no value
/// is derived.
pub fn pattern_example(pattern: &str) -> Option<String> {
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    let body = body.strip_suffix('$').unwrap_or(body);
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // One atom: the text it stands for.
        let atom: String = match chars[i] {
            '(' => {
                // A group without groups inside: its first alternative.
                let end = i + chars[i..].iter().position(|c| *c == ')')?;
                let inside: String = chars[i + 1..end].iter().collect();
                if inside.contains('(') {
                    return None;
                }
                i = end + 1;
                pattern_example(inside.split('|').next()?)?
            }
            '[' => {
                let end = i + chars[i..].iter().position(|c| *c == ']')?;
                let class = &chars[i + 1..end];
                if class.first() == Some(&'^') || class.is_empty() {
                    return None;
                }
                i = end + 1;
                if class[0] == '\\' {
                    escaped(*class.get(1)?)?.to_string()
                } else {
                    class[0].to_string()
                }
            }
            '\\' => {
                let c = escaped(*chars.get(i + 1)?)?;
                i += 2;
                c.to_string()
            }
            ')' | '|' | '.' | '{' | '}' | '*' | '+' | '?' | '^' | '$' => return None,
            c => {
                i += 1;
                c.to_string()
            }
        };
        // Its repetition.
        let count = match chars.get(i) {
            Some('{') => {
                let end = i + chars[i..].iter().position(|c| *c == '}')?;
                let inside: String = chars[i + 1..end].iter().collect();
                i = end + 1;
                let least = inside.split(',').next()?.trim();
                least
                    .parse::<usize>()
                    .ok()?
                    .max(usize::from(inside.contains(',') && least.is_empty()))
            }
            Some('+') => {
                i += 1;
                1
            }
            Some('*') | Some('?') => {
                i += 1;
                0
            }
            _ => 1,
        };
        if count > 256 {
            return None;
        }
        out.push_str(&atom.repeat(count));
    }
    Some(out)
}

/// The character an escape in a pattern stands for: a digit, a word character, or the
/// character escaped.
fn escaped(c: char) -> Option<char> {
    match c {
        'd' => Some('0'),
        'w' => Some('a'),
        's' | 'D' | 'W' | 'S' | 'b' | 'B' => None,
        c if c.is_ascii_alphanumeric() => None,
        c => Some(c),
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::pattern_example;

    #[test]
    fn simple_patterns_give_a_matching_value_and_others_none() {
        assert_eq!(
            pattern_example("^AC[0-9a-fA-F]{32}$").as_deref(),
            Some("AC00000000000000000000000000000000")
        );
        assert_eq!(pattern_example(r"^\d{3}-\d+$").as_deref(), Some("000-0"));
        assert_eq!(pattern_example("^v[a-z]?x*$").as_deref(), Some("v"));
        assert_eq!(pattern_example(r"^a\.b$").as_deref(), Some("a.b"));
        assert_eq!(
            pattern_example("^(SM|MM)[0-9a-f]{2}$").as_deref(),
            Some("SM00")
        );
        assert_eq!(pattern_example("^(0|[1-9][0-9]*)$").as_deref(), Some("0"));
        assert_eq!(pattern_example("^((a)|b)$"), None);
        assert_eq!(pattern_example("^a.b$"), None);
        assert_eq!(pattern_example("^[^x]$"), None);
    }
}
