//! The client: configuration ([`ClientBuilder`]), sending ([`Client::execute`]) and the one
//! future every operation's call is ([`call`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use reqwest::Url;
use tracing::field::Empty;
use tracing::Instrument;

use super::auth::AuthError;
use super::body::{self, BodyChunks};
use super::error::{
    is_connect, BuildError, Error, TimeoutError, TimeoutKind, TooLargeError, TransportError,
};
use super::pipeline::{CallPlan, ClientExtras, Extras};
use super::platform::{BoxFuture, MaybeSend};
use super::request::{encode_query_component, parse_header, Body, Request};
use super::response::{RawResponse, Response};
use super::retry::RetryPolicy;
use super::secret::{base64_encode, Auth, Secret};
use super::time::{self, Instant};

/// The default whole-request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default maximum response size: 64 MiB.
///
/// A response is held in memory whole (and a JSON one decoded from there), so the limit bounds
/// what a faulty or hostile server can make a client allocate. API responses are kilobytes; a
/// full page of a list (150 Intercom contacts, 100 GitHub issues) is a few hundred kilobytes to
/// a few megabytes, so 64 MiB is more than ten times the largest page a user meets in normal
/// use, while still small enough that a handful of calls in flight cannot exhaust a machine.
/// Downloads and exports that can be bigger raise it per call with
/// [`RequestOptions::max_response_size`](super::RequestOptions::max_response_size).
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

/// The default idle timeout of event streams: 5 minutes.
///
/// A stream that receives nothing at all (not even a keep-alive comment) for this long is
/// taken as stalled. Models that think before they answer can stay silent for minutes before
/// their first token, so the default is generous; a caller that knows its API sends keep-alives
/// can lower it with [`ClientBuilder::stream_idle_timeout`] or per call.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// The default maximum event size of event streams: 16 MiB.
///
/// Chat chunk events are a few hundred bytes, but image generation streams whole partial images
/// as base64 in one event (a few MiB each), so the default leaves room for those while still
/// bounding what a server that never ends an event can make the client hold.
pub const DEFAULT_MAX_EVENT_SIZE: u64 = 16 * 1024 * 1024;

/// The most bytes reserved up front for a body from its `Content-Length`: a server's announced
/// length is not trusted with more than this before the bytes arrive.
const MAX_PREALLOCATION: u64 = 1024 * 1024;

/// Configures a [`Client`].
///
/// `Debug` shows the configuration but never the credentials nor default header values.
pub struct ClientBuilder {
    base_url: String,
    user_agent: String,
    auth: Auth,
    default_headers: Vec<(String, String)>,
    http_client: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    retry_policy: RetryPolicy,
    max_response_size: u64,
    idle_timeout: Duration,
    max_event_size: u64,
    /// Credentials per security scheme, hooks and the idempotency header ([`super::pipeline`]).
    pub(super) extras: ClientExtras,
}

impl ClientBuilder {
    /// A builder for the API at `default_base_url`, identifying itself as `user_agent`
    /// (the generated crate passes its name and version).
    pub fn new(default_base_url: &str, user_agent: &str) -> Self {
        Self {
            base_url: default_base_url.trim_end_matches('/').to_owned(),
            user_agent: user_agent.to_owned(),
            auth: Auth::None,
            default_headers: Vec::new(),
            http_client: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry_policy: RetryPolicy::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            extras: ClientExtras::default(),
        }
    }

