//! The helpers on `Error`: status, not found, rate limited, retry-after, request id, rate limit,
//! timeout; on documented and undocumented statuses, and on errors with no response at all.

mod common;

use std::time::Duration;

use apigen_runtime::runtime::{Client, Error, Request, Response, RetryPolicy};
use common::{builder, call_json, get, ApiErrorBody};
use serde_json::{json, Value};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An operation that documents no error status: every non-200 is unexpected.
async fn call_undocumented(
    client: &Client,
    request: Request,
) -> Result<Response<Value>, Error<ApiErrorBody>> {
    let raw = client.execute(request).await?;
    match raw.status() {
        200 => raw.json(),
        _ => Err(raw.unexpected()),
    }
}

fn no_retries(url: &str) -> Client {
    builder(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn not_found_reads_the_same_documented_or_not() {
    let not_found = ResponseTemplate::new(404)
        .set_body_json(json!({ "code": "not_found", "message": "no such thing" }))
        .insert_header("X-Request-Id", "req-404");
    let server = server_answering(not_found).await;
    let client = no_retries(&server.uri());

    let documented = call_json::<Value>(&client, get("/things"))
        .await
        .unwrap_err();
    let undocumented = call_undocumented(&client, get("/things"))
        .await
        .unwrap_err();

    for error in [&documented, &undocumented] {
        assert_eq!(error.status(), Some(404));
        assert!(error.is_not_found());
        assert!(!error.is_rate_limited());
        assert!(!error.is_timeout());
        assert_eq!(error.request_id(), Some("req-404"));
        assert_eq!(error.retry_after(), None);
        assert_eq!(error.headers().unwrap()["x-request-id"], "req-404");
    }
    assert_eq!(
        documented.api_body().map(|body| body.code.as_str()),
        Some("not_found")
    );
    assert!(
        undocumented.api_body().is_none(),
        "an undocumented status has no typed body"
    );
    assert!(undocumented
        .as_api()
        .unwrap()
        .text
        .contains("no such thing"));
}

#[tokio::test]
async fn rate_limited_reads_retry_after_seconds_and_dates() {
    let server = server_answering(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "7")
            .insert_header("X-RateLimit-Remaining", "0"),
    )
    .await;
    let error = call_json::<Value>(&no_retries(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    assert!(error.is_rate_limited());
    assert!(!error.is_not_found());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(
        error.rate_limit().and_then(|limit| limit.remaining),
        Some(0)
    );

    let in_a_minute =
        httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(60));
    let server = server_answering(
        ResponseTemplate::new(429).insert_header("Retry-After", in_a_minute.as_str()),
    )
    .await;
    let error = call_undocumented(&no_retries(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    let wait = error.retry_after().expect("an HTTP date is read");
    assert!(
        wait > Duration::from_secs(55) && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
}

#[tokio::test]
async fn rate_limited_falls_back_to_the_rate_limit_reset_on_429_only() {
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 30;
    let with_reset = |status| {
        ResponseTemplate::new(status).insert_header("X-RateLimit-Reset", reset.to_string().as_str())
    };
    let server = server_answering(with_reset(429)).await;
    let error = call_json::<Value>(&no_retries(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    let wait = error
        .retry_after()
        .expect("the reset time is read on a 429");
    assert!(
        wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
        "{wait:?}"
    );

    let server = server_answering(with_reset(403)).await;
    let error = call_json::<Value>(&no_retries(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    assert_eq!(
        error.retry_after(),
        None,
        "a reset time is no request to wait on a 403"
    );
}

#[tokio::test]
async fn a_server_error_may_ask_to_wait_too() {
    let server =
        server_answering(ResponseTemplate::new(503).insert_header("Retry-After", "120")).await;
    let error = call_undocumented(&no_retries(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(!error.is_rate_limited());
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn errors_without_a_response_have_no_status_or_metadata() {
    let closed = common::closed_port_url().await;
    let transport = call_json::<Value>(&no_retries(&closed), get("/things"))
        .await
        .unwrap_err();
    let silent = common::silent_server().await;
    let client = builder(&silent)
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let timeout = call_json::<Value>(&client, get("/things"))
        .await
        .unwrap_err();
    let invalid: Error<ApiErrorBody> = Error::InvalidRequest("bad".into());

    assert!(matches!(transport, Error::Transport(_)));
    assert!(timeout.is_timeout());
    for error in [&transport, &timeout, &invalid] {
        assert_eq!(error.status(), None);
        assert!(!error.is_not_found() && !error.is_rate_limited());
        assert_eq!(error.retry_after(), None);
        assert_eq!(error.request_id(), None);
        assert!(error.headers().is_none() && error.rate_limit().is_none());
    }
    assert!(!transport.is_timeout() && !invalid.is_timeout());
}

#[tokio::test]
async fn a_success_that_does_not_decode_has_a_status_but_no_error_status_helpers() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw("{", "application/json")).await;
    let error = call_json::<Value>(&no_retries(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)));
    assert_eq!(error.status(), Some(200));
    assert!(!error.is_not_found() && !error.is_rate_limited());
}
