//! Streamed responses on the wire, through the generated `.stream()` of `fixtures/streaming.yaml`,
//! against loopback servers: typed events with their names and ids, the `stream` flag set in the
//! body, the `[DONE]` terminator, union events in JSON lines, error events, a cut body, an event
//! past the size limit, an idle server, a 429 before the stream, and `.await` asking for JSON only.

use std::time::Duration;

use construct_fixtures::streaming::{self, types};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(uri: &str) -> streaming::Client {
    streaming::Client::builder()
        .base_url(uri)
        .retry_policy(streaming::RetryPolicy::none())
        .build()
        .unwrap()
}

fn sse(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "text/event-stream")
}

fn request() -> types::CompletionRequest {
    types::CompletionRequest::new("hi")
}

/// A server that streams only when the body says `stream: true`, and answers JSON otherwise.
async fn completions(stream_body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .and(body_partial_json(serde_json::json!({"stream": true})))
        .and(header("accept", "text/event-stream"))
        .respond_with(sse(stream_body))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .and(header("accept", "application/json"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"text": "whole"})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_stream_sets_the_flag_and_ends_at_the_terminator_with_typed_events() {
    let server = completions(
        ": keep-alive\n\nid: 1\ndata: {\"delta\": \"Hel\"}\n\nevent: chunk\ndata: {\"delta\": \"lo\"}\n\ndata: [DONE]\n\n",
    )
    .await;
    let client = client(&server.uri());
    let items: Vec<_> = client.create_completion(request()).stream().collect().await;
    let events: Vec<_> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].data().delta, "Hel");
    assert_eq!(events[0].id(), Some("1"));
    assert_eq!(events[0].name(), "message");
    assert_eq!(events[1].data().delta, "lo");
    assert_eq!(events[1].name(), "chunk");
    assert_eq!(
        events[1].id(),
        Some("1"),
        "an id persists until another replaces it"
    );
    let sent: serde_json::Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    assert_eq!(sent, serde_json::json!({"prompt": "hi", "stream": true}));
}

#[tokio::test]
async fn await_asks_for_json_only_and_leaves_the_flag_as_the_caller_set_it() {
    let server = completions("data: [DONE]\n\n").await;
    let client = client(&server.uri());
    let completion = client.create_completion(request()).await.unwrap();
    assert_eq!(completion.text, "whole");
    let received = server.received_requests().await.unwrap();
    let accept = received[0].headers.get("accept").unwrap().to_str().unwrap();
    assert_eq!(accept, "application/json");
    let sent: serde_json::Value = received[0].body_json().unwrap();
    assert_eq!(sent, serde_json::json!({"prompt": "hi"}));
}

#[tokio::test]
async fn a_body_that_ends_without_the_terminator_is_an_error_item() {
    let server = completions("data: {\"delta\": \"a\"}\n\n").await;
    let items: Vec<_> = client(&server.uri())
        .create_completion(request())
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().data().delta, "a");
    match &items[1] {
        Err(streaming::Error::Stream(
            streaming::runtime::error::StreamError::EndedBeforeTerminator { terminator, events },
        )) => {
            assert_eq!(*terminator, "[DONE]");
            assert_eq!(*events, 1);
        }
        other => panic!("expected the end before the terminator, got {other:?}"),
    }
}

#[tokio::test]
async fn error_events_and_undecodable_data_are_typed_error_items() {
    let server = completions(
        "event: error\ndata: {\"error\": {\"message\": \"overloaded\"}}\n\ndata: {\"error\": {\"message\": \"again\"}}\n\ndata: {\"nope\": 1}\n\ndata: {\"delta\": \"ok\"}\n\ndata: [DONE]\n\n",
    )
    .await;
    let items: Vec<_> = client(&server.uri())
        .create_completion(request())
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 4, "{items:?}");
    for (item, message) in items[..2].iter().zip(["overloaded", "again"]) {
        match item {
            Err(streaming::Error::Event(event)) => {
                assert_eq!(event.body.as_ref().unwrap().error.message, message);
            }
            other => panic!("expected an error event, got {other:?}"),
        }
    }
    match &items[2] {
        Err(streaming::Error::Decode(decode)) => assert!(decode.event.is_some(), "{decode:?}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(items[3].as_ref().unwrap().data().delta, "ok");
}

#[tokio::test]
async fn a_429_before_the_stream_is_retried_then_streams() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(serde_json::json!({"error": {"message": "slow down"}})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(sse("data: {\"delta\": \"x\"}\n\ndata: [DONE]\n\n"))
        .mount(&server)
        .await;
    let client = streaming::Client::builder()
        .base_url(server.uri())
        .retry_policy(
            streaming::RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .retry_non_idempotent(true),
        )
        .build()
        .unwrap();
    let items: Vec<_> = client.create_completion(request()).stream().collect().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data().delta, "x");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // Without retries the 429 is the operation's typed error, the only item.
    let items: Vec<_> = client_without_retries_after_429(&server).await;
    match &items[..] {
        [Err(streaming::Error::Api(api))] => {
            assert_eq!(api.status, 429);
            assert_eq!(api.body.as_ref().unwrap().error.message, "slow down");
        }
        other => panic!("expected the typed 429, got {other:?}"),
    }
}

