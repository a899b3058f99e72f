//! Every Rust identifier the generator emits is made here.
//!
//! The rules, in order:
//! - Words are split by heck (`tag.list` → `TagList`, `companyId` → `company_id`); characters that are
//!   not ASCII letters or digits separate words, so the output is always plain ASCII.
//! - Operator symbols, common as enum values in search APIs, get words: `=` → `Eq`, `!=` → `Ne`,
//!   `<=` → `Le`, `~` → `Contains`, `!~` → `NotContains`, `^` → `StartsWith`, `$` → `EndsWith`.
//! - A value that begins with a digit gets a prefix: `V` for enum variants (`2.13` → `V2_13`, digits
//!   kept apart by `_`), `Model` for types, `field_` for fields.
//! - Rust keywords get a trailing `_` (`type` → `type_`), with a serde rename keeping the wire name.
//! - Type names that would shadow the prelude or our imports (`Result`, `Option`, `String`, `Box`,
//!   `Vec`, `Self`, …) get a `Model` suffix.
//! - Inside one scope (the fields of a struct, the variants of an enum, the types of a crate), names
//!   that collide are made unique deterministically: first by spelling symbols out
//!   (`-created_at` → `MinusCreatedAt`), then by a numeric suffix in document order.
//!
//! The rooms: this module holds the case rules and [`Scope`]; `items` names what the generator makes
//! up itself (body enums, status variants, catch-alls, servers); `reserved` owns every reserved set,
//! each checked against the code it mirrors; `crate_name` checks the generated crate's name.

mod crate_name;
mod items;
mod reserved;

pub use crate_name::check_crate_name;
pub use items::*;
#[cfg(test)]
pub(crate) use reserved::client_impl_blocks;
pub use reserved::{
    builder_reserved, client_methods, BUILDER_MEMBERS, BUILDER_TRAIT_METHODS, CLIENT_CONSTRUCTORS,
    GROUP_RESERVED, OPERATION_SCOPE_RESERVED, RUNTIME_CLIENT_METHODS, RUNTIME_TYPES, SEND_LOCALS,
};

use heck::{ToSnakeCase, ToUpperCamelCase};
use reserved::{KEYWORDS, RESERVED_TYPES};
use std::collections::BTreeSet;

/// Whole values that are operators, with their names.
const OPERATORS: &[(&str, &str)] = &[
    ("=", "Eq"),
    ("==", "EqEq"),
    ("!=", "Ne"),
    ("<>", "Ne"),
    ("<", "Lt"),
    ("<=", "Le"),
    (">", "Gt"),
    (">=", "Ge"),
    ("~", "Contains"),
    ("!~", "NotContains"),
    ("^", "StartsWith"),
    ("$", "EndsWith"),
    ("*", "Any"),
];

/// Words for single symbols, used when a value must be spelled out.
fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '=' => "Eq",
        '!' => "Not",
        '<' => "Lt",
        '>' => "Gt",
        '~' => "Tilde",
        '^' => "Caret",
        '$' => "Dollar",
        '+' => "Plus",
        '-' => "Minus",
        '*' => "Star",
        '/' => "Slash",
        '\\' => "Backslash",
        '@' => "At",
        '#' => "Hash",
        '&' => "And",
        '|' => "Pipe",
        '%' => "Percent",
        '.' => "Dot",
        ',' => "Comma",
        ':' => "Colon",
        ';' => "Semicolon",
        '?' => "Question",
        '(' => "LParen",
        ')' => "RParen",
        '[' => "LBracket",
        ']' => "RBracket",
        '{' => "LBrace",
        '}' => "RBrace",
        '\'' => "Quote",
        '"' => "DoubleQuote",
        _ => return None,
    })
}

/// Replaces everything but ASCII letters and digits by spaces, keeping word boundaries for heck.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else if let Some(plain) = fold_latin(c) {
            out.push_str(plain);
        } else {
            // Other non-ASCII characters are spelled as their code point, so that two different
            // names stay different and the identifier stays plain ASCII.
            out.push_str(&format!(" U{:04X} ", c as u32));
        }
    }
    out
}

