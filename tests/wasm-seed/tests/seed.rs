//! The seed client built for `wasm32-unknown-unknown`, run under Node.js against the loopback
//! server of `run.mjs`: the exact request, a retry after a 429 (the back-off waits on the
//! JavaScript timer), the maximum response size (declared and streamed), the whole-request
//! timeout before the headers and during the body, a refused connection, pagination's repeated
//! cursor check (its hasher's keys), and `runtime::time`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use intercom_seed::runtime::time::{self, Instant};
use intercom_seed::runtime::{items, Error as RuntimeError};
use intercom_seed::types::AttachContactToACompanyRequest;
use intercom_seed::{Client, Error, RetryPolicy, TimeoutKind};
use wasm_bindgen_test::wasm_bindgen_test;

const SERVER: &str = env!(
    "APIGEN_WASM_SERVER",
    "run these tests with `node tests/wasm-seed/run.mjs`, which starts their server"
);
const CLOSED: &str = env!(
    "APIGEN_WASM_CLOSED",
    "run these tests with `node tests/wasm-seed/run.mjs`, which finds a closed port"
);
const TOKEN: &str = "dG9rOnNlY3JldC10b2tlbi0xMjM0NQ==";

/// A client whose base URL is the server's `scenario`.
fn client(scenario: &str) -> intercom_seed::ClientBuilder {
    Client::builder()
        .bearer_token(TOKEN)
        .base_url(format!("{SERVER}/{scenario}"))
}

fn body() -> AttachContactToACompanyRequest {
    AttachContactToACompanyRequest::new("58a430d35458202d41b1e65b")
}

/// A contact id no other test uses, so that the server counts this test's attempts alone.
fn fresh_id(name: &str) -> String {
    let now = time::system_now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{name}-{}", now.as_nanos())
}

#[wasm_bindgen_test]
async fn sends_the_exact_request_and_decodes_the_response() {
    let client = client("exact").build().expect("the client builds");
    let response = client
        .companies()
        .attach_contact("63a07ddf05a32042dffac965", body())
        .send_with_response()
        .await
        .expect("the call succeeds");
    let echo = |name: &str| {
        response
            .headers()
            .get(format!("x-echo-{name}"))
            .and_then(|value| value.to_str().ok())
            .unwrap_or_else(|| panic!("the server echoes {name}"))
            .to_owned()
    };
    assert_eq!(response.status(), 200);
    assert_eq!(echo("method"), "POST");
    assert_eq!(
        echo("path"),
        "/exact/contacts/63a07ddf05a32042dffac965/companies"
    );
    assert_eq!(echo("query"), "");
    assert_eq!(echo("authorization"), format!("Bearer {TOKEN}"));
    assert_eq!(echo("content-type"), "application/json");
    assert_eq!(echo("accept"), "application/json");
    assert_eq!(echo("intercom-version"), "2.13");
    let sent: serde_json::Value = serde_json::from_str(&echo("body")).expect("the body is JSON");
    assert_eq!(sent, serde_json::json!({"id": "58a430d35458202d41b1e65b"}));
    assert_eq!(response.request_id(), Some("req-wasm-1"));
    let company = response.into_body();
    assert_eq!(company.id.as_deref(), Some("677c55186abd011ad17ff4a3"));
    assert_eq!(company.name.as_deref(), Some("Acme"));
}

#[wasm_bindgen_test]
async fn a_429_is_retried_after_the_back_off() {
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(200));
    let client = client("flaky")
        .retry_policy(policy)
        .build()
        .expect("the client builds");
    let started = Instant::now();
    let response = client
        .companies()
        .attach_contact(fresh_id("retry"), body())
        .send_with_response()
        .await
        .expect("the second attempt succeeds");
    // Equal jitter: the first back-off is between half and all of 200 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "{:?}",
        started.elapsed()
    );
    let attempt = response
        .headers()
        .get("x-attempt")
        .and_then(|v| v.to_str().ok());
    assert_eq!(attempt, Some("2"));
}

#[wasm_bindgen_test]
async fn a_429_on_the_last_attempt_is_the_api_error() {
    let client = client("flaky")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the client builds");
    let error = client
        .companies()
        .attach_contact(fresh_id("once"), body())
        .await
        .expect_err("one attempt gets the 429");
    assert_eq!(error.status(), Some(429));
    assert!(error.is_rate_limited());
}

#[wasm_bindgen_test]
async fn a_streamed_body_past_the_limit_stops_being_read() {
    let limit = 64 * 1024;
    let client = client("chunked")
        .max_response_size(limit)
        .build()
        .expect("the client builds");
    let error = client
        .companies()
        .attach_contact("big", body())
        .await
        .expect_err("the body is larger than the limit");
    let Error::TooLarge(error) = error else {
        panic!("expected TooLarge, got {error:?}");
    };
    assert_eq!(error.limit(), limit);
    assert_eq!(error.content_length(), None);
    assert!(error.received() > limit, "{}", error.received());
    // The server sends 320 KiB in 16 KiB chunks: reading stopped long before their end.
    assert!(error.received() < 200 * 1024, "{}", error.received());
}

