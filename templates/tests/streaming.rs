//! Streamed responses over loopback: typed and union events, the terminator, error events,
//! undecodable events, cut connections, the idle and head timeouts, the event size limit, a
//! 429 before the stream, resuming with `Last-Event-ID`, JSON lines and text sequences, and
//! the connection closed when the stream is dropped.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::runtime::error::StreamError;
use apigen_runtime::runtime::stream::{event_stream, Event, EventStream, StreamFormat, StreamSpec};
use apigen_runtime::runtime::{Client, Error, RawResponse, Request, RequestOptions, TimeoutKind};
use common::{builder, client, post, with_options, ApiErrorBody};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A chat chunk, shaped like OpenAI's `CreateChatCompletionStreamResponse`.
#[derive(Debug, Deserialize, PartialEq)]
struct Chunk {
    id: String,
    choices: Vec<Choice>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Choice {
    index: u32,
    delta: Delta,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Delta {
    content: Option<String>,
}

fn chunk(content: &str) -> String {
    format!(
        "{{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{content}\"}}}}]}}"
    )
}

fn content(event: &Event<Chunk>) -> &str {
    event.data().choices[0].delta.content.as_deref().unwrap()
}

/// What the server does on one connection, in order.
#[derive(Clone)]
enum Step {
    /// Writes the bytes as one chunk of a chunked body.
    Send(Vec<u8>),
    /// Waits.
    Wait(u64),
    /// Ends the body properly (the terminal chunk).
    End,
    /// Closes the connection without ending the body.
    Cut,
    /// Sends keep-alive comments every `every` ms, forever or until the client hangs up.
    KeepAlive(u64),
}

fn send(text: &str) -> Step {
    Step::Send(text.as_bytes().to_vec())
}

/// One response: a status, its headers and the steps of its body.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    /// Waits this long before the head.
    delay: u64,
    steps: Vec<Step>,
}

fn sse(steps: Vec<Step>) -> Reply {
    Reply {
        status: 200,
        headers: vec![("content-type", "text/event-stream")],
        delay: 0,
        steps,
    }
}

/// A loopback server answering its n-th connection with the n-th reply (the last one repeated),
/// keeping each request's head.
struct Server {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
    hung_up: Arc<AtomicBool>,
    connections: Arc<AtomicUsize>,
}

impl Server {
    async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let heads = Arc::new(Mutex::new(Vec::new()));
        let hung_up = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let (kept, hang, count) = (heads.clone(), hung_up.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = count.fetch_add(1, Ordering::SeqCst);
                let reply = replies[n.min(replies.len() - 1)].clone();
                let (kept, hang) = (kept.clone(), hang.clone());
                tokio::spawn(async move {
                    if !answer(stream, reply, kept).await {
                        hang.store(true, Ordering::SeqCst);
                    }
                });
            }
        });
        Server {
            url,
            heads,
            hung_up,
            connections,
        }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Answers one connection; false when a write failed (the client hung up).
async fn answer(mut stream: TcpStream, reply: Reply, heads: Arc<Mutex<Vec<String>>>) -> bool {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return true,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    heads
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&head).to_lowercase());
    tokio::time::sleep(Duration::from_millis(reply.delay)).await;
    let mut out = format!("HTTP/1.1 {} X\r\nconnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("transfer-encoding: chunked\r\n\r\n");
    if stream.write_all(out.as_bytes()).await.is_err() {
        return false;
    }
    for step in reply.steps {
        let framed =
            |bytes: &[u8]| [format!("{:x}\r\n", bytes.len()).as_bytes(), bytes, b"\r\n"].concat();
        let written = match step {
            Step::Send(bytes) => stream.write_all(&framed(&bytes)).await,
            Step::Wait(ms) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                Ok(())
            }
            Step::End => stream.write_all(b"0\r\n\r\n").await,
            Step::Cut => {
                let _ = stream.flush().await;
                return true;
            }
            Step::KeepAlive(every) => loop {
                if stream.write_all(&framed(b": ping\n")).await.is_err() {
                    return false;
                }
                tokio::time::sleep(Duration::from_millis(every)).await;
            },
        };
        if written.is_err() || stream.flush().await.is_err() {
            return false;
        }
    }
    true
}

