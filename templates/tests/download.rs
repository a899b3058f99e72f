//! Binary bodies: streamed past the maximum response size when the request asks for it, read
//! whole within it otherwise, and other statuses read whole as before.

mod common;

use apigen_runtime::runtime::{Download, DownloadError, Error, Request, Response};
use common::{builder, get};
use futures_util::StreamExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// 300 KiB of a repeating pattern.
fn file() -> Vec<u8> {
    (0..300 * 1024).map(|i| (i % 251) as u8).collect()
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/file"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(file(), "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such file"))
        .mount(&server)
        .await;
    server
}

/// An operation as generated code writes one whose 200 is binary.
async fn download(
    client: &apigen_runtime::runtime::Client,
    mut request: Request,
) -> Result<Response<Download>, Error<()>> {
    request.stream_body_when(|status| matches!(status, 200));
    let response = client.execute(request).await?;
    match response.status() {
        200 => response.download(),
        _ => Err(response.unexpected()),
    }
}

#[tokio::test]
async fn a_streamed_body_passes_the_limit_chunk_by_chunk() {
    let server = server().await;
    let client = builder(&server.uri())
        .max_response_size(1024)
        .build()
        .unwrap();
    let response = download(&client, get("/file")).await.expect("streamed");
    let download = response.into_body();
    assert_eq!(download.content_length(), Some(300 * 1024));
    assert!(format!("{download:?}").contains("streaming: true"));
    let mut received = Vec::new();
    let mut chunks = std::pin::pin!(download.into_stream());
    while let Some(chunk) = chunks.next().await {
        received.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(received, file());
}

#[tokio::test]
async fn bytes_is_bounded_by_the_limit() {
    let server = server().await;
    let client = builder(&server.uri())
        .max_response_size(1024)
        .build()
        .unwrap();
    let download = download(&client, get("/file")).await.unwrap().into_body();
    match download.bytes().await {
        Err(DownloadError::TooLarge(error)) => assert_eq!(error.limit(), 1024),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    let roomy = builder(&server.uri()).build().unwrap();
    let download = download_body(&roomy).await;
    assert_eq!(download.bytes().await.unwrap(), file());
}

async fn download_body(client: &apigen_runtime::runtime::Client) -> Download {
    download(client, get("/file")).await.unwrap().into_body()
}

#[tokio::test]
async fn other_statuses_are_read_whole() {
    let server = server().await;
    let client = builder(&server.uri()).build().unwrap();
    let error = download(&client, get("/missing")).await.unwrap_err();
    match error {
        Error::Api(api) => assert_eq!((api.status, api.text.as_str()), (404, "no such file")),
        other => panic!("expected the 404, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_read_whole_is_handed_out_the_same_way() {
    let server = server().await;
    let client = builder(&server.uri()).build().unwrap();
    let response = client.execute::<()>(get("/file")).await.unwrap();
    let mut download = response.download::<()>().unwrap().into_body();
    assert!(format!("{download:?}").contains("streaming: false"));
    assert_eq!(
        download.chunk().await.unwrap().as_deref(),
        Some(&file()[..])
    );
    assert_eq!(download.chunk().await.unwrap(), None);
    assert_eq!(
        Download::from_bytes(vec![1u8; 10]).bytes().await.unwrap(),
        vec![1u8; 10]
    );
}
