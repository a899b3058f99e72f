//! When and how long to wait before sending a request again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::Method;

use super::response::header_u64;
use super::time::system_now;

/// How a client retries failed requests.
///
/// A request is retried when the server answers 408, 429 or 5xx, or when the connection
/// fails. A 429 Too Many Requests and a connection failure before anything was sent are retried
/// for every method, POST and PATCH included: in both cases the server did not apply the
/// request. The other cases (408, 5xx, a connection lost after sending) are retried only for
/// idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE), unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) opts POST and PATCH in, since the server
/// may have applied the request before failing. A request that timed out is not retried: a
/// timeout is the caller's budget for the whole call.
///
/// On `wasm32` the browser's `fetch` does not say whether a failed request reached the server,
/// so every network failure counts as a connection lost after sending: it is retried for
/// idempotent methods (and POST and PATCH only with `retry_non_idempotent`). The waits run on the
/// JavaScript timer there.
///
/// The wait is the server's `Retry-After` (seconds or an HTTP date) when present, else, on 429,
/// its `X-RateLimit-Reset`, else an exponential backoff with jitter. When the next wait would take
/// the total wait past [`max_total_wait`](Self::max_total_wait), the runtime stops and returns
/// the last response or error instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_total_wait: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three attempts in all, backoff from 250 ms doubling up to 8 s, at most 30 s of waiting,
    /// 408 and 5xx retried for idempotent methods only (429 for every method).
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_total_wait: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retries: one attempt.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// The number of attempts in all, the first one included (0 is taken as 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles with each further retry.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts (a server's `Retry-After` is not capped by it).
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest total time spent waiting between attempts of one call.
    #[must_use]
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Whether POST and PATCH requests are retried after a 408, a 5xx or a connection lost
    /// after sending, as idempotent ones are (they may then be applied twice). A 429 is retried
    /// for every method whatever this says.
    #[must_use]
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The number of attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether requests with this method may be retried after the server may have applied them
    /// (a 408, a 5xx, a connection lost after sending).
    pub fn allows_method(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }

    /// Whether a response with this status to a request with this method may be retried: a 429
    /// always, 408 and 5xx when [`allows_method`](Self::allows_method), nothing else.
    pub fn allows_status(&self, method: &Method, status: u16) -> bool {
        status == 429 || (is_retryable_status(status) && self.allows_method(method))
    }

    /// The wait before the next attempt after a response with this status, or `None` to stop.
    ///
    /// `attempt` is the number of the attempt that just ended (1 for the first) and `waited` the
    /// time already spent waiting in this call.
    pub fn delay_after_response(
        &self,
        method: &Method,
        status: u16,
        headers: &HeaderMap,
        attempt: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if !self.allows_status(method, status) {
            return None;
        }
        let wait =
            server_delay(status, headers, system_now()).unwrap_or_else(|| self.backoff(attempt));
        self.within_budget(attempt, waited, wait)
    }

    /// The wait before the next attempt after a transport error, or `None` to stop.
    ///
    /// `connect` tells that the connection failed, so that the request was never sent.
    pub fn delay_after_transport_error(
        &self,
        method: &Method,
        connect: bool,
        attempt: u32,
        waited: Duration,
    ) -> Option<Duration> {
        if !connect && !self.allows_method(method) {
            return None;
        }
        self.within_budget(attempt, waited, self.backoff(attempt))
    }

    /// The exponential backoff after attempt number `attempt`, with "equal jitter": a random
    /// duration between half and all of `initial_backoff * 2^(attempt - 1)`, capped at
    /// `max_backoff`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let base = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let nanos = u64::try_from(base.as_nanos()).unwrap_or(u64::MAX);
        let half = nanos / 2;
        Duration::from_nanos(half + random_u64() % (nanos - half + 1))
    }

    fn within_budget(&self, attempt: u32, waited: Duration, wait: Duration) -> Option<Duration> {
        let fits = waited.saturating_add(wait) <= self.max_total_wait;
        (attempt < self.max_attempts && fits).then_some(wait)
    }
}

/// True for GET, HEAD, OPTIONS, PUT, DELETE and TRACE, which RFC 9110 makes idempotent.
pub fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::PUT,
        Method::DELETE,
        Method::TRACE,
    ]
    .contains(method)
}

/// True for 408 Request Timeout, 429 Too Many Requests and every 5xx status.
pub fn is_retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}

/// The wait the server asks for: `Retry-After`, else on 429 `X-RateLimit-Reset`.
///
/// `X-RateLimit-Reset` is read as Unix seconds; a value below 1 000 000 000 (before 2001) is
/// taken as a number of seconds from now, as some servers send it.
pub fn server_delay(status: u16, headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(value) = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()) {
        if let Some(delay) = parse_retry_after(value, now) {
            return Some(delay);
        }
    }
    if status != 429 {
        return None;
    }
    let reset = header_u64(headers, "x-ratelimit-reset")?;
    if reset < 1_000_000_000 {
        return Some(Duration::from_secs(reset));
    }
    let reset = UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
    Some(reset.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses a `Retry-After` value: delay seconds, or an HTTP date (a date in the past is no wait).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A pseudo-random number for jitter (`SplitMix64` over a counter mixed with the clock); not for
/// anything that needs real randomness.
pub fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = system_now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::from(elapsed.subsec_nanos()) ^ elapsed.as_secs())
        .unwrap_or_default();
    let mut z = COUNTER
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(nanos);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