/// An operation's error arms, as generated code writes them.
fn stream_error(raw: RawResponse) -> Error<ApiErrorBody> {
    match raw.status() {
        400..=499 => raw.api_error(),
        _ => raw.unexpected(),
    }
}

fn chat_spec() -> StreamSpec<ApiErrorBody> {
    StreamSpec::new(
        StreamFormat::EventStream,
        |status| status == 200,
        stream_error,
    )
    .terminator("[DONE]")
    .error_event("error")
}

fn chat(client: &Client, request: Request) -> EventStream<Chunk, ApiErrorBody> {
    event_stream(client, Ok(request), chat_spec())
}

async fn collect<T, E>(stream: EventStream<T, E>) -> Vec<Result<Event<T>, Error<E>>>
where
    T: Send + 'static,
    E: Send + 'static,
{
    stream.collect().await
}

#[tokio::test]
async fn typed_events_arrive_with_their_names_ids_and_retry_and_end_at_the_terminator() {
    let body = format!(
        ": welcome\n\nevent: delta\nid: 1\nretry: 2500\ndata: {}\n\ndata: {}\r\n\r\n: ping\n\ndata: [DONE]\n\n",
        chunk("Hel"),
        chunk("lo \u{1F600}")
    );
    // The body goes out in pieces of 3 bytes, cutting names, CRLFs and the emoji.
    let mut steps: Vec<Step> = body
        .as_bytes()
        .chunks(3)
        .map(|piece| Step::Send(piece.to_vec()))
        .collect();
    steps.push(Step::End);
    let server = Server::start(vec![sse(steps)]).await;
    let client = client(&server.url);
    // The operation's plain request asks for JSON; the stream asks for events instead.
    let mut request = post("/chat/completions");
    request.accept("application/json");
    let items = collect(chat(&client, request)).await;
    assert_eq!(items.len(), 2, "{items:?}");
    let first = items[0].as_ref().unwrap();
    assert_eq!(
        (first.name(), first.id(), first.retry(), content(first)),
        ("delta", Some("1"), Some(Duration::from_millis(2500)), "Hel")
    );
    let second = items[1].as_ref().unwrap();
    assert_eq!(
        (second.name(), second.id(), second.retry(), content(second)),
        ("message", Some("1"), None, "lo \u{1F600}")
    );
    let head = &server.heads()[0];
    assert!(head.contains("accept: text/event-stream\r\n"), "{head}");
    assert!(!head.contains("application/json"), "{head}");
}

/// A union of events, decoded by its discriminator, with unknown kinds kept.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(untagged)]
enum ResponseEvent {
    Known(KnownEvent),
    Unknown(serde_json::Value),
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "type")]
enum KnownEvent {
    #[serde(rename = "response.output_text.delta")]
    TextDelta { delta: String },
    #[serde(rename = "response.completed")]
    Completed { response: serde_json::Value },
}

#[tokio::test]
async fn union_events_decode_by_their_discriminator_and_keep_unknown_kinds() {
    let server = Server::start(vec![sse(vec![
        send("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\n\n"),
        send("event: response.new_kind\ndata: {\"type\":\"response.new_kind\",\"x\":1}\n\n"),
        send("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\"}}\n\n"),
        Step::End,
    ])])
    .await;
    let client = client(&server.url);
    // The Responses API ends with an event, not a terminator.
    let spec = StreamSpec::new(StreamFormat::EventStream, |s| s == 200, stream_error);
    let stream: EventStream<ResponseEvent, ApiErrorBody> =
        event_stream(&client, Ok(post("/responses")), spec);
    let events: Vec<ResponseEvent> = stream
        .into_data()
        .map(|item| item.expect("an event"))
        .collect()
        .await;
    assert_eq!(
        events,
        vec![
            ResponseEvent::Known(KnownEvent::TextDelta {
                delta: "Hi".to_owned()
            }),
            ResponseEvent::Unknown(serde_json::json!({"type": "response.new_kind", "x": 1})),
            ResponseEvent::Known(KnownEvent::Completed {
                response: serde_json::json!({"id": "r"})
            }),
        ]
    );
}