async fn client_without_retries_after_429(
    server: &MockServer,
) -> Vec<
    Result<
        streaming::runtime::stream::Event<types::CompletionChunk>,
        streaming::Error<types::ErrorResponse>,
    >,
> {
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(serde_json::json!({"error": {"message": "slow down"}})),
        )
        .mount(server)
        .await;
    client(&server.uri())
        .create_completion(request())
        .stream()
        .collect()
        .await
}

#[tokio::test]
async fn json_lines_decode_union_events_by_their_discriminator() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/logs"))
        .and(header("accept", "application/jsonl"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            b"{\"kind\":\"line\",\"text\":\"boot\"}\n{\"kind\":\"mark\",\"at\":7}\n{\"kind\":\"later\",\"x\":1}\n".to_vec(),
            "application/x-ndjson",
        ))
        .mount(&server)
        .await;
    let events: Vec<_> = client(&server.uri())
        .tail_logs()
        .stream()
        .into_data()
        .collect()
        .await;
    let events: Vec<_> = events.into_iter().map(Result::unwrap).collect();
    assert!(matches!(&events[0], types::LogEvent::LogLine(line) if line.text == "boot"));
    assert!(matches!(&events[1], types::LogEvent::LogMark(mark) if mark.at == 7));
    assert!(matches!(&events[2], types::LogEvent::Unknown(_)));
    assert_eq!(events.len(), 3);
}

#[tokio::test]
async fn x_fern_streaming_sets_its_condition_and_ends_at_its_terminator() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/jobs/7/events"))
        .and(body_partial_json(serde_json::json!({"follow": true})))
        .respond_with(sse("data: {\"state\": \"running\"}\n\ndata: [END]\n\ndata: {\"state\": \"never read\"}\n\n"))
        .mount(&server)
        .await;
    let states: Vec<_> = client(&server.uri())
        .watch_job("7", types::WatchJobRequest::new(false))
        .stream()
        .into_data()
        .collect()
        .await;
    let states: Vec<_> = states.into_iter().map(|s| s.unwrap().state).collect();
    assert_eq!(states, ["running"]);
}

#[tokio::test]
async fn an_event_past_the_size_limit_ends_the_stream() {
    let big = format!(
        "data: {{\"delta\": \"{}\"}}\n\ndata: [DONE]\n\n",
        "x".repeat(4096)
    );
    let server = completions(&big).await;
    let client = streaming::Client::builder()
        .base_url(server.uri())
        .max_event_size(1024)
        .build()
        .unwrap();
    let items: Vec<_> = client.create_completion(request()).stream().collect().await;
    assert!(
        matches!(
            &items[..],
            [Err(streaming::Error::Stream(
                streaming::runtime::error::StreamError::EventTooLarge { limit: 1024, .. }
            ))]
        ),
        "{items:?}"
    );
}

/// Answers one request with the head and `first` of an event stream, then stalls (or, with
/// `cut`, closes the connection).
async fn stalling_server(first: &'static str, cut: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buffer = [0u8; 4096];
        // Read until the end of the head and the small JSON body.
        while !String::from_utf8_lossy(&head).contains("\"prompt\"") {
            let n = socket.read(&mut buffer).await.unwrap();
            if n == 0 {
                return;
            }
            head.extend_from_slice(&buffer[..n]);
        }
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{first}\r\n",
            first.len()
        );
        socket.write_all(reply.as_bytes()).await.unwrap();
        if cut {
            drop(socket);
        } else {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn an_idle_stream_ends_with_a_timeout_item() {
    let uri = stalling_server("data: {\"delta\": \"a\"}\n\n", false).await;
    let client = streaming::Client::builder()
        .base_url(uri)
        .stream_idle_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let items: Vec<_> = client.create_completion(request()).stream().collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data().delta, "a");
    assert!(
        matches!(&items[1], Err(streaming::Error::Timeout(_))),
        "{items:?}"
    );
}

#[tokio::test]
async fn a_cut_connection_is_an_error_item() {
    let uri = stalling_server("data: {\"delta\": \"a\"}\n\ndata: {\"del", true).await;
    let items: Vec<_> = client(&uri)
        .create_completion(request())
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[1].is_err(), "{items:?}");
}
