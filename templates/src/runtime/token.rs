//! Access tokens: the [`TokenProvider`] trait, and [`OAuth2TokenProvider`], which obtains tokens
//! from an OAuth2 token endpoint (client-credentials and refresh-token grants) and looks after
//! them.
//!
//! [`OAuth2TokenProvider`] caches its token, fetches a new one ahead of its expiry, lets one
//! fetch run while concurrent calls wait for it, and drops a token that the API refused with a
//! 401 (the client then sends the call once more with a fresh token). The client secret,
//! refresh token and access tokens are [`Secret`]s: they appear in no `Debug`, error or trace.

use std::error::Error as StdError;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::Value;
use tracing::Instrument;

use super::body::BodyChunks;
use super::error::summarize;
use super::platform::BoxFuture;
use super::request::encode_form;
use super::secret::{base64_encode, Secret};
use super::time::Instant;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = BoxFuture<'a, Result<Secret, TokenError>>;

/// Gives the bearer tokens of a security scheme; implement it to bring your own (workload
/// identity, a vault, a token cache shared between processes).
///
/// ```ignore
/// struct FromVault(VaultClient);
///
/// impl TokenProvider for FromVault {
///     fn token(&self) -> TokenFuture<'_> {
///         Box::pin(async move {
///             let token = self.0.read("api-token").await.map_err(TokenError::from_source)?;
///             Ok(Secret::new(token))
///         })
///     }
/// }
/// ```
pub trait TokenProvider: Send + Sync {
    /// A token to send now. It is called before every attempt of every call, so it should
    /// answer from a cache when it can.
    fn token(&self) -> TokenFuture<'_>;

    /// The API answered 401 to a request that carried `rejected`: a provider that caches should
    /// forget that token (if it still holds it), so that the next [`token`](Self::token) gets a
    /// fresh one. The default does nothing.
    fn invalidate(&self, rejected: &Secret) {
        let _ = rejected;
    }
}

/// Why a token could not be obtained; never shows a secret.
#[derive(Clone, Debug)]
pub struct TokenError {
    message: String,
    status: Option<u16>,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

impl TokenError {
    /// An error with this message (which must not contain a secret).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            status: None,
            source: None,
        }
    }

    /// An error caused by `source` (whose `Display` must not contain a secret).
    pub fn from_source(source: impl StdError + Send + Sync + 'static) -> Self {
        Self {
            message: source.to_string(),
            status: None,
            source: Some(Arc::new(source)),
        }
    }

    /// The status the token endpoint answered with, when it answered with an error.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for TokenError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn StdError + 'static))
    }
}

/// The current time, for token expiry and hook latencies: the one place the token cache and
/// the pipeline read a clock ([`super::time`]'s, which works on every target).
pub(super) fn now() -> Instant {
    Instant::now()
}

/// How the client id and secret are sent to the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// HTTP Basic authentication with the client id and secret (RFC 6749 §2.3.1, the default).
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// The OAuth2 grant a provider uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grant {
    ClientCredentials,
    RefreshToken,
}

/// The default time before a token's expiry at which a new one is fetched.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The default timeout of one token request.
pub const DEFAULT_TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest token response read, in bytes.
const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// Tokens from an OAuth2 token endpoint, by the client-credentials grant or the refresh-token
/// grant.
///
/// ```ignore
/// let tokens = OAuth2TokenProvider::client_credentials(
///     "https://auth.example.com/oauth/token",
///     "my-client-id",
///     std::env::var("CLIENT_SECRET")?,
/// )
/// .scopes(["contacts:read", "contacts:write"]);
/// let client = Client::builder().credential("oauth2", Credential::token_provider(tokens)).build()?;
/// ```
///
/// A token is kept until [`refresh_margin`](Self::refresh_margin) before its `expires_in` (half
/// its lifetime when that is shorter); the first call after that fetches a new one, while other
/// calls wait for that fetch rather than starting their own. When the fetch fails but the old
/// token has not expired yet, the old token is used. A token response without `expires_in` is
/// kept until the API refuses it.
pub struct OAuth2TokenProvider {
    token_url: String,
    /// Set when `token_url` is an OpenID Connect discovery document, whose `token_endpoint`
    /// is read once, at the first fetch.
    discovered: Option<OnceLock<String>>,
    client_id: String,
    client_secret: Option<Secret>,
    scopes: Vec<String>,
    extra: Vec<(String, String)>,
    grant: Grant,
    client_authentication: ClientAuthentication,
    refresh_margin: Duration,
    timeout: Duration,
    http: OnceLock<reqwest::Client>,
    cache: Mutex<Cache>,
    fetching: tokio::sync::Mutex<()>,
}

