//! `runtime::time`: the timers and clocks every wait of the runtime goes through (natively,
//! Tokio's timer and the standard clocks; `tests/wasm.rs` runs the wasm side).

use std::future::{pending, ready};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apigen_runtime::runtime::platform::{BoxFuture, MaybeSend};
use apigen_runtime::runtime::time::{self, Instant};

#[tokio::test(start_paused = true)]
async fn sleep_waits_for_its_duration() {
    let started = tokio::time::Instant::now();
    time::sleep(Duration::from_secs(90)).await;
    assert_eq!(started.elapsed(), Duration::from_secs(90));
}

#[tokio::test(start_paused = true)]
async fn sleep_until_a_deadline_in_the_past_returns_at_once() {
    let started = tokio::time::Instant::now();
    let past = Instant::now().checked_sub(Duration::from_secs(1)).unwrap();
    time::sleep_until(past).await;
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test]
async fn sleep_until_waits_for_the_deadline() {
    let deadline = Instant::now() + Duration::from_millis(30);
    time::sleep_until(deadline).await;
    assert!(Instant::now() >= deadline);
}

#[tokio::test(start_paused = true)]
async fn timeout_gives_the_output_of_a_future_that_finishes_in_time() {
    let output = time::timeout(Duration::from_secs(1), async {
        time::sleep(Duration::from_millis(999)).await;
        7
    })
    .await;
    assert_eq!(output, Ok(7));
}

#[tokio::test(start_paused = true)]
async fn timeout_gives_elapsed_when_the_time_runs_out_first() {
    let started = tokio::time::Instant::now();
    let output = time::timeout(Duration::from_secs(5), pending::<()>()).await;
    let elapsed = output.unwrap_err();
    assert_eq!(elapsed.after(), Duration::from_secs(5));
    assert_eq!(elapsed.to_string(), "timed out after 5000 ms");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn a_future_ready_when_the_time_runs_out_wins() {
    assert_eq!(
        time::timeout(Duration::ZERO, ready("done")).await,
        Ok("done")
    );
}

#[tokio::test(start_paused = true)]
async fn timeout_at_stops_at_the_deadline() {
    let deadline = Instant::now() + Duration::from_secs(2);
    let output = time::timeout_at(deadline, pending::<()>()).await;
    let elapsed = output.unwrap_err();
    assert!(elapsed.after() <= Duration::from_secs(2));
    let finished = time::timeout_at(Instant::now() + Duration::from_secs(2), ready(1)).await;
    assert_eq!(finished, Ok(1));
}

#[test]
fn the_wall_clock_is_the_system_clock() {
    let before = SystemTime::now();
    let now = time::system_now();
    let after = SystemTime::now();
    assert!(before <= now && now <= after);
    assert!(now.duration_since(UNIX_EPOCH).unwrap() > Duration::from_secs(1_700_000_000));
}

/// Natively, the runtime's futures must stay `Send`, so that calls can be spawned.
#[test]
fn the_timers_and_boxed_futures_are_send_natively() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_maybe_send<T: MaybeSend>(value: T) -> T {
        value
    }
    let sleep = time::sleep(Duration::from_secs(1));
    assert_send(&sleep);
    let timeout = time::timeout(Duration::from_secs(1), ready(()));
    assert_send(&timeout);
    let boxed: BoxFuture<'static, u8> = Box::pin(ready(1));
    assert_send(&assert_maybe_send(boxed));
}
