//! Response metadata: rate limits and request ids, on success and on error.

mod common;

use apigen_runtime::runtime::{RateLimit, RawResponse, Response};
use common::{call_json, client, get};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn with_metadata(template: ResponseTemplate) -> ResponseTemplate {
    template
        .insert_header("X-RateLimit-Limit", "1000")
        .insert_header("X-RateLimit-Remaining", "998")
        .insert_header("X-RateLimit-Reset", "1700000000")
        .insert_header("X-Request-Id", "req-0042")
}

#[tokio::test]
async fn success_responses_expose_rate_limit_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(with_metadata(
            ResponseTemplate::new(200).set_body_json([1, 2]),
        ))
        .mount(&server)
        .await;

    let response = call_json::<Value>(&client(&server.uri()), get("/things"))
        .await
        .unwrap();

    assert_eq!(response.request_id(), Some("req-0042"));
    assert_eq!(
        response.rate_limit(),
        Some(RateLimit {
            limit: Some(1000),
            remaining: Some(998),
            reset: Some(1_700_000_000),
        })
    );
    assert_eq!(response.headers()["x-request-id"], "req-0042");
}

#[tokio::test]
async fn api_errors_expose_rate_limit_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(with_metadata(ResponseTemplate::new(403)))
        .mount(&server)
        .await;

    let error = call_json::<Value>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();

    let api = error.as_api().expect("an API error");
    assert_eq!(api.request_id(), Some("req-0042"));
    assert_eq!(api.rate_limit().and_then(|r| r.remaining), Some(998));
}

#[test]
fn metadata_is_absent_when_the_headers_are() {
    let response = Response::new(200, HeaderMap::new(), ());
    assert_eq!(response.request_id(), None);
    assert_eq!(response.rate_limit(), None);

    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-remaining", HeaderValue::from_static("soon"));
    assert_eq!(
        RateLimit::from_headers(&headers),
        None,
        "non-numeric values are ignored"
    );
}

#[test]
fn other_request_id_and_rate_limit_headers_are_recognised() {
    let mut headers = HeaderMap::new();
    headers.insert("request-id", HeaderValue::from_static("req_stripe"));
    headers.insert("ratelimit-remaining", HeaderValue::from_static("5"));
    let response = Response::new(200, headers, ());
    assert_eq!(response.request_id(), Some("req_stripe"));
    assert_eq!(
        response.rate_limit(),
        Some(RateLimit {
            limit: None,
            remaining: Some(5),
            reset: None,
        })
    );
}

#[test]
fn responses_map_and_split() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", HeaderValue::from_static("r1"));
    let raw = RawResponse::new(201, headers, br#"{"id":5}"#.to_vec());
    assert!(raw.is_success());
    assert_eq!(raw.body(), br#"{"id":5}"#);
    let response = raw
        .json::<Value, ()>()
        .unwrap()
        .map(|value| value["id"].as_u64());
    assert_eq!(response.status(), 201);
    assert_eq!(response.request_id(), Some("r1"));
    let (status, headers, body) = response.into_parts();
    assert_eq!((status, headers.len(), body), (201, 1, Some(5)));
}
