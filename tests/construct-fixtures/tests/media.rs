//! Every media type on the wire, against a loopback server: binary downloads streamed, text
//! responses, multipart bodies with files and typed fields, and forms by their encodings.

use construct_fixtures::media_bodies::{self, operations, types};
use futures_util::StreamExt;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn last_request(server: &MockServer) -> Request {
    server
        .received_requests()
        .await
        .expect("recorded")
        .pop()
        .expect("one request")
}

fn client(server: &MockServer) -> media_bodies::Client {
    media_bodies::Client::builder()
        .base_url(server.uri())
        .retry_policy(media_bodies::RetryPolicy::none())
        .build()
        .unwrap()
}

/// 200 KiB of a repeating pattern.
fn pdf() -> Vec<u8> {
    (0..200 * 1024).map(|i| (i % 253) as u8).collect()
}

#[tokio::test]
async fn a_binary_download_is_streamed_past_the_size_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(pdf(), "application/pdf"))
        .mount(&server)
        .await;
    // A limit far below the file: a streamed body is not held whole, so it does not apply.
    let client = media_bodies::Client::builder()
        .base_url(server.uri())
        .max_response_size(1024)
        .build()
        .unwrap();
    let download = client.get_file("1").await.unwrap();
    assert_eq!(download.content_length(), Some(200 * 1024));
    let mut received = Vec::new();
    let mut chunks = std::pin::pin!(download.into_stream());
    while let Some(chunk) = chunks.next().await {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(received, pdf());
    assert_eq!(
        last_request(&server).await.headers.get("accept").unwrap(),
        "application/pdf, application/octet-stream, application/json",
        "every documented media type, the success's first"
    );
    // Read whole, it is bounded by the limit.
    let whole = client.get_file("1").await.unwrap().bytes().await;
    assert!(
        matches!(
            whole,
            Err(media_bodies::runtime::DownloadError::TooLarge(_))
        ),
        "{whole:?}"
    );
}

#[tokio::test]
async fn a_download_error_and_a_mixed_success_decode_by_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/2"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(serde_json::json!({"message": "gone"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/thumbnail"))
        .respond_with(ResponseTemplate::new(206).set_body_raw(vec![137u8, 80, 78, 71], "image/png"))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client.get_file("2").await.unwrap_err();
    assert_eq!(
        error.api_body().and_then(|body| body.message.as_deref()),
        Some("gone")
    );
    match client.get_thumbnail().await.unwrap() {
        operations::GetThumbnailResponse::Status206(image) => {
            assert_eq!(image.bytes().await.unwrap(), [137u8, 80, 78, 71])
        }
        other => panic!("expected the image, got {other:?}"),
    }
}

#[tokio::test]
async fn a_text_response_is_a_string() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/report"))
        .and(header("accept", "text/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("a,b\n1,2\n", "text/csv"))
        .mount(&server)
        .await;
    assert_eq!(client(&server).get_report().await.unwrap(), "a,b\n1,2\n");
}

#[tokio::test]
async fn multipart_carries_files_and_typed_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let body = types::UploadRequest {
        file: media_bodies::runtime::FilePart::new(vec![1u8, 2, 3]).file_name("a.png"),
        attachments: Some(vec![media_bodies::runtime::FilePart::new(
            b"notes".to_vec(),
        )
        .file_name("notes.txt")
        .content_type("text/plain")]),
        title: Some("Report".into()),
        count: Some(3),
        tags: Some(vec!["x".into(), "y".into()]),
        meta: Some(types::UploadRequestMeta {
            source: Some("scan".into()),
        }),
    };
    client(&server).upload(body).await.unwrap();
    let request = last_request(&server).await;
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("content type {content_type}"))
        .to_string();
    let body = String::from_utf8_lossy(&request.body).into_owned();
    let parts: Vec<&str> = body
        .split(&format!("--{boundary}"))
        .map(str::trim)
        .filter(|part| !part.is_empty() && *part != "--")
        .collect();
    let text = |name: &str, value: &str| {
        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}")
    };
    assert_eq!(
        parts,
        [
            "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u{1}\u{2}\u{3}".to_string(),
            "Content-Disposition: form-data; name=\"attachments\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\nnotes".to_string(),
            text("title", "Report"),
            text("count", "3"),
            text("tags", "x"),
            text("tags", "y"),
            "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"source\":\"scan\"}".to_string(),
        ]
    );
}

#[tokio::test]
async fn a_form_follows_each_property_encoding() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let body = types::SubmitFormRequest {
        name: "Ada L".into(),
        tags: Some(vec!["a".into(), "b".into()]),
        ids: Some(vec![1, 2]),
        address: Some(types::SubmitFormRequestAddress {
            city: Some("Zürich".into()),
        }),
        filter: Some(types::SubmitFormRequestFilter {
            kind: Some("open".into()),
        }),
    };
    client(&server).submit_form(body).await.unwrap();
    let request = last_request(&server).await;
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "name=Ada+L&tags=a&tags=b&ids=1,2&city=Z%C3%BCrich&filter[kind]=open"
    );
}
