//! [`string_enum!`](string_enum): the trait impls every generated string enum shares.
//!
//! A string enum of the generated types has one variant per value the description lists and a
//! catch-all variant that keeps any other value, so that a value the server adds next month still
//! decodes. Its own code says everything that differs from one enum to the next: the variants, the
//! wire text of each (`as_str`) and the way back (`From<&str>`). What follows from those two is
//! the same for every enum, and is written here once: text is what `Display` shows, what
//! `Serialize` writes and what `Deserialize` reads.
//!
//! GitHub's description has thousands of string enums: spelling these impls out in each cost a
//! tenth of the time the generator took, and as much text again as the enums themselves.

/// Implements `Display`, `Serialize` and `Deserialize` for a generated string enum through its
/// `as_str(&self) -> &str` and `From<&str>`.
///
/// `string_enum!(Status)` implements all three. An attribute after the name goes on the
/// `Serialize` impl alone: `string_enum!(Status, #[cfg(feature = "serialize")])` is how the crate
/// layout compiles the encoder of an enum that no request sends only with its `serialize` feature.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident $(, #[$serialize:meta])?) => {
        // Paths from the root: the enum's module may hold a type of any name.
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $(#[$serialize])?
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value: ::std::borrow::Cow<'de, str> =
                    ::serde::Deserialize::deserialize(deserializer)?;
                Ok(<Self as ::std::convert::From<&str>>::from(&value))
            }
        }
    };
}

// Brings the macro to a path (`runtime::string_enum!`), inside this crate only: a client included
// twice in one crate (build.rs mode) must not export two macros of one name from its root.
#[allow(unused_imports)]
pub(crate) use string_enum;
