//! [`Nullable`]: a property that may be left out, sent as `null`, or sent with a value.
//!
//! JSON tells three things apart that `Option` cannot: a property that is not there, one that is
//! `null`, and one with a value. An API often gives them three meanings (leave the company as it
//! is, remove the company, set this company), so the generated types use `Nullable` for every
//! optional property whose schema admits `null`, in requests and in responses alike. Optional
//! properties that may not be `null` stay `Option`.
//!
//! The generated fields carry `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`:
//! a missing property decodes as [`Nullable::Absent`] and an absent one is not written; `null`
//! decodes as [`Nullable::Null`] and is written as `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that may be absent, `null`, or a value.
///
/// The three states of an `UpdateTicketRequest`'s `company_id`:
///
/// ```text
/// company_id: Nullable::Absent,          // left out: the ticket keeps its company
/// company_id: Nullable::Null,            // "company_id": null: the company is removed
/// company_id: "c1".to_string().into(),   // "company_id": "c1"
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// The property is not there (and is not written).
    Absent,
    /// The property is `null`.
    Null,
    /// The property has a value.
    Value(T),
}

impl<T> Default for Nullable<T> {
    /// [`Nullable::Absent`]: a property nobody set is left out.
    fn default() -> Self {
        Nullable::Absent
    }
}

impl<T> Nullable<T> {
    /// Whether the property is not there.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// Whether the property has a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one; `None` both when absent and when `null`.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, mutably, if there is one.
    pub fn as_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one; `None` both when absent and when `null`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value through `Deref` (`&str` for a `Nullable<String>`), if there is one.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.as_ref().map(|value| &**value)
    }

    /// The value changed by `f`, keeping absent and `null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Value(value) => Nullable::Value(f(value)),
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
        }
    }

    /// The value, after setting it to what `f` makes when it is absent or `null`.
    pub fn get_or_insert_with(&mut self, f: impl FnOnce() -> T) -> &mut T {
        if !self.is_value() {
            *self = Nullable::Value(f());
        }
        match self {
            Nullable::Value(value) => value,
            // Set just above.
            Nullable::Absent | Nullable::Null => unreachable!("the value was just set"),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    /// A value.
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some` is a value and `None` is `null`: handing over an `Option` says whether there is
    /// a value, and on the wire "no value" is `null`. To leave the property out, leave it
    /// [`Nullable::Absent`].
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    /// The value, or `null`. An absent property is not written at all, because its field skips
    /// it (`skip_serializing_if = "Nullable::is_absent"`); serialized on its own it is `null`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => value.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    /// `null` or a value. A missing property never reaches this: its field's `#[serde(default)]`
    /// makes it [`Nullable::Absent`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}
