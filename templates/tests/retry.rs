//! Retries: which responses and errors are retried, how long the client waits, and when it stops.

mod common;

use std::time::{Duration, Instant, SystemTime};

use apigen_runtime::runtime::retry::{parse_retry_after, server_delay};
use apigen_runtime::runtime::{Error, RequestOptions, RetryPolicy};
use common::{builder, call_json, client, fast_retries, get, post, received, with_options};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Method;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts `first` for the first `times` requests to `GET /things`, then `then` for the others.
async fn sequence(
    server: &MockServer,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) {
    Mock::given(path("/things"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/things"))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({ "ok": true }))
}

#[tokio::test]
async fn retry_after_seconds_is_honoured_on_429() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "1");
    sequence(&server, limited, 1, ok()).await;
    let client = client(&server.uri());

    let started = Instant::now();
    let response = call_json::<Value>(&client, get("/things"))
        .await
        .expect("retried to success");
    let elapsed = started.elapsed();

    assert_eq!(response.status(), 200);
    assert_eq!(received(&server).await.len(), 2);
    assert!(
        elapsed >= Duration::from_millis(900),
        "waited only {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(10), "waited {elapsed:?}");
}

#[tokio::test]
async fn server_errors_until_the_cap_return_the_last_response() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(503).set_body_string("temporarily unavailable"))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let error = call_json::<Value>(&client, get("/things"))
        .await
        .unwrap_err();

    assert_eq!(
        received(&server).await.len(),
        3,
        "default policy makes 3 attempts"
    );
    match error {
        Error::Api(api) => {
            assert_eq!(api.status, 503);
            assert_eq!(api.text, "temporarily unavailable");
            assert!(api.body.is_none());
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn request_timeout_408_and_other_5xx_are_retried() {
    for status in [408, 500, 502, 504] {
        let server = MockServer::start().await;
        sequence(&server, ResponseTemplate::new(status), 1, ok()).await;
        let response = call_json::<Value>(&client(&server.uri()), get("/things")).await;
        assert!(response.is_ok(), "status {status} was not retried");
        assert_eq!(received(&server).await.len(), 2);
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let error = call_json::<Value>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn post_is_not_retried_by_default_after_a_408_or_5xx() {
    for status in [408, 500, 503] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let error = call_json::<Value>(&client(&server.uri()), post("/things"))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(status));
        assert_eq!(received(&server).await.len(), 1, "{status} was retried");
    }
}

#[tokio::test]
async fn a_429_is_retried_for_post_and_patch_by_default() {
    // A 429 means the server did not apply the request, so sending it again is safe.
    for method_ in [Method::POST, Method::PATCH] {
        let server = MockServer::start().await;
        let limited = ResponseTemplate::new(429).insert_header("Retry-After", "0");
        sequence(&server, limited, 1, ok()).await;
        let request =
            apigen_runtime::runtime::Request::new(method_.clone(), "/things", "/things".into());
        let response = call_json::<Value>(&client(&server.uri()), request)
            .await
            .unwrap_or_else(|error| panic!("{method_} after a 429 was not retried: {error}"));
        assert_eq!(response.status(), 200);
        let methods: Vec<String> = received(&server)
            .await
            .iter()
            .map(|request| request.method.to_string())
            .collect();
        assert_eq!(methods, [method_.as_str(), method_.as_str()]);
    }
}

#[tokio::test]
async fn a_429_on_post_is_retried_up_to_the_attempt_cap_then_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .mount(&server)
        .await;
    let error = call_json::<Value>(&client(&server.uri()), post("/things"))
        .await
        .unwrap_err();
    assert!(error.is_rate_limited());
    assert_eq!(
        received(&server).await.len(),
        3,
        "default policy: 3 attempts"
    );

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .mount(&server)
        .await;
    let once = RequestOptions::new().retry_policy(RetryPolicy::none());
    let _ = call_json::<Value>(&client(&server.uri()), with_options(post("/things"), once)).await;
    assert_eq!(
        received(&server).await.len(),
        1,
        "RetryPolicy::none() never retries"
    );
}

#[tokio::test]
async fn post_is_retried_when_the_call_opts_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let options = RequestOptions::new().retry_policy(fast_retries().retry_non_idempotent(true));
    let request = with_options(post("/things"), options);
    let error = call_json::<Value>(&client(&server.uri()), request)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn patch_is_retried_when_the_client_opts_in() {
    let server = MockServer::start().await;
    sequence(&server, ResponseTemplate::new(500), 1, ok()).await;
    let client = builder(&server.uri())
        .retry_policy(fast_retries().retry_non_idempotent(true))
        .build()
        .unwrap();
    let request = apigen_runtime::runtime::Request::new(Method::PATCH, "/things", "/things".into());
    call_json::<Value>(&client, request)
        .await
        .expect("retried to success");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_total_wait_cap_stops_at_once() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120"))
        .mount(&server)
        .await;
    let error = call_json::<Value>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn per_call_policy_overrides_the_client_policy() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let _ = call_json::<Value>(&client, get("/things")).await;
    assert_eq!(
        received(&server).await.len(),
        1,
        "client policy: no retries"
    );

    let options = RequestOptions::new().retry_policy(fast_retries().max_attempts(4));
    let _ = call_json::<Value>(&client, with_options(get("/things"), options)).await;
    assert_eq!(
        received(&server).await.len(),
        1 + 4,
        "call policy: 4 attempts"
    );
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported_as_transport() {
    let url = common::closed_port_url().await;
    // Connection failures are retried even for POST: nothing was sent.
    let error = call_json::<Value>(&client(&url), post("/things"))
        .await
        .unwrap_err();
    match error {
        Error::Transport(transport) => assert!(transport.is_connect()),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

#[test]
fn retry_after_accepts_seconds_and_http_dates() {
    let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:32 GMT").unwrap();
    assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
    assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
        Some(Duration::from_secs(5))
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
        Some(Duration::ZERO),
        "a date in the past means no wait"
    );
    assert_eq!(parse_retry_after("soon", now), None);
    assert_eq!(parse_retry_after("-1", now), None);
}

#[test]
fn rate_limit_reset_is_used_on_429_only_and_after_retry_after() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-reset", HeaderValue::from_static("1700000007"));
    assert_eq!(
        server_delay(429, &headers, now),
        Some(Duration::from_secs(7))
    );
    assert_eq!(server_delay(503, &headers, now), None);

    headers.insert("retry-after", HeaderValue::from_static("2"));
    assert_eq!(
        server_delay(429, &headers, now),
        Some(Duration::from_secs(2))
    );

    let mut relative = HeaderMap::new();
    relative.insert("x-ratelimit-reset", HeaderValue::from_static("30"));
    assert_eq!(
        server_delay(429, &relative, now),
        Some(Duration::from_secs(30))
    );

    let mut past = HeaderMap::new();
    past.insert("x-ratelimit-reset", HeaderValue::from_static("1600000000"));
    assert_eq!(server_delay(429, &past, now), Some(Duration::ZERO));
}

#[test]
fn backoff_grows_with_jitter_and_is_capped() {
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(1000));
    for _ in 0..100 {
        let first = policy.backoff(1);
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
        let third = policy.backoff(3);
        assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
        let late = policy.backoff(40);
        assert!(late >= Duration::from_millis(500) && late <= Duration::from_millis(1000));
    }
    assert_eq!(RetryPolicy::none().attempts(), 1);
    assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    assert_eq!(RetryPolicy::default().attempts(), 3);
}

#[test]
fn which_statuses_are_retried_for_which_methods() {
    let default = RetryPolicy::default();
    let opted_in = RetryPolicy::default().retry_non_idempotent(true);
    for method_ in [
        Method::GET,
        Method::PUT,
        Method::DELETE,
        Method::POST,
        Method::PATCH,
    ] {
        let idempotent = method_ != Method::POST && method_ != Method::PATCH;
        assert!(default.allows_status(&method_, 429), "429 {method_}");
        for status in [408, 500, 502, 503, 504] {
            assert_eq!(
                default.allows_status(&method_, status),
                idempotent,
                "{status} {method_}"
            );
            assert!(
                opted_in.allows_status(&method_, status),
                "{status} {method_}"
            );
        }
        for status in [200, 400, 401, 404, 409, 422] {
            assert!(
                !opted_in.allows_status(&method_, status),
                "{status} {method_}"
            );
        }
    }
}

#[test]
fn total_wait_cap_stops_retries() {
    let policy = RetryPolicy::default().max_total_wait(Duration::from_secs(5));
    let headers = HeaderMap::new();
    let mut retry_after = HeaderMap::new();
    retry_after.insert("retry-after", HeaderValue::from_static("4"));
    assert_eq!(
        policy.delay_after_response(&Method::GET, 503, &retry_after, 1, Duration::ZERO),
        Some(Duration::from_secs(4))
    );
    assert_eq!(
        policy.delay_after_response(&Method::GET, 503, &retry_after, 1, Duration::from_secs(2)),
        None
    );
    assert_eq!(
        policy.delay_after_response(&Method::GET, 503, &headers, 3, Duration::ZERO),
        None,
        "no attempt after the last one"
    );
    assert_eq!(
        policy.delay_after_response(&Method::POST, 503, &headers, 1, Duration::ZERO),
        None
    );
    assert!(policy
        .delay_after_response(&Method::POST, 429, &headers, 1, Duration::ZERO)
        .is_some());
    assert_eq!(
        policy.delay_after_response(&Method::POST, 429, &retry_after, 1, Duration::from_secs(2)),
        None,
        "a 429 on POST still respects the total wait cap"
    );
    assert!(policy
        .delay_after_transport_error(&Method::POST, true, 1, Duration::ZERO)
        .is_some());
    assert!(policy
        .delay_after_transport_error(&Method::POST, false, 1, Duration::ZERO)
        .is_none());
}
