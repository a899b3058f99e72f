//! Credentials per security scheme, and the security requirements of an operation.
//!
//! A client holds a set of named credentials, one per security scheme of the description
//! ([`ClientBuilder::credential`](super::ClientBuilder::credential)), and each request carries
//! the security requirements of its operation ([`Request::security`](super::Request::security)):
//! a list of alternatives, each a set of scheme names that must all be sent together. The
//! runtime sends exactly what the first satisfiable alternative needs, nothing for an operation
//! without requirements (or with an empty alternative and no credentials for the others), and
//! refuses a call none of whose alternatives it can satisfy with [`AuthError::MissingCredentials`],
//! naming the schemes, before sending anything.
//!
//! A request that declares no security at all (the generated code of before per-operation
//! security) is authenticated with the client-wide [`Auth`](super::Auth), as it always was.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::error::BuildError;
use super::request::encode_query_component;
use super::secret::{base64_encode, Secret};
use super::token::{TokenError, TokenProvider};

/// The security requirements of an operation, as its description's `security` (or the
/// document's) lists them: alternatives, each the names of the schemes sent together.
///
/// `&[]` needs no credentials; `&[&["api_key"], &["oauth2"]]` needs one of the two;
/// `&[&["api_key", "app_id"]]` needs both; `&[&["oauth2"], &[]]` sends OAuth2 when it is
/// configured and nothing otherwise.
pub type Security = &'static [&'static [&'static str]];

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie, in the `Cookie` header.
    Cookie,
}

/// The credential of one security scheme.
///
/// `Debug` shows the kind and the non-secret parts (header or parameter name, user name), never
/// the secret.
#[derive(Clone)]
pub enum Credential {
    /// An API key (`type: apiKey`), sent as the header, query parameter or cookie `name`.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: String,
        /// The key.
        value: Secret,
    },
    /// HTTP Basic authentication (`type: http, scheme: basic`).
    Basic {
        /// The user name (not treated as secret).
        username: String,
        /// The password.
        password: Secret,
    },
    /// A fixed bearer token (`type: http, scheme: bearer`, or an OAuth2 token obtained elsewhere).
    Bearer(Secret),
    /// A bearer token asked of a [`TokenProvider`] for each call (`type: oauth2` and
    /// `type: openIdConnect`); on a 401 the runtime tells the provider the token was refused and
    /// sends the call once more with a fresh one.
    Token(Arc<dyn TokenProvider>),
}

impl Credential {
    /// An API key sent in the header `name`.
    pub fn api_key_header(name: impl Into<String>, value: impl Into<Secret>) -> Self {
        Self::api_key(ApiKeyLocation::Header, name, value)
    }

    /// An API key sent as the query parameter `name`.
    pub fn api_key_query(name: impl Into<String>, value: impl Into<Secret>) -> Self {
        Self::api_key(ApiKeyLocation::Query, name, value)
    }

    /// An API key sent as the cookie `name`.
    pub fn api_key_cookie(name: impl Into<String>, value: impl Into<Secret>) -> Self {
        Self::api_key(ApiKeyLocation::Cookie, name, value)
    }

    /// An API key sent where `location` says.
    pub fn api_key(
        location: ApiKeyLocation,
        name: impl Into<String>,
        value: impl Into<Secret>,
    ) -> Self {
        Self::ApiKey {
            location,
            name: name.into(),
            value: value.into(),
        }
    }

    /// HTTP Basic authentication.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// `Authorization: Bearer <token>` with a fixed token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::Bearer(token.into())
    }

    /// `Authorization: Bearer <token>` with the tokens `provider` gives.
    pub fn token_provider(provider: impl TokenProvider + 'static) -> Self {
        Self::Token(Arc::new(provider))
    }

    /// A short name for the kind of credential, for `Debug` output.
    pub fn kind(&self) -> &'static str {
        match self {
            Credential::ApiKey {
                location: ApiKeyLocation::Header,
                ..
            } => "api key (header)",
            Credential::ApiKey {
                location: ApiKeyLocation::Query,
                ..
            } => "api key (query)",
            Credential::ApiKey {
                location: ApiKeyLocation::Cookie,
                ..
            } => "api key (cookie)",
            Credential::Basic { .. } => "basic",
            Credential::Bearer(_) => "bearer",
            Credential::Token(_) => "token provider",
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::ApiKey { location, name, .. } => f
                .debug_struct("ApiKey")
                .field("location", location)
                .field("name", name)
                .finish_non_exhaustive(),
            Credential::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .finish_non_exhaustive(),
            Credential::Bearer(_) => f.write_str("Bearer(..redacted..)"),
            Credential::Token(_) => f.write_str("Token(..provider..)"),
        }
    }
}

