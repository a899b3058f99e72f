//! Hooks: a signing hook the server checks, a latency-recording hook, their order, and retries
//! and pagination going through them.

mod common;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::runtime::hooks::{
    AttemptOutcome, Failure, Hook, HookContext, HookError, HookFuture,
};
use apigen_runtime::runtime::{pages, Error, Request};
use common::{builder, call_json, closed_port_url, get, post, received};
use futures_util::StreamExt;
use reqwest::header::HeaderValue;
use serde_json::{json, Value};
use wiremock::matchers::{path, query_param};
use wiremock::{Match, Mock, MockServer, ResponseTemplate};

/// The signature a client and the server agree on: a keyed hash of method, path and query,
/// and body.
fn signature(key: &str, method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    (key, method, path_and_query, body).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Signs each request with `X-Signature`.
struct Sign {
    key: &'static str,
}

impl Hook for Sign {
    fn before_send<'a>(
        &'a self,
        _context: &'a HookContext,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a, Result<(), HookError>> {
        Box::pin(async move {
            let url = request.url();
            let target = match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            };
            let body = request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .unwrap_or_default();
            let value = signature(self.key, request.method().as_str(), &target, body);
            request
                .headers_mut()
                .insert("x-signature", HeaderValue::from_str(&value)?);
            Ok(())
        })
    }
}

/// The server's check of `X-Signature`.
struct SignedWith(&'static str);

impl Match for SignedWith {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let target = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        let expected = signature(self.0, request.method.as_str(), &target, &request.body);
        request
            .headers
            .get("x-signature")
            .is_some_and(|value| value.to_str().ok() == Some(expected.as_str()))
    }
}

/// One attempt as the latency hook saw it.
#[derive(Debug, PartialEq)]
struct Sample {
    operation: Option<&'static str>,
    attempt: u32,
    status: Option<u16>,
    failure: Option<Failure>,
    elapsed: Duration,
}

/// What the tests compare of a sample: operation, attempt, status and failure.
type Seen = (Option<&'static str>, u32, Option<u16>, Option<Failure>);

/// Records every attempt's operation, status and latency.
#[derive(Clone, Default)]
struct Latency(Arc<Mutex<Vec<Sample>>>);

impl Latency {
    fn samples(&self) -> Vec<Seen> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|s| (s.operation, s.attempt, s.status, s.failure))
            .collect()
    }
}

impl Hook for Latency {
    fn after_response<'a>(
        &'a self,
        context: &'a HookContext,
        outcome: &'a AttemptOutcome<'a>,
    ) -> HookFuture<'a, ()> {
        Box::pin(async move {
            self.0.lock().unwrap().push(Sample {
                operation: context.operation_id(),
                attempt: context.attempt(),
                status: outcome.status(),
                failure: outcome.failure(),
                elapsed: outcome.elapsed(),
            });
        })
    }
}

fn operation(mut request: Request, id: &'static str) -> Request {
    request.operation_id(id);
    request
}

#[tokio::test]
async fn a_signing_hook_signs_every_request() {
    let server = MockServer::start().await;
    Mock::given(SignedWith("k-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ok": true })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(403))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .hook(Sign { key: "k-1" })
        .build()
        .unwrap();

    let mut create = post("/things");
    create.json_body(&json!({ "name": "widget" }));
    create.query("dry_run", "true");
    assert_eq!(
        call_json::<Value>(&client, create).await.unwrap().status(),
        200
    );
    assert_eq!(
        call_json::<Value>(&client, get("/things"))
            .await
            .unwrap()
            .status(),
        200
    );

    // A client signing with the wrong key is refused, so the check can fail.
    let wrong = builder(&server.uri())
        .hook(Sign { key: "k-2" })
        .build()
        .unwrap();
    let error = call_json::<Value>(&wrong, get("/things"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(403));
}

