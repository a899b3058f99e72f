//! Tracing of streams: one `http.stream` span with method, path template, events,
//! reconnections and outcome, the request's `http.request` span inside it, and never the data,
//! ids or credentials.
//!
//! This test has a file of its own: see `common/capture.rs`.

mod common;

use apigen_runtime::runtime::stream::{event_stream, EventStream, StreamFormat, StreamSpec};
use apigen_runtime::runtime::{Error, RawResponse};
use common::capture::Capture;
use common::{builder, post, ApiErrorBody, TOKEN};
use futures_util::StreamExt;
use serde_json::Value;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn stream_error(raw: RawResponse) -> Error<ApiErrorBody> {
    raw.unexpected()
}

#[tokio::test]
async fn a_stream_is_traced_without_its_data() {
    let server = MockServer::start().await;
    let body = format!(
        "id: id-{TOKEN}\ndata: {{\"text\": \"{TOKEN}\"}}\n\ndata: {{\"text\": \"b\"}}\n\ndata: [DONE]\n\n"
    );
    Mock::given(path("/chat"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let client = builder(&server.uri()).bearer_token(TOKEN).build().unwrap();
    let spec = || {
        StreamSpec::new(StreamFormat::EventStream, |s| s == 200, stream_error).terminator("[DONE]")
    };

    let stream: EventStream<Value, ApiErrorBody> = event_stream(&client, Ok(post("/chat")), spec());
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 2);
    let log = capture.log.lock().unwrap().clone();
    assert!(
        log.contains("span http.stream method=POST path=\"/chat\""),
        "{log}"
    );
    assert!(log.contains("span http.request method=POST"), "{log}");
    assert!(log.contains("events=2"), "{log}");
    assert!(log.contains("outcome=\"terminator\""), "{log}");
    assert!(!log.contains("SUPERSECRET"), "{log}");

    // A stream dropped before its end says so.
    let mut stream: EventStream<Value, ApiErrorBody> =
        event_stream(&client, Ok(post("/chat")), spec());
    assert!(stream.next().await.unwrap().is_ok());
    drop(stream);
    let log = capture.log.lock().unwrap().clone();
    assert!(log.contains("events=1"), "{log}");
    assert!(log.contains("outcome=\"dropped\""), "{log}");
}
