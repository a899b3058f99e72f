//! Hooks: code that runs around every attempt of every call.
//!
//! A [`Hook`] registered with [`ClientBuilder::hook`](super::ClientBuilder::hook) sees each
//! request just before it is sent ([`Hook::before_send`], which may add headers or sign it) and
//! each attempt's outcome ([`Hook::after_response`], for metrics and logging). Hooks run in the
//! order they were registered, once per attempt: a retried call, the resend after a refused
//! token and every page of a pagination stream go through them, and the [`HookContext`] tells
//! the operation, the attempt and the idempotency key. The request a hook sees carries the
//! credentials, so a hook must not log its headers or URL.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::Method;

use super::platform::BoxFuture;

/// The future a hook returns.
pub type HookFuture<'a, T> = BoxFuture<'a, T>;

/// Code run around every attempt; both methods do nothing by default.
///
/// ```ignore
/// struct Sign(Key);
///
/// impl Hook for Sign {
///     fn before_send<'a>(
///         &'a self,
///         context: &'a HookContext,
///         request: &'a mut reqwest::Request,
///     ) -> HookFuture<'a, Result<(), HookError>> {
///         Box::pin(async move {
///             let body = request.body().and_then(|body| body.as_bytes()).unwrap_or_default();
///             let signature = self.0.sign(request.method().as_str(), request.url().path(), body);
///             request.headers_mut().insert("x-signature", signature.parse()?);
///             Ok(())
///         })
///     }
/// }
/// ```
pub trait Hook: Send + Sync {
    /// Runs just before an attempt is sent, after the credentials, the idempotency key and the
    /// per-call headers are set. An error ends the call with
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest) naming the hook's error, and
    /// nothing is sent.
    fn before_send<'a>(
        &'a self,
        context: &'a HookContext,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a, Result<(), HookError>> {
        let _ = (context, request);
        Box::pin(async { Ok(()) })
    }

    /// Runs when an attempt has its response head (status and headers), or has failed.
    fn after_response<'a>(
        &'a self,
        context: &'a HookContext,
        outcome: &'a AttemptOutcome<'a>,
    ) -> HookFuture<'a, ()> {
        let _ = (context, outcome);
        Box::pin(async {})
    }
}

/// A hook's failure: what it says is shown in the call's error, so it must not hold a secret.
pub type HookError = Box<dyn StdError + Send + Sync>;

/// What a hook knows about the call.
#[derive(Clone, Debug)]
pub struct HookContext {
    pub(super) operation_id: Option<&'static str>,
    pub(super) method: Method,
    pub(super) path_template: &'static str,
    pub(super) attempt: u32,
    pub(super) idempotency_key: Option<String>,
}

impl HookContext {
    /// The operation's `operationId`, when the generated code gave one.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.operation_id
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template, such as `/contacts/{id}`.
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// The attempt's number: 1 for the first, 2 for the first retry, and so on. The resend with
    /// a fresh token after a 401 keeps the number of the attempt it repeats.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The idempotency key the call carries, the same on every attempt.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }
}

/// How one attempt ended, as hooks see it.
#[derive(Debug)]
pub struct AttemptOutcome<'a> {
    pub(super) elapsed: Duration,
    pub(super) status: Option<u16>,
    pub(super) headers: Option<&'a HeaderMap>,
    pub(super) failure: Option<Failure>,
}

/// Why an attempt failed without a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The connection could not be established.
    Connect,
    /// The attempt's timeout expired.
    Timeout,
    /// The connection failed after the request was sent, or the head could not be read.
    Other,
}

impl AttemptOutcome<'_> {
    /// The time from sending to the response head, or to the failure.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The response status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The response headers, when the server answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.headers
    }

    /// Why the attempt failed, when no response came.
    pub fn failure(&self) -> Option<Failure> {
        self.failure
    }
}

/// The registered hooks, in order.
#[derive(Clone, Default)]
pub(super) struct Hooks(pub(super) Vec<Arc<dyn Hook>>);

impl Hooks {
    /// Runs every `before_send`, stopping at the first error (whose text it returns).
    pub(super) async fn before_send(
        &self,
        context: &HookContext,
        request: &mut reqwest::Request,
    ) -> Result<(), String> {
        for (index, hook) in self.0.iter().enumerate() {
            if let Err(error) = hook.before_send(context, request).await {
                return Err(format!("before-send hook {} failed: {error}", index + 1));
            }
        }
        Ok(())
    }

    /// Runs every `after_response`.
    pub(super) async fn after_response(&self, context: &HookContext, outcome: &AttemptOutcome<'_>) {
        for hook in &self.0 {
            hook.after_response(context, outcome).await;
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}