#[tokio::test]
async fn error_events_and_undecodable_events_are_error_items_and_the_stream_goes_on() {
    let server = Server::start(vec![sse(vec![
        send(&format!("data: {}\n\n", chunk("a"))),
        send("event: error\ndata: {\"code\":\"overloaded\",\"message\":\"try later\"}\n\n"),
        send("data: {\"code\":\"server_error\",\"message\":\"mid-stream\"}\n\n"),
        send("id: 9\ndata: {\"id\": 5}\n\n"),
        send(&format!("data: {}\n\ndata: [DONE]\n\n", chunk("b"))),
        Step::End,
    ])])
    .await;
    let client = client(&server.url);
    let items = collect(chat(&client, post("/chat/completions"))).await;
    assert_eq!(items.len(), 5, "{items:?}");
    assert_eq!(content(items[0].as_ref().unwrap()), "a");
    let Err(Error::Event(named)) = &items[1] else {
        panic!("expected an error event, got {:?}", items[1]);
    };
    assert_eq!(named.event.name, "error");
    assert_eq!(named.event.index, 2);
    assert_eq!(named.body.as_ref().unwrap().code, "overloaded");
    let Err(error @ Error::Event(shaped)) = &items[2] else {
        panic!("expected an error-shaped event, got {:?}", items[2]);
    };
    assert_eq!(error.api_body().unwrap().message, "mid-stream");
    assert_eq!(shaped.event.name, "message");
    let Err(Error::Decode(decode)) = &items[3] else {
        panic!("expected a decode error, got {:?}", items[3]);
    };
    let event = decode.event.as_ref().expect("the event is named");
    assert_eq!((event.index, event.id.as_deref()), (4, Some("9")));
    assert_eq!(decode.path, "id");
    assert!(
        decode.to_string().contains("event 4 (`message`, id `9`)"),
        "{decode}"
    );
    assert_eq!(content(items[4].as_ref().unwrap()), "b");
}

#[tokio::test]
async fn error_shaped_data_can_be_left_to_decode_errors() {
    let server = Server::start(vec![sse(vec![
        send("data: {\"code\":\"server_error\",\"message\":\"mid-stream\"}\n\n"),
        send("event: error\ndata: {\"code\":\"named\",\"message\":\"still\"}\n\n"),
        send("data: [DONE]\n\n"),
        Step::End,
    ])])
    .await;
    let client = client(&server.url);
    let spec = chat_spec().error_data(false);
    let items = collect(event_stream::<Chunk, _>(&client, Ok(post("/c")), spec)).await;
    assert!(matches!(items[0], Err(Error::Decode(_))), "{items:?}");
    // A named error event is one whatever the setting.
    assert_eq!(
        items[1].as_ref().unwrap_err().api_body().unwrap().code,
        "named"
    );
}

