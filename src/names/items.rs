//! The names of items the generator makes up itself, rather than takes from the description: body
//! enums and their variants, union variants named after their types, catch-all variants, servers,
//! the map of additional properties, operations without an `operationId`.

use super::{field_name, type_name, Scope};
use crate::ir::{StatusMatch, Ty, TypeDef};

/// The enum of an operation's success bodies, when they differ by status: `ListContactsResponse`.
pub fn success_enum_name(builder: &str) -> String {
    format!("{builder}Response")
}

/// The enum of an operation's error bodies, when they differ by status: `ListContactsError`.
pub fn error_enum_name(builder: &str) -> String {
    format!("{builder}Error")
}

/// The variant of a body enum for the statuses a response covers: `Status201`, `Status4xx`,
/// `Default`.
pub fn status_variant_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("Status{c}"),
        StatusMatch::Range(x) => format!("Status{x}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

/// The variant of a union for an alternative, named after its type: `Company`, `StringList`,
/// `IntegerMap`. `types` are the API's named types, which name a `Ty::Named`.
pub fn union_variant_name(types: &[TypeDef], ty: &Ty) -> String {
    match ty {
        Ty::Bool => "Boolean".into(),
        Ty::I32 | Ty::I64 => "Integer".into(),
        Ty::F64 => "Number".into(),
        Ty::String => "String".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::File => "File".into(),
        Ty::Json => "Json".into(),
        Ty::Named(id) => types[id.0].name.clone(),
        Ty::Vec(inner) => format!("{}List", union_variant_name(types, inner)),
        Ty::Map(inner) => format!("{}Map", union_variant_name(types, inner)),
        Ty::Option(inner) | Ty::Box(inner) => union_variant_name(types, inner),
    }
}

/// A variant's name without the name of the enum it is in, where the enum's name starts or ends
/// it at a word boundary and something is left: `CustomerRequestEmail` in `CustomerRequest` is
/// `Email`, `ContactReplyConversationRequest` in `ReplyConversationRequest` is `Contact`.
pub fn without_owner(owner: &str, variant: &str) -> String {
    let starts_word = |rest: &str| rest.starts_with(|c: char| c.is_ascii_uppercase());
    if let Some(rest) = variant.strip_prefix(owner).filter(|r| starts_word(r)) {
        return rest.to_string();
    }
    if let Some(rest) = variant.strip_suffix(owner).filter(|r| starts_word(r)) {
        if owner.starts_with(|c: char| c.is_ascii_uppercase()) {
            return rest.to_string();
        }
    }
    variant.to_string()
}

/// The catch-all variant of a union, which keeps an alternative this client does not know as JSON:
/// `Unknown`, unless a variant already has that name.
pub fn union_unknown_variant<'a>(variants: impl IntoIterator<Item = &'a str>) -> String {
    Scope::with_taken(variants).claim("Unknown")
}

/// The catch-all variant of a string enum, which keeps a value this client does not know: the first
/// of `Unknown`, `UnknownValue` and `Other` that no variant in `variants` has taken.
pub fn enum_unknown_variant(variants: &[String]) -> String {
    ["Unknown", "UnknownValue", "Other"]
        .iter()
        .find(|c| !variants.iter().any(|n| n == *c))
        .map(|c| c.to_string())
        .unwrap_or_else(|| "UnknownValue2".to_string())
}

/// The field holding a struct's additional properties: `additional_properties`, unless a property
/// in `fields` already has that name.
pub fn additional_properties_field<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    Scope::with_taken(fields).claim("additional_properties")
}

/// The name of an operation without an `operationId`, after its method and path:
/// `GET /contacts/{id}` → `get_contacts_id`.
pub fn derived_operation_id(method: &str, path: &str) -> String {
    let derived = format!(
        "{} {}",
        method.to_lowercase(),
        path.replace(['{', '}'], " ")
    );
    field_name(&derived)
}

/// A readable variant name for a server: the region in its description or host, else its position.
pub fn server_name(url: &str, description: Option<&str>) -> String {
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    // `api.eu.intercom.io` → `Eu`; `api.intercom.io` → `Default`, else the description's words.
    if labels.len() > 3 {
        if let Some(label) = labels.get(1) {
            return type_name(label);
        }
    }
    match description {
        Some(d) if !d.trim().is_empty() && labels.len() <= 3 => {
            let words: Vec<&str> = d
                .split_whitespace()
                .filter(|w| {
                    !matches!(
                        w.to_ascii_lowercase().as_str(),
                        "the" | "a" | "an" | "server" | "api"
                    )
                })
                .collect();
            type_name(&words.join(" "))
        }
        _ => type_name(host),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{TypeId, TypeKind};

    #[test]
    fn body_enums_and_their_variants() {
        assert_eq!(success_enum_name("ListContacts"), "ListContactsResponse");
        assert_eq!(error_enum_name("ListContacts"), "ListContactsError");
        assert_eq!(status_variant_name(StatusMatch::Code(201)), "Status201");
        assert_eq!(status_variant_name(StatusMatch::Range(4)), "Status4xx");
        assert_eq!(status_variant_name(StatusMatch::Default), "Default");
    }

    #[test]
    fn union_variants_are_named_after_their_types() {
        let company = TypeDef {
            name: "Company".into(),
            origin: crate::pointer::Pointer::root(),
            doc: None,
            kind: TypeKind::Alias(Ty::String),
        };
        let types = [company];
        let list = Ty::Vec(Box::new(Ty::Named(TypeId(0))));
        assert_eq!(union_variant_name(&types, &list), "CompanyList");
        let map = Ty::Option(Box::new(Ty::Map(Box::new(Ty::I32))));
        assert_eq!(union_variant_name(&types, &map), "IntegerMap");
        assert_eq!(union_variant_name(&types, &Ty::Json), "Json");
    }

    #[test]
    fn a_variant_drops_the_name_of_its_enum() {
        assert_eq!(
            without_owner("CustomerRequest", "CustomerRequestEmail"),
            "Email"
        );
        assert_eq!(
            without_owner(
                "ReplyConversationRequest",
                "ContactReplyConversationRequest"
            ),
            "Contact"
        );
        // Only at a word boundary, and never to nothing.
        assert_eq!(without_owner("Pet", "Petunia"), "Petunia");
        assert_eq!(without_owner("Pet", "Pet"), "Pet");
        assert_eq!(without_owner("Pet", "Carpet"), "Carpet");
    }

    #[test]
    fn catch_alls_avoid_taken_names() {
        assert_eq!(union_unknown_variant(["A", "Unknown"]), "Unknown2");
        assert_eq!(union_unknown_variant(["A"]), "Unknown");
        let taken = ["Unknown", "UnknownValue"].map(String::from);
        assert_eq!(enum_unknown_variant(&taken), "Other");
        let all = ["Unknown", "UnknownValue", "Other"].map(String::from);
        assert_eq!(enum_unknown_variant(&all), "UnknownValue2");
        assert_eq!(
            additional_properties_field(["additional_properties"]),
            "additional_properties_2"
        );
    }

    #[test]
    fn operations_and_servers() {
        assert_eq!(
            derived_operation_id("GET", "/contacts/{id}"),
            "get_contacts_id"
        );
        assert_eq!(server_name("https://api.eu.intercom.io", None), "Eu");
        assert_eq!(
            server_name("https://api.example.com", Some("The production server")),
            "Production"
        );
        assert_eq!(server_name("https://example.com/v1", None), "ExampleCom");
    }
}