/// The plain letters of common accented Latin letters: `é` → `e`, `ß` → `ss`.
fn fold_latin(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåā", "a"),
        ("ÀÁÂÃÄÅĀ", "A"),
        ("æ", "ae"),
        ("Æ", "AE"),
        ("çćč", "c"),
        ("ÇĆČ", "C"),
        ("èéêëēę", "e"),
        ("ÈÉÊËĒĘ", "E"),
        ("ìíîïī", "i"),
        ("ÌÍÎÏĪ", "I"),
        ("ñń", "n"),
        ("ÑŃ", "N"),
        ("òóôõöøō", "o"),
        ("ÒÓÔÕÖØŌ", "O"),
        ("ùúûüū", "u"),
        ("ÙÚÛÜŪ", "U"),
        ("ýÿ", "y"),
        ("Ý", "Y"),
        ("ß", "ss"),
        ("łľ", "l"),
        ("ŁĽ", "L"),
        ("śš", "s"),
        ("ŚŠ", "S"),
        ("źżž", "z"),
        ("ŹŻŽ", "Z"),
    ];
    TABLE
        .iter()
        .find(|(set, _)| set.contains(c))
        .map(|(_, plain)| *plain)
}

fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The name of a type: `company_attached_contacts` → `CompanyAttachedContacts`.
pub fn type_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Model".to_string();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("Model{name}");
    }
    if RESERVED_TYPES.contains(&name.as_str()) || is_keyword(&name) {
        name.push_str("Model");
    }
    name
}

/// The name of a field, parameter or function: `Intercom-Version` → `intercom_version`.
pub fn field_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = "field".to_string();
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("field_{name}");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// The plain name of an enum variant for a wire value.
pub fn variant_name(value: &str) -> String {
    if let Some((_, name)) = OPERATORS.iter().find(|(op, _)| *op == value) {
        return (*name).to_string();
    }
    if value.is_empty() {
        return "Empty".to_string();
    }
    // Numbers and versions (also after leading symbols, as in `_1` or `-1`): keep the digit groups
    // apart, `2.13` → `V2_13`.
    if ascii_words(value)
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit())
    {
        let groups: Vec<String> = ascii_words(value)
            .split_whitespace()
            .map(|w| {
                if w.starts_with(|c: char| c.is_ascii_digit()) {
                    w.to_string()
                } else {
                    w.to_upper_camel_case()
                }
            })
            .collect();
        // `_` only between two digit groups (`2.13` → `V2_13`): next to a letter it breaks camel
        // case (`3rd_party_error` → `V3rdPartyError`, not `V3rd_Party_Error`).
        let mut name = String::from("V");
        for group in groups {
            if name.ends_with(|c: char| c.is_ascii_digit())
                && group.starts_with(|c: char| c.is_ascii_digit())
            {
                name.push('_');
            }
            name.push_str(&group);
        }
        return name;
    }
    let name = ascii_words(value).to_upper_camel_case();
    if name.is_empty() {
        return spelled_variant_name(value);
    }
    if is_keyword(&name) {
        return format!("{name}Value");
    }
    name
}

/// A variant name that spells out every symbol, used to separate values that collide:
/// `-created_at` → `MinusCreatedAt`.
pub fn spelled_variant_name(value: &str) -> String {
    let mut words = String::new();
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c);
        } else if c == '_' || c == ' ' {
            words.push(' ');
        } else if let Some(word) = symbol_word(c) {
            words.push(' ');
            words.push_str(word);
            words.push(' ');
        } else {
            words.push_str(&format!(" U{:04X} ", c as u32));
        }
    }
    // Digit groups stay apart, as in `variant_name`: `1_0` → `V1_0`, not `V10`.
    let mut name = String::new();
    for word in words.split_whitespace() {
        let digits_meet = name.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit());
        if digits_meet {
            name.push('_');
        }
        name.push_str(&word.to_upper_camel_case());
    }
    if name.is_empty() {
        "Empty".to_string()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if is_keyword(&name) {
        // `self` and `Self` both spell `Self`, which no variant may be called.
        format!("{name}Value")
    } else {
        name
    }
}