/// Why a call could not be authenticated; the call was not sent. Never shows a secret.
#[non_exhaustive]
#[derive(Debug)]
pub enum AuthError {
    /// None of the operation's alternatives has all its schemes configured on the client.
    MissingCredentials {
        /// For each alternative, in the description's order, the schemes it lacks.
        missing: Vec<Vec<&'static str>>,
    },
    /// The token provider of the scheme could not give a token.
    Token {
        /// The security scheme.
        scheme: String,
        /// What went wrong.
        source: TokenError,
    },
}

impl AuthError {
    /// The security schemes named by the error: those lacking credentials, or the one whose
    /// token provider failed.
    pub fn schemes(&self) -> Vec<&str> {
        match self {
            AuthError::MissingCredentials { missing } => {
                let mut names: Vec<&str> = Vec::new();
                for name in missing.iter().flatten() {
                    if !names.contains(name) {
                        names.push(name);
                    }
                }
                names
            }
            AuthError::Token { scheme, .. } => vec![scheme.as_str()],
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::MissingCredentials { missing } => {
                f.write_str("no credentials configured for security scheme ")?;
                for (index, schemes) in missing.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" or ")?;
                    }
                    let names: Vec<String> =
                        schemes.iter().map(|name| format!("`{name}`")).collect();
                    f.write_str(&names.join(" and "))?;
                }
                f.write_str(" (set one on the client builder); the request was not sent")
            }
            AuthError::Token { scheme, source } => {
                write!(
                    f,
                    "could not get a token for security scheme `{scheme}`: {source}"
                )
            }
        }
    }
}

impl StdError for AuthError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            AuthError::MissingCredentials { .. } => None,
            AuthError::Token { source, .. } => Some(source),
        }
    }
}

/// The credentials of a built client, each checked and ready to put on a request.
#[derive(Clone, Default)]
pub(super) struct Credentials {
    schemes: Vec<(String, Prepared)>,
}

/// One credential as it goes on the wire.
#[derive(Clone)]
enum Prepared {
    /// A header (marked sensitive).
    Header(HeaderName, HeaderValue),
    /// A query parameter, name and value percent-encoded.
    Query(String, Secret),
    /// A `name=value` cookie.
    Cookie(Secret),
    /// `Authorization: Bearer` with a provider's token.
    Token(Arc<dyn TokenProvider>),
}

/// A token sent with an attempt, kept to tell its provider when the server refuses it.
pub(super) struct SentToken {
    provider: Arc<dyn TokenProvider>,
    token: Secret,
}

impl SentToken {
    /// Tells the provider that the server refused the token.
    pub(super) fn invalidate(&self) {
        self.provider.invalidate(&self.token);
    }
}

impl Credentials {
    /// Checks every credential; errors name the scheme, never the secret.
    pub(super) fn new(list: &[(String, Credential)]) -> Result<Self, BuildError> {
        let mut schemes: Vec<(String, Prepared)> = Vec::with_capacity(list.len());
        for (scheme, credential) in list {
            let prepared = prepare(scheme, credential)?;
            schemes.retain(|(existing, _)| existing != scheme);
            schemes.push((scheme.clone(), prepared));
        }
        Ok(Self { schemes })
    }

    /// The configured scheme names, for `Debug`.
    pub(super) fn names(&self) -> Vec<&str> {
        self.schemes.iter().map(|(name, _)| name.as_str()).collect()
    }

    fn get(&self, scheme: &str) -> Option<&Prepared> {
        self.schemes
            .iter()
            .find(|(name, _)| name == scheme)
            .map(|(_, prepared)| prepared)
    }

    /// The schemes of the first alternative whose credentials are all configured (none for an
    /// operation without requirements), or the error naming what each alternative lacks.
    pub(super) fn select(&self, security: Security) -> Result<Selected<'_>, AuthError> {
        if security.is_empty() {
            return Ok(Selected::default());
        }
        let mut missing = Vec::with_capacity(security.len());
        for alternative in security {
            let lacking: Vec<&'static str> = alternative
                .iter()
                .copied()
                .filter(|scheme| self.get(scheme).is_none())
                .collect();
            if lacking.is_empty() {
                let schemes = alternative
                    .iter()
                    .filter_map(|scheme| Some((*scheme, self.get(scheme)?)))
                    .collect();
                return Ok(Selected { schemes });
            }
            missing.push(lacking);
        }
        Err(AuthError::MissingCredentials { missing })
    }
}

/// The credentials chosen for one call.
#[derive(Default)]
pub(super) struct Selected<'a> {
    schemes: Vec<(&'static str, &'a Prepared)>,
}

