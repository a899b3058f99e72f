//! What the client does around each attempt, beyond sending it: the credentials the operation's
//! security asks for, the idempotency key, the hooks, and the resend with a fresh token after a
//! 401.
//!
//! The setters the generated code and users call are here too:
//! [`ClientBuilder::credential`], [`ClientBuilder::hook`], [`ClientBuilder::idempotency_header`],
//! and [`Request::operation_id`], [`Request::security`], [`Request::idempotency_header`].

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;

use super::auth::{AuthError, Credential, Credentials, Security, Selected};
use super::client::{ClientBuilder, SendError};
use super::error::{is_connect, BuildError};
use super::hooks::{AttemptOutcome, Failure, Hook, HookContext, Hooks};
use super::request::Request;
use super::retry::random_u64;

/// What a [`ClientBuilder`] collects for the pipeline.
#[derive(Clone, Default)]
pub(super) struct ClientExtras {
    credentials: Vec<(String, Credential)>,
    hooks: Hooks,
    idempotency_header: Option<String>,
}

impl ClientExtras {
    /// Checks the credentials and the header name; errors never show a secret.
    pub(super) fn build(&self) -> Result<Extras, BuildError> {
        let idempotency_header = match &self.idempotency_header {
            Some(name) => Some(HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                BuildError::InvalidHeader {
                    name: name.clone(),
                    reason: "invalid idempotency header name".to_owned(),
                }
            })?),
            None => None,
        };
        Ok(Extras {
            credentials: Credentials::new(&self.credentials)?,
            hooks: self.hooks.clone(),
            idempotency_header,
        })
    }
}

impl fmt::Debug for ClientExtras {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<(&str, &Credential)> = self
            .credentials
            .iter()
            .map(|(name, credential)| (name.as_str(), credential))
            .collect();
        f.debug_struct("Pipeline")
            .field("credentials", &schemes)
            .field("hooks", &self.hooks)
            .field("idempotency_header", &self.idempotency_header)
            .finish()
    }
}

/// The pipeline of a built client.
pub(super) struct Extras {
    credentials: Credentials,
    hooks: Hooks,
    idempotency_header: Option<HeaderName>,
}

impl fmt::Debug for Extras {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pipeline")
            .field("credentials", &self.credentials)
            .field("hooks", &self.hooks)
            .field("idempotency_header", &self.idempotency_header)
            .finish()
    }
}

/// What a [`Request`] tells the pipeline.
#[derive(Clone, Debug, Default)]
pub(super) struct RequestExtras {
    operation_id: Option<&'static str>,
    security: Option<Security>,
    idempotency_header: Option<&'static str>,
}

impl RequestExtras {
    /// Whether the request declares its security, so that the client-wide [`Auth`] is not sent.
    ///
    /// [`Auth`]: super::Auth
    pub(super) fn declares_security(&self) -> bool {
        self.security.is_some()
    }
}

impl ClientBuilder {
    /// Sets the credential of the security scheme `scheme` (the name under
    /// `components.securitySchemes`), replacing an earlier one; operations whose security
    /// names the scheme send it. See [`auth`](super::auth).
    #[must_use]
    pub fn credential(mut self, scheme: impl Into<String>, credential: Credential) -> Self {
        let scheme = scheme.into();
        self.extras
            .credentials
            .retain(|(existing, _)| *existing != scheme);
        self.extras.credentials.push((scheme, credential));
        self
    }

    /// Adds a hook, run after those added before it. See [`hooks`](super::hooks).
    #[must_use]
    pub fn hook(mut self, hook: impl Hook + 'static) -> Self {
        self.extras.hooks.0.push(Arc::new(hook));
        self
    }

    /// Says that the API honours the idempotency header `name` (such as `Idempotency-Key`) on
    /// every call that is not GET, HEAD, OPTIONS or TRACE: each such call then sends a new
    /// random key, the same on all its attempts, and is retried on connection failures and
    /// 5xx like an idempotent one. An invalid name is reported by [`build`](Self::build).
    #[must_use]
    pub fn idempotency_header(mut self, name: impl Into<String>) -> Self {
        self.extras.idempotency_header = Some(name.into());
        self
    }
}

impl Request {
    /// Names the operation (its `operationId`), for hooks.
    pub fn operation_id(&mut self, id: &'static str) {
        self.extras.operation_id = Some(id);
    }

    /// Declares the operation's security requirements (see [`Security`]); without this the
    /// client-wide [`Auth`](super::Auth) is sent, as before per-operation security.
    pub fn security(&mut self, requirements: Security) {
        self.extras.security = Some(requirements);
    }

