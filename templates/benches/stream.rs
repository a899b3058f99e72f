//! `cargo bench -p apigen-runtime --bench stream [-- --events N --runs N]`: decodes a long
//! stream of OpenAI-sized chat chunk events, each into the same typed chunk, through the
//! runtime's [`EventStream`] and through `eventsource-stream` (the parser under
//! `reqwest-eventsource`), and prints the median events per second and peak heap of each.
//!
//! Two settings, each run `--runs` times per reader, alternating:
//!
//! - `loopback`: a server on 127.0.0.1 writes the stream in 16 KiB chunks and the client reads it
//!   through reqwest, as a real call does (the runtime through `event_stream`, the other reader
//!   through the same reqwest response's chunks);
//! - `parse`: the bytes handed to the parser from memory in the same chunks, so the figure is the
//!   parser's and the JSON decoding's alone.
//!
//! Peak heap is measured by a counting allocator: the most bytes live at once during a run, less
//! those live before it (the stream's bytes, prepared before, are not counted). A flat figure
//! as `--events` grows is what "memory stays flat" means.
//!
//! The harness is a plain `main` (no criterion or divan): it needs its own global allocator for
//! the peak, and a median of whole-stream runs is the figure the issue asks for.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use apigen_runtime::runtime::stream::{event_stream, StreamFormat, StreamSpec};
use apigen_runtime::runtime::{ClientBuilder, Error, RawResponse, RetryPolicy};
use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Counts the bytes live on the heap and the most live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc(layout);
        if !pointer.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        System.dealloc(pointer, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = System.realloc(pointer, layout, new_size);
        if !moved.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// OpenAI's `CreateChatCompletionStreamResponse`, as far as a client reads it.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ChatChunk {
    id: String,
    object: String,
    created: u64,
    model: String,
    system_fingerprint: Option<String>,
    choices: Vec<Choice>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Choice {
    index: u32,
    delta: Delta,
    logprobs: Option<serde_json::Value>,
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Delta {
    role: Option<String>,
    content: Option<String>,
}

/// The bytes of a stream of `events` chunk events, then `[DONE]`.
fn stream_bytes(events: usize) -> Bytes {
    let words = [
        "Hello", " there", ",", " how", " can", " I", " help", " you", " today", "?",
    ];
    let mut body = String::new();
    for n in 0..events {
        let word = words[n % words.len()];
        body.push_str(&format!(
            "data: {{\"id\":\"chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012\",\"object\":\"chat.completion.chunk\",\
             \"created\":1733580000,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_7f6be3efb0\",\
             \"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}},\"logprobs\":null,\
             \"finish_reason\":null}}]}}\n\n"
        ));
    }
    body.push_str("data: [DONE]\n\n");
    Bytes::from(body)
}

const CHUNK: usize = 16 * 1024;

/// A loopback server writing `body` in chunks to every connection.
async fn serve(body: Bytes) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut head = [0u8; 4096];
                let mut read = 0;
                while !head[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut head[read..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read += n,
                    }
                }
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                for piece in body.chunks(CHUNK) {
                    if socket.write_all(piece).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn no_error(raw: RawResponse) -> Error<()> {
    raw.unexpected()
}

/// One run of the runtime's stream over loopback; returns the events decoded.
async fn ours_loopback(url: &str) -> usize {
    let client = ClientBuilder::new(url, "bench")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let spec =
        StreamSpec::new(StreamFormat::EventStream, |s| s == 200, no_error).terminator("[DONE]");
    let request = apigen_runtime::runtime::Request::new(
        reqwest::Method::POST,
        "/chat/completions",
        "/chat/completions".to_owned(),
    );
    let mut stream = event_stream::<ChatChunk, ()>(&client, Ok(request), spec);
    let mut events = 0;
    while let Some(event) = stream.next().await {
        std::hint::black_box(event.expect("an event"));
        events += 1;
    }
    events
}

/// One run of eventsource-stream over the same loopback response; returns the events decoded.
async fn theirs_loopback(url: &str) -> usize {
    let client = reqwest::Client::new();
    let response = client
        .post(format!("{url}/chat/completions"))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    let chunks = futures_util::stream::unfold(response, |mut response| async move {
        match response.chunk().await {
            Ok(Some(chunk)) => Some((Ok::<_, reqwest::Error>(chunk), response)),
            Ok(None) => None,
            Err(error) => Some((Err(error), response)),
        }
    });
    decode_theirs(chunks).await
}

async fn decode_theirs<S>(chunks: S) -> usize
where
    S: futures_util::Stream<Item = Result<Bytes, reqwest::Error>>,
{
    let mut events = 0;
    let mut stream = std::pin::pin!(chunks.eventsource());
    while let Some(event) = stream.next().await {
        let event = event.expect("an event");
        if event.data == "[DONE]" {
            break;
        }
        let chunk: ChatChunk = serde_json::from_str(&event.data).expect("a chunk");
        std::hint::black_box((chunk, event.event, event.id));
        events += 1;
    }
    events
}

/// One run of the runtime's parser and decoding from memory.
fn ours_parse(body: &Bytes) -> usize {
    let mut decoder = apigen_runtime::runtime::sse::SseDecoder::new(16 * 1024 * 1024);
    let mut events = 0;
    for start in (0..body.len()).step_by(CHUNK) {
        decoder.push(body.slice(start..(start + CHUNK).min(body.len())));
        while let Some(frame) = decoder.next_frame() {
            let frame = frame.expect("within the limit");
            if frame.data == "[DONE]" {
                break;
            }
            let chunk: ChatChunk = serde_json::from_str(&frame.data).expect("a chunk");
            std::hint::black_box((chunk, frame.name, frame.id));
            events += 1;
        }
    }
    events
}

/// One run of eventsource-stream's parser and the same decoding from memory.
async fn theirs_parse(body: &Bytes) -> usize {
    let chunks = (0..body.len())
        .step_by(CHUNK)
        .map(|start| Ok(body.slice(start..(start + CHUNK).min(body.len()))));
    decode_theirs(futures_util::stream::iter(chunks)).await
}

/// The time and peak heap of one run.
type Sample = (Duration, usize);

/// Time and peak heap of one run.
async fn measure<F: std::future::Future<Output = usize>>(
    events: usize,
    run: F,
) -> (Duration, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let decoded = run.await;
    let elapsed = started.elapsed();
    assert_eq!(decoded, events, "every event decoded");
    (elapsed, PEAK.load(Ordering::Relaxed).saturating_sub(before))
}

fn median<T: Copy + Ord>(mut values: Vec<T>) -> T {
    values.sort_unstable();
    values[values.len() / 2]
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing, and gets a short run.
    let benching = std::env::args().any(|a| a == "--bench");
    let events = arg("--events", if benching { 100_000 } else { 1_000 });
    let runs = arg("--runs", if benching { 9 } else { 1 });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let body = stream_bytes(events);
        let url = serve(body.clone()).await;
        println!(
            "{events} chat chunk events ({} bytes, {} bytes each), {runs} runs each, medians:\n",
            body.len(),
            body.len() / events
        );
        println!("| setting | reader | events/s | peak heap (bytes) |");
        println!("| --- | --- | ---: | ---: |");
        let mut results: Vec<(&str, &str, Vec<Sample>)> = vec![
            ("loopback", "apigen EventStream", Vec::new()),
            ("loopback", "eventsource-stream", Vec::new()),
            ("parse", "apigen SseDecoder", Vec::new()),
            ("parse", "eventsource-stream", Vec::new()),
        ];
        for _ in 0..runs {
            results[0]
                .2
                .push(measure(events, ours_loopback(&url)).await);
            results[1]
                .2
                .push(measure(events, theirs_loopback(&url)).await);
            results[2]
                .2
                .push(measure(events, async { ours_parse(&body) }).await);
            results[3]
                .2
                .push(measure(events, theirs_parse(&body)).await);
        }
        for (setting, reader, samples) in results {
            let time = median(samples.iter().map(|s| s.0).collect());
            let peak = median(samples.iter().map(|s| s.1).collect());
            let rate = events as f64 / time.as_secs_f64();
            println!("| {setting} | {reader} | {rate:.0} | {peak} |");
        }
    });
}
