//! Timers and clocks that work on every target the runtime builds for.
//!
//! Every wait, deadline and clock reading of the runtime goes through this module, so that the
//! same code runs natively and in a browser:
//!
//! - natively, [`sleep`] is Tokio's timer (the Tokio runtime reqwest already needs, with its time
//!   driver), and [`Instant`] and [`system_now`] are the standard library's clocks;
//! - on `wasm32-unknown-unknown`, where the standard library's clocks panic and there is no Tokio
//!   timer, [`sleep`] is the JavaScript event loop's `setTimeout` (through `gloo-timers`), and
//!   [`Instant`] and [`system_now`] read `performance.now()` and `Date.now()` (through
//!   `web-time`). They work in browsers, web workers and Node.js alike.
//!
//! Natively the futures of [`sleep`] and [`timeout`] are `Send`; on wasm they are not, as nothing
//! there is (see [`MaybeSend`](super::platform::MaybeSend)).

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::time::{Duration, SystemTime};

use futures_util::future::{select, Either};

/// A monotonic clock reading: `std::time::Instant` natively, `web_time::Instant`
/// (`performance.now()`) on wasm, with the same methods.
#[cfg(not(target_arch = "wasm32"))]
pub use std::time::Instant;
/// A monotonic clock reading: `std::time::Instant` natively, `web_time::Instant`
/// (`performance.now()`) on wasm, with the same methods.
#[cfg(target_arch = "wasm32")]
pub use web_time::Instant;

/// The current wall-clock time, as a `std::time::SystemTime` on every target (on wasm read from
/// `Date.now()`, where `SystemTime::now` would panic).
pub fn system_now() -> SystemTime {
    #[cfg(not(target_arch = "wasm32"))]
    {
        SystemTime::now()
    }
    #[cfg(target_arch = "wasm32")]
    {
        let since_epoch = web_time::SystemTime::now()
            .duration_since(web_time::UNIX_EPOCH)
            .unwrap_or_default();
        std::time::UNIX_EPOCH
            .checked_add(since_epoch)
            .unwrap_or(std::time::UNIX_EPOCH)
    }
}

/// Waits for `duration` (any length: a wait too long for the platform's timer is made of
/// several shorter ones).
pub async fn sleep(duration: Duration) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        tokio::time::sleep(duration).await;
    }
    #[cfg(target_arch = "wasm32")]
    {
        sleep_until_wasm(Instant::now().checked_add(duration)).await;
    }
}

/// Waits until `deadline` (at once when it has passed).
pub async fn sleep_until(deadline: Instant) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)).await;
    }
    #[cfg(target_arch = "wasm32")]
    {
        sleep_until_wasm(Some(deadline)).await;
    }
}

/// The longest single `setTimeout` the wasm timer asks for: a day, well under the 2³¹ − 1 ms past
/// which browsers fire a timeout at once.
#[cfg(target_arch = "wasm32")]
const MAX_TIMER_STEP: Duration = Duration::from_secs(24 * 60 * 60);

/// Waits until `deadline` with `setTimeout`s of at most [`MAX_TIMER_STEP`], reading the clock
/// after each (a timer may fire early or late); `None` is a deadline past the clock's range.
#[cfg(target_arch = "wasm32")]
async fn sleep_until_wasm(deadline: Option<Instant>) {
    loop {
        let remaining = match deadline {
            Some(deadline) => deadline.saturating_duration_since(Instant::now()),
            None => MAX_TIMER_STEP,
        };
        if remaining.is_zero() {
            return;
        }
        let step = remaining.min(MAX_TIMER_STEP);
        // Rounded up, so that a wait of less than a millisecond is not a busy loop of zero ones.
        let millis = step.as_micros().div_ceil(1000);
        gloo_timers::future::TimeoutFuture::new(u32::try_from(millis).unwrap_or(u32::MAX)).await;
    }
}

/// Runs `future` for at most `duration`: its output, or [`Elapsed`] when the time ran out first
/// (the future is then dropped). A future ready when the time runs out wins.
pub async fn timeout<F: Future>(duration: Duration, future: F) -> Result<F::Output, Elapsed> {
    let future = pin!(future);
    let timer = pin!(sleep(duration));
    match select(future, timer).await {
        Either::Left((output, _)) => Ok(output),
        Either::Right(((), _)) => Err(Elapsed { after: duration }),
    }
}

/// Runs `future` until `deadline` at most: its output, or [`Elapsed`] when the deadline came
/// first. [`Elapsed::after`] is then the time from this call to the deadline.
pub async fn timeout_at<F: Future>(deadline: Instant, future: F) -> Result<F::Output, Elapsed> {
    let after = deadline.saturating_duration_since(Instant::now());
    let future = pin!(future);
    let timer = pin!(sleep_until(deadline));
    match select(future, timer).await {
        Either::Left((output, _)) => Ok(output),
        Either::Right(((), _)) => Err(Elapsed { after }),
    }
}

/// What [`timeout`] and [`timeout_at`] return when the time ran out before the future finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed {
    after: Duration,
}

impl Elapsed {
    /// How long the future was given.
    pub fn after(&self) -> Duration {
        self.after
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timed out after {} ms", self.after.as_millis())
    }
}

impl StdError for Elapsed {}
