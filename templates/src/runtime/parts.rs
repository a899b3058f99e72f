//! Files sent in multipart bodies: [`FilePart`], the bytes of one file with its name and
//! content type.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One file of a multipart body (a `format: binary` property of a `multipart/form-data`
/// schema): its bytes, the file name sent in `Content-Disposition`, and its content type.
///
/// Without a file name the part is named after its property; without a content type it takes
/// the one the description's `encoding` gives, else `application/octet-stream`.
///
/// ```ignore
/// let avatar = FilePart::new(std::fs::read("ada.png")?)
///     .file_name("ada.png")
///     .content_type("image/png");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    data: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of these bytes.
    pub fn new(data: impl Into<Vec<u8>>) -> Self {
        Self {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent in `Content-Disposition`.
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the part's content type (a bad one fails the call with `Error::InvalidRequest`).
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The file name, if one was set.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if one was set.
    pub fn media_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(data: Vec<u8>) -> Self {
        Self::new(data)
    }
}

impl From<&[u8]> for FilePart {
    fn from(data: &[u8]) -> Self {
        Self::new(data)
    }
}

impl fmt::Debug for FilePart {
    /// Shows the name, content type and length, not the contents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

/// Outside a multipart body (where the request sends it as a file part), a file serialises as
/// its bytes.
impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.data)
    }
}

/// A file reads from its bytes, or from a string taken as its text (as a description's example
/// gives one).
impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Contents {
            Text(String),
            Bytes(Vec<u8>),
        }
        Ok(match Contents::deserialize(deserializer)? {
            Contents::Text(text) => Self::new(text.into_bytes()),
            Contents::Bytes(bytes) => Self::new(bytes),
        })
    }
}