/// What the provider holds between calls.
struct Cache {
    token: Option<Cached>,
    refresh_token: Option<Secret>,
    /// Counts finished fetches, so a caller that waited for one can tell it happened.
    fetches: u64,
    /// The error of the last fetch, if it failed, with the count it ended.
    last_error: Option<(u64, TokenError)>,
}

/// A cached access token.
struct Cached {
    token: Secret,
    /// When a new token is fetched.
    refresh_at: Option<Instant>,
    /// When the token expires.
    expires_at: Option<Instant>,
}

impl OAuth2TokenProvider {
    /// Tokens by the client-credentials grant, from `token_url` (the description's `tokenUrl`).
    pub fn client_credentials(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        Self::new(
            token_url.into(),
            client_id.into(),
            Some(client_secret.into()),
            Grant::ClientCredentials,
            None,
        )
    }

    /// Tokens by the client-credentials grant from the token endpoint of an OpenID Connect
    /// provider, read from its discovery document at `discovery_url` (the description's
    /// `openIdConnectUrl`, such as `https://auth.example.com/.well-known/openid-configuration`)
    /// before the first token request.
    pub fn openid_connect(
        discovery_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        let mut provider = Self::client_credentials(discovery_url, client_id, client_secret);
        provider.discovered = Some(OnceLock::new());
        provider
    }

    /// Tokens by the refresh-token grant, starting from `refresh_token`; a new refresh token
    /// the endpoint returns replaces it. `client_secret` is `None` for a public client.
    pub fn refresh_token(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Option<Secret>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        Self::new(
            token_url.into(),
            client_id.into(),
            client_secret,
            Grant::RefreshToken,
            Some(refresh_token.into()),
        )
    }

