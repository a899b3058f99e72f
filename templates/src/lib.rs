pub mod runtime;

/// String enums made the way the generated types make them, for `tests/string_enum.rs`: the
/// runtime's `string_enum!` is crate-private (a generated client must not export it).
#[doc(hidden)]
pub mod string_enum_samples {
    /// An enum with every impl.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum State {
        Open,
        Closed,
        Unknown(String),
    }

    impl State {
        pub fn as_str(&self) -> &str {
            match self {
                Self::Open => "open",
                Self::Closed => "closed",
                Self::Unknown(value) => value,
            }
        }
    }

    impl From<&str> for State {
        fn from(value: &str) -> Self {
            match value {
                "open" => Self::Open,
                "closed" => Self::Closed,
                other => Self::Unknown(other.to_string()),
            }
        }
    }

    crate::runtime::string_enum!(State);

    /// An enum whose `Serialize` impl an attribute leaves out.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum ReceivedOnly {
        Yes,
        Unknown(String),
    }

    impl ReceivedOnly {
        pub fn as_str(&self) -> &str {
            match self {
                Self::Yes => "yes",
                Self::Unknown(value) => value,
            }
        }
    }

    impl From<&str> for ReceivedOnly {
        fn from(value: &str) -> Self {
            match value {
                "yes" => Self::Yes,
                other => Self::Unknown(other.to_string()),
            }
        }
    }

    crate::runtime::string_enum!(ReceivedOnly, #[cfg(any())]);
}