#[tokio::test]
async fn a_cut_connection_is_an_error_item_never_a_silent_end() {
    let server = Server::start(vec![sse(vec![
        send(&format!("data: {}\n\ndata: {{\"id\"", chunk("a"))),
        Step::Cut,
    ])])
    .await;
    let client = client(&server.url);
    let items = collect(chat(&client, post("/chat/completions"))).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(Error::Transport(_))), "{items:?}");
    assert_eq!(server.connections(), 1, "nothing is retried after an event");

    // A body that ends properly, but inside an event or before the terminator, is cut too.
    for (tail, expected) in [
        ("data: {\"id\"", StreamError::EndedInsideEvent { events: 1 }),
        (
            "",
            StreamError::EndedBeforeTerminator {
                terminator: "[DONE]",
                events: 1,
            },
        ),
    ] {
        let server = Server::start(vec![sse(vec![
            send(&format!("data: {}\n\n{tail}", chunk("a"))),
            Step::End,
        ])])
        .await;
        let client = common::client(&server.url);
        let items = collect(chat(&client, post("/chat/completions"))).await;
        assert_eq!(items.len(), 2, "{items:?}");
        match &items[1] {
            Err(Error::Stream(error)) => assert_eq!(error, &expected),
            other => panic!("expected {expected:?}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_stalled_stream_ends_with_an_idle_timeout_but_keep_alives_keep_it_open() {
    let server = Server::start(vec![sse(vec![
        send(&format!("data: {}\n\n", chunk("a"))),
        Step::Wait(5_000),
    ])])
    .await;
    let client = client(&server.url);
    let options = RequestOptions::new().idle_timeout(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let items = collect(chat(&client, with_options(post("/c"), options))).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(items.len(), 2, "{items:?}");
    match &items[1] {
        Err(Error::Timeout(timeout)) => {
            assert_eq!(timeout.kind(), TimeoutKind::Idle);
            assert_eq!(timeout.after(), Some(Duration::from_millis(200)));
        }
        other => panic!("expected an idle timeout, got {other:?}"),
    }

    // Comments every 50 ms for 600 ms, then the event: the stream outlives both its idle
    // timeout and the call's timeout, which covers the response head only.
    let mut steps = Vec::new();
    for _ in 0..12 {
        steps.push(send(": ping\n"));
        steps.push(Step::Wait(50));
    }
    steps.push(send(&format!(
        "data: {}\n\ndata: [DONE]\n\n",
        chunk("late")
    )));
    steps.push(Step::End);
    let server = Server::start(vec![sse(steps)]).await;
    let client = builder(&server.url)
        .timeout(Duration::from_millis(300))
        .stream_idle_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let items = collect(chat(&client, post("/c"))).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(content(items[0].as_ref().unwrap()), "late");
}

#[tokio::test]
async fn the_call_timeout_covers_the_wait_for_the_response_head() {
    let mut reply = sse(vec![send("data: [DONE]\n\n"), Step::End]);
    reply.delay = 2_000;
    let server = Server::start(vec![reply]).await;
    let client = builder(&server.url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let items = collect(chat(&client, post("/c"))).await;
    match &items[..] {
        [Err(Error::Timeout(timeout))] => assert_eq!(timeout.kind(), TimeoutKind::Request),
        other => panic!("expected a request timeout, got {other:?}"),
    }
    assert_eq!(server.connections(), 1, "a timeout is not retried");
}

#[tokio::test]
async fn an_event_past_the_size_limit_ends_the_stream() {
    let big = "x".repeat(4096);
    let steps = vec![
        send(&format!("data: {}\n\n", chunk("a"))),
        // An event that never ends: its data lines keep coming.
        send(&format!("data: {big}\n").repeat(4)),
        Step::Wait(5_000),
    ];
    let server = Server::start(vec![sse(steps)]).await;
    let client = client(&server.url);
    let options = RequestOptions::new().max_event_size(8 * 1024);
    let items = collect(chat(&client, with_options(post("/c"), options))).await;
    assert_eq!(items.len(), 2, "{items:?}");
    match &items[1] {
        Err(Error::Stream(StreamError::EventTooLarge { limit, events })) => {
            assert_eq!((*limit, *events), (8 * 1024, 1));
        }
        other => panic!("expected EventTooLarge, got {other:?}"),
    }
    // The client's limit applies when the call sets none.
    let client = builder(&server.url)
        .max_event_size(2 * 1024)
        .build()
        .unwrap();
    let items = collect(chat(&client, post("/c"))).await;
    assert!(matches!(
        items[1],
        Err(Error::Stream(StreamError::EventTooLarge {
            limit: 2048,
            ..
        }))
    ));
}

#[tokio::test]
async fn a_429_before_the_stream_is_retried_and_other_statuses_are_typed_errors() {
    let server = Server::start(vec![
        Reply {
            status: 429,
            headers: vec![("retry-after", "0"), ("content-type", "application/json")],
            delay: 0,
            steps: vec![
                send("{\"code\":\"rate\",\"message\":\"slow down\"}"),
                Step::End,
            ],
        },
        sse(vec![
            send(&format!("data: {}\n\ndata: [DONE]\n\n", chunk("a"))),
            Step::End,
        ]),
    ])
    .await;
    let client = client(&server.url);
    let items = collect(chat(&client, post("/c"))).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].is_ok());
    assert_eq!(server.connections(), 2);

    let server = Server::start(vec![Reply {
        status: 400,
        headers: vec![("content-type", "application/json")],
        delay: 0,
        steps: vec![
            send("{\"code\":\"bad\",\"message\":\"no model\"}"),
            Step::End,
        ],
    }])
    .await;
    let client = common::client(&server.url);
    let items = collect(chat(&client, post("/c"))).await;
    match &items[..] {
        [Err(error)] => {
            assert_eq!(error.status(), Some(400));
            assert_eq!(error.api_body().unwrap().code, "bad");
        }
        other => panic!("expected one API error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stream_resumes_with_last_event_id_only_when_asked() {
    let replies = vec![
        sse(vec![
            send(&format!(
                "retry: 10\nid: 1\ndata: {}\n\nid: 2\ndata: {}\n\ndata: {{\"id\"",
                chunk("a"),
                chunk("b")
            )),
            Step::Cut,
        ]),
        sse(vec![
            send(&format!("id: 3\ndata: {}\n\ndata: [DONE]\n\n", chunk("c"))),
            Step::End,
        ]),
    ];
    let server = Server::start(replies.clone()).await;
    let client = client(&server.url);
    let options = RequestOptions::new().resume(2);
    let items = collect(chat(&client, with_options(post("/c"), options))).await;
    let contents: Vec<&str> = items
        .iter()
        .map(|item| content(item.as_ref().expect("an event")))
        .collect();
    assert_eq!(contents, ["a", "b", "c"]);
    let heads = server.heads();
    assert_eq!(heads.len(), 2);
    assert!(!heads[0].contains("last-event-id"));
    assert!(heads[1].contains("last-event-id: 2\r\n"), "{}", heads[1]);

    // Off by default: the cut is the last item.
    let server = Server::start(replies).await;
    let client = common::client(&server.url);
    let items = collect(chat(&client, post("/c"))).await;
    assert!(matches!(items.last(), Some(Err(Error::Transport(_)))));
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_stalled_stream_resumes_too_but_not_without_an_event_id() {
    let replies = vec![
        sse(vec![
            send(&format!("retry: 10\nid: 7\ndata: {}\n\n", chunk("a"))),
            Step::Wait(5_000),
        ]),
        sse(vec![
            send(&format!("data: {}\n\ndata: [DONE]\n\n", chunk("b"))),
            Step::End,
        ]),
    ];
    let server = Server::start(replies).await;
    let client = client(&server.url);
    let options = RequestOptions::new()
        .resume(1)
        .idle_timeout(Duration::from_millis(200));
    let items = collect(chat(&client, with_options(post("/c"), options))).await;
    let contents: Vec<&str> = items
        .iter()
        .map(|item| content(item.as_ref().expect("an event")))
        .collect();
    assert_eq!(contents, ["a", "b"]);
    assert!(server.heads()[1].contains("last-event-id: 7\r\n"));
    // The id persists on the resumed connection.
    assert_eq!(items[1].as_ref().unwrap().id(), Some("7"));

    // Without an id the server could only start over, so the cut is the last item.
    let server = Server::start(vec![sse(vec![
        send(&format!("data: {}\n\ndata: {{", chunk("a"))),
        Step::Cut,
    ])])
    .await;
    let client = common::client(&server.url);
    let options = RequestOptions::new().resume(3);
    let items = collect(chat(&client, with_options(post("/c"), options))).await;
    assert!(matches!(items.last(), Some(Err(Error::Transport(_)))));
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn json_lines_and_json_text_sequences_stream_too() {
    let server = Server::start(vec![Reply {
        status: 200,
        headers: vec![("content-type", "application/x-ndjson")],
        delay: 0,
        steps: vec![
            send(&format!("{}\n{}", chunk("a"), &chunk("b")[..10])),
            send(&format!("{}\n\n{}", &chunk("b")[10..], chunk("c"))),
            Step::End,
        ],
    }])
    .await;
    let client = client(&server.url);
    // The description said JSON lines; the response's content type agrees.
    let spec = StreamSpec::new(StreamFormat::JsonLines, |s| s == 200, stream_error);
    let items: Vec<_> = collect(event_stream::<Chunk, _>(&client, Ok(post("/c")), spec)).await;
    let contents: Vec<&str> = items
        .iter()
        .map(|item| content(item.as_ref().unwrap()))
        .collect();
    assert_eq!(contents, ["a", "b", "c"]);
    assert!(server.heads()[0].contains("accept: application/jsonl"));

    let server = Server::start(vec![Reply {
        status: 200,
        headers: vec![("content-type", "application/json-seq")],
        delay: 0,
        steps: vec![
            send(&format!("\u{1e}{}\n\u{1e}{{\"id\":\"c1\",\n", chunk("a"))),
            send("\"choices\": []}\n"),
            Step::End,
        ],
    }])
    .await;
    let client = common::client(&server.url);
    let spec = StreamSpec::new(StreamFormat::EventStream, |s| s == 200, stream_error);
    let items = collect(event_stream::<Chunk, _>(&client, Ok(post("/c")), spec)).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[1].as_ref().unwrap().data().choices.is_empty());
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let server = Server::start(vec![sse(vec![
        send(&format!("data: {}\n\n", chunk("a"))),
        Step::KeepAlive(5),
    ])])
    .await;
    let client = client(&server.url);
    let mut stream = chat(&client, post("/c"));
    assert!(stream.next().await.unwrap().is_ok());
    drop(stream);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !server.hung_up.load(Ordering::SeqCst) {
        assert!(
            std::time::Instant::now() < deadline,
            "the server still writes 5 s after the stream was dropped"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn an_invalid_request_is_the_only_item() {
    let client = client("http://127.0.0.1:9");
    let stream: EventStream<Chunk, ApiErrorBody> = event_stream(
        &client,
        Err(Error::InvalidRequest("bad path".to_owned())),
        chat_spec(),
    );
    let items = collect(stream).await;
    assert!(matches!(&items[..], [Err(Error::InvalidRequest(_))]));
}

/// The stream is `Send` and `'static`: it can be moved into a task.
#[tokio::test]
async fn a_stream_can_be_read_in_a_task() {
    let server = Server::start(vec![sse(vec![
        send(&format!("data: {}\n\ndata: [DONE]\n\n", chunk("a"))),
        Step::End,
    ])])
    .await;
    let client = client(&server.url);
    let stream = chat(&client, post("/c"));
    let count = tokio::spawn(async move { stream.count().await })
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[test]
fn formats_are_read_from_content_types() {
    let format = StreamFormat::from_content_type;
    assert_eq!(
        format("text/event-stream; charset=utf-8"),
        Some(StreamFormat::EventStream)
    );
    assert_eq!(
        format("Application/X-NDJSON"),
        Some(StreamFormat::JsonLines)
    );
    assert_eq!(format("application/jsonl"), Some(StreamFormat::JsonLines));
    assert_eq!(format("application/json-seq"), Some(StreamFormat::JsonSeq));
    assert_eq!(format("application/json"), None);
}

#[test]
fn events_named_nothing_are_messages() {
    let event = Event::new(None, Some("3".to_owned()), None, 1);
    assert_eq!(event.name(), "message");
    assert_eq!(event.id(), Some("3"));
    assert_eq!(event.into_data(), 1);
}
