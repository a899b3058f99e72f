//! Connection failures and timeouts: `Error::Transport` and `Error::Timeout`.

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use apigen_runtime::runtime::{Error, RequestOptions, RetryPolicy, TimeoutKind};
use common::{builder, call_json, client, get, silent_server, with_options};
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn connection_reset_mid_body_is_a_transport_error() {
    let (url, connections) = common::reset_mid_body_server().await;
    let client = builder(&url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let error = call_json::<Value>(&client, get("/things"))
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "got {error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn idempotent_requests_are_retried_after_a_reset() {
    let (url, connections) = common::reset_mid_body_server().await;
    let error = call_json::<Value>(&client(&url), get("/things"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "got {error:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let url = silent_server().await;
    let client = builder(&url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = call_json::<Value>(&client, get("/things"))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();

    match &error {
        Error::Timeout(timeout) => {
            assert_eq!(timeout.kind(), TimeoutKind::Request);
            assert_eq!(timeout.after(), Some(Duration::from_millis(200)));
        }
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
    assert_eq!(error.to_string(), "the request timed out after 200 ms");
    assert!(
        elapsed >= Duration::from_millis(190),
        "gave up after {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(10),
        "gave up after {elapsed:?}"
    );
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_timeout() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = client(&server.uri());

    let options = RequestOptions::new().timeout(Duration::from_millis(200));
    let error = call_json::<Value>(&client, with_options(get("/slow"), options))
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::Timeout(t) if t.kind() == TimeoutKind::Request),
        "got {error:?}"
    );
}

#[tokio::test]
async fn a_caller_supplied_http_client_still_gets_the_timeout() {
    let url = silent_server().await;
    let client = builder(&url)
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = call_json::<Value>(&client, get("/things"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "got {error:?}");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_with_its_cause() {
    let url = common::closed_port_url().await;
    let client = builder(&url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = call_json::<Value>(&client, get("/things"))
        .await
        .unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("expected Error::Transport, got {error:?}");
    };
    assert!(transport.is_connect());
    let message = error.to_string();
    assert!(message.starts_with("transport error: "), "{message}");
    assert!(
        !message.contains("127.0.0.1"),
        "the URL is stripped: {message}"
    );
    assert!(std::error::Error::source(&error).is_some());
}