#[tokio::test]
async fn a_latency_hook_sees_every_attempt_with_its_operation() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "ok": true }))
                .set_delay(Duration::from_millis(80)),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let latency = Latency::default();
    let client = builder(&server.uri())
        .hook(latency.clone())
        .build()
        .unwrap();
    call_json::<Value>(&client, operation(get("/things"), "listThings"))
        .await
        .unwrap();
    assert_eq!(
        latency.samples(),
        [
            (Some("listThings"), 1, Some(503), None),
            (Some("listThings"), 2, Some(200), None),
        ]
    );
    let slow = latency.0.lock().unwrap()[1].elapsed;
    assert!(slow >= Duration::from_millis(80), "{slow:?}");

    // A connection failure is an outcome too.
    let unreachable = builder(&closed_port_url().await)
        .retry_policy(apigen_runtime::runtime::RetryPolicy::none())
        .hook(latency.clone())
        .build()
        .unwrap();
    call_json::<Value>(&unreachable, operation(get("/things"), "listThings"))
        .await
        .unwrap_err();
    assert_eq!(
        latency.samples().last(),
        Some(&(Some("listThings"), 1, None, Some(Failure::Connect)))
    );
}

/// Appends `name:before` and `name:after` to a shared log.
struct Logged {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

impl Hook for Logged {
    fn before_send<'a>(
        &'a self,
        _context: &'a HookContext,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a, Result<(), HookError>> {
        Box::pin(async move {
            // Yield once, so that the order is the hooks' and not the scheduler's.
            tokio::task::yield_now().await;
            self.log
                .lock()
                .unwrap()
                .push(format!("{}:before", self.name));
            request
                .headers_mut()
                .append("x-hooks", HeaderValue::from_static(self.name));
            Ok(())
        })
    }

    fn after_response<'a>(
        &'a self,
        _context: &'a HookContext,
        _outcome: &'a AttemptOutcome<'a>,
    ) -> HookFuture<'a, ()> {
        Box::pin(async move {
            self.log
                .lock()
                .unwrap()
                .push(format!("{}:after", self.name));
        })
    }
}

#[tokio::test]
async fn hooks_run_in_the_order_they_were_added() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let client = builder(&server.uri())
        .hook(Logged {
            name: "first",
            log: log.clone(),
        })
        .hook(Logged {
            name: "second",
            log: log.clone(),
        })
        .build()
        .unwrap();
    call_json::<Value>(&client, get("/things")).await.unwrap();
    assert_eq!(
        *log.lock().unwrap(),
        [
            "first:before",
            "second:before",
            "first:after",
            "second:after"
        ]
    );
    let requests = received(&server).await;
    let values: Vec<&str> = requests[0]
        .headers
        .get_all("x-hooks")
        .iter()
        .map(|value| value.to_str().unwrap())
        .collect();
    assert_eq!(values, ["first", "second"]);
}

/// A hook that refuses to let anything out.
struct Refuse;

impl Hook for Refuse {
    fn before_send<'a>(
        &'a self,
        _context: &'a HookContext,
        _request: &'a mut reqwest::Request,
    ) -> HookFuture<'a, Result<(), HookError>> {
        Box::pin(async { Err("the signing key is locked".into()) })
    }
}

#[tokio::test]
async fn a_failing_before_send_hook_stops_the_call_before_sending() {
    let server = MockServer::start().await;
    let client = builder(&server.uri()).hook(Refuse).build().unwrap();
    let error = call_json::<Value>(&client, get("/things"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "invalid request: before-send hook 1 failed: the signing key is locked"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn every_page_of_a_pagination_stream_goes_through_the_hooks() {
    let server = MockServer::start().await;
    for (page, items) in [("1", json!([1, 2])), ("2", json!([3])), ("3", json!([]))] {
        Mock::given(path("/things"))
            .and(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "items": items })))
            .mount(&server)
            .await;
    }
    let latency = Latency::default();
    let client = builder(&server.uri())
        .hook(latency.clone())
        .build()
        .unwrap();
    let stream = pages(1u32, |page| {
        let client = client.clone();
        async move {
            let mut request = operation(get("/things"), "listThings");
            request.query("page", page.to_string());
            let body = call_json::<Value>(&client, request).await?.into_body();
            let items: Vec<u64> = body["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_u64)
                .collect();
            Ok((items, Some(page + 1)))
        }
    });
    let got: Vec<Vec<u64>> = Box::pin(stream).map(|page| page.unwrap()).collect().await;
    assert_eq!(got, [vec![1, 2], vec![3]]);
    assert_eq!(
        latency.samples(),
        [
            (Some("listThings"), 1, Some(200), None),
            (Some("listThings"), 1, Some(200), None),
            (Some("listThings"), 1, Some(200), None),
        ]
    );
}
