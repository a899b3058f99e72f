//! Helpers shared by the integration tests: a client for a loopback server, an operation the
//! way generated code writes one, and raw TCP servers that misbehave on purpose.

// Each test file uses only some of these helpers.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
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