    /// Declares that the operation accepts the idempotency header `name`: when the call does not
    /// set it, the client sends a new random key, the same on all its attempts, and retries the
    /// call on connection failures and 5xx whatever its method.
    pub fn idempotency_header(&mut self, name: &'static str) {
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            self.error
                .get_or_insert(format!("invalid idempotency header name `{name}`"));
        }
        self.extras.idempotency_header = Some(name);
    }
}

/// The pipeline's part of one call: the credentials chosen, the hooks and what they are told.
pub(super) struct CallPlan<'a> {
    credentials: Selected<'a>,
    hooks: &'a Hooks,
    context: HookContext,
    keep: HeaderMap,
}

impl Extras {
    /// Chooses the credentials of `request` and sets its idempotency key among `headers`.
    pub(super) fn plan<'a>(
        &'a self,
        request: &Request,
        headers: &mut HeaderMap,
    ) -> Result<CallPlan<'a>, AuthError> {
        let extras = &request.extras;
        let credentials = match extras.security {
            Some(security) => self.credentials.select(security)?,
            None => Selected::default(),
        };
        let header = match extras.idempotency_header {
            Some(name) => HeaderName::from_bytes(name.as_bytes()).ok(),
            None if !is_safe(&request.method) => self.idempotency_header.clone(),
            None => None,
        };
        let idempotency_key = header.map(|name| {
            if let Some(existing) = headers.get(&name).and_then(|v| v.to_str().ok()) {
                return existing.to_owned();
            }
            let key = idempotency_key();
            // A UUID is always valid header text.
            if let Ok(value) = HeaderValue::from_str(&key) {
                headers.insert(name, value);
            }
            key
        });
        Ok(CallPlan {
            credentials,
            hooks: &self.hooks,
            context: HookContext {
                operation_id: extras.operation_id,
                method: request.method.clone(),
                path_template: request.path_template,
                attempt: 1,
                idempotency_key,
            },
            keep: request.options.headers.clone(),
        })
    }
}

impl CallPlan<'_> {
    /// Whether the call carries an idempotency key, which makes it safe to retry.
    pub(super) fn keyed(&self) -> bool {
        self.context.idempotency_key.is_some()
    }

    /// Sends attempt number `attempt` of the request `build` makes: credentials, then the
    /// before-send hooks, then the request, then the after-response hooks. When the API answers
    /// 401 to a request that carried a provider's token, the provider is told and the request
    /// is sent once more with a fresh token.
    pub(super) async fn dispatch(
        &self,
        http: &reqwest::Client,
        attempt: u32,
        build: impl Fn() -> Result<reqwest::Request, SendError>,
    ) -> Result<reqwest::Response, SendError> {
        let mut context = self.context.clone();
        context.attempt = attempt;
        let mut refreshed = false;
        loop {
            let mut request = build()?;
            let sent_tokens = self
                .credentials
                .apply(&mut request, &self.keep)
                .await
                .map_err(SendError::Auth)?;
            if !self.hooks.is_empty() {
                self.hooks
                    .before_send(&context, &mut request)
                    .await
                    .map_err(SendError::Invalid)?;
            }
            let started = super::token::now();
            let result = http.execute(request).await;
            if !self.hooks.is_empty() {
                let outcome = AttemptOutcome {
                    elapsed: super::token::now().saturating_duration_since(started),
                    status: result.as_ref().ok().map(|r| r.status().as_u16()),
                    headers: result.as_ref().ok().map(reqwest::Response::headers),
                    failure: result.as_ref().err().map(|error| {
                        if is_connect(error) {
                            Failure::Connect
                        } else if error.is_timeout() {
                            Failure::Timeout
                        } else {
                            Failure::Other
                        }
                    }),
                };
                self.hooks.after_response(&context, &outcome).await;
            }
            let response = result.map_err(SendError::Http)?;
            if response.status().as_u16() == 401 && !refreshed && !sent_tokens.is_empty() {
                tracing::debug!("the API refused the token; sending again with a fresh one");
                for token in &sent_tokens {
                    token.invalidate();
                }
                refreshed = true;
                continue;
            }
            return Ok(response);
        }
    }
}

/// GET, HEAD, OPTIONS and TRACE, which change nothing and need no idempotency key.
fn is_safe(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::OPTIONS, Method::TRACE].contains(method)
}

/// A new idempotency key: a random (version 4) UUID.
pub fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        // Without the system's randomness, keys need only be unique, which the jitter generator
        // (a counter mixed with the clock) still gives.
        bytes[..8].copy_from_slice(&random_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&random_u64().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut key = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            key.push('-');
        }
        key.push_str(&format!("{byte:02x}"));
    }
    key
}
