//! The code every generated item of a kind shares, written once as a macro the generated code
//! invokes in a line: what differs from one item to the next stays in the generated code, what
//! follows from it is here.
//!
//! - [`string_enum!`](string_enum): a string enum has one variant per value the description lists
//!   and a catch-all variant that keeps any other value, so that a value the server adds next
//!   month still decodes. Its own code says what differs: the variants, the wire text of each
//!   (`as_str`) and the way back (`From<&str>`). Text is then what `Display` shows, what
//!   `Serialize` writes and what `Deserialize` reads, for every enum alike.
//! - [`request_builder!`](request_builder): a request builder's own code says what its operation
//!   sends (`request`) and how it reads the response (`decode`). Setting per-call options,
//!   sending, and awaiting the builder follow from those, for every operation alike.
//!
//! GitHub's description has 3,377 string enums and 1,223 operations: spelled out in each, these
//! impls were 114,000 of the 614,000 lines generated for it, and a sixth of the generator's CPU
//! time. Both macros are invoked from a module beside `runtime` (`types`, `operations`), and
//! `request_builder!` names the runtime as `super::runtime`.

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

/// The methods every request builder shares, and its `IntoFuture` impl, through its own
/// `request(self) -> Result<Request, Error<E>>` and `decode(RawResponse) -> Result<Response<T>,
/// Error<E>>`, for a builder `Name<'a>` with the fields `client: &'a Client` and
/// `options: RequestOptions`.
///
/// `request_builder!(Name => T, E)`: `T` is the decoded success body, `E` the decoded error body.
#[allow(unused_macros)]
macro_rules! request_builder {
    ($builder:ident => $success:ty, $error:ty) => {
        impl<'a> $builder<'a> {
            /// Per-call options: extra headers, timeout, retry policy.
            pub fn options(mut self, options: super::runtime::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request; the decoded body comes with the status and headers.
            pub fn send_with_response(self) -> super::runtime::client::Call<'a, $success, $error> {
                let client = self.client;
                super::runtime::call(client, self.request(), Self::decode)
            }

            /// Sends the request and returns the decoded body.
            pub fn send(self) -> super::runtime::client::CallBody<'a, $success, $error> {
                self.send_with_response().into_body()
            }
        }

        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = ::std::result::Result<$success, super::runtime::Error<$error>>;
            type IntoFuture = super::runtime::client::CallBody<'a, $success, $error>;
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
}

// Brings the macros to a path (`runtime::string_enum!`), inside this crate only: a client included
// twice in one crate (build.rs mode) must not export two macros of one name from its root.
#[allow(unused_imports)]
pub(crate) use {request_builder, string_enum};
