//! Turning responses into typed bodies and errors: `Decode`, `Api`, empty and large bodies.

mod common;

use apigen_runtime::runtime::response::snippet;
use apigen_runtime::runtime::{Error, RawResponse};
use common::{call_json, client, get, ApiErrorBody};
use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::Value;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize)]
struct Page {
    data: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    id: u64,
}

async fn serve(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.into(), content_type))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_json_body_decodes_into_the_success_type() {
    let server = serve(
        200,
        "application/json",
        r#"{"data":[{"id":7}],"extra":true}"#,
    )
    .await;
    let response = call_json::<Page>(&client(&server.uri()), get("/things"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().data[0].id, 7);
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_reports_path_and_snippet() {
    let body = r#"{"data":[{"id":1},{"id":"seven"}]}"#;
    let server = serve(200, "application/json", body).await;

    let error = call_json::<Page>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();

    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.status, 200);
    assert_eq!(decode.path, "data[1].id");
    assert_eq!(decode.snippet, body);
    assert_eq!(decode.content_type.as_deref(), Some("application/json"));
    assert!(
        decode.message.contains("invalid type"),
        "{}",
        decode.message
    );
    assert!(decode.source.is_some());
    assert_eq!(error.status(), Some(200));
    let message = error.to_string();
    assert!(
        message.starts_with("could not decode the 200 response body (content type `application/json`) at `data[1].id`: invalid type"),
        "{message}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let body = r#"{"data":[{"id":1},"#;
    let server = serve(200, "application/json", body).await;
    let error = call_json::<Page>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(decode.snippet, body);
    assert!(decode.message.contains("EOF"), "{}", decode.message);
}

#[tokio::test]
async fn trailing_characters_are_a_decode_error() {
    let server = serve(200, "application/json", r#"{"data":[]} extra"#).await;
    let error = call_json::<Page>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "got {error:?}");
}

#[tokio::test]
async fn html_where_json_was_expected_is_a_decode_error() {
    let html = "<!DOCTYPE html><html><body>Welcome</body></html>";
    let server = serve(200, "text/html; charset=utf-8", html).await;

    let error = call_json::<Page>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();

    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(
        decode.content_type.as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(decode.path, ".");
    assert_eq!(decode.snippet, html);
    assert!(error.to_string().contains("expected JSON"), "{error}");
}

#[tokio::test]
async fn an_html_error_page_on_500_is_an_api_error_with_text() {
    let html = "<html>\n  <body>\n    <h1>Internal   Server Error</h1>\n  </body>\n</html>\n";
    let server = serve(500, "text/html", html).await;
    let client = client(&server.uri());

    let raw = client
        .execute::<ApiErrorBody>(get("/things"))
        .await
        .unwrap();
    let error = raw.api_error::<ApiErrorBody>();

    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status, 500);
    assert!(api.body.is_none());
    assert_eq!(api.text, html);
    assert_eq!(error.api_body(), None);
    assert_eq!(
        error.to_string(),
        "API error 500 Internal Server Error: <html> <body> <h1>Internal Server Error</h1> </body> </html>"
    );
}

#[tokio::test]
async fn a_documented_error_body_is_decoded_and_kept_as_text() {
    let body = r#"{"code":"not_found","message":"No contact 42"}"#;
    let server = serve(404, "application/json", body).await;

    let error = call_json::<Page>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();

    assert_eq!(
        error.api_body(),
        Some(&ApiErrorBody {
            code: "not_found".into(),
            message: "No contact 42".into()
        })
    );
    assert_eq!(error.as_api().map(|api| api.text.as_str()), Some(body));
    assert_eq!(
        error.to_string(),
        format!("API error 404 Not Found: {body}")
    );
}

#[tokio::test]
async fn display_of_an_api_error_keeps_200_characters() {
    let long = "x".repeat(1000);
    let server = serve(418, "text/plain", long.clone()).await;
    let error = call_json::<Page>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();
    let message = error.to_string();
    assert_eq!(
        message,
        format!("API error 418 I'm a teapot: {}…", "x".repeat(200))
    );
    assert_eq!(error.as_api().map(|api| api.text.len()), Some(1000));
}

#[tokio::test]
async fn no_content_is_an_empty_success() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let raw = client(&server.uri())
        .execute::<ApiErrorBody>(get("/things"))
        .await
        .unwrap();
    assert_eq!(raw.status(), 204);
    let response = raw.empty::<ApiErrorBody>().unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(*response.body(), ());
}

#[tokio::test]
async fn a_five_megabyte_json_array_decodes() {
    let numbers: Vec<u64> = (0..700_000u64).map(|n| n * 1_000).collect();
    let body = serde_json::to_vec(&numbers).unwrap();
    assert!(body.len() > 5_000_000, "body is {} bytes", body.len());
    let server = serve(200, "application/json", body).await;

    let response = call_json::<Vec<u64>>(&client(&server.uri()), get("/things"))
        .await
        .unwrap();

    assert_eq!(response.body().len(), 700_000);
    assert_eq!(response.into_body()[699_999], 699_999_000);
}

#[tokio::test]
async fn a_large_malformed_body_gets_a_bounded_snippet_around_the_error() {
    let mut values: Vec<Value> = (0..200_000).map(Value::from).collect();
    values[150_000] = Value::from("oops");
    let body = serde_json::to_vec(&values).unwrap();
    let server = serve(200, "application/json", body).await;

    let error = call_json::<Vec<u64>>(&client(&server.uri()), get("/things"))
        .await
        .unwrap_err();

    let Error::Decode(decode) = error else {
        panic!("expected Error::Decode");
    };
    assert_eq!(decode.path, "[150000]");
    assert!(decode.snippet.chars().count() <= 512);
    assert!(decode.snippet.contains("\"oops\""), "{}", decode.snippet);
    assert!(decode.snippet.contains("149999"), "{}", decode.snippet);
}

#[test]
fn snippets_never_split_characters_or_exceed_the_limit() {
    let body = "é".repeat(2000);
    for column in [0, 1, 2, 3, 999, 2000, 3999, 4000, 10_000] {
        let snippet = snippet(body.as_bytes(), 1, column);
        assert!(snippet.chars().count() <= 512);
        assert!(
            snippet.chars().filter(|c| *c != 'é').count() <= 2,
            "{snippet}"
        );
    }
    let lines = "line\n".repeat(1000);
    let around = snippet(lines.as_bytes(), 500, 1);
    assert!(around.chars().count() <= 512);
    assert_eq!(snippet(b"short", 9, 9), "short");
    assert_eq!(snippet(b"", 1, 1), "");
}

#[test]
fn text_replaces_invalid_utf8() {
    let raw = RawResponse::new(200, HeaderMap::new(), vec![b'f', 0xff, b'o']);
    let response = raw.text::<()>().unwrap();
    assert_eq!(response.body(), "f\u{fffd}o");
}

#[test]
fn bytes_keep_the_body_as_is() {
    let raw = RawResponse::new(200, HeaderMap::new(), vec![0, 159, 146, 150]);
    let response = raw.bytes::<()>().unwrap();
    assert_eq!(response.into_body(), vec![0, 159, 146, 150]);
}

#[test]
fn api_error_with_wraps_a_typed_body_and_keeps_the_text_when_it_does_not_decode() {
    #[derive(Debug, PartialEq)]
    enum OperationError {
        NotFound(Value),
    }
    let raw = RawResponse::new(404, HeaderMap::new(), br#"{"code":"not_found"}"#.to_vec());
    match raw.api_error_with::<Value, _>(OperationError::NotFound) {
        Error::Api(api) => {
            assert_eq!(api.status, 404);
            assert_eq!(
                api.body,
                Some(OperationError::NotFound(
                    serde_json::json!({"code": "not_found"})
                ))
            );
            assert!(api.text.contains("not_found"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    let raw = RawResponse::new(404, HeaderMap::new(), b"<html>gone</html>".to_vec());
    match raw.api_error_with::<Value, _>(OperationError::NotFound) {
        Error::Api(api) => {
            assert!(api.body.is_none());
            assert_eq!(api.text, "<html>gone</html>");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}
