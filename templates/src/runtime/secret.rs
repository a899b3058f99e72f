//! Secrets and the ways a client authenticates.

use std::fmt;

/// A credential (token, password, API key) whose `Debug` and `Display` never show the value.
///
/// The value is only reachable through [`Secret::expose`], which the runtime calls at the one
/// place where it builds the `Authorization` header or the query parameter.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the credential itself; do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..redacted..)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..redacted..)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// How the client authenticates every request.
///
/// `Debug` shows the kind of authentication and the non-secret parts (user name, header or
/// parameter name), never the secret.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// No authentication.
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic <base64(username:password)>`.
    Basic {
        /// The user name (not treated as secret).
        username: String,
        /// The password.
        password: Secret,
    },
    /// A custom header such as `X-Api-Key: <value>`.
    Header {
        /// The header name.
        name: String,
        /// The header value.
        value: Secret,
    },
    /// A query parameter such as `?api_key=<value>`, appended to every request URL.
    ///
    /// The runtime never logs URLs and strips them from transport errors, so the value stays
    /// out of error text and traces.
    Query {
        /// The query parameter name.
        name: String,
        /// The query parameter value.
        value: Secret,
    },
}

impl Auth {
    /// A short name for the kind of authentication, for `Debug` output and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Auth::None => "none",
            Auth::Bearer(_) => "bearer",
            Auth::Basic { .. } => "basic",
            Auth::Header { .. } => "header",
            Auth::Query { .. } => "query",
        }
    }
}

/// Encodes bytes as standard base64 with padding (RFC 4648), for HTTP Basic authentication.
pub fn base64_encode(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let triple = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        // Each index is masked to six bits, so it is always inside the 64-entry alphabet.
        let sextet = |shift: u32| {
            let index = ((triple >> shift) & 0x3f) as usize;
            ALPHABET.get(index).map_or('=', |&byte| char::from(byte))
        };
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}