/// A set of names already taken in one scope, handing out unique ones deterministically.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope in which `names` are already taken.
    pub fn with_taken<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Scope {
            taken: names.into_iter().map(str::to_string).collect(),
        }
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `candidate`, or the first of `candidate2`, `candidate3`, … that is free. A snake_case
    /// candidate gets `_2`, an UpperCamelCase one `2`.
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.taken.insert(candidate.to_string()) {
            return candidate.to_string();
        }
        // A name ending in a digit gets `_` too, so that a second `V10` becomes `V10_2`, not `V102`.
        let camel = candidate.contains(|c: char| c.is_ascii_uppercase());
        // One that already ends in `_` (`self_`) gets none: `self_2`, not `self__2`.
        let separator = if candidate.ends_with('_')
            || (camel && !candidate.ends_with(|c: char| c.is_ascii_digit()))
        {
            ""
        } else {
            "_"
        };
        let mut n = 2usize;
        loop {
            let name = format!("{candidate}{separator}{n}");
            if self.taken.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }
}

/// Names the variants of a string enum: plain names first; values whose plain names collide are
/// spelled out; what still collides gets a numeric suffix. The result is in the order of `values`.
pub fn variant_names(values: &[String]) -> Vec<String> {
    let plain: Vec<String> = values.iter().map(|v| variant_name(v)).collect();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for name in &plain {
        *counts.entry(name.as_str()).or_default() += 1;
    }
    let mut scope = Scope::new();
    // Values whose plain name is unique keep it; claim those first so that a spelled-out name can
    // never steal them.
    for name in &plain {
        if counts[name.as_str()] == 1 {
            scope.claim(name);
        }
    }
    values
        .iter()
        .zip(&plain)
        .map(|(value, name)| {
            if counts[name.as_str()] == 1 {
                name.clone()
            } else {
                let spelled = spelled_variant_name(value);
                scope.claim(&spelled)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(
            type_name("company_attached_contacts"),
            "CompanyAttachedContacts"
        );
        assert_eq!(type_name("Result"), "ResultModel");
        assert_eq!(type_name("Self"), "SelfModel");
        assert_eq!(type_name("2fa"), "Model2fa");
        assert_eq!(type_name("ünïcode"), "Unicode");
        assert_eq!(type_name("日本"), "U65e5U672c");
        assert_eq!(type_name(""), "Model");
        assert_eq!(type_name("Error"), "Error");
        assert_eq!(type_name("Vec"), "VecModel");
    }

    #[test]
    fn fields() {
        assert_eq!(field_name("Intercom-Version"), "intercom_version");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("companyId"), "company_id");
        assert_eq!(field_name("1st"), "field_1st");
        assert_eq!(field_name("$"), "field");
    }

    #[test]
    fn variants() {
        assert_eq!(variant_name("2.13"), "V2_13");
        assert_eq!(variant_name("tag.list"), "TagList");
        assert_eq!(variant_name("!="), "Ne");
        assert_eq!(variant_name("~"), "Contains");
        assert_eq!(variant_name("$"), "EndsWith");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("Self"), "SelfValue");
        assert_eq!(spelled_variant_name("self"), "SelfValue");
        assert_eq!(variant_name("_1"), "V1");
        assert_eq!(variant_name("3rd_party_error"), "V3rdPartyError");
        assert_eq!(variant_name("2.13"), "V2_13");
        assert_eq!(variant_name("1.0-beta"), "V1_0Beta");
        assert_eq!(variant_name("-1.5"), "V1_5");
        assert_eq!(spelled_variant_name("1_0"), "V1_0");
        assert_eq!(spelled_variant_name("1.0"), "V1Dot0");
        let keywords: Vec<String> = vec!["self".into(), "Self".into()];
        assert_eq!(variant_names(&keywords), ["SelfValue", "SelfValue2"]);
        let values: Vec<String> = ["created_at", "-created_at", "open", "Open", "+"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            variant_names(&values),
            ["CreatedAt", "MinusCreatedAt", "Open", "Open2", "Plus"]
        );
    }

    #[test]
    fn scope_claims_unique_names() {
        let mut scope = Scope::with_taken(["Company"]);
        assert_eq!(scope.claim("Company"), "Company2");
        assert_eq!(scope.claim("Company"), "Company3");
        assert_eq!(scope.claim("name"), "name");
        assert_eq!(scope.claim("name"), "name_2");
        assert_eq!(scope.claim("V10"), "V10");
        assert_eq!(scope.claim("V10"), "V10_2");
        assert_eq!(scope.claim("self_"), "self_");
        assert_eq!(scope.claim("self_"), "self_2");
    }
}