    /// Sets the base URL (an absolute `http` or `https` URL; a trailing `/` is trimmed).
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Sets how every request authenticates.
    #[must_use]
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Authenticates with `Authorization: Bearer <token>`.
    #[must_use]
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.auth(Auth::Bearer(Secret::new(token)))
    }

    /// Authenticates with HTTP Basic authentication.
    #[must_use]
    pub fn basic_auth(self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.auth(Auth::Basic {
            username: username.into(),
            password: Secret::new(password),
        })
    }

    /// Sets the `User-Agent` header.
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Adds a header sent with every request (replacing an earlier one of the same name);
    /// an invalid name or value is reported by [`build`](Self::build).
    #[must_use]
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        self.default_headers
            .retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        self.default_headers
            .push((name.to_owned(), value.to_owned()));
        self
    }

    /// Uses a caller-supplied reqwest client (for proxies, custom TLS roots, connection pools).
    ///
    /// The whole-request timeout is still applied to each request, but the connect timeout is
    /// the supplied client's own.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sets the whole-request timeout, from sending to the end of the body (default 60 s).
    /// It applies to each attempt. On `wasm32` it aborts the `fetch`, and is at most 2³¹ − 1 ms
    /// (24.8 days).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the connect timeout (default 10 s); ignored with [`http_client`](Self::http_client),
    /// and on `wasm32`, where the browser makes the connection and `fetch` has no connect
    /// timeout (the whole-request [`timeout`](Self::timeout) still applies).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]).
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Sets the largest response body, in bytes, the client accepts (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`], 64 MiB); `u64::MAX` removes the limit.
    ///
    /// A response announcing a larger `Content-Length` is refused before its body is read, and
    /// any other stops being read as soon as it passes the limit; either way the call fails with
    /// [`Error::TooLarge`] and is not retried. A call can set its own limit with
    /// [`RequestOptions::max_response_size`](super::RequestOptions::max_response_size).
    #[must_use]
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Sets how long an event stream may receive nothing (no event, no keep-alive comment)
    /// before it ends with an [`Error::Timeout`] of kind
    /// [`Idle`](super::TimeoutKind::Idle) (default [`DEFAULT_IDLE_TIMEOUT`], 5 minutes).
    ///
    /// It is separate from [`timeout`](Self::timeout), which for an event stream covers only the
    /// wait for the response's status and headers: a stream may run for hours.
    #[must_use]
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets the largest event, in bytes, an event stream accepts (default
    /// [`DEFAULT_MAX_EVENT_SIZE`], 16 MiB): one growing past it ends the stream with
    /// [`StreamError::EventTooLarge`](super::error::StreamError::EventTooLarge).
    #[must_use]
    pub fn max_event_size(mut self, bytes: u64) -> Self {
        self.max_event_size = bytes;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        check_base_url(&self.base_url)?;
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| BuildError::InvalidUserAgent)?;
        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) =
                parse_header(name, value).map_err(|reason| BuildError::InvalidHeader {
                    name: name.clone(),
                    reason,
                })?;
            default_headers.insert(name, value);
        }
        let auth = AppliedAuth::new(&self.auth)?;
        let extras = self.extras.build()?;
        let (http, connect_timeout) = match self.http_client {
            Some(client) => (client, None),
            None => default_http_client(self.connect_timeout)?,
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url: self.base_url,
                user_agent,
                default_headers,
                auth_kind: self.auth.kind(),
                auth,
                timeout: self.timeout,
                connect_timeout,
                retry_policy: self.retry_policy,
                max_response_size: self.max_response_size,
                idle_timeout: self.idle_timeout,
                max_event_size: self.max_event_size,
                extras,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("user_agent", &self.user_agent)
            .field("auth", &self.auth)
            .field("default_headers", &header_names)
            .field("custom_http_client", &self.http_client.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("max_response_size", &self.max_response_size)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_event_size", &self.max_event_size)
            .field("pipeline", &self.extras)
            .finish()
    }
}

/// A configured API client; cloning it is cheap and clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    http: reqwest::Client,
    base_url: String,
    user_agent: HeaderValue,
    default_headers: HeaderMap,
    auth_kind: &'static str,
    auth: AppliedAuth,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    retry_policy: RetryPolicy,
    max_response_size: u64,
    idle_timeout: Duration,
    max_event_size: u64,
    extras: Extras,
}

impl Client {
    /// The base URL every request path is appended to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The idle timeout and maximum event size of an event stream with these options.
    pub(super) fn stream_limits(&self, options: &super::RequestOptions) -> (Duration, u64) {
        (
            options.idle_timeout.unwrap_or(self.inner.idle_timeout),
            options.max_event_size.unwrap_or(self.inner.max_event_size),
        )
    }

    /// The underlying reqwest client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Sends the request and returns the response whatever its status.
    ///
    /// It adds the base URL, authentication, default headers and user agent; applies the
    /// timeout and retry policy (the request's [`RequestOptions`](super::RequestOptions) override
    /// the client's); and records an `http.request` tracing span with the method, path template,
    /// attempt, status and duration, never the URL, query string or headers. After the last
    /// attempt the last response is returned, even a 429 or 5xx: the generated operation turns it
    /// into a typed error. A body larger than the maximum response size ends the call with
    /// [`Error::TooLarge`] (see [`ClientBuilder::max_response_size`]).
    pub async fn execute<E>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        if let Some(message) = request.error.as_ref().or(request.options.error.as_ref()) {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let url = self.url(&request)?;
        let mut headers = self.headers(&request);
        let plan = self
            .inner
            .extras
            .plan(&request, &mut headers)
            .map_err(Error::Auth)?;
        let span = tracing::info_span!(
            "http.request",
            method = %request.method,
            path = request.path_template,
            attempt = Empty,
            status = Empty,
            duration_ms = Empty,
        );
        self.send_with_retries(&request, &url, &headers, &plan, &span)
            .instrument(span.clone())
            .await
    }

    async fn send_with_retries<E>(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        plan: &CallPlan<'_>,
        span: &tracing::Span,
    ) -> Result<RawResponse, Error<E>> {
        let policy = request
            .options
            .retry_policy
            .as_ref()
            .unwrap_or(&self.inner.retry_policy);
        // A call with an idempotency key is safe to send again whatever its method.
        let keyed_policy;
        let policy = if plan.keyed() {
            keyed_policy = policy.clone().retry_non_idempotent(true);
            &keyed_policy
        } else {
            policy
        };
        let timeout = request.options.timeout.unwrap_or(self.inner.timeout);
        let limit = request
            .options
            .max_response_size
            .unwrap_or(self.inner.max_response_size);
        let started = Instant::now();
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            let outcome = self
                .send_once(request, url, headers, timeout, limit, plan, attempt)
                .await;
            let delay = match &outcome {
                Ok(response) => policy.delay_after_response(
                    &request.method,
                    response.status(),
                    response.headers(),
                    attempt,
                    waited,
                ),
                // A timeout is the caller's budget for the call, so it is not spent again; a
                // connect timeout is a connection failure like any other.
                Err(SendError::Http(error)) if error.is_timeout() && !is_connect(error) => None,
                Err(SendError::Timeout(_)) => None,
                Err(SendError::Http(error)) => policy.delay_after_transport_error(
                    &request.method,
                    is_connect(error),
                    attempt,
                    waited,
                ),
                // The same body would be as large again; a timeout is the caller's budget; the
                // same credentials would be missing again.
                Err(
                    SendError::Invalid(_)
                    | SendError::TooLarge(_)
                    | SendError::HeadTimeout
                    | SendError::Auth(_),
                ) => None,
            };
            let Some(delay) = delay else {
                let status = match &outcome {
                    Ok(response) => Some(response.status()),
                    Err(SendError::TooLarge(error)) => Some(error.status()),
                    Err(_) => None,
                };
                if let Some(status) = status {
                    span.record("status", status);
                }
                let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                span.record("duration_ms", elapsed);
                return outcome.map_err(|error| self.classify(error, timeout));
            };
            tracing::debug!(
                attempt,
                status = outcome.as_ref().ok().map(RawResponse::status),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying request"
            );
            time::sleep(delay).await;
            waited = waited.saturating_add(delay);
            attempt += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn send_once(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        timeout: Duration,
        limit: u64,
        plan: &CallPlan<'_>,
        attempt: u32,
    ) -> Result<RawResponse, SendError> {
        let deadline = Instant::now().checked_add(timeout);
        let build = || {
            let builder = self
                .inner
                .http
                .request(request.method.clone(), url.clone())
                .headers(headers.clone());
            // An event stream may run for hours: its timeout covers the response head only, and
            // an idle timeout covers its body (see `stream`).
            let builder = if request.event_stream {
                builder
            } else {
                builder.timeout(reqwest_timeout(timeout))
            };
            let builder = match &request.body {
                Body::Empty => builder,
                Body::Bytes(bytes) => builder.body(bytes.clone()),
                Body::Multipart(parts) => {
                    builder.multipart(Body::multipart_form(parts).map_err(SendError::Invalid)?)
                }
            };
            builder.build().map_err(SendError::Http)
        };
        // Credentials, hooks and the resend after a refused token ([`super::pipeline`]).
        let dispatched = plan.dispatch(&self.inner.http, attempt, build);
        let response = if request.event_stream {
            super::stream::within(timeout, dispatched)
                .await
                .ok_or(SendError::HeadTimeout)??
        } else {
            dispatched.await?
        };
        let status = response.status().as_u16();
        if request.stream_body.is_some_and(|streams| streams(status)) {
            return Ok(RawResponse::unread(response, limit, timeout, deadline));
        }
        read_response(response, limit, deadline).await
    }

    /// Turns a failed attempt into the caller's error, telling timeouts from other failures.
    fn classify<E>(&self, error: SendError, timeout: Duration) -> Error<E> {
        let error = match error {
            SendError::Invalid(message) => return Error::InvalidRequest(message),
            SendError::TooLarge(error) => return Error::TooLarge(error),
            SendError::Auth(error) => return Error::Auth(error),
            SendError::HeadTimeout => {
                return Error::Timeout(TimeoutError::elapsed(TimeoutKind::Request, timeout))
            }
            SendError::Timeout(error) => {
                return Error::Timeout(TimeoutError::new(
                    TimeoutKind::Request,
                    Some(timeout),
                    error,
                ))
            }
            SendError::Http(error) => error,
        };
        match (error.is_timeout(), is_connect(&error)) {
            (true, true) => Error::Timeout(TimeoutError::new(
                TimeoutKind::Connect,
                self.inner.connect_timeout,
                error,
            )),
            (true, false) => Error::Timeout(TimeoutError::new(
                TimeoutKind::Request,
                Some(timeout),
                error,
            )),
            _ => Error::Transport(TransportError::new(error)),
        }
    }

    /// The full URL: base URL, path, query parameters, then the authentication parameter.
    fn url<E>(&self, request: &Request) -> Result<Url, Error<E>> {
        let mut url = self.inner.base_url.clone();
        if !request.path.is_empty() && !request.path.starts_with('/') {
            url.push('/');
        }
        url.push_str(&request.path);
        // The request's pairs are encoded already, each in its parameter's style.
        let auth_query = match &self.inner.auth {
            _ if request.extras.declares_security() => None,
            AppliedAuth::Query(name, value) => Some((
                encode_query_component(name),
                encode_query_component(value.expose()),
            )),
            _ => None,
        };
        let query = request.query.iter().cloned().chain(auth_query);
        for (index, (name, value)) in query.enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(&name);
            url.push('=');
            url.push_str(&value);
        }
        // The message names the template only: the URL may hold a secret query parameter.
        Url::parse(&url).map_err(|_| {
            Error::InvalidRequest(format!(
                "could not build a valid URL for `{}`",
                request.path_template
            ))
        })
    }

    /// The headers of a request, each layer overriding the ones before it: user agent, client
    /// default headers, authentication, the request's headers, then its options' headers.
    /// The request's header defaults fill in only names still unset.
    fn headers(&self, request: &Request) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        overlay(&mut headers, &self.inner.default_headers);
        if let AppliedAuth::Header(name, value) = &self.inner.auth {
            if !request.extras.declares_security() {
                headers.insert(name.clone(), value.clone());
            }
        }
        overlay(&mut headers, &request.headers);
        overlay(&mut headers, &request.options.headers);
        for (name, value) in &request.header_defaults {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        if matches!(request.body, Body::Multipart(_)) {
            // Reqwest sets the multipart content type, which must carry its boundary.
            headers.remove(CONTENT_TYPE);
        }
        headers
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let header_names: Vec<&str> = inner
            .default_headers
            .keys()
            .map(HeaderName::as_str)
            .collect();
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("user_agent", &inner.user_agent)
            .field("auth", &inner.auth_kind)
            .field("default_headers", &header_names)
            .field("timeout", &inner.timeout)
            .field("connect_timeout", &inner.connect_timeout)
            .field("retry_policy", &inner.retry_policy)
            .field("max_response_size", &inner.max_response_size)
            .field("idle_timeout", &inner.idle_timeout)
            .field("max_event_size", &inner.max_event_size)
            .field("pipeline", &inner.extras)
            .finish()
    }
}

/// Why one attempt failed.
pub(super) enum SendError {
    /// The request could not be built (reported as [`Error::InvalidRequest`]).
    Invalid(String),
    /// Reqwest failed to send it or to read the response.
    Http(reqwest::Error),
    /// The call's timeout expired while the body was read.
    Timeout(reqwest::Error),
    /// The response body passed the maximum response size (reported as [`Error::TooLarge`]).
    TooLarge(TooLargeError),
    /// The head of an event stream's response did not arrive within the timeout.
    HeadTimeout,
    /// The credentials could not be put on the request (reported as [`Error::Auth`]).
    Auth(AuthError),
}

/// Reads status, headers and the whole body, refusing a body larger than `limit` bytes: before
/// reading when its `Content-Length` says so, else as soon as the chunks received pass it.
/// Dropping the response unread closes the connection (on `wasm32`, aborts the `fetch`), so the
/// server stops sending. `deadline` is when the call's timeout expires.
async fn read_response(
    response: reqwest::Response,
    limit: u64,
    deadline: Option<Instant>,
) -> Result<RawResponse, SendError> {
    let status = response.status().as_u16();
    let (headers, mut chunks) = BodyChunks::split(response);
    let content_length = chunks.content_length();
    let too_large = |headers, received| {
        SendError::TooLarge(TooLargeError::new(
            limit,
            status,
            headers,
            content_length,
            received,
        ))
    };
    if content_length.is_some_and(|length| length > limit) {
        return Err(too_large(headers, 0));
    }
    let reserve = content_length.unwrap_or(0).min(MAX_PREALLOCATION);
    let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    let mut received: u64 = 0;
    let failed = |error| {
        if body::is_timeout(&error, deadline) {
            SendError::Timeout(error)
        } else {
            SendError::Http(error)
        }
    };
    while let Some(chunk) = chunks.next().await.map_err(failed)? {
        received = received.saturating_add(u64::try_from(chunk.len()).unwrap_or(u64::MAX));
        if received > limit {
            return Err(too_large(headers, received));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(RawResponse::new(status, headers, body))
}

/// The reqwest client the runtime makes when the caller supplies none, and its connect timeout.
#[cfg(not(target_arch = "wasm32"))]
fn default_http_client(
    connect_timeout: Duration,
) -> Result<(reqwest::Client, Option<Duration>), BuildError> {
    let client = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .build()
        .map_err(BuildError::HttpClient)?;
    Ok((client, Some(connect_timeout)))
}

/// The reqwest client the runtime makes when the caller supplies none: on `wasm32` the browser
/// connects, so there is no connect timeout to set.
#[cfg(target_arch = "wasm32")]
fn default_http_client(
    _connect_timeout: Duration,
) -> Result<(reqwest::Client, Option<Duration>), BuildError> {
    let client = reqwest::Client::builder()
        .build()
        .map_err(BuildError::HttpClient)?;
    Ok((client, None))
}

/// The timeout reqwest is given. On `wasm32` it is a `setTimeout` that aborts the `fetch`, and
/// reqwest refuses one past 2³¹ − 1 ms (24.8 days), so a longer one is cut to that.
fn reqwest_timeout(timeout: Duration) -> Duration {
    #[cfg(target_arch = "wasm32")]
    {
        timeout.min(Duration::from_millis(i32::MAX.unsigned_abs().into()))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        timeout
    }
}

/// Replaces, in `target`, every header that `layer` sets, keeping all of `layer`'s values.
fn overlay(target: &mut HeaderMap, layer: &HeaderMap) {
    for name in layer.keys() {
        target.remove(name);
        for value in layer.get_all(name) {
            target.append(name.clone(), value.clone());
        }
    }
}

/// The authentication as it is applied to each request.
enum AppliedAuth {
    /// Nothing to add.
    None,
    /// A header (marked sensitive) to set.
    Header(HeaderName, HeaderValue),
    /// A query parameter to append.
    Query(String, Secret),
}

impl AppliedAuth {
    /// Prepares the header or query parameter; errors never show the secret.
    fn new(auth: &Auth) -> Result<Self, BuildError> {
        let secret_value = |value: String, what: &str| {
            let mut value = HeaderValue::from_str(&value).map_err(|_| {
                BuildError::InvalidAuth(format!(
                    "the {what} contains characters not allowed in an HTTP header"
                ))
            })?;
            value.set_sensitive(true);
            Ok::<_, BuildError>(value)
        };
        Ok(match auth {
            Auth::None => AppliedAuth::None,
            Auth::Bearer(token) => AppliedAuth::Header(
                AUTHORIZATION,
                secret_value(format!("Bearer {}", token.expose()), "bearer token")?,
            ),
            Auth::Basic { username, password } => {
                let credentials = format!("{username}:{}", password.expose());
                let value = format!("Basic {}", base64_encode(credentials.as_bytes()));
                AppliedAuth::Header(AUTHORIZATION, secret_value(value, "basic credentials")?)
            }
            Auth::Header { name, value } => {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    BuildError::InvalidAuth(format!("invalid authentication header name `{name}`"))
                })?;
                let value = secret_value(value.expose().to_owned(), "authentication header value")?;
                AppliedAuth::Header(name, value)
            }
            Auth::Query { name, value } => {
                if name.is_empty() {
                    return Err(BuildError::InvalidAuth(
                        "the authentication query parameter name is empty".to_owned(),
                    ));
                }
                AppliedAuth::Query(name.clone(), value.clone())
            }
        })
    }
}

/// Accepts absolute `http` and `https` URLs without credentials, query or fragment.
fn check_base_url(url: &str) -> Result<(), BuildError> {
    let invalid = |reason: String| BuildError::InvalidBaseUrl {
        url: displayable_url(url),
        reason,
    };
    let parsed = Url::parse(url).map_err(|error| invalid(error.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https".to_owned()));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "it must not carry credentials (use `auth` instead)".to_owned(),
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment".to_owned()));
    }
    Ok(())
}

/// The URL cut before any query or fragment, with any `user:password@` removed, for messages.
fn displayable_url(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at_checked(authority_end).unwrap_or((rest, ""));
            let host = authority.rsplit('@').next().unwrap_or_default();
            format!("{scheme}://{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// The boxed future of one call: the request sent, and the response decoded.
type CallFuture<'a, T, E> = BoxFuture<'a, Result<Response<T>, Error<E>>>;

/// An operation's call in flight: awaiting it gives the decoded body with the status and
/// headers. Request builders return it from `send_with_response`.
///
/// Every operation shares this one future (the generic [`call`]): an operation only builds its
/// [`Request`] and names the plain function that decodes its responses, so a crate of a thousand
/// operations compiles one `async` body, not a thousand.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, E> {
    future: CallFuture<'a, T, E>,
}

impl<'a, T, E> Call<'a, T, E> {
    /// The call, resolving to the decoded body alone.
    pub fn into_body(self) -> CallBody<'a, T, E> {
        CallBody { call: self }
    }
}

impl<T, E> Future for Call<'_, T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().future.as_mut().poll(cx)
    }
}

impl<T, E> fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

/// An operation's call in flight, resolving to the decoded body: what awaiting a request builder
/// (or its `send`) gives.
#[must_use = "a call does nothing until it is awaited"]
pub struct CallBody<'a, T, E> {
    call: Call<'a, T, E>,
}

impl<T, E> Future for CallBody<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let call = &mut self.get_mut().call;
        Pin::new(call)
            .poll(cx)
            .map(|result| result.map(Response::into_body))
    }
}

impl<T, E> fmt::Debug for CallBody<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallBody").finish_non_exhaustive()
    }
}

/// Sends the request an operation built (or the error building it met) with
/// [`Client::execute`], and decodes the response with the operation's `decode`, which matches
/// the status to the documented bodies.
pub fn call<'a, T, E>(
    client: &'a Client,
    request: Result<Request, Error<E>>,
    decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
) -> Call<'a, T, E>
where
    T: MaybeSend + 'a,
    E: MaybeSend + 'a,
{
    Call {
        future: Box::pin(async move { decode(client.execute(request?).await?) }),
    }
}
