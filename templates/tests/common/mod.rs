//! Helpers shared by the integration tests: a client for a loopback server, an operation the
//! way generated code writes one, and raw TCP servers that misbehave on purpose.

// Each test file uses only some of these helpers.
#![allow(dead_code)]

pub mod capture;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use apigen_runtime::runtime::{
    Client, ClientBuilder, Error, Request, RequestOptions, Response, RetryPolicy,
};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::MockServer;

/// A distinctive credential that must never appear in any output.
pub const TOKEN: &str = "tok-SUPERSECRET-8f3a";

/// The user agent the tests' clients send.
pub const USER_AGENT: &str = "apigen-runtime-tests/0.1.0";

/// A retry policy with the default attempts but millisecond backoffs, to keep the suite fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

/// A client builder for `base_url` with fast retries.
pub fn builder(base_url: &str) -> ClientBuilder {
    ClientBuilder::new(base_url, USER_AGENT).retry_policy(fast_retries())
}

/// A client for `base_url` with fast retries.
pub fn client(base_url: &str) -> Client {
    builder(base_url).build().expect("test client builds")
}

/// The documented error body of the tests' API.
#[derive(Debug, Deserialize, PartialEq)]
pub struct ApiErrorBody {
    pub code: String,
    pub message: String,
}

/// An operation as generated code writes it: 200 is JSON `T`, 4xx is the documented error body,
/// anything else is unexpected.
pub async fn call_json<T: DeserializeOwned>(
    client: &Client,
    request: Request,
) -> Result<Response<T>, Error<ApiErrorBody>> {
    let raw = client.execute(request).await?;
    match raw.status() {
        200 => raw.json(),
        400..=499 => Err(raw.api_error()),
        _ => Err(raw.unexpected()),
    }
}

/// `GET path` with no parameters.
pub fn get(path: &'static str) -> Request {
    Request::new(Method::GET, path, path.to_owned())
}

/// `POST path` with no parameters.
pub fn post(path: &'static str) -> Request {
    Request::new(Method::POST, path, path.to_owned())
}

/// A request with per-call options.
pub fn with_options(mut request: Request, options: RequestOptions) -> Request {
    request.options(options);
    request
}

/// The requests the mock server received.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// Reads one request head (up to the blank line) from a raw connection.
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
}

/// A server that promises a 1000-byte JSON body, sends 10 bytes, then resets the connection.
/// Returns its base URL and the number of connections it accepted.
pub async fn reset_mid_body_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            read_head(&mut stream).await;
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(b"{\"items\":[").await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
            let _ = stream.set_zero_linger();
            drop(stream);
        }
    });
    (format!("http://{address}"), connections)
}

/// A server that accepts connections and never answers; returns its base URL.
pub async fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    format!("http://{address}")
}

/// The URL of a loopback port nothing listens on.
pub async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}")
}

/// A raw TCP server streaming one large body per connection, and what it managed to send.
pub struct StreamingServer {
    /// Its base URL.
    pub url: String,
    /// The body bytes written so far, over every connection (the bytes of the chunked framing
    /// are not counted).
    pub written: Arc<AtomicU64>,
    /// Set when a connection ended: the whole body was sent, or a write failed because the
    /// client hung up.
    pub finished: Arc<AtomicBool>,
}

impl StreamingServer {
    /// Waits (up to 10 s) until a connection has ended, then returns the body bytes written.
    pub async fn bytes_written_when_finished(&self) -> u64 {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.finished.load(Ordering::SeqCst) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the server is still writing after 10 s: the client did not hang up"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        self.written.load(Ordering::SeqCst)
    }
}

/// A server that answers every request 200 with a body of `total` bytes of `a`, written `chunk`
/// bytes at a time until a write fails because the client hung up.
///
/// With `content_length: None` the body is sent `Transfer-Encoding: chunked`, so the client
/// cannot know its size in advance; with `Some(length)` the head announces that length (true or
/// not) and the bytes follow unframed.
pub async fn streaming_server(
    total: u64,
    chunk: usize,
    content_length: Option<u64>,
) -> StreamingServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local address");
    let written = Arc::new(AtomicU64::new(0));
    let finished = Arc::new(AtomicBool::new(false));
    let (counter, done) = (written.clone(), finished.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            read_head(&mut stream).await;
            let framing = match content_length {
                Some(length) => format!("content-length: {length}"),
                None => "transfer-encoding: chunked".to_owned(),
            };
            let head = format!("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n{framing}\r\n\r\n");
            let data = vec![b'a'; chunk];
            let mut sent = 0u64;
            let mut ok = stream.write_all(head.as_bytes()).await.is_ok();
            while ok && sent < total {
                let n = usize::try_from(total - sent).map_or(chunk, |left| left.min(chunk));
                ok = match content_length {
                    Some(_) => stream.write_all(&data[..n]).await.is_ok(),
                    None => {
                        let framed =
                            [format!("{n:x}\r\n").as_bytes(), &data[..n], b"\r\n"].concat();
                        stream.write_all(&framed).await.is_ok()
                    }
                };
                if ok {
                    sent += n as u64;
                    counter.fetch_add(n as u64, Ordering::SeqCst);
                }
            }
            if ok && content_length.is_none() {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
            let _ = stream.flush().await;
            done.store(true, Ordering::SeqCst);
        }
    });
    StreamingServer {
        url: format!("http://{address}"),
        written,
        finished,
    }
}
