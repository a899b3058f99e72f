//! Tracing: one `http.request` span per call with method, path template, attempt, status and
//! duration, and never the token or the query string.
//!
//! This test has a file of its own: tracing caches per-callsite interest process-wide, so a
//! scoped subscriber is only reliable when no other test in the process runs at the same time.

mod common;

use apigen_runtime::runtime::{Auth, Request, RequestOptions, Secret};
use common::capture::Capture;
use common::{builder, call_json, with_options, TOKEN};
use serde_json::Value;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn traces_show_the_call_but_not_the_token_or_query() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts/42"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/contacts/42"))
        .respond_with(ResponseTemplate::new(200).set_body_json([1]))
        .with_priority(2)
        .mount(&server)
        .await;
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let query_auth = Auth::Query {
        name: "api_key".into(),
        value: Secret::new(TOKEN),
    };
    for auth in [Auth::Bearer(Secret::new(TOKEN)), query_auth] {
        let client = builder(&server.uri()).auth(auth).build().unwrap();
        let mut request = Request::new(
            reqwest::Method::GET,
            "/contacts/{id}",
            "/contacts/42".into(),
        );
        request.query("email", "ada@example.com");
        let options = RequestOptions::new().header("X-Extra", TOKEN);
        call_json::<Value>(&client, with_options(request, options))
            .await
            .unwrap();
    }

    let log = capture.log.lock().unwrap().clone();
    assert!(
        log.contains("span http.request method=GET path=\"/contacts/{id}\""),
        "{log}"
    );
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("duration_ms="), "{log}");
    assert!(log.contains("retrying request"), "{log}");
    assert!(!log.contains("SUPERSECRET"), "{log}");
    assert!(!log.contains("ada@example.com"), "{log}");
    assert!(!log.contains("api_key"), "{log}");
}
