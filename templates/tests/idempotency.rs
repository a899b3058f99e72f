//! Idempotency keys: one random key per call, the same on every attempt, which makes a POST
//! safe to retry on 5xx and lost connections; without a key, POST is not retried.

mod common;

use std::sync::atomic::Ordering;

use apigen_runtime::runtime::pipeline::idempotency_key;
use apigen_runtime::runtime::{Request, RequestOptions};
use common::{
    builder, call_json, client, get, post, received, reset_mid_body_server, with_options,
};
use serde_json::{json, Value};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `/charges` answers 503 `failures` times, then 200.
async fn flaky(failures: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/charges"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/charges"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "ch_1" })))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// `POST /charges` of an operation that declares an `Idempotency-Key` header.
fn create_charge() -> Request {
    let mut request = post("/charges");
    request.idempotency_header("Idempotency-Key");
    request.json_body(&json!({ "amount": 100 }));
    request
}

/// The `Idempotency-Key` of every request received, in order.
async fn keys(server: &MockServer) -> Vec<Option<String>> {
    received(server)
        .await
        .iter()
        .map(|request| {
            request
                .headers
                .get("idempotency-key")
                .map(|value| value.to_str().unwrap().to_owned())
        })
        .collect()
}

/// A version 4 UUID in its hyphenated lower-case form.
fn is_uuid_v4(key: &str) -> bool {
    let bytes = key.as_bytes();
    key.len() == 36
        && key.char_indices().all(|(index, c)| {
            if matches!(index, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_digit() || ('a'..='f').contains(&c)
            }
        })
        && bytes[14] == b'4'
        && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
}

#[tokio::test]
async fn one_key_per_call_kept_across_retries_of_a_post() {
    let server = flaky(2).await;
    let client = client(&server.uri());
    let response = call_json::<Value>(&client, create_charge()).await.unwrap();
    assert_eq!(response.status(), 200);
    let sent = keys(&server).await;
    assert_eq!(sent.len(), 3, "the POST was retried twice");
    let first = sent[0].clone().expect("a key was sent");
    assert!(is_uuid_v4(&first), "{first}");
    assert!(sent
        .iter()
        .all(|key| key.as_deref() == Some(first.as_str())));

    // The next call has a key of its own.
    call_json::<Value>(&client, create_charge()).await.unwrap();
    let sent = keys(&server).await;
    assert_eq!(sent.len(), 4);
    assert_ne!(sent[3], sent[0]);
}

#[tokio::test]
async fn without_a_key_a_post_is_not_retried_on_5xx() {
    let server = flaky(2).await;
    let mut request = post("/charges");
    request.json_body(&json!({ "amount": 100 }));
    let error = call_json::<Value>(&client(&server.uri()), request)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(keys(&server).await, [None]);
}

#[tokio::test]
async fn the_callers_own_key_is_kept() {
    let server = flaky(1).await;
    let mut request = create_charge();
    request.header("Idempotency-Key", "order-42");
    call_json::<Value>(&client(&server.uri()), request)
        .await
        .unwrap();
    assert_eq!(keys(&server).await, [some("order-42"), some("order-42")]);

    let options = RequestOptions::new().header("Idempotency-Key", "order-43");
    call_json::<Value>(
        &client(&server.uri()),
        with_options(create_charge(), options),
    )
    .await
    .unwrap();
    assert_eq!(keys(&server).await[2], some("order-43"));
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[tokio::test]
async fn a_client_configured_header_keys_every_call_but_safe_ones() {
    let server = flaky(1).await;
    let client = builder(&server.uri())
        .idempotency_header("Idempotency-Key")
        .build()
        .unwrap();
    let mut plain_post = post("/charges");
    plain_post.json_body(&json!({ "amount": 1 }));
    call_json::<Value>(&client, plain_post).await.unwrap();
    call_json::<Value>(&client, get("/charges")).await.unwrap();
    let sent = keys(&server).await;
    assert_eq!(sent.len(), 3, "the POST was retried after its 503");
    assert!(sent[0].is_some() && sent[0] == sent[1], "{sent:?}");
    assert_eq!(sent[2], None, "a GET carries no key");
}

#[tokio::test]
async fn a_keyed_post_is_retried_after_a_lost_connection() {
    let (url, connections) = reset_mid_body_server().await;
    let client = client(&url);
    let error = call_json::<Value>(&client, create_charge())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("transport error"), "{error}");
    assert_eq!(connections.load(Ordering::SeqCst), 3, "every attempt");

    let (url, connections) = reset_mid_body_server().await;
    let mut unkeyed = post("/charges");
    unkeyed.json_body(&json!({ "amount": 100 }));
    call_json::<Value>(&common::client(&url), unkeyed)
        .await
        .unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 1, "not retried");
}

#[test]
fn keys_are_random_version_4_uuids() {
    let keys: Vec<String> = (0..100).map(|_| idempotency_key()).collect();
    for key in &keys {
        assert!(is_uuid_v4(key), "{key}");
    }
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len());
}

#[tokio::test]
async fn an_invalid_header_name_fails_before_sending() {
    let server = flaky(1).await;
    let mut request = post("/charges");
    request.idempotency_header("Idempotency Key");
    let error = call_json::<Value>(&client(&server.uri()), request)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: invalid idempotency header name `Idempotency Key`"
    );
    assert!(received(&server).await.is_empty());
}