#[wasm_bindgen_test]
async fn a_declared_length_past_the_limit_is_refused_before_reading() {
    let client = client("declared")
        .max_response_size(1024)
        .build()
        .expect("the client builds");
    let error = client
        .companies()
        .attach_contact("declared", body())
        .await
        .expect_err("the declared body is larger than the limit");
    let Error::TooLarge(error) = error else {
        panic!("expected TooLarge, got {error:?}");
    };
    assert_eq!(error.content_length(), Some(1024 * 1024));
    assert_eq!(error.received(), 0);
}

#[wasm_bindgen_test]
async fn the_timeout_covers_waiting_for_the_headers() {
    let client = client("slow-headers")
        .timeout(Duration::from_millis(300))
        .build()
        .expect("the client builds");
    let started = Instant::now();
    let error = client
        .companies()
        .attach_contact("slow", body())
        .await
        .expect_err("the server answers after 3 s");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let Error::Timeout(timeout) = error else {
        panic!("expected Timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Request);
    assert_eq!(timeout.after(), Some(Duration::from_millis(300)));
}

#[wasm_bindgen_test]
async fn the_timeout_covers_reading_the_body() {
    let client = client("slow-body")
        .timeout(Duration::from_millis(300))
        .build()
        .expect("the client builds");
    let started = Instant::now();
    let error = client
        .companies()
        .attach_contact("slow", body())
        .await
        .expect_err("the body's end comes after 3 s");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let Error::Timeout(timeout) = error else {
        panic!("expected Timeout, got {error:?}");
    };
    assert_eq!(timeout.kind(), TimeoutKind::Request);
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_transport_error_not_marked_as_connect() {
    let client = Client::builder()
        .bearer_token(TOKEN)
        .base_url(CLOSED)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the client builds");
    let error = client
        .companies()
        .attach_contact("nobody", body())
        .await
        .expect_err("nothing listens there");
    let Error::Transport(transport) = &error else {
        panic!("expected Transport, got {error:?}");
    };
    // The browser's fetch does not tell a refused connection from a lost one.
    assert!(!transport.is_connect());
    assert!(!error.to_string().contains("nobody"), "{error}");
}

#[wasm_bindgen_test]
async fn sleep_waits_on_the_javascript_timer() {
    let started = Instant::now();
    time::sleep(Duration::from_millis(120)).await;
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(120), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[wasm_bindgen_test]
async fn timeout_ends_a_longer_future_and_keeps_a_shorter_one() {
    let elapsed = time::timeout(
        Duration::from_millis(50),
        time::sleep(Duration::from_secs(5)),
    )
    .await
    .expect_err("the sleep is longer than the timeout");
    assert_eq!(elapsed.after(), Duration::from_millis(50));
    let done = time::timeout(Duration::from_secs(5), async {
        time::sleep(Duration::from_millis(10)).await;
        "done"
    })
    .await;
    assert_eq!(done, Ok("done"));
    let deadline = Instant::now() + Duration::from_millis(40);
    let late = time::timeout_at(deadline, std::future::pending::<()>()).await;
    assert!(late.is_err());
    assert!(Instant::now() >= deadline);
}

#[wasm_bindgen_test]
fn the_wall_clock_reads_date_now() {
    let since_epoch = time::system_now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    // After 2023-11-14 and before 2100.
    assert!(
        since_epoch > Duration::from_secs(1_700_000_000),
        "{since_epoch:?}"
    );
    assert!(
        since_epoch < Duration::from_secs(4_102_444_800),
        "{since_epoch:?}"
    );
}

#[wasm_bindgen_test]
async fn a_repeated_cursor_ends_an_item_stream_with_an_error() {
    // Page 2 names itself as the next page and brings the same items again.
    let fetch = |state: u32| {
        std::future::ready(Ok::<_, RuntimeError<()>>(match state {
            1 => (vec![1, 2], Some(2)),
            _ => (vec![3], Some(2)),
        }))
    };
    let stream = std::pin::pin!(items(1u32, fetch));
    let collected: Vec<_> = futures_util::StreamExt::collect(stream).await;
    assert_eq!(collected.len(), 4, "{collected:?}");
    let values: Vec<u32> = collected[..3]
        .iter()
        .map(|item| *item.as_ref().unwrap())
        .collect();
    assert_eq!(values, [1, 2, 3]);
    assert!(
        matches!(collected[3], Err(RuntimeError::RepeatedCursor(_))),
        "{:?}",
        collected[3]
    );
}