    fn new(
        token_url: String,
        client_id: String,
        client_secret: Option<Secret>,
        grant: Grant,
        refresh_token: Option<Secret>,
    ) -> Self {
        Self {
            token_url,
            discovered: None,
            client_id,
            client_secret,
            scopes: Vec::new(),
            extra: Vec::new(),
            grant,
            client_authentication: ClientAuthentication::Basic,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            timeout: DEFAULT_TOKEN_TIMEOUT,
            http: OnceLock::new(),
            cache: Mutex::new(Cache {
                token: None,
                refresh_token,
                fetches: 0,
                last_error: None,
            }),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// The scopes asked for, sent space-separated as `scope` (none by default).
    #[must_use]
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a form parameter to every token request (such as `audience` or `resource`).
    #[must_use]
    pub fn form_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// How the client id and secret are sent (default [`ClientAuthentication::Basic`]).
    #[must_use]
    pub fn client_authentication(mut self, how: ClientAuthentication) -> Self {
        self.client_authentication = how;
        self
    }

    /// How long before its expiry a token is replaced (default [`DEFAULT_REFRESH_MARGIN`]).
    #[must_use]
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// The timeout of one token request (default [`DEFAULT_TOKEN_TIMEOUT`]).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Uses this reqwest client for token requests (by default one of its own).
    #[must_use]
    pub fn http_client(self, client: reqwest::Client) -> Self {
        // A fresh provider's cell is empty, so this always sets it.
        let _ = self.http.set(client);
        self
    }

    fn cache(&self) -> MutexGuard<'_, Cache> {
        // The cache is never left half-written, so a panic elsewhere does not spoil it.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached token if it is not due for refresh.
    fn fresh(&self) -> Option<Secret> {
        let cache = self.cache();
        let cached = cache.token.as_ref()?;
        match cached.refresh_at {
            Some(at) if now() >= at => None,
            _ => Some(cached.token.clone()),
        }
    }

    async fn get(&self) -> Result<Secret, TokenError> {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let seen = self.cache().fetches;
        let _fetching = self.fetching.lock().await;
        // Another call may have fetched while this one waited.
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        {
            let cache = self.cache();
            if let Some((ended, error)) = &cache.last_error {
                if *ended > seen {
                    return Err(error.clone());
                }
            }
        }
        let outcome = self.fetch().await;
        let mut cache = self.cache();
        cache.fetches += 1;
        match outcome {
            Ok(fetched) => {
                let token = fetched.cached.token.clone();
                cache.token = Some(fetched.cached);
                if let Some(refresh_token) = fetched.refresh_token {
                    cache.refresh_token = Some(refresh_token);
                }
                cache.last_error = None;
                Ok(token)
            }
            Err(error) => {
                cache.last_error = Some((cache.fetches, error.clone()));
                // A token that is due for refresh but not expired yet still serves.
                let still_valid = cache
                    .token
                    .as_ref()
                    .filter(|cached| cached.expires_at.is_some_and(|at| now() < at));
                match still_valid {
                    Some(cached) => {
                        tracing::warn!(error = %error, "token refresh failed; using the current token until it expires");
                        Ok(cached.token.clone())
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// Asks the token endpoint for a token.
    async fn fetch(&self) -> Result<Fetched, TokenError> {
        let mut form: Vec<(String, String)> = vec![("grant_type".into(), self.grant_name().into())];
        if self.grant == Grant::RefreshToken {
            let refresh_token = self
                .cache()
                .refresh_token
                .clone()
                .ok_or_else(|| TokenError::new("there is no refresh token to exchange"))?;
            form.push(("refresh_token".into(), refresh_token.expose().to_owned()));
        }
        if !self.scopes.is_empty() {
            form.push(("scope".into(), self.scopes.join(" ")));
        }
        form.extend(self.extra.iter().cloned());
        let http = self.http()?;
        let token_url = self.token_endpoint(&http).await?;
        let mut request = http
            .post(token_url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .timeout(self.timeout);
        match (self.client_authentication, &self.client_secret) {
            (ClientAuthentication::Basic, Some(secret)) => {
                // RFC 6749 §2.3.1: each part form-encoded, then joined by `:`.
                let pair = encode_form(&[(self.client_id.clone(), secret.expose().to_owned())]);
                let pair = pair.replacen('=', ":", 1);
                let mut value =
                    HeaderValue::from_str(&format!("Basic {}", base64_encode(pair.as_bytes())))
                        .map_err(|_| {
                            TokenError::new("the client credentials are not valid header text")
                        })?;
                value.set_sensitive(true);
                request = request.header(AUTHORIZATION, value);
            }
            (ClientAuthentication::Body, Some(secret)) => {
                form.push(("client_id".into(), self.client_id.clone()));
                form.push(("client_secret".into(), secret.expose().to_owned()));
            }
            (_, None) => form.push(("client_id".into(), self.client_id.clone())),
        }
        let request = request.body(encode_form(&form));
        let started = now();
        // The span names the grant only: the token URL may carry a tenant or a key.
        let span = tracing::info_span!("oauth2.token", grant = self.grant_name());
        let result = async {
            let response = request.send().await.map_err(transport)?;
            let status = response.status().as_u16();
            let body = read_limited(response).await?;
            parse_token_response(status, &body, started)
        }
        .instrument(span.clone())
        .await;
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!("token fetched"),
            Err(error) => tracing::warn!(error = %error, "token request failed"),
        });
        result.map(|fetched| fetched.with_margin(self.refresh_margin, started))
    }

    /// The token endpoint: the configured URL, or the discovery document's `token_endpoint`
    /// (read once; only ever called under the fetch lock).
    async fn token_endpoint(&self, http: &reqwest::Client) -> Result<&str, TokenError> {
        let Some(discovered) = &self.discovered else {
            return Ok(&self.token_url);
        };
        if let Some(url) = discovered.get() {
            return Ok(url);
        }
        let response = http
            .get(&self.token_url)
            .header(ACCEPT, "application/json")
            .timeout(self.timeout)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let body = read_limited(response).await?;
        if !(200..300).contains(&status) {
            return Err(TokenError {
                message: format!("the OpenID Connect discovery document answered {status}"),
                status: Some(status),
                source: None,
            });
        }
        let endpoint = serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|json| json.get("token_endpoint")?.as_str().map(str::to_owned))
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
            .ok_or_else(|| {
                TokenError::new("the OpenID Connect discovery document has no `token_endpoint` URL")
            })?;
        Ok(discovered.get_or_init(|| endpoint))
    }

    fn grant_name(&self) -> &'static str {
        match self.grant {
            Grant::ClientCredentials => "client_credentials",
            Grant::RefreshToken => "refresh_token",
        }
    }

    fn http(&self) -> Result<reqwest::Client, TokenError> {
        if let Some(client) = self.http.get() {
            return Ok(client.clone());
        }
        let client = reqwest::Client::builder()
            .build()
            .map_err(|error| TokenError::from_source(error.without_url()))?;
        Ok(self.http.get_or_init(|| client).clone())
    }
}

impl TokenProvider for OAuth2TokenProvider {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.get())
    }

    fn invalidate(&self, rejected: &Secret) {
        let mut cache = self.cache();
        if cache
            .token
            .as_ref()
            .is_some_and(|cached| &cached.token == rejected)
        {
            cache.token = None;
        }
    }
}

impl fmt::Debug for OAuth2TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2TokenProvider")
            .field("grant", &self.grant_name())
            .field("token_url", &self.token_url)
            .field("discovery", &self.discovered.is_some())
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("client_authentication", &self.client_authentication)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

/// A token response, read.
struct Fetched {
    cached: Cached,
    refresh_token: Option<Secret>,
    expires_in: Option<Duration>,
}

impl Fetched {
    /// Sets when the token is refreshed: `margin` before it expires, or half-way through its
    /// lifetime when that comes later.
    fn with_margin(mut self, margin: Duration, started: Instant) -> Self {
        if let Some(lifetime) = self.expires_in {
            let margin = margin.min(lifetime / 2);
            self.cached.refresh_at = started.checked_add(lifetime - margin);
        }
        self
    }
}

/// A transport error, without its URL.
fn transport(error: reqwest::Error) -> TokenError {
    let error = error.without_url();
    let what = if error.is_timeout() {
        "the token request timed out"
    } else {
        "could not reach the token endpoint"
    };
    TokenError {
        message: what.to_owned(),
        status: None,
        source: Some(Arc::new(error)),
    }
}

/// Reads at most [`MAX_TOKEN_RESPONSE`] bytes of body.
async fn read_limited(response: reqwest::Response) -> Result<Vec<u8>, TokenError> {
    let (_, mut chunks) = BodyChunks::split(response);
    let mut body = Vec::new();
    while let Some(chunk) = chunks.next().await.map_err(transport)? {
        if body.len() + chunk.len() > MAX_TOKEN_RESPONSE {
            return Err(TokenError::new(format!(
                "the token response is larger than {MAX_TOKEN_RESPONSE} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Reads a token response (RFC 6749 §5.1, or the error of §5.2). Only the error code and its
/// description are quoted in errors, never the body, which may hold a token.
fn parse_token_response(status: u16, body: &[u8], started: Instant) -> Result<Fetched, TokenError> {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| {
        json.as_ref()
            .and_then(|json| json.get(name))
            .and_then(Value::as_str)
    };
    if !(200..300).contains(&status) {
        let mut message = format!("the token endpoint answered {status}");
        if let Some(code) = field("error") {
            message.push_str(&format!(": {}", summarize(code, 80)));
            if let Some(description) = field("error_description") {
                message.push_str(&format!(" ({})", summarize(description, 200)));
            }
        }
        return Err(TokenError {
            message,
            status: Some(status),
            source: None,
        });
    }
    let Some(access_token) = field("access_token").filter(|token| !token.is_empty()) else {
        return Err(TokenError::new(
            "the token response has no `access_token` (or is not JSON)",
        ));
    };
    if let Some(kind) = field("token_type") {
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err(TokenError::new(format!(
                "the token type `{}` is not supported (only bearer tokens are)",
                summarize(kind, 40)
            )));
        }
    }
    // `expires_in` is a number of seconds; some servers send it as a string.
    let expires_in = json
        .as_ref()
        .and_then(|json| json.get("expires_in"))
        .and_then(|value| match value {
            Value::Number(number) => number.as_u64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        })
        .map(Duration::from_secs);
    Ok(Fetched {
        cached: Cached {
            token: Secret::new(access_token),
            refresh_at: None,
            expires_at: expires_in.and_then(|lifetime| started.checked_add(lifetime)),
        },
        refresh_token: field("refresh_token").map(Secret::new),
        expires_in,
    })
}
