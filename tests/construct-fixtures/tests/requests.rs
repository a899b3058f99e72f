//! Parameters and media types on the wire, against a loopback server.

use construct_fixtures::{media_types, parameters};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn last_request(server: &MockServer) -> Request {
    server
        .received_requests()
        .await
        .expect("recorded")
        .pop()
        .expect("one request")
}

#[tokio::test]
async fn path_query_and_header_parameters() {
    use parameters::types::GetPostOrder;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let client = parameters::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let body = client
        .get_post(42, "a b/c", GetPostOrder::Desc)
        .tags(vec!["x".into(), "y z".into()])
        .ids(vec![1, 2, 3])
        .x_trace_id("trace-1")
        .await
        .unwrap();
    assert_eq!(body, json!({"ok": true}));
    let request = last_request(&server).await;
    assert_eq!(request.url.path(), "/users/42/posts/a%20b%2Fc");
    assert_eq!(
        request.url.query(),
        Some("tags=x&tags=y%20z&ids=1,2,3&order=desc"),
        "the commas of a list not exploded are its delimiters, not part of a value"
    );
    assert_eq!(request.headers.get("x-trace-id").unwrap(), "trace-1");
    assert_eq!(
        request.headers.get("x-api-version").unwrap(),
        "2024-01-01",
        "the schema default is sent"
    );
    assert_eq!(
        parameters::Server::default().url(),
        "https://eu.example.com/v1",
        "server variables take their defaults"
    );
}

#[tokio::test]
async fn text_form_multipart_and_binary_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(header("content-type", "text/plain"))
        .and(body_string("hello"))
        .respond_with(ResponseTemplate::new(201).set_body_raw("created", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/forms"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("name=Ada+L&tags=a&tags=b"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(vec![0u8, 1, 2, 255], "application/octet-stream"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/2"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_raw(r#"{"title":"down"}"#, "application/problem+json"),
        )
        .mount(&server)
        .await;
    let client = media_types::Client::builder()
        .base_url(server.uri())
        .retry_policy(media_types::RetryPolicy::none())
        .build()
        .unwrap();
    assert_eq!(
        client.create_note("hello".to_string()).await.unwrap(),
        "created"
    );
    let form = media_types::types::SubmitFormRequest {
        name: "Ada L".into(),
        tags: Some(vec!["a".into(), "b".into()]),
    };
    client.submit_form(form).await.unwrap();
    let upload = media_types::types::UploadRequest {
        title: Some("report".into()),
    };
    assert_eq!(
        client.upload().body(upload).await.unwrap(),
        None,
        "202 has no body"
    );
    let multipart = last_request(&server).await;
    let content_type = multipart
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    assert!(String::from_utf8_lossy(&multipart.body).contains("name=\"title\"\r\n\r\nreport"));
    let download = client.download("1").await.unwrap();
    assert_eq!(download.bytes().await.unwrap(), vec![0u8, 1, 2, 255]);
    let error = client.download("2").await.unwrap_err();
    match error.api_body() {
        Some(media_types::operations::DownloadError::Status5xx(problem)) => {
            assert_eq!(problem.title.as_deref(), Some("down"))
        }
        other => panic!("expected the 5XX problem body, got {other:?}"),
    }
}