impl Selected<'_> {
    /// Puts the credentials on the request, asking providers for their tokens. A header that the
    /// call's own options set (`keep`) is left as the caller set it. Returns the tokens sent.
    pub(super) async fn apply(
        &self,
        request: &mut reqwest::Request,
        keep: &HeaderMap,
    ) -> Result<Vec<SentToken>, AuthError> {
        let mut sent = Vec::new();
        for (scheme, prepared) in &self.schemes {
            match prepared {
                Prepared::Header(name, value) => {
                    if !keep.contains_key(name) {
                        request.headers_mut().insert(name.clone(), value.clone());
                    }
                }
                Prepared::Query(name, value) => {
                    let pair = format!("{name}={}", value.expose());
                    let query = match request.url().query() {
                        Some(existing) if !existing.is_empty() => format!("{existing}&{pair}"),
                        _ => pair,
                    };
                    request.url_mut().set_query(Some(&query));
                }
                Prepared::Cookie(pair) => add_cookie(request.headers_mut(), pair),
                Prepared::Token(provider) => {
                    let token = provider.token().await.map_err(|source| AuthError::Token {
                        scheme: (*scheme).to_owned(),
                        source,
                    })?;
                    let value =
                        sensitive_value(&format!("Bearer {}", token.expose())).map_err(|()| {
                            AuthError::Token {
                                scheme: (*scheme).to_owned(),
                                source: TokenError::new(
                                    "the token contains characters not allowed in an HTTP header",
                                ),
                            }
                        })?;
                    if !keep.contains_key(AUTHORIZATION) {
                        request.headers_mut().insert(AUTHORIZATION, value);
                    }
                    sent.push(SentToken {
                        provider: provider.clone(),
                        token,
                    });
                }
            }
        }
        Ok(sent)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// Checks one credential and turns it into what goes on the wire.
fn prepare(scheme: &str, credential: &Credential) -> Result<Prepared, BuildError> {
    let invalid = |what: &str| {
        BuildError::InvalidAuth(format!(
            "the {what} of security scheme `{scheme}` contains characters not allowed in an \
             HTTP header"
        ))
    };
    Ok(match credential {
        Credential::ApiKey {
            location,
            name,
            value,
        } => {
            if name.is_empty() {
                return Err(BuildError::InvalidAuth(format!(
                    "the API key name of security scheme `{scheme}` is empty"
                )));
            }
            match location {
                ApiKeyLocation::Header => {
                    let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                        BuildError::InvalidAuth(format!(
                            "invalid header name `{name}` for security scheme `{scheme}`"
                        ))
                    })?;
                    let value = sensitive_value(value.expose()).map_err(|()| invalid("API key"))?;
                    Prepared::Header(header, value)
                }
                ApiKeyLocation::Query => Prepared::Query(
                    encode_query_component(name),
                    Secret::new(encode_query_component(value.expose())),
                ),
                ApiKeyLocation::Cookie => {
                    let pair = format!(
                        "{}={}",
                        encode_query_component(name),
                        encode_query_component(value.expose())
                    );
                    Prepared::Cookie(Secret::new(pair))
                }
            }
        }
        Credential::Basic { username, password } => {
            let credentials = format!("{username}:{}", password.expose());
            let value = format!("Basic {}", base64_encode(credentials.as_bytes()));
            let value = sensitive_value(&value).map_err(|()| invalid("basic credentials"))?;
            Prepared::Header(AUTHORIZATION, value)
        }
        Credential::Bearer(token) => {
            let value = sensitive_value(&format!("Bearer {}", token.expose()))
                .map_err(|()| invalid("bearer token"))?;
            Prepared::Header(AUTHORIZATION, value)
        }
        Credential::Token(provider) => Prepared::Token(provider.clone()),
    })
}

/// A header value marked sensitive (kept out of reqwest's and `http`'s `Debug`).
fn sensitive_value(text: &str) -> Result<HeaderValue, ()> {
    let mut value = HeaderValue::from_str(text).map_err(|_| ())?;
    value.set_sensitive(true);
    Ok(value)
}

/// Adds `pair` to the request's `Cookie` header, after any cookies it has already.
fn add_cookie(headers: &mut HeaderMap, pair: &Secret) {
    let joined = match headers.get(COOKIE).and_then(|value| value.to_str().ok()) {
        Some(existing) if !existing.is_empty() => format!("{existing}; {}", pair.expose()),
        _ => pair.expose().to_owned(),
    };
    // Both parts are valid header text (the pair is percent-encoded), so this cannot fail.
    if let Ok(value) = sensitive_value(&joined) {
        headers.insert(COOKIE, value);
    }
}
